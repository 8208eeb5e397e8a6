import Foundation
import Testing

@Suite("explain, inventory, policy show and secrets in outputs", .temporaryDirectories)
struct PolicyCommandTests {
    static let demoPolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        groups: {coe: [cora], security: [sam], privacy: [priya], platform: [pat, paul], legal: [lee], ops: [oz]}
        templates:
          - {name: dash, tier: 0, bounds: {dataClass: [public, internal], accessScope: [personal, team]}}
        exceptions:
          - {check: ttl-max, app: long, reason: migration, expires: 2026-12-31}

        """

    static func app(_ name: String, _ replace: [String: String] = [:]) throws -> String {
        var text = try Project.text("fixtures/manifests/valid/minimal.microapp.yaml").replacingOccurrences(of: "name: minimal", with: "name: \(name)")
        for (a, b) in replace { text = text.replacingOccurrences(of: a, with: b) }
        return text
    }

    static func repo() throws -> String {
        try CLITests.repository(files: [
            ".tiergate/policy.yaml": demoPolicy,
            "apps/a/microapp.yaml": try app("alpha", ["dataClass: public": "dataClass: restricted", "createdAt: 2026-11-01": "createdAt: 2026-11-01\n    attestedAt: 2026-11-01"]),
            "apps/b/microapp.yaml": try app("beta", ["  dataClass: public": "  template: dash\n  dataClass: internal", "createdAt: 2026-11-01": "createdAt: 2026-09-01\n    ttlDays: 30"]),
            "apps/c/microapp.yaml": try app("long", ["createdAt: 2026-11-01": "createdAt: 2026-11-01\n    ttlDays: 365"]),
        ])
    }

    @Test("explain shows every term, text and JSON")
    func explain() throws {
        let dir = try Self.repo()
        let text = try CLITests.tiergate(["explain", "alpha"], in: dir)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("alpha (apps/a/microapp.yaml) is tier 2 (formal-approval), decided by dataClass restricted"))
        #expect(text.stdout.contains("approvals a change needs: 1 from security, 1 from privacy, 1 from platform"))
        let json = try CLITests.tiergate(["explain", "apps/b/microapp.yaml", "--format", "json"], in: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(obj["name"] as? String == "beta")
        #expect(obj["tier"] as? Int == 0)
        let dims = try #require(obj["dimensions"] as? [String: [String: Any]])
        #expect(Set(dims.keys) == ["dataClass", "accessScope", "integrationAccess", "runtime", "criticality", "monthlyCostUSD"])
        #expect(dims["dataClass"]?["value"] as? String == "internal")
        let template = try #require(obj["template"] as? [String: Any])
        #expect(template["name"] as? String == "dash" && template["withinBounds"] as? Bool == true)
        #expect(template["bounds"] as? [String] == ["dataClass", "accessScope"])
        let betaText = try CLITests.tiergate(["explain", "beta"], in: dir)
        #expect(betaText.stdout.contains("template: dash, within its bounds: tier 0 stands in for the dimensions it bounds (dataClass, accessScope); the others count as usual"), "\(betaText.stdout)")
        #expect(betaText.stdout.contains("dataClass          internal -> tier 0 (bounded by the template)"), "\(betaText.stdout)")
        #expect((obj["approvals"] as? [Any])?.isEmpty == true)
        #expect(obj["connectorsCustom"] is [Any] && obj["rules"] is [Any])
        let missing = try CLITests.tiergate(["explain", "nobody"], in: dir)
        #expect(missing.status == 2)
    }

    @Test("inventory lists every app; --expired lists what needs action and exits 1; four formats")
    func inventory() throws {
        let dir = try Self.repo()
        let table = try CLITests.tiergate(["inventory", "--today", "2026-11-22"], in: dir)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.split(separator: "\n").count == 4)
        let json = try CLITests.tiergate(["inventory", "--today", "2026-11-22", "--format", "json"], in: dir)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["alpha", "beta", "long"])
        let beta = try #require(rows.first { $0["name"] as? String == "beta" })
        #expect(beta["expiresAt"] as? String == "2026-10-01" && beta["expired"] as? Bool == true && beta["daysLeft"] as? Int == -52)
        #expect(beta["attestationDue"] as? Bool == true)
        let alpha = try #require(rows.first { $0["name"] as? String == "alpha" })
        #expect(alpha["tier"] as? Int == 2 && alpha["owner"] as? String == "ops" && alpha["attestationDue"] as? Bool == false)
        #expect(Set(alpha.keys) == ["name", "path", "owner", "tier", "dataClass", "state", "expiresAt", "daysLeft", "expired", "attestationDue", "monthlyCapUSD", "integrations"])
        let expired = try CLITests.tiergate(["inventory", "--today", "2026-11-22", "--expired", "--format", "csv"], in: dir)
        #expect(expired.status == 1)
        #expect(expired.stdout.split(separator: "\r\n").count == 2)
        #expect(expired.stdout.contains("\r\nbeta,apps/b/microapp.yaml,"))
        let none = try CLITests.tiergate(["inventory", "--today", "2026-01-01", "--expired"], in: dir)
        #expect(none.status == 0)
        let md = try CLITests.tiergate(["inventory", "--format", "markdown"], in: dir)
        #expect(md.stdout.hasPrefix("| name | path |"))
    }

    @Test("lint judges by the policy at the revision: its exceptions, groups and templates")
    func lintUsesPolicy() throws {
        let dir = try Self.repo()
        let r = try CLITests.tiergate(["lint", "--format", "json", "--today", "2026-11-22"], in: dir)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let policy = try #require(obj["policy"] as? [String: Any])
        #expect(policy["source"] as? String == "rev" && policy["path"] as? String == ".tiergate/policy.yaml")
        #expect((policy["blob"] as? String)?.count == 40)
        let apps = try #require(obj["apps"] as? [[String: Any]])
        #expect(apps.map { $0["tier"] as? Int } == [2, 0, 0])
        let long = try #require(apps.first { $0["name"] as? String == "long" }?["findings"] as? [[String: Any]])
        let ttl = try #require(long.first { $0["id"] as? String == "ttl-max" })
        #expect((ttl["suppressed"] as? [String: Any])?["expires"] as? String == "2026-12-31")
        // With --policy pointing at the default, the exception is gone and ttl-max blocks.
        let defaultFile = try makeTemporaryDirectory("default-policy") + "/default.yaml"
        try Data(try CLITests.tiergate(["policy", "show", "--default"]).stdout.utf8).write(to: URL(fileURLWithPath: defaultFile))
        let strict = try CLITests.tiergate(["lint", "--policy", defaultFile, "--format", "json", "--today", "2026-11-22"], in: dir)
        #expect(strict.stdout.contains("\"source\": \"file\""))
        #expect(strict.status == 1)
    }

    @Test("policy show prints the policy in force; --default prints the built-in one, which validates against the schema")
    func policyShow() throws {
        let dir = try Self.repo()
        let r = try CLITests.tiergate(["policy", "show"], in: dir)
        #expect(r.status == 0 && r.stdout == Self.demoPolicy)
        let d = try CLITests.tiergate(["policy", "show", "--default"])
        #expect(d.stdout.hasPrefix("apiVersion: tiergate/v1\nkind: Policy\nmanifests:\n"))
        #expect(d.stdout.hasSuffix("exceptions: []                    # [{check, app, reason, expires: YYYY-MM-DD}]\n"))
        let out = try makeTemporaryDirectory("policy-show")
        let file = out + "/policy.yaml"
        try Data(d.stdout.utf8).write(to: URL(fileURLWithPath: file))
        let schema = out + "/schema.json"
        try Data(try CLITests.tiergate(["schema", "policy"]).stdout.utf8).write(to: URL(fileURLWithPath: schema))
        let v = try checkJSONSchema(["--schemafile", schema, file, Project.path("fixtures/demo/base/.tiergate/policy.yaml")])
        #expect(v.status == 0, "\(v.stdout)")
    }

    @Test("an invalid policy at the revision is exit 2 naming path:line")
    func invalidPolicy() throws {
        let dir = try CLITests.repository(files: [
            ".tiergate/policy.yaml": "apiVersion: tiergate/v1\nkind: Policy\nrules:\n  - id: r\n    message: m\n    when: {field: spec.dataClass, equal: x}\n    raiseTier: 1\n",
            "microapp.yaml": try Self.app("a"),
        ])
        for args in [["lint"], ["policy", "show"], ["inventory"], ["explain", "a"]] {
            let r = try CLITests.tiergate(args, in: dir)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(".tiergate/policy.yaml:6:"), "\(args): \(r.stderr)")
            #expect(r.stderr.contains("unknown operator 'equal'"))
        }
    }

    @Test("an invalid policy lists every problem, each as path:line:col on its own line, and is exit 2")
    func everyPolicyProblem() throws {
        let dir = try CLITests.repository(files: [
            ".tiergate/policy.yaml": "apiVersion: tiergate/v1\nkind: Policy\nexeptions: []\nlimits: {maxTtlDays: lots}\nconnectors: crm\n",
            "microapp.yaml": try Self.app("a"),
        ])
        let r = try CLITests.tiergate(["lint"], in: dir)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("tiergate: invalid policy .tiergate/policy.yaml (3 problems); fix the policy file") == true, "\(r.stderr)")
        #expect(Array(lines.dropFirst()) == [
            ".tiergate/policy.yaml:3:1: exeptions is not a field of a tiergate Policy; did you mean 'exceptions'? (known here: apiVersion, kind, manifests, dimensions, tiers, policyChange, approvals, groups, connectors, secretRefSchemes, residency, limits, ungovernedFields, templates, checks, rules, exceptions)",
            ".tiergate/policy.yaml:4:22: limits.maxTtlDays must be a whole number from 0 to 36500, found string",
            ".tiergate/policy.yaml:5:13: connectors must be a list, found string",
        ], "\(r.stderr)")
    }

    static let secrets = [
        "Sup3rS3cretPassw0rd", "Zx8vQ2mK9pL4rT7wY1bN3cD5", "AKIAQWERTYUIOPASDFGH", "ghp_LeakyLeakyLeakyLeakyLeakyLeakyLeaky1234",
        "xoxb-123456789012-LeakyLeakyLeaky", "glpat-LeakyLeakyLeakyLeaky99", "eyJhbGciOiJIUzI1NiJ9.eyJsZWFreSI6dHJ1ZX0.c2lnbmF0dXJlc2lnbmF0dXJl",
        "b3BlbnNzaC1rZXktdjEAAAAA",
    ]

    @Test("no secret value from the fixture appears in any output of any format, from lint and check")
    func noSecretLeaks() throws {
        let fixture = try Project.text("fixtures/secrets/leaky.microapp.yaml")
        for s in Self.secrets { #expect(fixture.contains(s), "the fixture must hold \(s)") }
        // Base: a clean app; the change adds the leaky one and pastes a token into the clean one.
        let dir = try CLITests.repository(files: ["apps/ok/microapp.yaml": try Self.app("ok")])
        try CLITests.git(["checkout", "-q", "-b", "change"], in: dir)
        try Data(fixture.utf8).write(to: URL(fileURLWithPath: dir + "/apps/leaky/microapp.yaml").createDirectoryForWrite())
        let pasted = try Self.app("ok").replacingOccurrences(of: "  owner: ops", with: "  owner: ops\n  description: \(Self.secrets[3])")
        try Data(pasted.utf8).write(to: URL(fileURLWithPath: dir + "/apps/ok/microapp.yaml"))
        try CLITests.git(["add", "-A"], in: dir)
        try CLITests.git(["commit", "-q", "-m", "leaky"], in: dir)
        // Staged on top: the leaky app edited again, for check --staged.
        try Data((fixture + "# edited\n").replacingOccurrences(of: "monthlyCapUSD: 10", with: "monthlyCapUSD: 11").utf8)
            .write(to: URL(fileURLWithPath: dir + "/apps/leaky/microapp.yaml"))
        try CLITests.git(["add", "-A"], in: dir)
        let out = try makeTemporaryDirectory("leaks")
        let formats = ["text", "markdown", "json", "sarif", "junit", "github", "gitlab"]
        var outputs: [String] = []
        var detected = false
        for format in formats {
            let reports = formats.flatMap { ["--report", "\($0)=\(out)/\(format)-\($0).out"] }
            for args in [["lint", "--format", format], ["lint", "--format", format, "apps/leaky/microapp.yaml"],
                         ["check", "--base", "main", "--format", format], ["check", "--staged", "--format", format]] {
                let r = try CLITests.tiergate(args + (format == "text" ? reports : []), in: dir, env: ["GITHUB_STEP_SUMMARY": "\(out)/summary.md"])
                outputs += [r.stdout, r.stderr]
                #expect(r.status == 1, "\(args): \(r.stderr)")
                detected = detected || r.stdout.contains("secret-literal")
            }
        }
        for args in [["explain", "leaky"], ["explain", "ok"], ["inventory"], ["inventory", "--format", "json"], ["inventory", "--format", "csv"]] {
            let r = try CLITests.tiergate(args, in: dir)
            outputs += [r.stdout, r.stderr]
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            outputs.append(try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8))
        }
        #expect(detected)
        #expect(outputs.count > 60)
        for s in Self.secrets {
            for o in outputs { #expect(!o.contains(s), "leaked \(s)") }
        }
    }
}

func checkJSONSchema(_ args: [String]) throws -> ProcessResult {
    var r = try run(try Project.venvTool("check-jsonschema"), args)
    r.stdout += r.stderr  // what it said, in one place for the test's message
    return r
}

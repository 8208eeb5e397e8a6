import Foundation
import Testing

/// `policy test`, `policy diff`, `policy show --effective`, the policy change in `check`, and `explain` on the
/// working tree, through the binary.
@Suite("policy engineering through the command line", .temporaryDirectories)
struct PolicyEngineeringCLITests {
    static let groups = "apiVersion: tiergate/v1\nkind: Policy\ngroups: {coe: [cora], security: [sam], privacy: [priya], platform: [pat, paul], legal: [lee], growth: [gina], finance: [fiona], ops: [oz]}\n"

    /// A repository as `tiergate init` leaves it: the starter policy and its two example tests, committed.
    static func initialised() throws -> String {
        let dir = try CLITests.repository(files: ["apps/a/microapp.yaml": try PolicyCommandTests.app("alpha")])
        let r = try CLITests.tiergate(["init"], in: dir)
        #expect(r.status == 0 && r.stdout.contains("wrote .tiergate/tests/self-service.yaml\n"), "\(r.stderr)")
        return dir
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path).createDirectoryForWrite())
    }

    /// Each JUnit file as junitparser reads it: its counts and (class name, name, result kinds) per case.
    static func junit(_ xml: String) throws -> (tests: Int, failures: Int, cases: [[Any]]) {
        let file = try makeTemporaryDirectory("policy-junit") + "/tests.xml"
        try write(xml, to: file)
        let script = """
            import sys, json
            from junitparser import JUnitXml
            xml = JUnitXml.fromfile(sys.argv[1])
            cases = [[c.classname, c.name, [type(r).__name__ for r in c.result], [r.message for r in c.result]] for s in xml for c in s]
            print(json.dumps({"tests": sum(s.tests for s in xml), "failures": sum(s.failures for s in xml), "cases": cases}))
            """
        let r = try run(try Project.venvTool("python"), ["-c", script, file])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return (obj["tests"] as? Int ?? -1, obj["failures"] as? Int ?? -1, obj["cases"] as? [[Any]] ?? [])
    }

    static let failingCase = """
        apiVersion: tiergate/v1
        kind: PolicyTest
        name: confidential data is only a lightweight review
        manifest: fixtures/expense.yaml
        today: 2026-11-22
        expect:
          tier: 0
          findings: [attestation-overdue]
          approvals: [{group: coe, count: 1}]

        """

    @Test("policy test: passing, failing and invalid cases, in text, json and junit (checked with junitparser)")
    func policyTestFormats() throws {
        let dir = try Self.initialised()
        // Passing: the two examples init wrote.
        let text = try CLITests.tiergate(["policy", "test"], in: dir)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.hasPrefix("tiergate policy test: PASS — 2 passed, 0 failed; the policy .tiergate/policy.yaml, tests in .tiergate/tests\n"))
        let json = try CLITests.tiergate(["policy", "test", "--format", "json"], in: dir)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(json.status == 0 && (obj["summary"] as? [String: Any])?["passed"] as? Int == 2)
        let xml = try CLITests.tiergate(["policy", "test", "--format", "junit"], in: dir)
        let passing = try Self.junit(xml.stdout)
        #expect(xml.status == 0 && passing.tests == 2 && passing.failures == 0)

        // Failing: a case that points at a manifest file (a fixture, not a test itself) and expects too little.
        let expense = try PolicyCommandTests.app("expense", ["dataClass: public": "dataClass: confidential"])
        try Self.write(expense, to: dir + "/.tiergate/tests/fixtures/expense.yaml")
        try Self.write(Self.failingCase, to: dir + "/.tiergate/tests/expense.yaml")
        let failed = try CLITests.tiergate(["policy", "test"], in: dir + "/apps")
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("  FAIL  confidential data is only a lightweight review (.tiergate/tests/expense.yaml:1)\n        tier: expected 0, got 1\n"))
        let failedJSON = try CLITests.tiergate(["policy", "test", "--format", "json"], in: dir)
        #expect(failedJSON.status == 1)
        let cases = try #require((try JSONSerialization.jsonObject(with: Data(failedJSON.stdout.utf8)) as? [String: Any])?["cases"] as? [[String: Any]])
        let bad = try #require(cases.first { $0["passed"] as? Bool == false })
        #expect(bad["failures"] as? [String] == ["tier: expected 0, got 1"])
        #expect((bad["actual"] as? [String: Any])?["tier"] as? Int == 1)
        let failedXML = try CLITests.tiergate(["policy", "test", "--format", "junit"], in: dir)
        let parsed = try Self.junit(failedXML.stdout)
        #expect(failedXML.status == 1 && parsed.tests == 3 && parsed.failures == 1)
        let failure = try #require(parsed.cases.first { ($0[2] as? [String]) == ["Failure"] })
        #expect(failure[0] as? String == ".tiergate/tests/expense.yaml" && failure[1] as? String == "confidential data is only a lightweight review")
        #expect((failure[3] as? [String]) == ["tier: expected 0, got 1"])

        // Invalid: exit 2 in every format, every problem with its line and column, nothing on stdout.
        try Self.write("apiVersion: tiergate/v1\nkind: PolicyTest\nname: typos\napp: {}\nexpect:\n  tier: 7\n  findngs: []\n", to: dir + "/.tiergate/tests/typos.yaml")
        for format in ["text", "json", "junit"] {
            let r = try CLITests.tiergate(["policy", "test", "--format", format], in: dir)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(format): \(r.stdout)")
            // One line that says how many, then one line per problem (the policy loader's format).
            #expect(r.stderr.split(separator: "\n").map(String.init) == [
                "tiergate: invalid policy tests (3 problems); fix the test files (tiergate schema policy-test describes them)",
                ".tiergate/tests/typos.yaml:6:3: expect.findings is missing; add 'findings:' to expect",
                ".tiergate/tests/typos.yaml:6:9: expect.tier is 7; it must be a whole number from 0 to 3",
                ".tiergate/tests/typos.yaml:7:3: expect.findngs is not a field of a tiergate PolicyTest; did you mean 'findings'? (known here: tier, findings, approvals)",
            ], "\(r.stderr)")
        }
        // A file that is neither a test nor a manifest is a mistake, not something to skip.
        try FileManager.default.removeItem(atPath: dir + "/.tiergate/tests/typos.yaml")
        try Self.write("name: forgot apiVersion and kind\n", to: dir + "/.tiergate/tests/stray.yaml")
        let stray = try CLITests.tiergate(["policy", "test"], in: dir)
        #expect(stray.status == 2 && stray.stderr.contains(".tiergate/tests/stray.yaml:1:1: neither a PolicyTest file"))
    }

    @Test("policy test --policy tests another policy; DIR names another folder; no tests is exit 2")
    func policyTestOptions() throws {
        let dir = try Self.initialised()
        // The example expects regulated-egress; a policy without the rule fails it.
        let noRules = dir + "/no-rules.yaml"
        try Self.write(Self.groups + "rules: []\n", to: noRules)
        let r = try CLITests.tiergate(["policy", "test", "--policy", noRules, ".tiergate/tests"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("expect.findings[0] 'regulated-egress' is no finding id (built-in, or a rule of the policy under test)"), "the rule is gone: \(r.stderr)")
        let empty = try makeTemporaryDirectory("no-tests")
        let none = try CLITests.tiergate(["policy", "test", empty], in: dir)
        #expect(none.status == 2 && none.stderr.contains("no PolicyTest case under"))
        #expect(try CLITests.tiergate(["policy", "test", "nowhere"], in: dir).status == 2)
    }

    @Test("schema policy-test prints the schema; the example tests init writes validate against it")
    func policyTestSchema() throws {
        let r = try CLITests.tiergate(["schema", "policy-test"])
        let schema = try Project.text("schemas/policy-test.schema.json")
        #expect(r.status == 0 && r.stdout == schema)
        let dir = try Self.initialised()
        let v = try checkJSONSchema([
            "--schemafile", Project.path("schemas/policy-test.schema.json"), dir + "/.tiergate/tests/self-service.yaml",
            dir + "/.tiergate/tests/regulated-egress.yaml", Project.path("fixtures/demo/head/.tiergate/tests/hr-data.yaml"),
            Project.path("fixtures/demo/head/.tiergate/tests/dashboard.yaml"),
        ])
        #expect(v.status == 0, "\(v.stdout)")
    }

    @Test("the demo ships policy tests that pass, and says how to run them")
    func demoPolicyTests() throws {
        let (dir, _) = try CIIntegrationTests.demo()
        let r = try CLITests.tiergate(["policy", "test"], in: dir)
        #expect(r.status == 0 && r.stdout.contains("2 passed, 0 failed"), "\(r.stdout)\(r.stderr)")
        let demo = try CLITests.tiergate(["demo", "--directory", try makeTemporaryDirectory("demo-text")])
        #expect(demo.stdout.contains("tiergate policy test"))
    }

    @Test("the shipped CI templates run policy test when the change touches .tiergate/, and only then")
    func ciTemplatesRunPolicyTests() throws {
        let read = """
            import sys, json, yaml
            steps = yaml.safe_load(open(sys.argv[1]))["jobs"]["gate"]["steps"]
            print(json.dumps({s["name"]: s.get("run", "") for s in steps}))
            """
        let workflow = try run(try Project.venvTool("python"), ["-c", read, Project.path("ci/github/tiergate.yml")])
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(workflow.stdout.utf8)) as? [String: String], "\(workflow.stderr)")
        let script = try #require(steps["Test the policy when the change touches it"])
        #expect(!script.contains("${{"), "event data reaches the script through env")
        let dir = try CLITests.repository(files: ["apps/a/microapp.yaml": try PolicyCommandTests.app("alpha")])
        #expect(try CLITests.tiergate(["init"], in: dir).status == 0)
        try CLITests.git(["add", "-A"], in: dir)
        try CLITests.git(["commit", "-q", "-m", "policy and tests"], in: dir)
        let api = try CIIntegrationTests.StubAPI()
        let ran = try CIIntegrationTests.runStep(script, in: dir, api: api, env: [:])
        #expect(ran.result.status == 0 && ran.result.stdout.contains("2 passed, 0 failed"), "\(ran.result.stdout)\(ran.result.stderr)")
        // A failing case fails the step.
        try Self.write(try PolicyCommandTests.app("x"), to: dir + "/.tiergate/tests/fixtures/expense.yaml")
        try Self.write(Self.failingCase, to: dir + "/.tiergate/tests/expense.yaml")
        try CLITests.git(["add", "-A"], in: dir)
        try CLITests.git(["commit", "-q", "-m", "a failing test"], in: dir)
        let failed = try CIIntegrationTests.runStep(script, in: dir, api: api, env: [:])
        #expect(failed.result.status == 1, "\(failed.result.stdout)")
        // A change that leaves .tiergate/ alone runs nothing.
        try Self.write(try PolicyCommandTests.app("alpha", ["monthlyCapUSD: 0": "monthlyCapUSD: 1"]), to: dir + "/apps/a/microapp.yaml")
        try CLITests.git(["commit", "-q", "-am", "an app"], in: dir)
        let skipped = try CIIntegrationTests.runStep(script, in: dir, api: api, env: ["MERGE_GROUP_BASE_SHA": ""])
        #expect(skipped.result.status == 0 && skipped.result.stdout.contains("leaves .tiergate/ alone"))

        // GitLab: a job of its own, on merge requests that change .tiergate/, with its JUnit report.
        let readJob = """
            import sys, json, yaml
            job = yaml.safe_load(open(sys.argv[1]))["tiergate-policy-test"]
            print(json.dumps({"rules": job["rules"], "script": job["script"], "junit": job["artifacts"]["reports"]["junit"], "before": job["before_script"]}))
            """
        let r = try run(try Project.venvTool("python"), ["-c", readJob, Project.path("ci/gitlab/tiergate.gitlab-ci.yml")])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        let rules = try #require(job["rules"] as? [[String: Any]])
        #expect(rules.first?["changes"] as? [String] == [".tiergate/**/*"])
        #expect(job["junit"] as? String == "tiergate-policy-tests.xml" && (job["before"] as? [String])?.isEmpty == false)
        let lines = try #require(job["script"] as? [String])
        let env = ["PATH": "\(CIIntegrationTests.binDir):" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]
        let gitlab = try run("bash", ["-c", lines.joined(separator: "\n")], in: dir, environment: env)
        #expect(gitlab.status == 1 && gitlab.stdout.contains("1 failed"), "\(gitlab.stdout)\(gitlab.stderr)")
        let xml = try String(contentsOfFile: dir + "/tiergate-policy-tests.xml", encoding: .utf8)
        #expect(try Self.junit(xml).failures == 1)
    }

    /// A change of the policy that empties every tier's approvals, on a branch of a repository with three apps.
    static func loosened() throws -> String {
        let dir = try CLITests.repository(files: [
            ".tiergate/policy.yaml": Self.groups,
            "apps/a/microapp.yaml": try PolicyCommandTests.app("alpha", ["dataClass: public": "dataClass: restricted"]),
            "apps/b/microapp.yaml": try PolicyCommandTests.app("beta"),
            "apps/c/microapp.yaml": try PolicyCommandTests.app("gamma", ["dataClass: public": "dataClass: confidential"]),
        ])
        try CLITests.git(["checkout", "-q", "-b", "change"], in: dir)
        let tiers = "tiers:\n" + ["self-service", "lightweight-review", "formal-approval", "executive-signoff"].enumerated().map { "  - {tier: \($0), name: \($1), approvals: []}" }.joined(separator: "\n") + "\n"
        try Self.write(Self.groups + tiers, to: dir + "/.tiergate/policy.yaml")
        try CLITests.git(["commit", "-q", "-am", "loosen"], in: dir)
        return dir
    }

    @Test("check of a policy change: policyImpact in JSON validates against the report schema; text and markdown lead with the weakenings")
    func checkPolicyChange() throws {
        let dir = try Self.loosened()
        let out = try makeTemporaryDirectory("impact")
        let r = try CLITests.tiergate(
            ["check", "--base", "main", "--today", "2026-11-22", "--format", "json", "--output", out + "/r.json", "--report", "markdown=\(out)/r.md", "--report", "text=\(out)/r.txt"],
            in: dir)
        #expect(r.status == 3, "\(r.stderr)")
        let v = try checkJSONSchema(["--schemafile", Project.path("schemas/report.schema.json"), out + "/r.json"])
        #expect(v.status == 0, "\(v.stdout)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/r.json"))) as? [String: Any])
        let impact = try #require(obj["policyImpact"] as? [[String: Any]])
        #expect(impact.map { $0["name"] as? String } == ["alpha", "gamma"])
        #expect(impact.allSatisfy { ($0["approvalsAfter"] as? [Any])?.isEmpty == true })
        let findings = try #require(obj["findings"] as? [[String: Any]])
        #expect(findings.filter { $0["id"] as? String == "policy-weakened" }.count == 3)
        let md = try String(contentsOfFile: out + "/r.md", encoding: .utf8)
        #expect(md.contains("approvals missing\n\n**⚠️ This change weakens the policy** (3 ways)"), "\(md)")
        #expect(md.contains("| `alpha` | `apps/a/microapp.yaml` | 2 → 2 ⚠️ | 1× security, 1× privacy, 1× platform → none |"))
        let text = try String(contentsOfFile: out + "/r.txt", encoding: .utf8)
        #expect(text.components(separatedBy: "\n\n")[1].hasPrefix("This change weakens the policy (3 ways):"))
    }

    @Test("policy diff in text, markdown and json; exit 0")
    func policyDiff() throws {
        let dir = try Self.loosened()
        let text = try CLITests.tiergate(["policy", "diff", "--base", "main", "--head", "change"], in: dir)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("tiergate policy diff: 3 differences, 3 weakenings, 2 apps re-tiered\n"))
        #expect(text.stdout.contains("tier 2 (formal-approval) asks nothing (was 1 from security, 1 from privacy, 1 from platform)"))
        let md = try CLITests.tiergate(["policy", "diff", "--base", "main", "--format", "markdown"], in: dir)
        #expect(md.status == 0 && md.stdout.hasPrefix("### tiergate policy diff: 3 differences, 3 weakenings\n"))
        let json = try CLITests.tiergate(["policy", "diff", "--base", "main", "--format", "json"], in: dir)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(obj["command"] as? String == "policy-diff")
        let differences = try #require(obj["differences"] as? [[String: Any]])
        #expect(differences.map { $0["section"] as? String } == ["tiers", "tiers", "tiers"] && differences.allSatisfy { $0["weakens"] as? Bool == true })
        // The same revision twice: nothing differs.
        let same = try CLITests.tiergate(["policy", "diff", "--base", "HEAD", "--head", "HEAD"], in: dir)
        #expect(same.status == 0 && same.stdout.contains("The two policies are the same."))
    }

    @Test("policy show --effective validates against the policy schema; team entries get a warning in policy show and lint --policy")
    func effectiveAndTeamWarnings() throws {
        let teams = Self.groups.replacingOccurrences(of: "security: [sam]", with: "security: [sam, \"@acme/security\"]") + "rules: []\n"
        let dir = try CLITests.repository(files: [".tiergate/policy.yaml": teams, "apps/a/microapp.yaml": try PolicyCommandTests.app("alpha")])
        let r = try CLITests.tiergate(["policy", "show", "--effective"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("# from the file; it replaces the built-in rules, so these do not apply: regulated-egress, sla-critical-org-wide, cross-team-write, open-egress\nrules: []\n"))
        #expect(r.stderr.contains("tiergate policy show: warning: the group 'security' lists @acme/security: a team entry matches only the members"))
        let file = try makeTemporaryDirectory("effective") + "/effective.yaml"
        try Self.write(r.stdout, to: file)
        let v = try checkJSONSchema(["--schemafile", Project.path("schemas/policy.schema.json"), file])
        #expect(v.status == 0, "\(v.stdout)")
        let lint = try CLITests.tiergate(["lint", "--policy", file], in: dir)
        #expect(lint.status == 0 && lint.stderr.contains("tiergate lint: warning: the group 'security' lists @acme/security"))
        #expect(!(try CLITests.tiergate(["lint"], in: dir)).stderr.contains("warning"), "only when a policy is being tried")
        #expect(try CLITests.tiergate(["policy", "show", "--effective", "--default"], in: dir).status == 2)
    }

    @Test("explain after editing a file, from a subdirectory: the working tree; by name: the revision; the output says which")
    func explainWorkingTree() throws {
        let dir = try CLITests.repository(files: [".tiergate/policy.yaml": Self.groups, "apps/a/microapp.yaml": try PolicyCommandTests.app("alpha")])
        try Self.write(try PolicyCommandTests.app("alpha", ["dataClass: public": "dataClass: restricted"]), to: dir + "/apps/a/microapp.yaml")
        let disk = try CLITests.tiergate(["explain", "./a/microapp.yaml"], in: dir + "/apps")
        #expect(disk.status == 0, "\(disk.stderr)")
        #expect(disk.stdout.hasPrefix("alpha (./a/microapp.yaml) is tier 2 (formal-approval)"))
        #expect(disk.stdout.contains("\nread from the working tree: ./a/microapp.yaml as it is on disk now; judged by the policy .tiergate/policy.yaml"))
        let rev = try CLITests.tiergate(["explain", "alpha"], in: dir + "/apps")
        #expect(rev.stdout.hasPrefix("alpha (apps/a/microapp.yaml) is tier 0") && rev.stdout.contains("\nread from revision HEAD ("))
        let json = try CLITests.tiergate(["explain", "a/microapp.yaml", "--rev", "HEAD", "--format", "json"], in: dir + "/apps")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(obj["tier"] as? Int == 0 && (obj["source"] as? [String: Any])?["kind"] as? String == "revision")
    }
}

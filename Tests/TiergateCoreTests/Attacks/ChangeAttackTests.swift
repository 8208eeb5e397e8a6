import Foundation
import Testing

@testable import TiergateCore

/// A tier-3 app (regulated data) that passes every check under the groups policy.
func regulatedApp(_ name: String, _ more: [(String, String)] = []) -> String {
    app(name, [("dataClass: internal", "dataClass: regulated"), ("egress: allowlist", "egress: internal-only")] + more)
}

/// What PyYAML (the reader of many deployers' scripts) makes of a file, as JSON.
func pyYAMLRead(_ text: String) throws -> [String: Any] {
    let python = try Project.venvTool("python")
    let dir = try makeTemporaryDirectory("pyyaml")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/doc.yaml"
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    let script = "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))"
    let r = try run(python, ["-c", script, file])
    guard r.status == 0 else { throw TestFailure("PyYAML failed: \(r.stderr)") }
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
}

/// Each test is one way a pull-request author got a risky change past the gate with exit 0, rebuilt as a real
/// repository; each asserts the gate now blocks or asks for the review the risk needs.
@Suite("Attack suite: hidden values, identity and blind spots", .temporaryDirectories)
struct ChangeAttackTests {
    let teamApp = "apps/where2eat/microapp.yaml"

    @Test("a duplicate key is modified and blocks, and PyYAML shows why: it reads the last value")
    func duplicateKey() throws {
        // A deployer would have read accessScope: org-wide while tiergate read team and called it reformatted.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        let head = app("where2eat", [("accessScope: team", "accessScope: team\n  accessScope: org-wide")])
        try r.change([teamApp: head])
        let spec = try #require(try pyYAMLRead(head)["spec"] as? [String: Any])
        #expect(spec["accessScope"] as? String == "org-wide", "PyYAML reads the last duplicate")
        let report = try r.check()
        #expect(report.apps.first?.check?.change == .modified)
        #expect(report.apps.first?.findings.contains { $0.id == "yaml-duplicate-key" } == true)
        #expect(report.decision == .blocked)
    }

    @Test("a merge key is modified and blocks, and PyYAML applies the merge")
    func mergeKey() throws {
        // A deployer would have read an admin integration into HR that tiergate never saw.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        let head = app("where2eat", [("spec:\n", "spec:\n  <<: {integrations: [{name: hr, access: admin}]}\n"), ("  integrations:\n    - name: crm\n      access: read\n      endpoint: crm.internal.example.com\n", "")])
        try r.change([teamApp: head])
        let spec = try #require(try pyYAMLRead(head)["spec"] as? [String: Any])
        let integrations = try #require(spec["integrations"] as? [[String: Any]])
        #expect(integrations.first?["access"] as? String == "admin", "PyYAML applies the merge key")
        let report = try r.check()
        #expect(report.apps.first?.check?.change == .modified)
        #expect(report.allFindings.contains { $0.id == "yaml-unsupported" })
        #expect(report.decision == .blocked)
    }

    @Test("an unknown field is a modification that needs the app's tier review, and PyYAML reads it")
    func unknownField() throws {
        // A deployer would have run a new image with privileged: true, unreviewed, as a "reformatted" change.
        let r = try ChangeRepository(base: [teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential")])])
        let head = app("where2eat", [("dataClass: internal", "dataClass: confidential"), ("spec:\n", "spec:\n  image: evil/miner:latest\n  privileged: true\n")])
        try r.change([teamApp: head])
        let spec = try #require(try pyYAMLRead(head)["spec"] as? [String: Any])
        #expect(spec["privileged"] as? Bool == true)
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .modified && a.requiredTier == 1)
        #expect(a.fieldChanges.map(\.path) == ["spec.image", "spec.privileged"])
        #expect(report.apps.first?.findings.filter { $0.id == "unknown-field" }.count == 2)
        #expect(report.decision == .approvalRequired)
    }

    @Test("a token pasted into an unknown field is a modification and its secret-literal error blocks")
    func tokenInUnknownField() throws {
        // The token would have shipped in the repository with exit 0 and no finding.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change([teamApp: app("where2eat", [("spec:\n", "spec:\n  debugToken: ghp_1234567890abcdefghijklmnopqrstuvwxyzAB\n")])])
        let report = try r.check()
        #expect(report.apps.first?.check?.change == .modified)
        #expect(report.allFindings.contains { $0.id == "secret-literal" })
        #expect(report.decision == .blocked)
        #expect(!(try JSONReporter().render(report)).contains("ghp_1234567890"))
    }

    @Test("a YAML 1.1 scalar in a reformatted file makes it modified: other readers type it differently")
    func ambiguousScalarIsNeverReformatted() throws {
        // `on` is true to a YAML 1.1 reader; the gate called the change reformatted and asked nothing.
        let r = try ChangeRepository(base: [teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential")])])
        try r.change([teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential"), ("logSink: siem", "logSink: siem  # now with a comment"), ("labels", "labels")]) + "# trailing\n"])
        #expect(try r.check().apps.first?.check?.change == .reformatted, "a plain reformat stays reformatted")
        let r2 = try ChangeRepository(base: [teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential")])])
        try r2.change([teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential"), ("owner: ops", "owner: ops\n  title: on")])])
        let a = try #require(try r2.check().apps.first)
        #expect(a.check?.change == .modified && a.check?.requiredTier == 1)
        #expect(a.findings.contains { $0.id == "yaml-ambiguous-scalar" })
    }

    @Test("findings of a moved or reformatted file are reported and block")
    func findingsWhateverTheChangeKind() throws {
        // An expired app moved to another folder passed because a move was never linted.
        let expired = app("old", [("createdAt: 2026-11-01", "createdAt: 2025-01-01")])
        let r = try ChangeRepository(base: ["apps/old/microapp.yaml": expired])
        try r.change(["apps/old/microapp.yaml": nil, "apps/archive/old/microapp.yaml": expired])
        let report = try r.check()
        #expect(report.apps.first?.check?.change == .moved)
        #expect(report.apps.first?.findings.map(\.id) == ["ttl-expired"])
        #expect(report.decision == .blocked)
    }

    @Test("a second manifest named like an untouched tier-3 app is duplicate-app-name")
    func shadowName() throws {
        // The copy passed as a tier-0 added app; a later change removing the original left the copy as "payroll".
        let r = try ChangeRepository(base: ["apps/payroll/microapp.yaml": regulatedApp("payroll"), teamApp: app("where2eat")])
        try r.change(["apps/payroll-lite/microapp.yaml": app("payroll")])
        let report = try r.check()
        let dup = try #require(report.findings.first { $0.id == "duplicate-app-name" })
        #expect(dup.path == "apps/payroll-lite/microapp.yaml" && dup.message.contains("apps/payroll/microapp.yaml"))
        #expect(report.decision == .blocked)
    }

    @Test("a same-named copy of a quarantined app cannot escape the security approval")
    func quarantinedCopy() throws {
        // The active copy of a quarantined app was "added" at tier 0 and asked nobody from security.
        let r = try ChangeRepository(base: ["apps/q/microapp.yaml": app("q") + "  state: quarantined\n"])
        try r.change(["apps/q-copy/microapp.yaml": app("q")])
        let report = try r.check()
        #expect(report.findings.contains { $0.id == "duplicate-app-name" })
        #expect(report.decision == .blocked)
    }

    @Test("moving or reformatting a quarantined app still asks security")
    func quarantinedMove() throws {
        // A quarantined app moved to a new folder passed as a "moved" change that needed nothing.
        let quarantined = app("q") + "  state: quarantined\n"
        let r = try ChangeRepository(base: ["apps/q/microapp.yaml": quarantined])
        try r.change(["apps/q/microapp.yaml": nil, "apps/released/q/microapp.yaml": quarantined])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .moved)
        #expect(a.requiredApprovals.map(\.group) == ["security"])
        #expect(report.decision == .approvalRequired)
    }

    @Test("a rename in place is renamed and needs the higher of the two tiers")
    func renameInPlace() throws {
        // The tier-3 app was removed and a tier-0 app added at the same path: exit 0 for what Argo CD treats as one app.
        let r = try ChangeRepository(base: [teamApp: regulatedApp("payroll")])
        try r.change([teamApp: app("payroll-v2")])
        let report = try r.check()
        let a = try #require(report.apps.first)
        #expect(report.apps.count == 1)
        #expect(a.name == "payroll-v2" && a.check?.change == .renamed && a.check?.previousName == "payroll")
        #expect(a.check?.baseTier == 3 && a.check?.headTier == 0 && a.check?.requiredTier == 3)
        #expect(a.check?.tierChange == .deescalated)
        #expect(report.decision == .approvalRequired)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try JSONReporter().render(report).utf8)) as? [String: Any])
        let entry = try #require((json["apps"] as? [[String: Any]])?.first)
        #expect(entry["previousName"] as? String == "payroll" && entry["change"] as? String == "renamed")
    }

    @Test("a manifest saved outside the globs is manifest-outside-include")
    func outsideInclude() throws {
        // A tier-3 app named app.yaml would have been deployed by a read-every-YAML deployer, unseen by the gate.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change(["apps/payroll/app.yaml": regulatedApp("payroll"), "docs/notes.md": "See microapps/v1 manifests.\n"])
        let report = try r.check()
        #expect(report.findings.map(\.id) == ["manifest-outside-include"])
        #expect(report.findings.first?.path == "apps/payroll/app.yaml")
        #expect(report.decision == .blocked)
    }

    @Test("an excluded path holding a manifest is left alone: the policy named it harmless")
    func excludedPathIsHarmless() throws {
        let policy = groupsPolicy + "manifests:\n  include: [\"**/microapp.yaml\"]\n  exclude: [\"examples/**\"]\n"
        let r = try ChangeRepository(base: [teamApp: app("where2eat")], policy: policy)
        try r.change(["examples/demo/microapp.yaml": app("demo"), "examples/demo/app.yaml": app("demo2")])
        #expect(try r.check().decision == .pass)
    }

    @Test("a directory replaced by a symlink or a submodule where manifests may live is not-a-manifest-file")
    func symlinkAndSubmoduleDirectories() throws {
        // A symlink to a directory outside the globs would have hidden the manifests behind it: "no app changes", exit 0.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.repo.write("outside/payroll/microapp.yaml.txt", regulatedApp("payroll"))
        try FileManager.default.createSymbolicLink(atPath: r.path + "/apps/payroll", withDestinationPath: "../outside/payroll")
        let sub = "1234567890123456789012345678901234567890"
        try r.repo.git(["add", "-A"])
        try r.repo.git(["update-index", "--add", "--cacheinfo", "160000,\(sub),apps/vendored"])
        try r.repo.git(["commit", "-q", "-m", "link and submodule"])
        let report = try r.check()
        let unseen = report.findings.filter { $0.id == "not-a-manifest-file" }.map(\.path).sorted()
        #expect(unseen == ["apps/payroll", "apps/vendored"])
        #expect(report.decision == .blocked)
    }

    @Test("a link the include globs cannot reach below is left alone")
    func linkOutsideTheGlobs() throws {
        let policy = groupsPolicy + "manifests:\n  include: [\"apps/*/microapp.yaml\"]\n  exclude: []\n"
        let r = try ChangeRepository(base: [teamApp: app("where2eat")], policy: policy)
        try FileManager.default.createSymbolicLink(atPath: r.path + "/docs-latest", withDestinationPath: "docs/v2")
        try FileManager.default.createSymbolicLink(atPath: r.path + "/apps/where2eat/logo", withDestinationPath: "../../assets/logo")
        try r.repo.commit("links")
        #expect(try r.check().findings.isEmpty)
    }

    @Test("a link outside the globs to a file holding a manifest is manifest-outside-include")
    func linkToAnExcludedManifest() throws {
        // deploy/payroll.yaml -> an excluded example: a read-every-YAML deployer applies the regulated app, unjudged.
        let policy = groupsPolicy + "manifests:\n  include: [\"apps/**/microapp.yaml\"]\n  exclude: [\"examples/**\"]\n"
        let r = try ChangeRepository(base: ["examples/regulated/microapp.yaml": regulatedApp("payroll")], policy: policy)
        try r.repo.write("deploy/readme.txt", "deploy\n")
        try FileManager.default.createSymbolicLink(atPath: r.path + "/deploy/payroll.yaml", withDestinationPath: "../examples/regulated/microapp.yaml")
        try FileManager.default.createSymbolicLink(atPath: r.path + "/deploy/elsewhere.yml", withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(atPath: r.path + "/deploy/notes.txt", withDestinationPath: "readme.txt")
        try r.repo.commit("links")
        let report = try r.check()
        #expect(report.findings.map { "\($0.id) \($0.path)" }.sorted() == [
            "manifest-outside-include deploy/payroll.yaml", "not-a-manifest-file deploy/elsewhere.yml",
        ])
        #expect(report.decision == .blocked)
        #expect(UnseenManifests.resolve("../../x", from: "a/b") == nil && UnseenManifests.resolve("./c/../d", from: "a/b") == "a/d")
    }

    /// A tier-0 manifest whose blob hides a tier-3 `spec:` inside a multi-line quoted description: under
    /// `working-tree-encoding=UTF-7` git writes every `"` as `+ACI-`, and the hidden lines become structure.
    static let utf7Crafted = """
        apiVersion: microapps/v1
        kind: MicroApp
        spec:
          dataClass: public
          accessScope: personal
          runtime: client
          criticality: toy
          network:
            egress: none
          lifecycle:
            createdAt: 2026-11-01
            attestedAt: 2026-11-01
          cost:
            monthlyCapUSD: 0
          observability:
            logSink: siem
            retentionDays: 90
        metadata:
          name: lunch
          owner: ops
          description: "Lunch picker.
        spec:
          dataClass: regulated
          accessScope: org-wide
          runtime: company-cloud
          criticality: sla-critical
          network:
            egress: open
          lifecycle:
            createdAt: 2026-11-01
          cost:
            monthlyCapUSD: 5000
          observability:
            logSink: siem
            retentionDays: 90
          note: end"

        """

    @Test("a .gitattributes that rewrites manifests on checkout blocks, even when no manifest changed")
    func checkoutEncoding() throws {
        // Step two of the attack changed only .gitattributes: "0 apps", exit 0, and the deployer's checkout read
        // a regulated, org-wide, open-egress app with a $5,000 cap.
        let path = "apps/lunch/microapp.yaml"
        let r = try ChangeRepository(base: [path: Self.utf7Crafted])
        #expect(try r.check().decision == .pass, "step one: the crafted manifest is a plain tier-0 app to every reader of the blob")
        try r.change([".gitattributes": "apps/** working-tree-encoding=UTF-7\n"])
        // What a deployer reads: git's own checkout of the head, read by PyYAML.
        try r.repo.remove("apps")
        try r.repo.git(["checkout", "--", "apps"])
        let onDisk = String(decoding: try Data(contentsOf: URL(fileURLWithPath: r.path + "/" + path)), as: UTF8.self)
        let spec = try #require(try pyYAMLRead(onDisk)["spec"] as? [String: Any])
        #expect(spec["dataClass"] as? String == "regulated", "the checkout turned the quoted text into structure")
        let report = try r.check()
        #expect(report.findings.map { "\($0.id) \($0.path)" } == ["not-a-manifest-file \(path)"])
        #expect(report.findings.first?.message.contains("working-tree-encoding") == true)
        #expect(report.decision == .blocked)
        let lint = try Linter.run(LintRequest(revision: "HEAD", today: CheckExample.today, workingDirectory: r.path))
        #expect(lint.allFindings.map { "\($0.id) \($0.path)" } == ["not-a-manifest-file \(path)"], "lint of the revision refuses it too")
    }

    @Test("a manifest changed under filter or ident attributes is not-a-manifest-file and never reformatted")
    func checkoutFilterOnTouchedManifest() throws {
        // A "reformatted" change under filter=lfs-like smudging would have deployed whatever the filter writes.
        let r = try ChangeRepository(base: [teamApp: app("where2eat"), ".gitattributes": "*.yaml filter=smudge\n"])
        try r.change([teamApp: app("where2eat") + "# a comment\n"])
        let report = try r.check()
        #expect(report.apps.first?.check?.change == .modified)
        #expect(report.findings.contains { $0.id == "not-a-manifest-file" && $0.path == teamApp })
        #expect(report.decision == .blocked)
    }

    @Test("a branch cut before main tightened the policy is judged by the tightened policy")
    func stalePolicy() throws {
        // The merge base's old policy tiered restricted data at 0: the escalation passed with exit 0.
        let weak = groupsPolicy + "dimensions:\n  dataClass: {public: 0, internal: 0, confidential: 0, restricted: 0, regulated: 3}\n  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}\n  integrationAccess: {read: 0, write: 1, admin: 2}\n  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}\n  criticality: {toy: 0, productivity: 0, sla-critical: 2}\n  monthlyCostUSD: [{upTo: 50, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]\n"
        let r = try ChangeRepository(base: [teamApp: app("where2eat")], policy: weak)
        try r.change([teamApp: app("where2eat", [("dataClass: internal", "dataClass: restricted")])])
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.write(Policy.path, groupsPolicy)
        let tightened = try r.repo.commit("tighten the policy")
        try r.repo.git(["checkout", "-q", "change"])
        let report = try r.check()
        #expect(report.policy.commit == tightened && report.policy.source == .base)
        #expect(report.apps.first?.check?.requiredTier == 2)
        #expect(report.decision == .approvalRequired)
    }

    @Test("two changes that each raise an app one tier are judged on the merge result")
    func concurrentChanges() throws {
        // Each PR was judged against its merge base (0 -> 1); merged together the app is tier 2, reviewed at 1.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change([teamApp: app("where2eat", [("dataClass: internal", "dataClass: confidential")])], message: "first PR")
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.git(["merge", "-q", "--no-ff", "change", "-m", "merge first PR"])
        let second = "apps/where2eat/microapp.yaml"
        try r.repo.git(["checkout", "-q", "-b", "second", "HEAD^1"])
        try r.repo.write(second, app("where2eat", [("monthlyCapUSD: 10", "monthlyCapUSD: 500")]))
        let prHead = try r.repo.commit("second PR")
        // GitHub's test merge of the second PR into main as it is now (resolving the conflict as a person would).
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.write(second, app("where2eat", [("dataClass: internal", "dataClass: confidential"), ("monthlyCapUSD: 10", "monthlyCapUSD: 500")]))
        try r.repo.git(["add", "-A"])
        try r.repo.git(["commit", "-q", "-m", "test merge"])
        _ = prHead
        let report = try r.check { $0.base = "HEAD^1"; $0.head = "HEAD" }
        let a = try #require(report.apps.first?.check)
        #expect(a.baseTier == 1 && a.headTier == 2 && a.requiredTier == 2)
    }

    @Test("a manifest whose head tier cannot be computed blocks, whatever --fail-on says")
    func untieredHeadBlocks() throws {
        // With the schema finding not blocking, the required tier fell back to the base's 0 and the gate passed.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change([teamApp: app("where2eat", [("dataClass: internal", "dataClass: [regulated]")])])
        let report = try r.check { $0.failOn = .never }
        let a = try #require(report.apps.first?.check)
        #expect(a.headTier == nil && a.requiredTier == 3)
        #expect(report.decision == .blocked)
    }

    @Test("a createdAt in the future is a schema error: it would switch ttl-expired and attestation off")
    func futureDates() throws {
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change([teamApp: app("where2eat", [("createdAt: 2026-11-01", "createdAt: 9999-12-31"), ("attestedAt: 2026-11-01", "attestedAt: 1999-12-31")])])
        let report = try r.check()
        let schema = report.allFindings.filter { $0.id == "schema" }
        #expect(schema.count == 2 && schema.allSatisfy { $0.message.contains("lifecycle") })
        #expect(report.decision == .blocked)
    }

    @Test("a base whose policy is invalid judges by the last valid one, asks policyChange approvals, and can be repaired")
    func lastValidPolicy() throws {
        // Once the base's policy was invalid, every change was exit 2: even the repair could not pass the gate.
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.repo.git(["checkout", "-q", "main"])
        let valid = try r.repo.git(["rev-parse", "HEAD"])
        try r.repo.write(Policy.path, groupsPolicy + "colour: blue\n")
        try r.repo.commit("a policy a newer tiergate refuses")
        try r.repo.git(["checkout", "-q", "-b", "repair"])
        try r.repo.write(Policy.path, groupsPolicy)
        try r.repo.commit("repair the policy")
        let report = try r.check()
        #expect(report.policy.source == .lastValid && report.policy.commit == valid)
        let platform = try #require(report.approvals?.outcome.groups.first { $0.group == "platform" })
        #expect(platform.count == 2)
        #expect(report.decision == .approvalRequired)
        #expect(try r.check { $0.approvedBy = ["pat", "paul"] }.decision == .pass)
    }

    @Test("a UTF-8 byte-order mark is accepted by check, --staged and lint")
    func byteOrderMark() throws {
        let r = try ChangeRepository(base: [teamApp: app("where2eat")])
        try r.change([teamApp: "\u{FEFF}" + app("where2eat", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")])])
        let report = try r.check()
        #expect(report.allFindings.isEmpty && report.apps.first?.check?.change == .modified)
        try r.repo.write("apps/b/microapp.yaml", "\u{FEFF}" + app("b"))
        try r.repo.git(["add", "-A"])
        #expect(try r.check { $0.staged = true; $0.base = nil }.allFindings.isEmpty)
        let lint = try Linter.run(LintRequest(revision: "HEAD", today: CheckExample.today, workingDirectory: r.path))
        #expect(lint.allFindings.isEmpty)
        let files = try Linter.run(LintRequest(files: ["apps/b/microapp.yaml"], today: CheckExample.today, workingDirectory: r.path))
        #expect(files.allFindings.isEmpty)
    }
}

@Suite("Declassification through ungoverned fields")
struct UngovernedTierTests {
    @Test("a change of ungoverned fields alone needs nothing only when the tier stays the same")
    func ungovernedNeedsTheOldTierWhenTheTierMoves() throws {
        let evaluated = { (tier: Int?) in
            EvaluatedApp(path: "a.yaml", manifest: DecodedManifest(app: nil, name: "a", root: YAMLParser.parse(Array("a: 1".utf8)).documents[0].root, findings: []), tier: tier, findings: [])
        }
        let change = { (b: Int?, h: Int?) in
            AppChange(
                name: "a", change: .modified, base: AppVersion(path: "a.yaml", evaluated: evaluated(b)),
                head: AppVersion(path: "a.yaml", evaluated: evaluated(h)),
                fieldChanges: [FieldChange(path: "metadata.description", from: .string("x"), to: .string("y"))], onlyUngoverned: true, highestTier: 3)
        }
        #expect(change(2, 2).requiredTier == nil)
        #expect(change(2, 0).requiredTier == 2, "declassifying through an ungoverned field needs the old tier")
        #expect(change(0, 1).requiredTier == 1)
        #expect(change(2, nil).requiredTier == 3, "an untiered head costs the highest tier")
    }
}

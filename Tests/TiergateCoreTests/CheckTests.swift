import Foundation
import Testing

@testable import TiergateCore


/// A repository with a base commit on main and a change on a branch.
final class ChangeRepository {
    let repo: TestRepository
    var path: String { repo.path }

    init(base: [String: String], policy: String? = groupsPolicy) throws {
        repo = try TestRepository()
        if let policy { try repo.write(Policy.path, policy) }
        for (p, t) in base { try repo.write(p, t) }
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "change"])
    }

    func change(_ files: [String: String?], message: String = "change") throws {
        for (p, t) in files {
            if let t { try repo.write(p, t) } else { try repo.remove(p) }
        }
        try repo.commit(message)
    }

    func check(_ configure: (inout GateRequest) -> Void = { _ in }) throws(TiergateError) -> Report {
        var r = GateRequest(workingDirectory: path, environment: [:], today: CheckExample.today)
        r.base = "main"
        configure(&r)
        return try Gate.run(r)
    }

    var head: String { (try? repo.git(["rev-parse", "HEAD"])) ?? "" }
}

/// The example manifest under another name, with replacements.
func app(_ name: String, _ replacements: [(String, String)] = []) -> String {
    var text = CheckExample.baseManifest.replacingOccurrences(of: "name: example", with: "name: \(name)")
    for (a, b) in replacements { text = text.replacingOccurrences(of: a, with: b) }
    return text
}

@Suite("check: changes, tiers and required approvals", .temporaryDirectories)
struct CheckChangeTests {
    @Test("added: a name only in head; required tier is the head tier; tierChange new")
    func added() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b", [("dataClass: internal", "dataClass: confidential")])])
        let report = try r.check()
        let b = try #require(report.apps.first { $0.name == "b" }?.check)
        #expect(report.apps.map(\.name) == ["b"])
        #expect(b.change == .added && b.tierChange == .new && b.baseTier == nil && b.headTier == 1 && b.requiredTier == 1)
        #expect(b.requiredApprovals == [RequiredApproval(group: "coe", count: 1, reason: "tier 1 (lightweight-review)")])
    }

    @Test("removed: a name only in base; no tier review; tierChange retired")
    func removed() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        try r.change(["apps/a/microapp.yaml": nil])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .removed && a.tierChange == .retired && a.requiredTier == nil && a.baseTier == 2 && a.headTier == nil)
        #expect(a.requiredApprovals.isEmpty)
        #expect(report.decision == .pass)
    }

    @Test("modified and escalated: max(base, head) tier, field changes with keyed paths")
    func escalated() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("      access: read", "      access: write")])])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .modified && a.tierChange == .escalated && a.baseTier == 0 && a.headTier == 2 && a.requiredTier == 2)
        #expect(a.fieldChanges.map(\.path) == ["spec.dataClass", "spec.integrations[crm].access"])
        #expect(a.fieldChanges[0].from == .string("internal") && a.fieldChanges[0].to == .string("restricted"))
        #expect(Set(a.requiredApprovals.map(\.group)) == ["security", "privacy", "platform"])
    }

    @Test("de-escalation needs the approvals of the old, higher tier")
    func deescalated() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: regulated"), ("egress: allowlist", "egress: internal-only")])])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: public"), ("egress: allowlist", "egress: internal-only")])])
        let a = try #require(try r.check().apps.first?.check)
        #expect(a.tierChange == .deescalated && a.baseTier == 3 && a.headTier == 0 && a.requiredTier == 3)
        #expect(a.requiredApprovals.map(\.group) == ["security", "privacy", "platform", "legal"])
        #expect(a.requiredApprovals.allSatisfy { $0.reason.contains("de-escalation") })
    }

    @Test("unchanged tier: a modification that keeps the tier still needs that tier's approvals")
    func unchangedTier() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: confidential")])])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: confidential"), ("monthlyCapUSD: 10", "monthlyCapUSD: 20")])])
        let a = try #require(try r.check().apps.first?.check)
        #expect(a.tierChange == .unchanged && a.requiredTier == 1)
        #expect(a.fieldChanges == [FieldChange(path: "spec.cost.monthlyCapUSD", from: .number(10), to: .number(20))])
    }

    @Test("a change only to ungoverned fields needs no tier review")
    func ungoverned() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("  owner: ops", "  owner: ops\n  title: A nicer title")])])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .modified && a.requiredTier == nil && a.requiredApprovals.isEmpty)
        #expect(a.fieldChanges.map(\.path) == ["metadata.title"])
        #expect(report.decision == .pass)
    }

    @Test("moved: same values at another path; renames and directory moves need nothing")
    func moved() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        try r.change(["apps/a/microapp.yaml": nil, "teams/x/a.microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let report = try r.check()
        let a = try #require(report.apps.first)
        #expect(a.check?.change == .moved && a.path == "teams/x/a.microapp.yaml" && a.check?.previousPath == "apps/a/microapp.yaml")
        #expect(a.check?.requiredTier == nil && a.check?.tierChange == .unchanged)
        #expect(report.decision == .pass)
    }

    @Test("reformatted: same values, same path, other text (comments, quoting, order)")
    func reformatted() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        let text = "# a comment\n" + app("a", [("owner: ops", "owner: \"ops\""), ("runtime: client\n  criticality: toy", "criticality: toy\n  runtime: client")])
        try r.change(["apps/a/microapp.yaml": text])
        let report = try r.check()
        #expect(report.apps.map { $0.check?.change } == [.reformatted])
        #expect(report.apps.first?.check?.requiredApprovals.isEmpty == true)
        #expect(report.apps.first?.findings.isEmpty == true, "reformatted apps are not linted")
    }

    @Test("splitting and merging multi-document files pairs apps by name")
    func splitAndMerge() throws {
        let r = try ChangeRepository(base: ["apps/both.microapp.yaml": app("a") + "---\n" + app("b")])
        try r.change(["apps/both.microapp.yaml": nil, "apps/a/microapp.yaml": app("a"), "apps/b/microapp.yaml": app("b")])
        #expect(try r.check().apps.map { $0.check?.change } == [.moved, .moved])
        try r.change(["apps/a/microapp.yaml": nil, "apps/b/microapp.yaml": nil, "apps/merged.microapp.yaml": app("b") + "---\n" + app("a")])
        var report = try r.check { $0.base = "HEAD~1" }
        #expect(report.apps.map { $0.check?.change } == [.moved, .moved])
        // In one file, an edit to one document leaves the other untouched (not listed).
        try r.change(["apps/merged.microapp.yaml": app("b", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")]) + "---\n" + app("a")])
        report = try r.check { $0.base = "HEAD~1" }
        #expect(report.apps.map(\.name) == ["b"])
    }

    @Test("an owner change asks the new owner group; a quarantined app asks security; rules ask their approvals")
    func extraApprovals() throws {
        let policy = groupsPolicy + "rules:\n  - id: crm-write\n    message: CRM writes need sales ops\n    when: {field: \"spec.integrations[*].access\", equals: write}\n    approvals: [{group: coe, count: 2}]\n"
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a") + "  state: quarantined\n"], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a", [("owner: ops", "owner: growth"), ("      access: read", "      access: write")]) + "  state: quarantined\n"])
        let a = try #require(try r.check().apps.first?.check)
        let reasons = a.requiredApprovals.map { "\($0.group):\($0.count):\($0.reason)" }
        #expect(reasons.contains("growth:1:owner change: growth accepts a from ops"))
        #expect(reasons.contains("security:1:a is quarantined at base"))
        #expect(reasons.contains("coe:2:rule crm-write"))
        #expect(reasons.contains("coe:1:tier 1 (lightweight-review)"))
        let report = try r.check()
        let coe = try #require(report.approvals?.outcome.groups.first { $0.group == "coe" })
        #expect(coe.count == 2, "union per group keeps the highest count")
    }

    @Test("findings are reported for added and modified apps only; untouched apps are not linted")
    func onlyTouchedAppsLinted() throws {
        let expired = app("old", [("createdAt: 2026-11-01", "createdAt: 2025-01-01")])
        let r = try ChangeRepository(base: ["apps/old/microapp.yaml": expired, "apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("logSink: siem", "logSink: splunk")])])
        let report = try r.check()
        #expect(report.allFindings.map(\.id) == ["logging-siem"])
        #expect(report.decision == .blocked)
    }

    @Test("YAML problems in a changed file block the change")
    func brokenHeadFile() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": "apiVersion: microapps/v1\nkind: [\n"])
        let report = try r.check()
        #expect(report.decision == .blocked)
        #expect(report.findings.contains { $0.id == "yaml-syntax" && $0.path == "apps/a/microapp.yaml" })
        #expect(report.apps.map { $0.check?.change } == [.removed], "the unreadable head gives no app; the block comes from the finding")
    }

    @Test("secret literals never reach field changes")
    func redactedFieldChanges() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("ref: vault://kv/apps/example/crm", "ref: AKIAIOSFODNN7EXAMPLE")])])
        let report = try r.check()
        let json = try JSONReporter().render(report)
        #expect(!json.contains("AKIAIOSFODNN7EXAMPLE"))
        #expect(json.contains("redacted"))
        #expect(!(try TextReporter(color: false).render(report)).contains("AKIAIOSFODNN7EXAMPLE"))
        #expect(!(try MarkdownReporter().render(report)).contains("AKIAIOSFODNN7EXAMPLE"))
    }

    @Test("a random value is redacted by the key it sits under, found from the change's field path", arguments: [
        ("spec.secrets[0].ref", "ref", false), ("spec.regions[1]", "regions", false), ("spec", "spec", false),
        ("metadata.labels.apiToken", "apiToken", true), ("metadata.labels.DB_PASSWORD", "DB_PASSWORD", true),
        ("spec.secrets[2].client-secret", "client-secret", true), ("metadata.labels.team", "team", false),
    ])
    func redactionKey(path: String, key: String, redacts: Bool) {
        #expect(Redactor.lastKey(of: path) == key)
        let random = ManifestValue.string("Zx9Qv2Lm8Rt4Wp7Yk3Hs6Nd1")
        let redacted = Redactor.fieldChanges([FieldChange(path: path, from: nil, to: random)])
        #expect(redacted.first?.to == (redacts ? Redactor.valuePlaceholder : random), "\(redacted)")
    }
}

@Suite("check: the policy comes from the base", .temporaryDirectories)
struct CheckPolicyTests {
    @Test("a change that weakens the policy is judged by the base policy and needs policyChange approvals")
    func weakeningPolicy() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        let weakened = groupsPolicy + "tiers:\n  - {tier: 0, name: a, approvals: []}\n  - {tier: 1, name: b, approvals: []}\n  - {tier: 2, name: c, approvals: []}\n  - {tier: 3, name: d, approvals: []}\n"
        try r.change([Policy.path: weakened, "apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let report = try r.check()
        #expect(report.policy.source == .base && report.policy.changed)
        #expect(report.policy.blob == (try r.repo.git(["rev-parse", "main:\(Policy.path)"])))
        let a = try #require(report.apps.first?.check)
        #expect(a.requiredTier == 2 && a.requiredApprovals.count == 3, "the base policy's tier 2 approvals still apply")
        let platform = try #require(report.approvals?.outcome.groups.first { $0.group == "platform" })
        #expect(platform.count == 2 && platform.reasons.contains("policy change"))
        #expect(report.decision == .approvalRequired)
    }

    @Test("an invalid head policy is policy-invalid with line and column")
    func invalidHeadPolicy() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change([Policy.path: groupsPolicy + "colour: blue\n"])
        let report = try r.check()
        let f = try #require(report.findings.first { $0.id == "policy-invalid" })
        #expect(f.path == Policy.path && f.line == 11 && f.column == 1 && f.severity == .error)
        #expect(report.decision == .blocked)
    }

    @Test("an invalid base policy is exit 2")
    func invalidBasePolicy() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: groupsPolicy + "colour: blue\n")
        try r.change(["apps/a/microapp.yaml": app("a", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")])])
        #expect(throws: TiergateError.self) { try r.check() }
    }

    @Test("without a policy file the default applies; --policy overrides it")
    func defaultAndFile() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: nil)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: confidential")])])
        let report = try r.check()
        #expect(report.policy == PolicyInfo(source: .default, path: nil, blob: nil, changed: false))
        let file = try makeTemporaryDirectory("policy") + "/p.yaml"
        try Data(groupsPolicy.utf8).write(to: URL(fileURLWithPath: file))
        let withFile = try r.check { $0.policyFile = file }
        #expect(withFile.policy.source == .file && withFile.policy.path == file && withFile.policy.blob?.count == 40)
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// Policy weakening and template over-vouching (THREAT-MODEL: policy weakening, declassification). Each test builds
/// a real repository whose base commit holds the policy under attack, runs `check` on a change, and asserts the
/// gate does not pass it. The weak policy is in the repository's first commit, so no valid policy exists in the
/// base's first-parent history to fall back on: `check` must stop with exit 2 (a `.policy` TiergateError). Should
/// a fallback judge the change anyway, its decision must not be pass.
@Suite("Attack suite: policy weakening and templates")
struct PolicyAttackTests {
    /// A manifest whose accessScope is given twice: PyYAML and Go yaml read the second (org-wide).
    static let duplicateKey = app("dup", [("accessScope: team", "accessScope: team\n  accessScope: org-wide")])

    /// `check` on the change refuses to pass: the base policy is invalid for the reason `says` (checked on the
    /// loader, so the test does not depend on how `check` words it), and the gate stops or does not pass.
    func expectNoPass(
        basePolicy: String, says: String, base: [String: String] = [:], change: [String: String?],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let problems = policyProblems(basePolicy)
        #expect(problems.contains { $0.message.contains(says) }, "the loader gave \(problems)", sourceLocation: sourceLocation)
        let r = try ChangeRepository(base: base, policy: basePolicy)
        try r.change(change)
        do {
            let report = try r.check()
            #expect(report.decision != .pass, "the gate passed the change under a policy that switches it off", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .policy, "\(error)", sourceLocation: sourceLocation)
        }
    }

    static func weak(_ body: String) -> String { groupsPolicy + body + "\n" }

    @Test("checks: {schema: warning} cannot make an unreadable app pass")
    func schemaLowered() throws {
        // Gained: `dataClass: [regulated]` has no head tier, the required tier fell back to 0 and the gate passed it.
        try expectNoPass(
            basePolicy: Self.weak("checks: {schema: warning}"), says: "cannot be lowered or switched off",
            change: ["apps/r/microapp.yaml": app("r", [("dataClass: internal", "dataClass: [regulated]")])])
    }

    @Test("checks: {yaml-duplicate-key: off} cannot hide a second value")
    func duplicateKeyOff() throws {
        // Gained: the deployer reads accessScope org-wide while the gate tiers the app as team, with no finding.
        try expectNoPass(
            basePolicy: Self.weak("checks: {yaml-duplicate-key: off}"), says: "cannot be lowered or switched off",
            change: ["apps/dup/microapp.yaml": Self.duplicateKey])
    }

    @Test("no integrity check can be turned off in checks", arguments: FindingID.integrity.map(\.rawValue))
    func integrityOff(id: String) throws {
        // Gained: whatever `id` guards (unreadable YAML, hidden values, unseen files, shadow names) stops blocking.
        try expectNoPass(
            basePolicy: Self.weak("checks: {\(id): off}"), says: "cannot be lowered or switched off",
            change: ["apps/dup/microapp.yaml": Self.duplicateKey])
    }

    @Test("no integrity check can be excepted for an app", arguments: FindingID.integrity.map(\.rawValue))
    func integrityExcepted(id: String) throws {
        // Gained: one named app is exempt from `id` until the date, so its unreadable or hidden values pass.
        try expectNoPass(
            basePolicy: Self.weak("exceptions:\n  - {check: \(id), app: dup, reason: pilot, expires: 2099-01-01}"),
            says: "cannot be excepted", change: ["apps/dup/microapp.yaml": Self.duplicateKey])
    }

    @Test("ungovernedFields: [spec.dataClass] cannot declassify an app without review")
    func ungovernedDataClass() throws {
        let regulated = app("vault", [("dataClass: internal", "dataClass: regulated"), ("egress: allowlist", "egress: internal-only")])
        let publicNow = app("vault", [("dataClass: internal", "dataClass: public"), ("egress: allowlist", "egress: internal-only")])
        // Gained: a regulated (tier 3) app becomes public (tier 0) as an "ungoverned-only" change that needs nothing.
        try expectNoPass(
            basePolicy: Self.weak("ungovernedFields: [metadata.title, spec.dataClass]"), says: "is read by the dataClass dimension",
            base: ["apps/vault/microapp.yaml": regulated], change: ["apps/vault/microapp.yaml": publicNow])
    }

    @Test("ungovernedFields: [spec] cannot make every spec change free")
    func ungovernedSpec() throws {
        let open = app("a", [("egress: allowlist", "egress: open"), ("accessScope: team", "accessScope: org-wide")])
        // Gained: any spec change (open egress, org-wide access) needs no review at all.
        try expectNoPass(
            basePolicy: Self.weak("ungovernedFields: [spec]"), says: "'spec' is read by",
            base: ["apps/a/microapp.yaml": app("a")], change: ["apps/a/microapp.yaml": open])
    }

    @Test("a rule that reads an ungoverned field (metadata.description) makes the policy invalid")
    func ruleReadsUngoverned() throws {
        let rule = "rules:\n  - id: payroll\n    message: Payroll data needs a formal review\n    when: {field: metadata.description, matches: payroll}\n    raiseTier: 2"
        let before = app("pay", [("  owner: ops", "  owner: ops\n  description: payroll export")])
        let after = app("pay", [("  owner: ops", "  owner: ops\n  description: export")])
        // Gained: editing only the description takes a tier-2 app to tier 0 as an ungoverned change that needs nothing.
        try expectNoPass(
            basePolicy: Self.weak(rule), says: "the rule 'payroll' reads metadata.description",
            base: ["apps/pay/microapp.yaml": before], change: ["apps/pay/microapp.yaml": after])
    }

    @Test("a template that bounds only dataClass and accessScope does not vouch for criticality and runtime")
    func templateOverVouching() throws {
        let policy = groupsPolicy + """
            templates:
              - {name: dash, tier: 0, bounds: {dataClass: [public, internal], accessScope: [personal, team]}}

            """
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: policy)
        let critical = app("orders", [
            ("  dataClass: internal", "  template: dash\n  dataClass: internal"), ("criticality: toy", "criticality: sla-critical"),
            ("runtime: client", "runtime: company-cloud"),
        ])
        try r.change(["apps/orders/microapp.yaml": critical])
        let report = try r.check()
        // Gained: an sla-critical app on company cloud passed as tier 0 (self-service) because the template said 0.
        let orders = try #require(report.apps.first { $0.name == "orders" }?.check)
        #expect(orders.headTier == 2 && orders.requiredTier == 2)
        #expect(Set(orders.requiredApprovals.map(\.group)) == ["security", "privacy", "platform"])
        #expect(report.decision != .pass)
    }
}

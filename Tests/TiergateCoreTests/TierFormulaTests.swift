import Testing

@testable import TiergateCore

/// The tier formula is written once (`TierCalculator.tier(of:terms:)`); `lint` and `check` take the number,
/// `explain` records the terms. These tests hold the terms to hand-worked values where the number alone may
/// skip work: a rule that cannot raise the tier any more, custom connectors past tier 1.
@Suite("The tier formula and its terms")
struct TierFormulaTests {
    func app(_ text: String) throws -> MicroApp {
        try #require(ManifestReader.read(Array(text.utf8), path: "m.yaml").apps.first?.app, "the manifest does not decode")
    }

    /// sla-critical and org-wide (dimensions 2, rule sla-critical-org-wide 3), open egress (rule open-egress 2,
    /// met after the tier is already 3), and two integrations that are no connectors.
    static let busy = CheckExample.replacing("criticality: toy", with: "criticality: sla-critical")
        .replacingOccurrences(of: "accessScope: team", with: "accessScope: org-wide")
        .replacingOccurrences(of: "egress: allowlist", with: "egress: open")
        .replacingOccurrences(of: "- name: crm", with: "- name: salesforce")
        .replacingOccurrences(of: "  network:", with: "    - name: zendesk\n      access: read\n  network:")

    @Test("explain lists every raising rule and custom connector, also those the number alone skips")
    func everyTerm() throws {
        let calculator = TierCalculator(policy: .builtIn)
        let a = try app(Self.busy)
        #expect(calculator.tier(of: a) == 3)
        let x = calculator.explain(a)
        #expect(x.tier == 3)
        #expect(x.raisingRules == [RaisingRule(id: "sla-critical-org-wide", raiseTier: 3), RaisingRule(id: "open-egress", raiseTier: 2)])
        #expect(x.customConnectors == ["salesforce", "zendesk"])
        #expect(x.dimensionTier == 2)
        #expect(x.dimensions.map(\.tier) == [0, 2, 0, 0, 2, 0])
        #expect(x.dimensions.first { $0.name == "integrationAccess" }?.value == "read (salesforce)")
        #expect(x.decidedBy == ["rule sla-critical-org-wide"])
    }

    @Test("a custom connector alone makes tier 1, and says so")
    func connectorOnly() throws {
        let a = try app(CheckExample.replacing("- name: crm", with: "- name: salesforce"))
        let calculator = TierCalculator(policy: .builtIn)
        #expect(calculator.tier(of: a) == 1)
        let x = calculator.explain(a)
        #expect(x.tier == 1 && x.customConnectors == ["salesforce"] && x.raisingRules.isEmpty)
        #expect(x.decidedBy == ["custom connector salesforce"])
    }

    @Test("two explanations are equal only when every term is (no partial ==)")
    func equality() throws {
        let x = TierCalculator(policy: .builtIn).explain(try app(Self.busy))
        var decided = x
        decided.decidedBy = ["every term is tier 3"]
        var deviations = x
        deviations.templateDeviations = ["dataClass restricted"]
        var rule = x
        rule.raisingRules[1].raiseTier = 1
        #expect(x == x && x != decided && x != deviations && x != rule)
    }

    @Test("a template's deviations, dimension by dimension, and within its bounds exactly when there are none")
    func deviations() throws {
        let t = Template(
            name: "t", tier: 0,
            allowed: ["dataClass": ["public", "internal"], "accessScope": ["team"], "integrationAccess": ["read"], "runtime": ["client"]],
            maxMonthlyCostUSD: 50)
        let outside = try app(
            CheckExample.replacing("dataClass: internal", with: "dataClass: restricted")
                .replacingOccurrences(of: "accessScope: team", with: "accessScope: org-wide")
                .replacingOccurrences(of: "access: read", with: "access: admin")
                .replacingOccurrences(of: "monthlyCapUSD: 10", with: "monthlyCapUSD: 80.5"))
        #expect(t.deviations(of: outside) == ["dataClass restricted", "accessScope org-wide", "integrationAccess admin", "monthlyCostUSD 80.5 (at most 50)"])
        #expect(!t.isWithin(outside))
        let inside = try app(CheckExample.baseManifest)
        #expect(t.deviations(of: inside).isEmpty && t.isWithin(inside))
        let costOnly = try app(CheckExample.replacing("monthlyCapUSD: 10", with: "monthlyCapUSD: 51"))
        #expect(!t.isWithin(costOnly) && t.deviations(of: costOnly) == ["monthlyCostUSD 51 (at most 50)"])
    }
}

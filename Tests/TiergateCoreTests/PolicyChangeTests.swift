import Foundation
import Testing

@testable import TiergateCore

/// Ten apps: a0, a1, a2 hold restricted data (tier 2 by default), a3…a9 internal data (tier 0).
private func tenApps() -> [String: String] {
    var files: [String: String] = [:]
    for i in 0..<10 {
        files["apps/a\(i)/microapp.yaml"] = app("a\(i)", i < 3 ? [("dataClass: internal", "dataClass: restricted")] : [])
    }
    return files
}

/// The groups policy with more sections appended.
private func groupsPolicy(_ more: String) -> String { groupsPolicy + more + "\n" }

/// Every tier's approvals emptied: the attack of issue 14.
private let emptyTiers = """
    tiers:
      - {tier: 0, name: self-service, approvals: []}
      - {tier: 1, name: lightweight-review, approvals: []}
      - {tier: 2, name: formal-approval, approvals: []}
      - {tier: 3, name: executive-signoff, approvals: []}
    """

@Suite("policy changes: weakenings, impact on every app, policy diff, the effective policy")
struct PolicyChangeTests {
    // MARK: Impact in check

    @Test("a check whose policy change re-tiers 3 of 10 apps lists exactly those 3, with both tiers and approvals")
    func impactListsExactlyTheRetiered() throws {
        let repo = try ChangeRepository(base: tenApps())
        let restrictedToOne = "dimensions:\n  dataClass: {public: 0, internal: 0, confidential: 1, restricted: 1, regulated: 3}\n"
            + "  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}\n  integrationAccess: {read: 0, write: 1, admin: 2}\n"
            + "  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}\n  criticality: {toy: 0, productivity: 0, sla-critical: 2}\n"
            + "  monthlyCostUSD: [{upTo: 50, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]\n"
        try repo.change([Policy.path: groupsPolicy(restrictedToOne)])
        let report = try repo.check()
        let impact = try #require(report.policyImpact)
        #expect(impact.appsCompared == 10)
        #expect(impact.rows.map(\.name) == ["a0", "a1", "a2"])
        #expect(impact.rows.allSatisfy { $0.tierBefore == 2 && $0.tierAfter == 1 && $0.asksLess })
        let security = ApprovalRequirement(group: "security", count: 1)
        #expect(impact.rows.allSatisfy { $0.approvalsBefore.contains(security) && $0.approvalsAfter == [ApprovalRequirement(group: "coe", count: 1)] })
        #expect(report.apps.isEmpty, "no manifest changed")
        // The weakening is reported where the new mapping is written.
        let weakened = report.findings.filter { $0.id == "policy-weakened" }
        #expect(weakened.map(\.message) == ["this policy change makes the gate ask less: dimensions.dataClass maps 'restricted' to tier 1 (was 2)"])
        #expect(weakened.first?.line == 12 && weakened.first?.severity == .warning)  // the dataClass line
        // Still judged by the base policy: a policy change needs platform ×2.
        #expect(report.approvals?.outcome.groups.map(\.group) == ["platform"])
    }

    @Test("no policy change, no policyImpact; a policy change that re-tiers nothing has an empty one")
    func impactOnlyForPolicyChanges() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.change(["apps/a3/microapp.yaml": app("a3", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")])])
        #expect(try repo.check().policyImpact == nil)
        try repo.change([Policy.path: groupsPolicy("connectors: [crm, jira, github, slack, hr, ticketing, notion]")])
        let impact = try #require(try repo.check().policyImpact)
        #expect(impact.rows.isEmpty && impact.appsCompared == 10)
        #expect(impact.differences.map(\.description) == ["'notion' is a pre-approved connector: apps using it are no longer lifted to tier 1"])
    }

    @Test("attack: one policy change sets every tier's approvals to []: the report leads with policy-weakened warnings")
    func emptiedApprovalsLeadTheReport() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.change([Policy.path: groupsPolicy(emptyTiers)])
        let report = try repo.check()
        let weakened = report.findings.filter { $0.id == "policy-weakened" }.map(\.message)
        #expect(weakened.count == 3)
        #expect(weakened.contains("this policy change makes the gate ask less: tier 2 (formal-approval) asks nothing (was 1 from security, 1 from privacy, 1 from platform)"))
        #expect(report.decision == .approvalRequired && report.summary.warnings == 3)
        #expect(report.policyImpact?.rows.map(\.name) == ["a0", "a1", "a2"])

        // Markdown: right after the decision and the counts, before anything else.
        let md = try MarkdownReporter().render(report)
        let afterFacts = try #require(md.components(separatedBy: "approvals missing\n\n").dropFirst().first)
        #expect(afterFacts.hasPrefix("**⚠️ This change weakens the policy** (3 ways)"), "\(md)")
        let lines = afterFacts.split(separator: "\n")
        #expect(lines.dropFirst().prefix(3).allSatisfy { $0.hasPrefix("- 🟡 `.tiergate/policy.yaml:") && $0.hasSuffix("`policy-weakened`") })
        // Text: right under the headline.
        let text = try TextReporter(color: false).render(report)
        let sections = text.components(separatedBy: "\n\n")
        #expect(sections.count > 1 && sections[1].hasPrefix("This change weakens the policy (3 ways):"), "\(text)")
    }

    @Test("check --staged: the impact is computed on the index")
    func impactOfStagedChange() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.repo.write(Policy.path, groupsPolicy(emptyTiers))
        try repo.repo.write("apps/a4/microapp.yaml", app("a4", [("dataClass: internal", "dataClass: restricted")]))
        try repo.repo.git(["add", "-A"])
        let report = try repo.check { $0.staged = true; $0.base = nil }
        // a4 is restricted in the index only: it is re-tiered too.
        #expect(report.policyImpact?.rows.map(\.name) == ["a0", "a1", "a2", "a4"])
    }

    @Test("a new policy whose globs stop judging some apps lists them as no longer judged, asking less")
    func narrowedIncludeIsImpact() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.change([Policy.path: groupsPolicy("manifests:\n  include: [\"**/microapp.yaml\"]\n  exclude: [\"apps/a0/**\"]")])
        let report = try repo.check()
        let row = try #require(report.policyImpact?.rows.first)
        #expect(report.policyImpact?.rows.count == 1)
        #expect(row.name == "a0" && row.tierBefore == 2 && row.tierAfter == nil && row.approvalsAfter.isEmpty && row.asksLess)
        let weakened = report.findings.filter { $0.id == "policy-weakened" }.map(\.message)
        #expect(weakened.contains { $0.contains("manifests.exclude adds 'apps/a0/**'") })
        #expect(weakened.contains { $0.contains("manifests.include no longer has '**/microapp.yml'") })
    }

    @Test("an invalid head policy has no impact: policy-invalid blocks instead")
    func invalidHeadPolicyHasNoImpact() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.change([Policy.path: groupsPolicy("tiers: nonsense")])
        let report = try repo.check()
        #expect(report.policyImpact == nil && report.decision == .blocked)
        #expect(report.findings.contains { $0.id == "policy-invalid" } && !report.findings.contains { $0.id == "policy-weakened" })
    }

    @Test("markdown and text show at most 50 rows and say how many more; JSON lists them all")
    func summarisedPastFifty() throws {
        let rows = (0..<60).map { i in
            PolicyImpactRow(name: "app\(i)", path: "apps/app\(i)/microapp.yaml", tierBefore: 1, tierAfter: 2, approvalsBefore: [], approvalsAfter: [])
        }
        let impact = PolicyImpact(rows: rows, appsCompared: 100, differences: [])
        let md = PolicyImpactRenderer.markdownTable(impact)
        #expect(md.split(separator: "\n").filter { $0.hasPrefix("| `app") }.count == 50)
        #expect(md.contains("_… and 10 more apps (the JSON report lists every one)._"))
        let text = PolicyImpactRenderer.textTable(impact)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("  app") }.count == 50 && text.contains("… and 10 more apps"))
        var w = JSONWriter()
        PolicyImpactRenderer.json(&w, impact)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(w.text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 60)
    }

    // MARK: Weakenings

    struct Weakening: Sendable, CustomStringConvertible {
        var description: String
        var before: String
        var after: String
        var expected: String
        var weakens: Bool
    }

    static let weakenings: [Weakening] = [
        Weakening(description: "fewer approvals for a tier", before: "", after: "tiers:\n  - {tier: 0, name: s, approvals: []}\n  - {tier: 1, name: l, approvals: []}\n  - {tier: 2, name: f, approvals: [{group: security, count: 1}]}\n  - {tier: 3, name: e, approvals: [{group: security, count: 1}, {group: privacy, count: 1}, {group: platform, count: 1}, {group: legal, count: 1}]}", expected: "tier 2 (f) asks 1 from security (was 1 from security, 1 from privacy, 1 from platform)", weakens: true),
        Weakening(description: "a lower policyChange count", before: "", after: "policyChange: {approvals: [{group: platform, count: 1}]}", expected: "a change of the policy asks 1 from platform (was 2 from platform)", weakens: true),
        Weakening(description: "a higher policyChange count", before: "", after: "policyChange: {approvals: [{group: platform, count: 3}]}", expected: "a change of the policy asks 3 from platform (was 2 from platform)", weakens: false),
        Weakening(description: "an empty group", before: "", after: "groups: {coe: [cora], security: [], privacy: [priya], platform: [pat, paul], legal: [lee], ops: [oz]}", expected: "the group 'security' has no members any more", weakens: true),
        Weakening(description: "a member added", before: "", after: "groups: {coe: [cora], security: [sam, mallory], privacy: [priya], platform: [pat, paul], legal: [lee], ops: [oz]}", expected: "the group 'security' adds mallory", weakens: false),
        Weakening(description: "a wider exclude", before: "", after: "manifests: {include: [\"**/microapp.yaml\", \"**/microapp.yml\", \"**/*.microapp.yaml\", \"**/*.microapp.yml\"], exclude: [\"legacy/**\"]}", expected: "manifests.exclude adds 'legacy/**': the files it matches are no longer judged", weakens: true),
        Weakening(description: "a narrower include", before: "", after: "manifests: {include: [\"**/microapp.yaml\"]}", expected: "manifests.include no longer has '**/*.microapp.yaml': the files only it matched are no longer judged", weakens: true),
        Weakening(description: "a dimension value mapped lower", before: "", after: dimensions(criticality: "{toy: 0, productivity: 0, sla-critical: 1}"), expected: "dimensions.criticality maps 'sla-critical' to tier 1 (was 2)", weakens: true),
        Weakening(description: "a band raised", before: "", after: dimensions(bands: "[{upTo: 50, tier: 0}, {upTo: 500, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]"), expected: "dimensions.monthlyCostUSD maps a cap of 500 USD to tier 1 (was 2)", weakens: true),
        Weakening(description: "a band lowered", before: "", after: dimensions(bands: "[{upTo: 20, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]"), expected: "dimensions.monthlyCostUSD: the bands are now up to 20: tier 0", weakens: false),
        Weakening(description: "the last band lowered", before: "", after: dimensions(bands: "[{upTo: 50, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 2}]"), expected: "dimensions.monthlyCostUSD maps a cap of over 1000 USD to tier 2 (was 3)", weakens: true),
        Weakening(description: "a rule removed", before: "", after: "rules: []", expected: "the rule 'sla-critical-org-wide' is removed (it raised apps to tier 3)", weakens: true),
        Weakening(description: "a rule's raiseTier lowered", before: "", after: "rules:\n  - {id: open-egress, message: m, when: {field: spec.network.egress, equals: open}, raiseTier: 1}", expected: "the rule 'open-egress' raises to tier 1 (was tier 2)", weakens: true),
        Weakening(description: "a rule added", before: "rules: []", after: "rules:\n  - {id: open-egress, message: m, when: {field: spec.network.egress, equals: open}, raiseTier: 1}", expected: "the rule 'open-egress' is added", weakens: false),
        Weakening(description: "a check lowered", before: "", after: "checks: {secret-literal: warning}", expected: "checks.secret-literal is warning (was error)", weakens: true),
        Weakening(description: "a check turned off", before: "checks: {attestation-overdue: error}", after: "checks: {attestation-overdue: off}", expected: "checks.attestation-overdue is off (was error)", weakens: true),
        Weakening(description: "a check raised", before: "", after: "checks: {attestation-overdue: error}", expected: "checks.attestation-overdue is error (was warning)", weakens: false),
        Weakening(description: "a new exception", before: "", after: "exceptions: [{check: ttl-max, app: a1, reason: migration, expires: 2026-12-01}]", expected: "a new exception for ttl-max on a1 until 2026-12-01 (migration)", weakens: true),
        Weakening(description: "an exception extended past 90 days", before: "exceptions: [{check: ttl-max, app: a1, reason: migration, expires: 2026-12-01}]", after: "exceptions: [{check: ttl-max, app: a1, reason: migration, expires: 2027-06-01}]", expected: "the exception for ttl-max on a1 is extended to 2027-06-01 (was 2026-12-01), more than 90 days from 2026-11-22", weakens: true),
        Weakening(description: "an exception extended within 90 days", before: "exceptions: [{check: ttl-max, app: a1, reason: migration, expires: 2026-12-01}]", after: "exceptions: [{check: ttl-max, app: a1, reason: migration, expires: 2026-12-20}]", expected: "the exception for ttl-max on a1 is extended to 2026-12-20 (was 2026-12-01)", weakens: false),
        Weakening(description: "exceptions that cover many apps", before: "", after: "exceptions:\n" + (1...6).map { "  - {check: attestation-overdue, app: a\($0), reason: r, expires: 2026-12-01}" }.joined(separator: "\n"), expected: "new exceptions for attestation-overdue cover 6 apps (a1, a2, a3, a4, a5, …)", weakens: true),
        Weakening(description: "stale reviews allowed", before: "", after: "approvals: {allowStale: true}", expected: "approvals.allowStale is true: a review of an older commit counts", weakens: true),
        Weakening(description: "a pre-approved connector", before: "", after: "connectors: [crm, notion]", expected: "'notion' is a pre-approved connector: apps using it are no longer lifted to tier 1", weakens: true),
        Weakening(description: "a template's tier lowered", before: "templates: [{name: dash, tier: 1, bounds: {dataClass: [public]}}]", after: "templates: [{name: dash, tier: 0, bounds: {dataClass: [public]}}]", expected: "the template 'dash' gives tier 0 (was 1)", weakens: true),
        Weakening(description: "a longer maximum TTL", before: "", after: "limits: {maxTtlDays: 365}", expected: "limits.maxTtlDays is 365 (was 90)", weakens: true),
    ]

    static func dimensions(criticality: String = "{toy: 0, productivity: 0, sla-critical: 2}", bands: String = "[{upTo: 50, tier: 0}, {upTo: 200, tier: 1}, {upTo: 1000, tier: 2}, {tier: 3}]") -> String {
        "dimensions:\n  dataClass: {public: 0, internal: 0, confidential: 1, restricted: 2, regulated: 3}\n"
            + "  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}\n  integrationAccess: {read: 0, write: 1, admin: 2}\n"
            + "  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}\n  criticality: \(criticality)\n  monthlyCostUSD: \(bands)"
    }

    @Test("each way a policy change can weaken the gate is a weakening; the ways it tightens are not", arguments: weakenings)
    func weakening(_ w: Weakening) throws {
        // A policy with the groups, or (when the case is about groups) the case's own groups.
        func text(_ extra: String) -> String { extra.hasPrefix("groups:") ? policy(extra) : groupsPolicy(extra) }
        let before = try loadPolicy(text(w.before))
        let afterText = text(w.after)
        let root = YAMLParser.parse(Array(afterText.utf8)).documents.first?.root
        let diffs = PolicyDiff.compare(before, try loadPolicy(afterText), afterRoot: root, today: CheckExample.today)
        let hit = try #require(diffs.first { $0.description.hasPrefix(w.expected) }, "\(diffs.map(\.description))")
        #expect(hit.weakens == w.weakens)
        // Weakenings come first.
        let firstOther = diffs.firstIndex { !$0.weakens } ?? diffs.count
        #expect(diffs[firstOther...].allSatisfy { !$0.weakens })
        // Each one points into the new file at its own section, past apiVersion and kind.
        #expect(hit.mark.line > 2, "\(hit)")
    }

    @Test("an identical policy, however reformatted, has no difference")
    func identicalPolicies() throws {
        let a = try loadPolicy(groupsPolicy(""))
        let b = try loadPolicy(DefaultPolicy.text.replacingOccurrences(of: "groups: {}", with: "groups: {coe: [cora], security: [sam, sasha], privacy: [priya], platform: [pat, paul], legal: [lee], ops: [oz], growth: [gina]}"))
        #expect(PolicyDiff.compare(a, b, afterRoot: nil, today: CheckExample.today).isEmpty)
    }

    // MARK: policy diff

    @Test("policy diff between two revisions: the semantic differences, the weakenings as findings, the apps re-tiered")
    func policyDiffBetweenRevisions() throws {
        let repo = try ChangeRepository(base: tenApps())
        try repo.change([Policy.path: groupsPolicy("rules: []\nexceptions: [{check: ttl-max, app: a11, reason: typo, expires: 2026-12-01}]")])
        let base = try repo.repo.git(["rev-parse", "main"])
        try repo.change(["apps/a9/microapp.yaml": app("a9", [("accessScope: team", "accessScope: org-wide"), ("criticality: toy", "criticality: sla-critical")])])
        let report = try PolicyDiffRequest.run(
            PolicyDiffRequest(repository: nil, base: base, head: "HEAD", today: CheckExample.today, workingDirectory: repo.path, environment: [:]))
        #expect(report.base.commit == base && report.head.commit == repo.head)
        #expect(report.basePolicy.blob != report.headPolicy.blob)
        #expect(report.impact.differences.map(\.description) == [
            "the rule 'regulated-egress' is removed (it required a condition (error))",
            "the rule 'sla-critical-org-wide' is removed (it raised apps to tier 3)",
            "the rule 'cross-team-write' is removed (it raised apps to tier 2)",
            "the rule 'open-egress' is removed (it raised apps to tier 2)",
            "a new exception for ttl-max on a11 until 2026-12-01 (typo)",
        ])
        // a9 is SLA-critical and org-wide at head: tier 3 by the removed rule, tier 2 by its dimensions without it.
        #expect(report.impact.rows.map { "\($0.name) \($0.tierBefore ?? -1)->\($0.tierAfter ?? -1)" } == ["a9 3->2"])
        #expect(report.findings.map(\.id) == Array(repeating: "policy-weakened", count: 5) + ["exception-unknown-app"])
        let json = PolicyDiffRenderer.render(report, as: .json)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let summary = try #require(obj["summary"] as? [String: Any])
        #expect(summary["differences"] as? Int == 5 && summary["weakenings"] as? Int == 5)
        #expect(summary["appsCompared"] as? Int == 10 && summary["appsChanged"] as? Int == 1)
        #expect(PolicyDiffRenderer.render(report, as: .text).hasPrefix("tiergate policy diff: 5 differences, 5 weakenings, 1 app re-tiered\n"))
    }

    // MARK: The effective policy

    /// The effective policy's lines without its comments (which say where each section came from).
    static func body(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.components(separatedBy: "  #").first ?? "" }.joined(separator: "\n")
    }

    @Test("--effective for a policy without rules: the default rules, marked as such; the output loads back to the same policy")
    func effectiveWithoutRules() throws {
        let file = groupsPolicy("limits: {maxTtlDays: 60}")
        let policy = try loadPolicy(file)
        let text = EffectivePolicy.render(policy, fileBytes: Array(file.utf8))
        #expect(text.contains("# built-in default\nrules:\n  - id: regulated-egress\n"))
        for id in ["regulated-egress", "sla-critical-org-wide", "cross-team-write", "open-egress"] { #expect(text.contains("  - id: \(id)\n")) }
        #expect(text.contains("# from the file\ngroups:\n  coe: [cora]\n"))
        #expect(text.contains("# from the file\nlimits:\n  defaultTtlDays: 30  # built-in default\n  maxTtlDays: 60\n"))
        #expect(text.contains("# built-in default\nmanifests:\n  include: [\"**/microapp.yaml\""))
        let again = try loadPolicy(text)
        #expect(Self.body(EffectivePolicy.render(again, fileBytes: Array(text.utf8))) == Self.body(text))
        #expect(try tier(CheckExample.baseManifest, policy: text) == (try tier(CheckExample.baseManifest, policy: file)))
    }

    @Test("--effective for a policy with rules: they replace the default rules, and the output says which no longer apply")
    func effectiveWithRules() throws {
        let file = groupsPolicy("""
            rules:
              - id: open-egress
                message: "Open egress: formal review"
                when: {any: [{field: spec.network.egress, equals: open}, {not: {field: "metadata.labels.reviewed", in: ["yes", "0755"]}}]}
                raiseTier: 2
              - id: name-prefix
                message: names start with the team
                when: {field: metadata.name, matches: "^(ops|growth)-"}
                require: {field: spec.cost.monthlyCapUSD, atMost: 12.5}
                severity: warning
                approvals: [{group: ops, count: 1}]
            """)
        let text = EffectivePolicy.render(try loadPolicy(file), fileBytes: Array(file.utf8))
        #expect(text.contains("# from the file; it replaces the built-in rules, so these do not apply: regulated-egress, sla-critical-org-wide, cross-team-write\nrules:\n"))
        #expect(!text.contains("id: regulated-egress") && !text.contains("id: cross-team-write"))
        #expect(text.contains("    when: {any: [{field: spec.network.egress, equals: open}, {not: {field: metadata.labels.reviewed, in: [\"yes\", \"0755\"]}}]}\n"))
        #expect(text.contains("    when: {field: metadata.name, matches: \"^(ops|growth)-\"}\n    require: {field: spec.cost.monthlyCapUSD, atMost: 12.5}\n    severity: warning\n"))
        let again = try loadPolicy(text)
        #expect(Self.body(EffectivePolicy.render(again, fileBytes: nil)) == Self.body(text))
        #expect(again.rules.map(\.id) == ["open-egress", "name-prefix"])
        #expect(again.rules[0].when == (try loadPolicy(file)).rules[0].when)
    }

    @Test("--effective without a policy file: every section is the built-in default")
    func effectiveDefault() throws {
        let text = EffectivePolicy.render(.builtIn, fileBytes: nil)
        #expect(!text.contains(EffectivePolicy.fromFile))
        #expect(text.components(separatedBy: EffectivePolicy.builtIn + "\n").count == 16)
    }

    // MARK: Exceptions and team entries

    @Test("lint of a revision: an exception naming an app missing there is exception-unknown-app, at the exception's line")
    func exceptionUnknownAppInLint() throws {
        let repo = try TestRepository()
        try repo.write(Policy.path, groupsPolicy("exceptions:\n  - {check: ttl-max, app: a1, reason: real, expires: 2026-12-01}\n  - {check: ttl-max, app: a-one, reason: typo, expires: 2026-12-01}"))
        for (p, t) in tenApps() { try repo.write(p, t) }
        try repo.commit()
        let report = try Linter.run(LintRequest(today: CheckExample.today, workingDirectory: repo.path))
        let unknown = report.findings.filter { $0.id == "exception-unknown-app" }
        #expect(unknown.count == 1)
        #expect(unknown.first?.line == 13 && unknown.first?.path == Policy.path && unknown.first?.severity == .warning)
        #expect(unknown.first?.message.contains("'a-one'") == true)
        // Working-tree files are not the whole revision: nothing can be said there.
        let files = try Linter.run(LintRequest(files: ["apps/a0/microapp.yaml"], today: CheckExample.today, workingDirectory: repo.path))
        #expect(!files.findings.contains { $0.id == "exception-unknown-app" })
    }

    @Test("team entries are listed for a warning: they match nobody without --members")
    func teamEntryWarnings() throws {
        let policy = try loadPolicy(groupsPolicy("").replacingOccurrences(of: "security: [sam, sasha]", with: "security: [sam, \"@acme/security\", \"@acme/appsec\"]"))
        #expect(PolicyWarnings.teamEntries(policy) == [
            "the group 'security' lists @acme/security, @acme/appsec: a team entry matches only the members that `tiergate check --members FILE` lists, and nobody without that file"
        ])
        #expect(PolicyWarnings.teamEntries(try loadPolicy(groupsPolicy(""))).isEmpty)
    }

    // MARK: explain on the working tree

    @Test("explain PATH reads the file on disk, from the current directory (a subdirectory too); NAME and --rev read the revision")
    func explainWorkingTree() throws {
        let repo = try TestRepository()
        try repo.write(Policy.path, groupsPolicy(""))
        for (p, t) in tenApps() { try repo.write(p, t) }
        try repo.commit()
        // Edited, not committed: restricted data now.
        try repo.write("apps/a5/microapp.yaml", app("a5", [("dataClass: internal", "dataClass: restricted")]))
        let sub = repo.path + "/apps"
        let disk = try Explainer.run(ExplainRequest(target: "./a5/microapp.yaml", workingDirectory: sub))
        #expect(disk.explanation.tier == 2 && disk.source == .workingTree(path: "./a5/microapp.yaml"))
        #expect(disk.policy.source == .rev && disk.policy.path == Policy.path)
        let fromRoot = try Explainer.run(ExplainRequest(target: "apps/a5/microapp.yaml", workingDirectory: repo.path))
        #expect(fromRoot.explanation.tier == 2)
        let byName = try Explainer.run(ExplainRequest(target: "a5", workingDirectory: sub))
        #expect(byName.explanation.tier == 0)
        guard case .revision(let r) = byName.source else { throw TestFailure("read \(byName.source)") }
        #expect(r.rev == "HEAD" && r.commit?.count == 40)
        // --rev reads the revision, the path taken from the current directory.
        let atRev = try Explainer.run(ExplainRequest(target: "a5/microapp.yaml", revision: "HEAD", workingDirectory: sub))
        #expect(atRev.explanation.tier == 0 && atRev.path == "apps/a5/microapp.yaml")
        // A file deleted from the working tree is still found at the revision, by its path from here.
        try repo.remove("apps/a6/microapp.yaml")
        let deleted = try Explainer.run(ExplainRequest(target: "a6/microapp.yaml", workingDirectory: sub))
        #expect(deleted.name == "a6" && deleted.path == "apps/a6/microapp.yaml")
        #expect(ExplainRenderer.text(disk).contains("\nread from the working tree: ./a5/microapp.yaml as it is on disk now; judged by the policy .tiergate/policy.yaml (blob "))
    }
}

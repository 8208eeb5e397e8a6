import Foundation
import Testing

@testable import TiergateCore

@Suite("Policy loading")
struct PolicyLoaderTests {
    @Test("the built-in default is the policy of SPEC section 2")
    func builtIn() {
        let p = Policy.builtIn
        #expect(p.dimensions.dataClass == ["public": 0, "internal": 0, "confidential": 1, "restricted": 2, "regulated": 3])
        #expect(p.dimensions.accessScope == ["personal": 0, "team": 0, "cross-team": 1, "org-wide": 2])
        #expect(p.dimensions.integrationAccess == ["read": 0, "write": 1, "admin": 2])
        #expect(p.dimensions.runtime == ["client": 0, "vendor-platform": 0, "company-cloud": 1])
        #expect(p.dimensions.criticality == ["toy": 0, "productivity": 0, "sla-critical": 2])
        #expect(p.dimensions.monthlyCostUSD == [CostBand(upTo: 50, tier: 0), CostBand(upTo: 200, tier: 1), CostBand(upTo: 1000, tier: 2), CostBand(upTo: nil, tier: 3)])
        #expect(p.tiers.map(\.name) == ["self-service", "lightweight-review", "formal-approval", "executive-signoff"])
        #expect(p.tier(3)?.approvals.map(\.group) == ["security", "privacy", "platform", "legal"])
        #expect(p.policyChangeApprovals == [ApprovalRequirement(group: "platform", count: 2)])
        #expect(p.allowStale == false && p.distinctApprovers == true && p.groups.isEmpty)
        #expect(p.connectors == ["crm", "jira", "github", "slack", "hr", "ticketing"])
        #expect(p.secretRefSchemes == ["vault", "aws-sm", "azure-kv"])
        #expect(p.limits == Limits(defaultTtlDays: 30, maxTtlDays: 90, attestationDays: 90, minLogRetentionDays: 90))
        #expect(p.ungovernedFields == ["metadata.title", "metadata.description"])
        #expect(p.rules.map(\.id) == ["regulated-egress", "sla-critical-org-wide", "cross-team-write", "open-egress"])
        #expect(p.rules.map(\.raiseTier) == [nil, 3, 2, 2])
        #expect(p.manifests.include.map(\.pattern) == PathMatcher.defaultIncludes)
    }

    @Test("the built-in default text is exactly the policy in docs/policy.md (SPEC section 2's)")
    func defaultTextMatchesDocs() throws {
        let doc = String(decoding: try Project.bytes("docs/policy.md"), as: UTF8.self)
        let lines = doc.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "apiVersion: tiergate/v1"))
        let end = try #require(lines[start...].firstIndex { $0.hasPrefix("exceptions: []") })
        let fromDoc = lines[start...end].joined(separator: "\n") + "\n"
        #expect(DefaultPolicy.text == fromDoc)
    }

    @Test("a file that leaves sections out takes them from the default")
    func partial() throws {
        let p = try loadPolicy(policy("groups: {coe: [a], security: [b], privacy: [c], platform: [d], legal: [e]}"))
        #expect(p.groups["coe"] == ["a"])
        #expect(p.rules.count == 4)
        #expect(p.limits.maxTtlDays == 90)
        let noRules = try loadPolicy(policy("rules: []"))
        #expect(noRules.rules.isEmpty)
    }

    /// Each invalid policy, and the line the problem must name.
    @Test("invalid policies are refused with the line of the problem", arguments: [
        (policy("colour: blue"), 3, "colour is not a field of a tiergate Policy"),
        (policy("rules:\n  - id: r\n    message: m\n    when: {field: spec.dataClass, equal: regulated}\n    raiseTier: 2"), 6, "unknown operator 'equal'"),
        (policy("rules:\n  - id: r\n    message: m\n    when: {field: spec.dataClass, equals: regulated}"), 4, "has no effect"),
        (policy("tiers:\n  - {tier: 0, name: a, approvals: []}\n  - {tier: 1, name: b}\n  - {tier: 2, name: c, approvals: []}\n  - {tier: 3, name: d, approvals: []}"), 5, "tiers[1].approvals is missing; add 'approvals:' to tiers[1]"),
        (policy("groups: {security: [sam]}"), 3, "'coe' is asked for approvals but not defined"),
        (policy("rules:\n  - id: r\n    message: m\n    when: {field: spec.dataClas, equals: x}\n    raiseTier: 1"), 6, "not a field"),
        (policy("checks: {ttl-maxx: off}"), 3, "no finding id"),
        (policy("dimensions:\n  dataClass: {public: 0}\n  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}\n  integrationAccess: {read: 0, write: 1, admin: 2}\n  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}\n  criticality: {toy: 0, productivity: 0, sla-critical: 2}\n  monthlyCostUSD: [{tier: 0}]"), 4, "no tier for 'internal'"),
        (policy("rules:\n  - id: r\n    message: m\n    when: {field: metadata.name, matches: \"([a-z\"}\n    raiseTier: 1"), 6, "not a valid regular expression"),
        (policy("exceptions: [{check: ttl-max, app: a, reason: r, expires: soon}]"), 3, "YYYY-MM-DD"),
        (policy("rules:\n  - id: r\n    message: m\n    when: {field: spec.cost.monthlyCapUSD, greaterThan: lots}\n    raiseTier: 1"), 6, "must be a number"),
        (policy("tiers:\n  - {tier: 0, name: a, approvals: []}\n  - {tier: 7, name: b, approvals: []}"), 5, "tiers go from 0 to 3"),
        ("apiVersion: tiergate/v2\nkind: Policy\n", 1, "a tiergate Policy must say apiVersion: tiergate/v1"),
        (policy("connectors: [crm\n"), 5, "flow sequence"),  // libyaml notices at the end of the file
        (policy("limits: {maxTtlDays: 90, maxTtlDays: 9}"), 3, "appears twice"),
    ])
    func invalid(text: String, line: Int, says: String) {
        let problems = policyProblems(text)
        #expect(!problems.isEmpty, "the policy was accepted")
        #expect(problems.contains { $0.mark.line == line && $0.message.contains(says) }, "\(problems)")
    }

    /// Five different mistakes in one policy, each with the text it must be reported at.
    static let fiveMistakes = (
        text: """
            apiVersion: tiergate/v1
            kind: Policy
            tiers:
              - {tier: 0, name: a, approvals: []}
              - {tier: 1, name: b, approvals: [{group: coe, count: 0}]}
              - {tier: 2, name: c, approvals: []}
              - {tier: 3, name: d, approvals: []}
            limits:
              maxTtlDays: "90"
            rules:
              - id: r
                message: m
                when: {field: spec.dataClass, equal: regulated}
                raiseTier: 2
            exceptions:
              - {check: ttl-maxx, app: a, reason: r, expires: 2099-01-01}
            exeptions: []

            """,
        mistakes: [
            (at: "count: 0", token: "0", says: "tiers[1].approvals[0].count is 0; it must be a whole number from 1 to 100"),
            (at: "maxTtlDays: \"90\"", token: "\"90\"", says: "limits.maxTtlDays must be a whole number from 0 to 36500, found string; write it without quotes"),
            (at: "equal: regulated", token: "equal", says: "rules[0].when uses the unknown operator 'equal'; did you mean 'equals'?"),
            (at: "check: ttl-maxx", token: "ttl-maxx", says: "exceptions[0].check 'ttl-maxx' is no finding id (built-in or rule); did you mean 'ttl-max'?"),
            (at: "exeptions: []", token: "exeptions", says: "exeptions is not a field of a tiergate Policy; did you mean 'exceptions'?"),
        ])

    @Test("a policy with five different mistakes reports all five, each at its line and column")
    func everyMistake() throws {
        let problems = policyProblems(Self.fiveMistakes.text)
        let lines = Self.fiveMistakes.text.components(separatedBy: "\n")
        for mistake in Self.fiveMistakes.mistakes {
            // The place, found in the text: the line holding `at`, the column of `token` in it.
            let lineIndex = try #require(lines.firstIndex { $0.contains(mistake.at) })
            let line = lines[lineIndex]
            let scope = try #require(line.range(of: mistake.at))
            let token = try #require(line.range(of: mistake.token, range: scope))
            let column = line.distance(from: line.startIndex, to: token.lowerBound) + 1
            #expect(
                problems.contains { $0.mark == Mark(line: lineIndex + 1, column: column) && $0.message.hasPrefix(mistake.says) },
                "\(mistake.says) at \(lineIndex + 1):\(column); got \(problems)")
        }
        #expect(problems.count == 5, "\(problems)")
    }

    @Test("an exception's check must be a finding id or a rule id of the policy, the file's rules or the default's")
    func exceptionCheck() throws {
        let ruleException = "exceptions: [{check: open-egress, app: a, reason: r, expires: 2099-01-01}]"
        #expect(try loadPolicy(policy(ruleException)).exceptions.map(\.check) == ["open-egress"])
        let ownRule = "rules:\n  - {id: my-rule, message: m, when: {field: spec.dataClass, equals: x}, raiseTier: 1}\n" + ruleException.replacingOccurrences(of: "open-egress", with: "my-rule")
        #expect(try loadPolicy(policy(ownRule)).exceptions.map(\.check) == ["my-rule"])
        // With its own rules, the default's rule ids are no longer ids of the policy.
        let gone = "rules:\n  - {id: my-rule, message: m, when: {field: spec.dataClass, equals: x}, raiseTier: 1}\n" + ruleException
        #expect(policyProblems(policy(gone)).map(\.message) == ["exceptions[0].check 'open-egress' is no finding id (built-in or rule)"])
    }

    @Test("a policy file with an error is a tool failure naming path:line:col")
    func toolFailure() {
        #expect {
            try PolicySource.parse(Array(policy("colour: blue").utf8), shownAs: ".tiergate/policy.yaml")
        } throws: { e in
            guard let e = e as? TiergateError else { return false }
            return e.kind == .policy && e.details.count == 1 && e.details[0].hasPrefix(".tiergate/policy.yaml:3:1: ") && e.fix != nil
        }
    }
}

@Suite("Conditions")
struct ConditionTests {
    /// The base example manifest as values: dataClass internal, accessScope team, one crm read integration,
    /// egress allowlist, cost 10, no template.
    static let app: ManifestValue = {
        let file = ManifestReader.read(Array(CheckExample.baseManifest.utf8), path: "m.yaml")
        return file.apps.first?.app?.value ?? .null
    }()

    func holds(_ yaml: String) throws -> Bool {
        let text = policy("rules:\n  - id: probe\n    message: m\n    when: \(yaml)\n    raiseTier: 1")
        let p = try loadPolicy(text)
        let rule = try #require(p.rules.first)
        return rule.when.holds(on: Self.app)
    }

    @Test("every operator, true and false", arguments: [
        ("{field: spec.dataClass, equals: internal}", true), ("{field: spec.dataClass, equals: public}", false),
        ("{field: spec.dataClass, notEquals: public}", true), ("{field: spec.dataClass, notEquals: internal}", false),
        ("{field: spec.dataClass, in: [internal, public]}", true), ("{field: spec.dataClass, in: [regulated]}", false),
        ("{field: spec.dataClass, notIn: [regulated]}", true), ("{field: spec.dataClass, notIn: [internal]}", false),
        ("{field: spec.residency, exists: true}", true), ("{field: spec.template, exists: true}", false),
        ("{field: spec.template, exists: false}", true), ("{field: spec.residency, exists: false}", false),
        ("{field: metadata.name, matches: \"^ex\"}", true), ("{field: metadata.name, matches: \"^zz\"}", false),
        ("{field: spec.cost.monthlyCapUSD, greaterThan: 5}", true), ("{field: spec.cost.monthlyCapUSD, greaterThan: 10}", false),
        ("{field: spec.cost.monthlyCapUSD, lessThan: 11}", true), ("{field: spec.cost.monthlyCapUSD, lessThan: 10}", false),
        ("{field: spec.cost.monthlyCapUSD, atLeast: 10}", true), ("{field: spec.cost.monthlyCapUSD, atLeast: 10.5}", false),
        ("{field: spec.cost.monthlyCapUSD, atMost: 10}", true), ("{field: spec.cost.monthlyCapUSD, atMost: 9}", false),
    ])
    func operators(condition: String, expected: Bool) throws {
        #expect(try holds(condition) == expected)
    }

    @Test("all, any and not, true and false", arguments: [
        ("{all: [{field: spec.dataClass, equals: internal}, {field: spec.accessScope, equals: team}]}", true),
        ("{all: [{field: spec.dataClass, equals: internal}, {field: spec.accessScope, equals: org-wide}]}", false),
        ("{any: [{field: spec.dataClass, equals: public}, {field: spec.accessScope, equals: team}]}", true),
        ("{any: [{field: spec.dataClass, equals: public}, {field: spec.accessScope, equals: org-wide}]}", false),
        ("{not: {field: spec.dataClass, equals: public}}", true), ("{not: {field: spec.dataClass, equals: internal}}", false),
    ])
    func combinators(condition: String, expected: Bool) throws {
        #expect(try holds(condition) == expected)
    }

    @Test("a missing field satisfies only exists: false, notEquals and notIn", arguments: [
        ("{field: spec.template, equals: x}", false), ("{field: spec.template, notEquals: x}", true),
        ("{field: spec.template, in: [x]}", false), ("{field: spec.template, notIn: [x]}", true),
        ("{field: spec.template, exists: false}", true), ("{field: spec.template, matches: \".*\"}", false),
        ("{field: spec.lifecycle.ttlDays, atLeast: 0}", true), ("{field: spec.lifecycle.retireBy, atLeast: 0}", false),
    ])
    func missing(condition: String, expected: Bool) throws {
        #expect(try holds(condition) == expected)
    }

    @Test("[*] walks every element; any element satisfying is enough", arguments: [
        ("{field: \"spec.integrations[*].access\", equals: read}", true),
        ("{field: \"spec.integrations[*].access\", in: [write, admin]}", false),
        ("{field: \"spec.integrations[*].name\", equals: crm}", true),
        ("{field: \"spec.network.destinations[*]\", matches: \"example\\\\.com$\"}", true),
        ("{field: \"spec.secrets[*].ref\", matches: \"^aws-sm://\"}", false),
    ])
    func wildcard(condition: String, expected: Bool) throws {
        #expect(try holds(condition) == expected)
    }
}

@Suite("Tiers")
struct TierTests {
    func with(_ old: String, _ new: String) -> String { CheckExample.replacing(old, with: new) }

    @Test("every dataClass value", arguments: [("public", 0), ("internal", 0), ("confidential", 1), ("restricted", 2), ("regulated", 3)])
    func dataClass(value: String, expected: Int) throws {
        // regulated needs egress none or internal-only for the rule, but the tier does not depend on that.
        #expect(try tier(with("dataClass: internal", "dataClass: \(value)")) == expected)
    }

    @Test("every accessScope value", arguments: [("personal", 0), ("team", 0), ("cross-team", 1), ("org-wide", 2)])
    func accessScope(value: String, expected: Int) throws {
        #expect(try tier(with("accessScope: team", "accessScope: \(value)")) == expected)
    }

    @Test("every integration access, the highest over all integrations", arguments: [("read", 0), ("write", 1), ("admin", 2)])
    func integrationAccess(value: String, expected: Int) throws {
        #expect(try tier(with("      access: read", "      access: \(value)")) == expected)
        let two = with("  network:", "    - {name: jira, access: \(value)}\n  network:").replacingOccurrences(of: "      access: read", with: "      access: read")
        #expect(try tier(two) == expected)
    }

    @Test("no integrations is tier 0 for that term")
    func noIntegrations() throws {
        let m = CheckExample.baseManifest.replacingOccurrences(of: "  integrations:\n    - name: crm\n      access: read\n      endpoint: crm.internal.example.com\n", with: "")
        #expect(try tier(m) == 0)
    }

    @Test("every runtime value", arguments: [("client", 0), ("vendor-platform", 0), ("company-cloud", 1)])
    func runtime(value: String, expected: Int) throws {
        #expect(try tier(with("runtime: client", "runtime: \(value)")) == expected)
    }

    @Test("every criticality value", arguments: [("toy", 0), ("productivity", 0), ("sla-critical", 2)])
    func criticality(value: String, expected: Int) throws {
        #expect(try tier(with("criticality: toy", "criticality: \(value)")) == expected)
    }

    @Test("cost bands: the first band whose upTo is at least the cap", arguments: [
        ("0", 0), ("50", 0), ("50.01", 1), ("200", 1), ("201", 2), ("1000", 2), ("1000.5", 3), ("99999", 3),
    ])
    func cost(value: String, expected: Int) throws {
        #expect(try tier(with("monthlyCapUSD: 10", "monthlyCapUSD: \(value)")) == expected)
    }

    @Test("default rules raise the tier")
    func rules() throws {
        let slaOrgWide = with("criticality: toy", "criticality: sla-critical").replacingOccurrences(of: "accessScope: team", with: "accessScope: org-wide")
        #expect(try tier(slaOrgWide) == 3)  // sla-critical-org-wide
        let crossTeamWrite = with("accessScope: team", "accessScope: cross-team").replacingOccurrences(of: "      access: read", with: "      access: write")
        #expect(try tier(crossTeamWrite) == 2)  // cross-team-write lifts 1 to 2
        let crossTeamRead = with("accessScope: team", "accessScope: cross-team")
        #expect(try tier(crossTeamRead) == 1)
        #expect(try tier(with("egress: allowlist", "egress: open")) == 2)  // open-egress
        let p = policy("rules: []")
        #expect(try tier(slaOrgWide, policy: p) == 2)
    }

    @Test("a custom connector lifts the tier to 1")
    func customConnector() throws {
        #expect(try tier(with("- name: crm", "- name: salesforce")) == 1)
        #expect(try tier(with("- name: crm", "- name: salesforce"), policy: policy("connectors: [crm, salesforce]")) == 0)
    }

    static let templates = policy("""
        templates:
          - {name: form, tier: 1, bounds: {dataClass: [public, internal, confidential], accessScope: [team, cross-team], integrationAccess: [read], monthlyCostUSD: 100}}
        """)

    @Test("a template within its bounds gives its tier in place of the dimension tier; rules still raise it")
    func templateWithin() throws {
        let m = with("  dataClass: internal", "  template: form\n  dataClass: confidential").replacingOccurrences(of: "accessScope: team", with: "accessScope: cross-team")
        // dimension tier would be 1 (confidential, cross-team); the template says 1 as well: use a cheaper template to see it.
        #expect(try tier(m, policy: Self.templates) == 1)
        let zero = Self.templates.replacingOccurrences(of: "tier: 1", with: "tier: 0")
        #expect(try tier(m, policy: zero) == 0)
        let open = m.replacingOccurrences(of: "egress: allowlist", with: "egress: open")
        #expect(try tier(open, policy: zero) == 2)
    }

    @Test("a template outside its bounds is tiered normally")
    func templateOutside() throws {
        let zero = Self.templates.replacingOccurrences(of: "tier: 1", with: "tier: 0")
        let m = with("  dataClass: internal", "  template: form\n  dataClass: restricted")
        #expect(try tier(m, policy: zero) == 2)
        let expensive = with("  dataClass: internal", "  template: form\n  dataClass: internal").replacingOccurrences(of: "monthlyCapUSD: 10", with: "monthlyCapUSD: 150")
        #expect(try tier(expensive, policy: zero) == 1)
    }

    /// Bounds only dataClass and accessScope, at tier 0; no rules, so only the formula's dimension terms decide.
    static let narrowTemplate = policy("""
        rules: []
        templates:
          - {name: dash, tier: 0, bounds: {dataClass: [public, internal, confidential], accessScope: [personal, team]}}
        """)

    func dash(_ replacements: [(String, String)]) -> String {
        var m = with("  dataClass: internal", "  template: dash\n  dataClass: internal")
        for (a, b) in replacements { m = m.replacingOccurrences(of: a, with: b) }
        return m
    }

    @Test("a template vouches only for the dimensions it bounds; the others are tiered as usual", arguments: [
        ([("criticality: toy", "criticality: sla-critical"), ("runtime: client", "runtime: company-cloud")], 2),
        ([("criticality: toy", "criticality: sla-critical")], 2),
        ([("runtime: client", "runtime: company-cloud")], 1),
        ([("monthlyCapUSD: 10", "monthlyCapUSD: 500")], 2),
        ([("monthlyCapUSD: 10", "monthlyCapUSD: 5000")], 3),
        ([("      access: read", "      access: admin")], 2),
        // What it bounds, it vouches for: confidential (tier 1) and team are within the bounds, so tier 0.
        ([("dataClass: internal", "dataClass: confidential")], 0),
        ([], 0),
    ])
    func templateVouchesOnlyForBounds(replacements: [(String, String)], expected: Int) throws {
        #expect(try tier(dash(replacements), policy: Self.narrowTemplate) == expected)
    }

    @Test("a template's own tier still counts when the dimensions it leaves out are lower")
    func templateTierWithUnboundedDimensions() throws {
        let one = Self.narrowTemplate.replacingOccurrences(of: "tier: 0", with: "tier: 1")
        #expect(try tier(dash([]), policy: one) == 1)
        #expect(try tier(dash([("runtime: client", "runtime: company-cloud")]), policy: one) == 1)
        #expect(try tier(dash([("criticality: toy", "criticality: sla-critical")]), policy: one) == 2)
        // Outside its bounds (restricted), the template counts for nothing: every dimension decides.
        #expect(try tier(dash([("dataClass: internal", "dataClass: restricted")]), policy: one) == 2)
        // A template with empty bounds vouches for nothing.
        let empty = policy("rules: []\ntemplates:\n  - {name: dash, tier: 0, bounds: {}}")
        #expect(try tier(dash([("dataClass: internal", "dataClass: confidential")]), policy: empty) == 1)
    }

    @Test("explain shows which dimensions the template bounds, and the unbounded term that decided")
    func explainTemplate() throws {
        let m = dash([("criticality: toy", "criticality: sla-critical"), ("runtime: client", "runtime: company-cloud"), ("dataClass: internal", "dataClass: confidential")])
        let file = ManifestReader.read(Array(m.utf8), path: "m.yaml")
        let app = try #require(file.apps.first?.app)
        let x = TierCalculator(policy: try loadPolicy(Self.narrowTemplate)).explain(app)
        #expect(x.tier == 2 && x.withinTemplate && x.templateTier == 0)
        #expect(x.templateBounds == ["dataClass", "accessScope"])
        #expect(x.dimensions.filter { !$0.counts }.map(\.name) == ["dataClass", "accessScope"])
        #expect(x.decidedBy == ["criticality sla-critical"])
        // Within the bounds and nothing unbounded above the template: the template decides.
        let plain = try #require(ManifestReader.read(Array(dash([]).utf8), path: "m.yaml").apps.first?.app)
        #expect(TierCalculator(policy: try loadPolicy(Self.narrowTemplate)).explain(plain).decidedBy == ["template dash"])
    }

    @Test("explain names the deciding terms")
    func explanation() throws {
        let file = ManifestReader.read(Array(with("dataClass: internal", "dataClass: restricted").utf8), path: "m.yaml")
        let app = try #require(file.apps.first?.app)
        let x = TierCalculator(policy: .builtIn).explain(app)
        #expect(x.tier == 2)
        #expect(x.decidedBy == ["dataClass restricted"])
        #expect(x.dimensions.map(\.name) == Dimensions.names)
    }
}

/// SPEC section 2: a policy cannot switch the gate's own checks off. Each test is one policy that tries, and must
/// be invalid with a message on the line of the attempt; the positive tests show what stays allowed.
@Suite("Policies that try to switch the gate off are invalid")
struct PolicyWeakeningTests {
    static let integrity = FindingID.integrity.map(\.rawValue)
    static let lowered: [CheckLevel] = [.warning, .info, .off]

    /// One invalid policy: the problem must be on `line` and its message must contain `says`.
    func expectInvalid(_ text: String, line: Int, says: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let problems = policyProblems(text)
        #expect(!problems.isEmpty, "the policy was accepted", sourceLocation: sourceLocation)
        #expect(problems.contains { $0.mark.line == line && $0.message.contains(says) }, "\(problems)", sourceLocation: sourceLocation)
    }

    @Test("the integrity ids are built-in errors with a description, and the list holds the eleven of SPEC section 2")
    func integrityIDs() {
        #expect(Set(Self.integrity) == [
            "yaml-syntax", "yaml-duplicate-key", "yaml-unsupported", "yaml-limits", "yaml-encoding", "schema",
            "not-a-manifest-file", "manifest-outside-include", "path-name-mismatch", "duplicate-app-name", "policy-invalid",
        ])
        #expect(Self.integrity.count == 11)
        #expect(FindingID.integrity.allSatisfy { $0.defaultSeverity == .error })
        #expect(!FindingID.isIntegrity("ttl-max") && !FindingID.isIntegrity("secret-literal") && !FindingID.isIntegrity("rule-x"))
        #expect(FindingID.isIntegrity("schema"))
    }

    @Test("checks cannot lower or turn off an integrity check", arguments: integrity, lowered)
    func checksLowered(id: String, level: CheckLevel) {
        expectInvalid(policy("checks: {\(id): \(level.rawValue)}"), line: 3, says: "integrity checks, which cannot be lowered or switched off")
    }

    @Test("an integrity check cannot be excepted", arguments: integrity)
    func excepted(id: String) {
        expectInvalid(
            policy("exceptions:\n  - {check: \(id), app: where2eat, reason: pilot, expires: 2099-01-01}"), line: 4,
            says: "integrity checks, which cannot be excepted")
    }

    @Test("integrity checks set to error, and every other check at any level, are still valid")
    func stillValid() throws {
        let p = try loadPolicy(policy("checks: {schema: error, yaml-duplicate-key: error, ttl-max: off, unknown-field: info, secret-literal: warning}"))
        #expect(p.checks["schema"] == .error && p.checks["ttl-max"] == .off)
        let e = try loadPolicy(policy("exceptions: [{check: ttl-max, app: a, reason: migration, expires: 2099-01-01}]"))
        #expect(e.exceptions.map(\.check) == ["ttl-max"])
    }

    @Test("ungovernedFields cannot name what a dimension, template or built-in check reads", arguments: [
        ("spec.dataClass", "the dataClass dimension"), ("spec.accessScope", "the accessScope dimension"),
        ("spec.integrations", "the integrationAccess dimension"), ("spec.runtime", "the runtime dimension"),
        ("spec.criticality", "the criticality dimension"), ("spec.cost", "the monthlyCostUSD dimension"),
        ("spec.cost.monthlyCapUSD", "the monthlyCostUSD dimension"), ("spec.template", "the template bounds"),
        ("spec", "the dataClass dimension"), ("spec.network.egress", "the built-in checks"),
        ("spec.lifecycle", "the built-in checks"), ("spec.secrets", "the built-in checks"),
        ("apiVersion", "the gate's identity checks"), ("kind", "the gate's identity checks"), ("metadata", "the gate's identity checks"),
        ("metadata.name", "the gate's identity checks"), ("metadata.owner", "the gate's identity checks"),
    ])
    func readByTheGate(field: String, reader: String) {
        expectInvalid(policy("ungovernedFields: [metadata.title, \(field)]"), line: 3, says: "'\(field)' is read by \(reader)")
    }

    @Test("a rule reading an ungoverned field is invalid, at the rule's line")
    func ruleReadsUngoverned() {
        // The default leaves metadata.description ungoverned: the rule is the problem.
        let rule = "rules:\n  - id: payroll\n    message: m\n    when: {field: metadata.description, matches: payroll}\n    raiseTier: 2"
        expectInvalid(policy(rule), line: 4, says: "the rule 'payroll' reads metadata.description")
        // Nested in any/not, or in require, it reads the field just the same.
        let nested = "rules:\n  - id: r\n    message: m\n    when: {any: [{field: spec.dataClass, equals: public}, {not: {field: metadata.title, exists: false}}]}\n    raiseTier: 1"
        expectInvalid(policy(nested), line: 4, says: "reads metadata.title")
        let require = "rules:\n  - id: r\n    message: m\n    when: {field: spec.dataClass, equals: public}\n    require: {field: metadata.description, exists: true}"
        expectInvalid(policy(require), line: 4, says: "reads metadata.description")
        // Labels: ungoverning all of them while a rule reads one label, or a label a rule reads.
        let label = "ungovernedFields: [metadata.labels]\nrules:\n  - id: r\n    message: m\n    when: {field: metadata.labels.costCenter, equals: CC-1}\n    raiseTier: 1"
        expectInvalid(policy(label), line: 5, says: "reads metadata.labels.costCenter, which ungovernedFields[0] 'metadata.labels'")
        let one = "ungovernedFields: [metadata.labels.costCenter]\nrules:\n  - id: r\n    message: m\n    when: {field: metadata.labels, exists: true}\n    raiseTier: 1"
        expectInvalid(policy(one), line: 5, says: "reads metadata.labels")
    }

    @Test("a field the gate reads, listed in ungovernedFields, is reported on the entry's own line")
    func entryPointedAt() {
        // The default rules read spec.network.egress too; the built-in checks, which read all of spec, are named.
        expectInvalid(policy("ungovernedFields:\n  - metadata.title\n  - spec.network.egress"), line: 5, says: "ungovernedFields[1] 'spec.network.egress'")
    }

    @Test("title, description and labels nothing reads can stay ungoverned")
    func ungovernedStillValid() throws {
        let p = try loadPolicy(policy("ungovernedFields: [metadata.title, metadata.description, metadata.labels]"))
        #expect(p.ungovernedFields == ["metadata.title", "metadata.description", "metadata.labels"])
        let rule = "ungovernedFields: [metadata.title, metadata.labels.team]\nrules:\n  - id: r\n    message: m\n    when: {field: metadata.labels.costCenter, equals: CC-1}\n    raiseTier: 1"
        #expect(try loadPolicy(policy(rule)).ungovernedFields == ["metadata.title", "metadata.labels.team"])
        #expect(try loadPolicy(policy("ungovernedFields: []")).ungovernedFields.isEmpty)
    }

    @Test("FindingPolicy.apply leaves integrity findings alone even under a Policy value that tries to lower them")
    func applyIsHonest() {
        var p = Policy.builtIn
        let until = Day(year: 2099, month: 1, day: 1) ?? CheckExample.today
        for id in Self.integrity + ["ttl-max"] {
            p.checks[id] = .off
            p.exceptions.append(PolicyException(check: id, app: "a", reason: "r", expires: until, mark: .start))
        }
        p.checks["yaml-syntax"] = .info
        let fp = FindingPolicy(policy: p, today: CheckExample.today, policyPath: Policy.path)
        let raw = (FindingID.integrity + [.ttlMax]).map { Finding($0, message: "m", path: "x.yaml", mark: .start, app: "a") }
        let out = fp.apply(raw)
        #expect(out.map(\.id) == Self.integrity, "ttl-max is turned off, every integrity finding stays")
        #expect(out.allSatisfy { $0.severity == .error && $0.suppressed == nil })
    }

    /// The schema says what it can of the same rules; check-jsonschema must refuse what the loader refuses.
    @Test("policy.schema.json refuses the weakening policies too", arguments: [
        "checks: {schema: off}", "checks: {yaml-duplicate-key: warning}", "checks: {path-name-mismatch: info}",
        "exceptions: [{check: yaml-unsupported, app: a, reason: r, expires: '2099-01-01'}]",
        "ungovernedFields: [spec.dataClass]", "ungovernedFields: [spec]", "ungovernedFields: [metadata]",
        "ungovernedFields: [metadata.owner]",
    ])
    func schemaAgrees(body: String) throws {
        #expect(!policyProblems(policy(body)).isEmpty, "the loader accepted \(body)")
        let dir = try makeTemporaryDirectory("schema")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/policy.yaml"
        try Data(policy(body).utf8).write(to: URL(fileURLWithPath: file))
        let r = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/policy.schema.json"), file])
        #expect(r.status == 1, "check-jsonschema: \(r.status) \(r.stdout)\(r.stderr)")
        let ok = dir + "/ok.yaml"
        try Data(policy("checks: {schema: error, ttl-max: off}\nungovernedFields: [metadata.title, metadata.labels.team]").utf8).write(to: URL(fileURLWithPath: ok))
        #expect(try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/policy.schema.json"), ok]).status == 0)
    }

    @Test("the schema's integrity pattern is FindingID.integrity")
    func schemaPattern() throws {
        let text = String(decoding: try Project.bytes("schemas/policy.schema.json"), as: UTF8.self)
        let pattern = "^(" + Self.integrity.joined(separator: "|") + ")$"
        #expect(text.components(separatedBy: pattern).count == 3, "checks and exceptions must both use \(pattern)")
    }
}

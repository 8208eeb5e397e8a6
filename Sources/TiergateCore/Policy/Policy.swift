/// `{group, count}`: so many approvals from members of a group.
package struct ApprovalRequirement: SchemaRecord, Hashable, Codable {
    package var group = ""
    package var count = 0

    package init() {}

    package init(group: String, count: Int) {
        self.group = group
        self.count = count
    }
}

package struct TierDefinition: SchemaRecord, Hashable {
    package var tier = 0
    package var name = ""
    package var approvals: [ApprovalRequirement] = []

    package init() {}
}

/// The value → tier maps of the policy's `dimensions`.
package struct Dimensions: SchemaRecord, Hashable {
    package var dataClass: [String: Int] = [:]
    package var accessScope: [String: Int] = [:]
    package var integrationAccess: [String: Int] = [:]
    package var runtime: [String: Int] = [:]
    package var criticality: [String: Int] = [:]
    package var monthlyCostUSD: [CostBand] = []

    package init() {}

    /// The dimension names, in the order `explain` shows them (also the keys of a template's `bounds`).
    package static let names = Dimension.allCases.map(\.rawValue)

    /// The tier one dimension gives an app. The policy loader guarantees every enum value has a tier; 0 is only a
    /// fallback for the compiler. `integrationAccess` is the highest over the integrations, 0 when there are none.
    package func tier(_ dimension: Dimension, of spec: MicroApp.Spec) -> Int {
        switch dimension {
        case .dataClass: return dataClass[spec.dataClass.rawValue] ?? 0
        case .accessScope: return accessScope[spec.accessScope.rawValue] ?? 0
        case .integrationAccess: return spec.integrations.map { integrationAccess[$0.access.rawValue] ?? 0 }.max() ?? 0
        case .runtime: return runtime[spec.runtime.rawValue] ?? 0
        case .criticality: return criticality[spec.criticality.rawValue] ?? 0
        case .monthlyCostUSD: return costTier(spec.cost.monthlyCapUSD)
        }
    }

    /// The tier of a cost cap: the first band whose `upTo` is at least the cap.
    package func costTier(_ cap: Double) -> Int {
        for band in monthlyCostUSD {
            guard let upTo = band.upTo else { return band.tier }
            if cap <= upTo { return band.tier }
        }
        return monthlyCostUSD.last?.tier ?? 0
    }
}

/// One dimension of SPEC section 3, in the order `explain` shows them.
package enum Dimension: String, Sendable, Hashable, CaseIterable {
    case dataClass, accessScope, integrationAccess, runtime, criticality, monthlyCostUSD

    /// The values the manifest field can hold, each of which the policy maps to a tier; none for the cost, which
    /// has bands.
    package var values: [String] {
        switch self {
        case .dataClass: DataClass.allowedValues
        case .accessScope: AccessScope.allowedValues
        case .integrationAccess: IntegrationAccess.allowedValues
        case .runtime: Runtime.allowedValues
        case .criticality: Criticality.allowedValues
        case .monthlyCostUSD: []
        }
    }

    /// The manifest field the dimension reads.
    package var field: String {
        switch self {
        case .dataClass: return "spec.dataClass"
        case .accessScope: return "spec.accessScope"
        case .integrationAccess: return "spec.integrations[*].access"
        case .runtime: return "spec.runtime"
        case .criticality: return "spec.criticality"
        case .monthlyCostUSD: return "spec.cost.monthlyCapUSD"
        }
    }
}

package struct CostBand: SchemaRecord, Hashable {
    package var upTo: Double?
    package var tier = 0

    package init() {}

    package init(upTo: Double?, tier: Int) {
        self.upTo = upTo
        self.tier = tier
    }
}

/// A pre-approved shape: apps within its bounds take its tier.
package struct Template: Sendable, Hashable {
    package var name: String
    package var tier: Int
    /// Dimension name → allowed values (`dataClass: [public, internal]`).
    package var allowed: [String: [String]]
    package var maxMonthlyCostUSD: Double?

    /// Whether the bounds name a dimension. A template vouches only for what it bounds: the dimensions it does
    /// not bound are tiered as usual even for an app within its bounds (SPEC section 2).
    package func bounds(_ dimension: Dimension) -> Bool {
        dimension == .monthlyCostUSD ? maxMonthlyCostUSD != nil : allowed[dimension.rawValue] != nil
    }
}

package struct Rule: SchemaRecord, Hashable {
    package var id = ""
    package var message = ""
    package var when = Condition.all([])
    package var require: Condition?
    package var severity = Severity.error
    package var raiseTier: Int?
    package var approvals: [ApprovalRequirement] = []
    /// Where the rule starts in the policy file.
    package var mark = Mark.start

    package init() {}

    package mutating func located(at mark: Mark) { self.mark = mark }
}

extension Rule {
    /// Every field the rule's `when` and `require` read.
    package var fieldsRead: [FieldPath] { when.fieldsRead + (require?.fieldsRead ?? []) }
}

package struct PolicyException: SchemaRecord, Hashable {
    package var check = ""
    package var app = ""
    package var reason = ""
    package var expires = Day.earliest
    /// Where the exception starts in the policy file.
    package var mark = Mark.start

    package init() {}

    package init(check: String, app: String, reason: String, expires: Day, mark: Mark) {
        self.check = check
        self.app = app
        self.reason = reason
        self.expires = expires
        self.mark = mark
    }

    package mutating func located(at mark: Mark) { self.mark = mark }
}

package enum CheckLevel: String, Sendable, Hashable, CaseIterable {
    case error, warning, info, off

    package var severity: Severity? { Severity(rawValue: rawValue) }
}

package struct Limits: Sendable, Hashable {
    package var defaultTtlDays: Int
    package var maxTtlDays: Int
    package var attestationDays: Int
    package var minLogRetentionDays: Int
}

/// The policy in force (`tiergate/v1` `Policy`, SPEC section 2).
package struct Policy: Sendable {
    package static let path = ".tiergate/policy.yaml"

    package var manifests: PathMatcher
    package var dimensions: Dimensions
    package var tiers: [TierDefinition]
    package var policyChangeApprovals: [ApprovalRequirement]
    package var allowStale: Bool
    package var distinctApprovers: Bool
    /// Group → member logins.
    package var groups: [String: [String]]
    package var connectors: [String]
    package var secretRefSchemes: [String]
    /// Zone → regions.
    package var residency: [String: [String]]
    package var limits: Limits
    package var ungovernedFields: [String]
    package var templates: [Template]
    package var checks: [String: CheckLevel]
    package var rules: [Rule]
    package var exceptions: [PolicyException]

    package func tier(_ n: Int) -> TierDefinition? { tiers.first { $0.tier == n } }

    /// The fields the gate reads to tier and check an app whatever the policy says (SPEC section 2), each with who
    /// reads it; `ungovernedFields` may name none of them, nor anything above or below them:
    /// - every dimension's field (`Dimension.field`), which template bounds read too;
    /// - `spec.template`, which picks the template;
    /// - the fields `ManifestSchema` governs: the identity (`apiVersion`, `kind`, `metadata.name`,
    ///   `metadata.owner`) and everything under `spec`, which the built-in checks read.
    ///
    /// The blanket scans do not count as readers: `secret-literal` reads every string (labels, title and
    /// description included), and `unknown-field` and `yaml-ambiguous-scalar` every key and scalar. Their findings
    /// are reported for the head version of every file a change touches, whatever its change kind (SPEC section
    /// 4), so an ungoverned-only change still shows and counts them; they never need the field to be governed.
    package static let builtInFieldUses: [FieldUse] = {
        var readers = Dimension.allCases.map { FieldUse(field: $0.field, reader: "the \($0.rawValue) dimension") }
        readers.append(FieldUse(field: "spec.template", reader: "the template bounds"))
        readers += ManifestSchema.governedFields.map { FieldUse(field: $0.path, reader: $0.reader) }
        return readers
    }()

    /// Every field the gate reads under a policy with these rules: the built-in uses, then every field of every
    /// rule's `when` and `require`.
    package static func fieldUses(rules: [Rule]) -> [FieldUse] {
        builtInFieldUses
            + rules.flatMap { rule in rule.fieldsRead.map { FieldUse(path: $0, reader: "the rule '\(rule.id)'", rule: rule) } }
    }

    package func template(named name: String) -> Template? { templates.first { $0.name == name } }

    /// The built-in default of SPEC section 2.
    package static let builtIn: Policy = {
        switch PolicyLoader.load(Array(DefaultPolicy.text.utf8), defaults: nil) {
        case .success(let p): return p
        case .failure(let problems):
            // The default is a constant of this program, validated by the test suite; this cannot happen at run time.
            preconditionFailure("the built-in default policy is invalid: \(problems)")
        }
    }()
}

/// A part of the gate that reads a manifest field: a dimension, the template lookup, a built-in check or a rule.
package struct FieldUse: Sendable, Hashable {
    package var path: FieldPath
    /// Who reads it, for messages: "the dataClass dimension", "the rule 'open-egress'".
    package var reader: String
    /// The rule that reads it; nil for the gate's own readers.
    package var rule: Rule?
}

extension FieldUse {
    /// A built-in reader; its field is a constant of this program, checked by the test suite.
    init(field: String, reader: String) {
        guard let path = FieldPath(field) else { preconditionFailure("'\(field)' is not a field path") }
        self.init(path: path, reader: reader)
    }
}

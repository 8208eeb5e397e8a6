/// `{group, count}`: so many approvals from members of a group.
public struct ApprovalRequirement: Sendable, Hashable, Codable {
    public var group: String
    public var count: Int

    public init(group: String, count: Int) {
        self.group = group
        self.count = count
    }
}

public struct TierDefinition: Sendable, Hashable {
    public var tier: Int
    public var name: String
    public var approvals: [ApprovalRequirement]
}

/// The value → tier maps of the policy's `dimensions`.
public struct Dimensions: Sendable, Hashable {
    public var dataClass: [String: Int]
    public var accessScope: [String: Int]
    public var integrationAccess: [String: Int]
    public var runtime: [String: Int]
    public var criticality: [String: Int]
    public var monthlyCostUSD: [CostBand]

    /// The dimension names, in the order `explain` shows them.
    public static let names = ["dataClass", "accessScope", "integrationAccess", "runtime", "criticality", "monthlyCostUSD"]

    /// The tier of a cost cap: the first band whose `upTo` is at least the cap.
    public func costTier(_ cap: Double) -> Int {
        for band in monthlyCostUSD {
            guard let upTo = band.upTo else { return band.tier }
            if cap <= upTo { return band.tier }
        }
        return monthlyCostUSD.last?.tier ?? 0
    }
}

public struct CostBand: Sendable, Hashable {
    public var upTo: Double?
    public var tier: Int
}

/// A pre-approved shape: apps within its bounds take its tier.
public struct Template: Sendable, Hashable {
    public var name: String
    public var tier: Int
    /// Dimension name → allowed values (`dataClass: [public, internal]`).
    public var allowed: [String: [String]]
    public var maxMonthlyCostUSD: Double?
}

public struct Rule: Sendable, Hashable {
    public var id: String
    public var message: String
    public var when: Condition
    public var require: Condition?
    public var severity: Severity
    public var raiseTier: Int?
    public var approvals: [ApprovalRequirement]
    public var mark: Mark
}

public struct PolicyException: Sendable, Hashable {
    public var check: String
    public var app: String
    public var reason: String
    public var expires: Day
    public var mark: Mark
}

public enum CheckLevel: String, Sendable, Hashable, CaseIterable {
    case error, warning, info, off

    public var severity: Severity? { Severity(rawValue: rawValue) }
}

public struct Limits: Sendable, Hashable {
    public var defaultTtlDays: Int
    public var maxTtlDays: Int
    public var attestationDays: Int
    public var minLogRetentionDays: Int
}

/// The policy in force (`tiergate/v1` `Policy`, SPEC section 2).
public struct Policy: Sendable {
    public static let path = ".tiergate/policy.yaml"

    public var manifests: PathMatcher
    public var dimensions: Dimensions
    public var tiers: [TierDefinition]
    public var policyChangeApprovals: [ApprovalRequirement]
    public var allowStale: Bool
    public var distinctApprovers: Bool
    /// Group → member logins.
    public var groups: [String: [String]]
    public var connectors: [String]
    public var secretRefSchemes: [String]
    /// Zone → regions.
    public var residency: [String: [String]]
    public var limits: Limits
    public var ungovernedFields: [String]
    public var templates: [Template]
    public var checks: [String: CheckLevel]
    public var rules: [Rule]
    public var exceptions: [PolicyException]

    public func tier(_ n: Int) -> TierDefinition? { tiers.first { $0.tier == n } }

    public func template(named name: String) -> Template? { templates.first { $0.name == name } }

    /// The built-in default of SPEC section 2.
    public static let builtIn: Policy = {
        switch PolicyLoader.load(Array(DefaultPolicy.text.utf8), defaults: nil) {
        case .success(let p): return p
        case .failure(let problems):
            // The default is a constant of this program, validated by the test suite; this cannot happen at run time.
            preconditionFailure("the built-in default policy is invalid: \(problems)")
        }
    }()
}

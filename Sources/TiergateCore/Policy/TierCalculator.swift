/// One term of the tier formula: a dimension's value and the tier it maps to.
public struct DimensionTerm: Sendable, Hashable {
    public var name: String
    public var value: String
    public var tier: Int
}

/// Every term of SPEC section 3 for one app: what `explain` shows and what the tier is.
public struct TierExplanation: Sendable, Hashable {
    public var dimensions: [DimensionTerm]
    public var dimensionTier: Int
    /// The template named by `spec.template`, when the policy knows it.
    public var template: String?
    /// Whether the app lies within that template's bounds (then the template's tier replaces the dimension tier).
    public var withinTemplate: Bool
    public var templateTier: Int?
    /// The bounds the app breaks, as "dimension value" strings.
    public var templateDeviations: [String]
    /// Rules whose `when` holds and that raise the tier.
    public var raisingRules: [(id: String, raiseTier: Int)]
    /// Integrations not in the policy's connectors.
    public var customConnectors: [String]
    public var tier: Int
    /// What decided the tier, for people: "dataClass restricted", "rule sla-critical-org-wide", "template …".
    public var decidedBy: [String]

    public static func == (a: TierExplanation, b: TierExplanation) -> Bool {
        a.dimensions == b.dimensions && a.tier == b.tier && a.template == b.template && a.withinTemplate == b.withinTemplate
            && a.raisingRules.map(\.id) == b.raisingRules.map(\.id) && a.customConnectors == b.customConnectors
    }

    public func hash(into h: inout Hasher) {
        h.combine(tier)
        h.combine(dimensions)
    }
}

/// `tier = max(templateTier if within bounds else dimensionTier, raiseTier of every rule that fires,
/// 1 if any integration is not a connector)`.
public struct TierCalculator: Sendable {
    public let policy: Policy

    public init(policy: Policy) { self.policy = policy }

    public func explain(_ app: MicroApp, value: ManifestValue? = nil) -> TierExplanation {
        let d = policy.dimensions
        let spec = app.spec
        // The policy loader guarantees every enum value has a tier; 0 is only a fallback for the compiler.
        let integrationAccess = spec.integrations.max { (d.integrationAccess[$0.access.rawValue] ?? 0) < (d.integrationAccess[$1.access.rawValue] ?? 0) }
        var terms = [
            DimensionTerm(name: "dataClass", value: spec.dataClass.rawValue, tier: d.dataClass[spec.dataClass.rawValue] ?? 0),
            DimensionTerm(name: "accessScope", value: spec.accessScope.rawValue, tier: d.accessScope[spec.accessScope.rawValue] ?? 0),
            DimensionTerm(
                name: "integrationAccess", value: integrationAccess.map { "\($0.access.rawValue) (\($0.name))" } ?? "none",
                tier: integrationAccess.map { d.integrationAccess[$0.access.rawValue] ?? 0 } ?? 0),
            DimensionTerm(name: "runtime", value: spec.runtime.rawValue, tier: d.runtime[spec.runtime.rawValue] ?? 0),
            DimensionTerm(name: "criticality", value: spec.criticality.rawValue, tier: d.criticality[spec.criticality.rawValue] ?? 0),
        ]
        terms.append(
            DimensionTerm(
                name: "monthlyCostUSD", value: ManifestValue.format(spec.cost.monthlyCapUSD), tier: d.costTier(spec.cost.monthlyCapUSD)))
        let dimensionTier = terms.map(\.tier).max() ?? 0

        var template: String?
        var within = false
        var templateTier: Int?
        var deviations: [String] = []
        if let name = spec.template, let t = policy.template(named: name) {
            template = name
            templateTier = t.tier
            deviations = Self.deviations(app, from: t)
            within = deviations.isEmpty
        }

        let root = value ?? app.value
        let raising = policy.rules.compactMap { rule -> (id: String, raiseTier: Int)? in
            guard let r = rule.raiseTier, rule.when.holds(on: root) else { return nil }
            return (rule.id, r)
        }
        let connectors = Set(policy.connectors)
        let custom = spec.integrations.map(\.name).filter { !connectors.contains($0) }

        let base = within ? (templateTier ?? dimensionTier) : dimensionTier
        var tier = base
        for r in raising { tier = max(tier, r.raiseTier) }
        if !custom.isEmpty { tier = max(tier, 1) }

        var decided: [String] = []
        if within, let template, let templateTier, templateTier == tier { decided.append("template \(template)") }
        if !within { decided += terms.filter { $0.tier == tier && tier > 0 }.map { "\($0.name) \($0.value)" } }
        decided += raising.filter { $0.raiseTier == tier }.map { "rule \($0.id)" }
        if tier == 1 && !custom.isEmpty { decided.append("custom connector \(custom.joined(separator: ", "))") }
        if decided.isEmpty { decided.append("every term is tier \(tier)") }

        return TierExplanation(
            dimensions: terms, dimensionTier: dimensionTier, template: template, withinTemplate: within,
            templateTier: templateTier, templateDeviations: deviations, raisingRules: raising, customConnectors: custom,
            tier: tier, decidedBy: decided)
    }

    /// The same formula as `explain`, without the words: `lint` and `check` need only the number, for every
    /// app. A test checks that both agree on every fixture.
    public func tier(of app: MicroApp, value: ManifestValue? = nil) -> Int {
        let d = policy.dimensions
        let spec = app.spec
        var dimensionTier = max(
            d.dataClass[spec.dataClass.rawValue] ?? 0, d.accessScope[spec.accessScope.rawValue] ?? 0,
            d.runtime[spec.runtime.rawValue] ?? 0, d.criticality[spec.criticality.rawValue] ?? 0,
            d.costTier(spec.cost.monthlyCapUSD))
        for i in spec.integrations { dimensionTier = max(dimensionTier, d.integrationAccess[i.access.rawValue] ?? 0) }
        var tier = dimensionTier
        if let name = spec.template, let t = policy.template(named: name), Self.isWithin(app, t) { tier = t.tier }
        for rule in policy.rules {
            guard let r = rule.raiseTier, r > tier else { continue }
            let holds = value.map { rule.when.holds(on: $0) } ?? rule.when.holds(on: TypedFields(app))
            if holds { tier = r }
        }
        if tier < 1, spec.integrations.contains(where: { !policy.connectors.contains($0.name) }) { tier = 1 }
        return tier
    }

    /// Whether an app lies within a template's bounds (`deviations` is empty), without writing them out.
    static func isWithin(_ app: MicroApp, _ t: Template) -> Bool {
        let s = app.spec
        func ok(_ key: String, _ value: String) -> Bool { t.allowed[key].map { $0.contains(value) } ?? true }
        guard ok("dataClass", s.dataClass.rawValue), ok("accessScope", s.accessScope.rawValue), ok("runtime", s.runtime.rawValue),
            ok("criticality", s.criticality.rawValue), s.integrations.allSatisfy({ ok("integrationAccess", $0.access.rawValue) })
        else { return false }
        if let max = t.maxMonthlyCostUSD, s.cost.monthlyCapUSD > max { return false }
        return true
    }

    /// The bounds of a template an app breaks.
    static func deviations(_ app: MicroApp, from t: Template) -> [String] {
        let s = app.spec
        var out: [String] = []
        func check(_ key: String, _ values: [String]) {
            guard let allowed = t.allowed[key] else { return }
            for v in values where !allowed.contains(v) { out.append("\(key) \(v)") }
        }
        check("dataClass", [s.dataClass.rawValue])
        check("accessScope", [s.accessScope.rawValue])
        check("runtime", [s.runtime.rawValue])
        check("criticality", [s.criticality.rawValue])
        check("integrationAccess", Array(Set(s.integrations.map(\.access.rawValue))).sorted())
        if let max = t.maxMonthlyCostUSD, s.cost.monthlyCapUSD > max {
            out.append("monthlyCostUSD \(ManifestValue.format(s.cost.monthlyCapUSD)) (at most \(ManifestValue.format(max)))")
        }
        return out
    }
}

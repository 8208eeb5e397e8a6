/// One term of the tier formula: a dimension's value and the tier it maps to.
package struct DimensionTerm: Sendable, Hashable {
    package var name: String
    package var value: String
    package var tier: Int
    /// Whether the term counts towards the tier: false when a template the app lies within bounds the dimension
    /// (the template's tier stands in for it).
    package var counts: Bool = true
}

/// Every term of SPEC section 3 for one app: what `explain` shows and what the tier is.
package struct TierExplanation: Sendable, Hashable {
    package var dimensions: [DimensionTerm]
    package var dimensionTier: Int
    /// The template named by `spec.template`, when the policy knows it.
    package var template: String?
    /// Whether the app lies within that template's bounds (then the template's tier replaces the tiers of the
    /// dimensions it bounds; the others count as usual).
    package var withinTemplate: Bool
    package var templateTier: Int?
    /// The dimensions the template bounds (`Dimensions.names` order); empty without a template.
    package var templateBounds: [String]
    /// The bounds the app breaks, as "dimension value" strings.
    package var templateDeviations: [String]
    /// Rules whose `when` holds and that raise the tier.
    package var raisingRules: [(id: String, raiseTier: Int)]
    /// Integrations not in the policy's connectors.
    package var customConnectors: [String]
    package var tier: Int
    /// What decided the tier, for people: "dataClass restricted", "rule sla-critical-org-wide", "template …".
    package var decidedBy: [String]

    package static func == (a: TierExplanation, b: TierExplanation) -> Bool {
        a.dimensions == b.dimensions && a.tier == b.tier && a.template == b.template && a.withinTemplate == b.withinTemplate
            && a.raisingRules.map(\.id) == b.raisingRules.map(\.id) && a.customConnectors == b.customConnectors
    }

    package func hash(into h: inout Hasher) {
        h.combine(tier)
        h.combine(dimensions)
    }
}

/// The terms of SPEC section 3 before rules and connectors, and which of them count: the one definition that
/// `TierCalculator.tier(of:)` and `TierCalculator.explain` share, so that they cannot disagree on it.
struct TierTerms {
    /// Each dimension's tier, in `Dimension.allCases` order.
    let dimensionTiers: [Int]
    /// The template that vouches for the app: the one `spec.template` names, when the policy has it and the app
    /// lies within its bounds.
    let vouching: Template?

    init(_ app: MicroApp, policy: Policy, template: Template?, within: Bool) {
        dimensionTiers = Dimension.allCases.map { policy.dimensions.tier($0, of: app.spec) }
        vouching = within ? template : nil
    }

    /// Whether a dimension's tier counts: no template vouches for the app, or the template does not bound it.
    func counts(_ dimension: Dimension) -> Bool { !(vouching?.bounds(dimension) ?? false) }

    /// `max(templateTier if within bounds else dimensionTier, tiers of the dimensions the template does not bound)`.
    var baseTier: Int {
        var tier = vouching?.tier ?? 0
        for (dimension, t) in zip(Dimension.allCases, dimensionTiers) where counts(dimension) { tier = max(tier, t) }
        return tier
    }
}

/// `tier = max(templateTier if within bounds else dimensionTier, tiers of the dimensions the template does not
/// bound, raiseTier of every rule whose when holds, 1 if any integration is not a connector)` (SPEC section 3).
package struct TierCalculator: Sendable {
    package let policy: Policy

    package init(policy: Policy) { self.policy = policy }

    package func explain(_ app: MicroApp, value: ManifestValue? = nil) -> TierExplanation {
        let d = policy.dimensions
        let spec = app.spec

        var template: String?
        var within = false
        var templateTier: Int?
        var deviations: [String] = []
        var bounded: [String] = []
        var named: Template?
        if let name = spec.template, let t = policy.template(named: name) {
            named = t
            template = name
            templateTier = t.tier
            deviations = Self.deviations(app, from: t)
            within = deviations.isEmpty
            bounded = Dimension.allCases.filter(t.bounds).map(\.rawValue)
        }
        let terms = TierTerms(app, policy: policy, template: named, within: within)

        let integrationAccess = spec.integrations.max { (d.integrationAccess[$0.access.rawValue] ?? 0) < (d.integrationAccess[$1.access.rawValue] ?? 0) }
        let dimensions = zip(Dimension.allCases, terms.dimensionTiers).map { dimension, tier in
            let value: String
            switch dimension {
            case .dataClass: value = spec.dataClass.rawValue
            case .accessScope: value = spec.accessScope.rawValue
            case .integrationAccess: value = integrationAccess.map { "\($0.access.rawValue) (\($0.name))" } ?? "none"
            case .runtime: value = spec.runtime.rawValue
            case .criticality: value = spec.criticality.rawValue
            case .monthlyCostUSD: value = ManifestValue.format(spec.cost.monthlyCapUSD)
            }
            return DimensionTerm(name: dimension.rawValue, value: value, tier: tier, counts: terms.counts(dimension))
        }
        let dimensionTier = terms.dimensionTiers.max() ?? 0

        let root = value ?? app.value
        let raising = policy.rules.compactMap { rule -> (id: String, raiseTier: Int)? in
            guard let r = rule.raiseTier, rule.when.holds(on: root) else { return nil }
            return (rule.id, r)
        }
        let connectors = Set(policy.connectors)
        let custom = spec.integrations.map(\.name).filter { !connectors.contains($0) }

        var tier = terms.baseTier
        for r in raising { tier = max(tier, r.raiseTier) }
        if !custom.isEmpty { tier = max(tier, 1) }

        var decided: [String] = []
        if within, let template, let templateTier, templateTier == tier { decided.append("template \(template)") }
        decided += dimensions.filter { $0.counts && $0.tier == tier && tier > 0 }.map { "\($0.name) \($0.value)" }
        decided += raising.filter { $0.raiseTier == tier }.map { "rule \($0.id)" }
        if tier == 1 && !custom.isEmpty { decided.append("custom connector \(custom.joined(separator: ", "))") }
        if decided.isEmpty { decided.append("every term is tier \(tier)") }

        return TierExplanation(
            dimensions: dimensions, dimensionTier: dimensionTier, template: template, withinTemplate: within,
            templateTier: templateTier, templateBounds: bounded, templateDeviations: deviations, raisingRules: raising,
            customConnectors: custom, tier: tier, decidedBy: decided)
    }

    /// The same formula as `explain`, without the words: `lint` and `check` need only the number, for every
    /// app. Both take the template and dimension terms from `TierTerms`; a test checks that they agree on every
    /// fixture.
    package func tier(of app: MicroApp, value: ManifestValue? = nil) -> Int {
        let spec = app.spec
        let template = spec.template.flatMap(policy.template(named:))
        let within = template.map { Self.isWithin(app, $0) } ?? false
        var tier = TierTerms(app, policy: policy, template: template, within: within).baseTier
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

/// One term of the tier formula: a dimension's value and the tier it maps to.
package struct DimensionTerm: Sendable, Hashable {
    package var name: String
    package var value: String
    package var tier: Int
    /// Whether the term counts towards the tier: false when a template the app lies within bounds the dimension
    /// (the template's tier stands in for it).
    package var counts: Bool = true
}

/// A rule whose `when` holds on the app and that raises the tier.
package struct RaisingRule: Sendable, Hashable {
    package var id: String
    package var raiseTier: Int
}

/// Every term of SPEC section 3 for one app: what `explain` shows, as `TierCalculator`'s formula met them.
package struct TierExplanation: Sendable, Hashable {
    package var dimensions: [DimensionTerm] = []
    /// The highest dimension tier, counted or not.
    package var dimensionTier = 0
    /// The template named by `spec.template`, when the policy knows it.
    package var template: String?
    /// Whether the app lies within that template's bounds (then the template's tier replaces the tiers of the
    /// dimensions it bounds; the others count as usual).
    package var withinTemplate = false
    package var templateTier: Int?
    /// The dimensions the template bounds (`Dimensions.names` order); empty without a template.
    package var templateBounds: [String] = []
    /// The bounds the app breaks, as "dimension value" strings.
    package var templateDeviations: [String] = []
    /// Rules whose `when` holds and that raise the tier.
    package var raisingRules: [RaisingRule] = []
    /// Integrations not in the policy's connectors.
    package var customConnectors: [String] = []
    package var tier = 0
    /// What decided the tier, for people: "dataClass restricted", "rule sla-critical-org-wide", "template …".
    package var decidedBy: [String] = []
}

/// What the tier formula tells about its terms as it meets them. The formula is written once
/// (`TierCalculator.tier(of:terms:)`); `explain` records every term, while `lint` and `check` pass `TierOnly`,
/// whose methods do nothing and are specialised away, so the number costs no words and no allocation.
protocol TierTerms {
    /// Whether every term is wanted. Without it the formula may skip what cannot change the number: a rule that
    /// cannot raise the tier is not evaluated, and custom connectors are not looked for once the tier is 1.
    static var wantsEveryTerm: Bool { get }
    mutating func template(_ template: Template, within: Bool)
    mutating func dimension(_ dimension: Dimension, tier: Int, counts: Bool)
    mutating func rule(_ rule: Rule, raises tier: Int)
    mutating func customConnector(_ integration: MicroApp.Integration)
}

/// The number alone.
struct TierOnly: TierTerms {
    static var wantsEveryTerm: Bool { false }
    @inline(__always) mutating func template(_ template: Template, within: Bool) {}
    @inline(__always) mutating func dimension(_ dimension: Dimension, tier: Int, counts: Bool) {}
    @inline(__always) mutating func rule(_ rule: Rule, raises tier: Int) {}
    @inline(__always) mutating func customConnector(_ integration: MicroApp.Integration) {}
}

/// `tier = max(templateTier if within bounds else dimensionTier, tiers of the dimensions the template does not
/// bound, raiseTier of every rule whose when holds, 1 if any integration is not a connector)` (SPEC section 3).
package struct TierCalculator: Sendable {
    package let policy: Policy

    package init(policy: Policy) { self.policy = policy }

    /// The tier, as `lint` and `check` need it for every app.
    package func tier(of app: MicroApp) -> Int {
        var none = TierOnly()
        return tier(of: app, terms: &none)
    }

    /// The tier and every term of it, for people.
    package func explain(_ app: MicroApp) -> TierExplanation {
        var recorder = TermRecorder(app, dimensions: policy.dimensions)
        let tier = tier(of: app, terms: &recorder)
        return recorder.explanation(tier: tier)
    }

    /// The formula, the one place it is written.
    @inline(__always)
    func tier<Terms: TierTerms>(of app: MicroApp, terms: inout Terms) -> Int {
        let spec = app.spec
        var vouching: Template?
        if let name = spec.template, let template = policy.template(named: name) {
            let within = template.isWithin(app)
            if within { vouching = template }
            terms.template(template, within: within)
        }
        var tier = vouching?.tier ?? 0
        for dimension in Dimension.allCases {
            let t = policy.dimensions.tier(dimension, of: spec)
            let counts = !(vouching?.bounds(dimension) ?? false)
            terms.dimension(dimension, tier: t, counts: counts)
            if counts { tier = max(tier, t) }
        }
        let fields = TypedFields(app)
        for rule in policy.rules {
            guard let raise = rule.raiseTier, Terms.wantsEveryTerm || raise > tier, rule.when.holds(on: fields) else { continue }
            terms.rule(rule, raises: raise)
            tier = max(tier, raise)
        }
        if Terms.wantsEveryTerm || tier < 1 {
            for integration in spec.integrations where !policy.connectors.contains(integration.name) {
                terms.customConnector(integration)
                tier = max(tier, 1)
                if !Terms.wantsEveryTerm { break }
            }
        }
        return tier
    }
}

/// Writes the terms down for `explain`.
struct TermRecorder: TierTerms {
    static var wantsEveryTerm: Bool { true }
    let app: MicroApp
    let dimensions: Dimensions
    var x = TierExplanation()

    init(_ app: MicroApp, dimensions: Dimensions) {
        self.app = app
        self.dimensions = dimensions
    }

    mutating func template(_ template: Template, within: Bool) {
        x.template = template.name
        x.templateTier = template.tier
        x.withinTemplate = within
        x.templateBounds = Dimension.allCases.filter(template.bounds).map(\.rawValue)
        x.templateDeviations = template.deviations(of: app)
    }

    mutating func dimension(_ dimension: Dimension, tier: Int, counts: Bool) {
        x.dimensions.append(DimensionTerm(name: dimension.rawValue, value: shown(dimension), tier: tier, counts: counts))
        x.dimensionTier = max(x.dimensionTier, tier)
    }

    mutating func rule(_ rule: Rule, raises tier: Int) { x.raisingRules.append(RaisingRule(id: rule.id, raiseTier: tier)) }

    mutating func customConnector(_ integration: MicroApp.Integration) { x.customConnectors.append(integration.name) }

    /// A dimension's value as `explain` shows it.
    func shown(_ dimension: Dimension) -> String {
        let spec = app.spec
        switch dimension {
        case .dataClass: return spec.dataClass.rawValue
        case .accessScope: return spec.accessScope.rawValue
        case .integrationAccess:
            let rank = { (i: MicroApp.Integration) in dimensions.integrationAccess[i.access.rawValue] ?? 0 }
            return spec.integrations.max { rank($0) < rank($1) }.map { "\($0.access.rawValue) (\($0.name))" } ?? "none"
        case .runtime: return spec.runtime.rawValue
        case .criticality: return spec.criticality.rawValue
        case .monthlyCostUSD: return ManifestValue.format(spec.cost.monthlyCapUSD)
        }
    }

    /// The explanation, with the terms that reach the tier named as deciding it.
    func explanation(tier: Int) -> TierExplanation {
        var x = x
        x.tier = tier
        var decided: [String] = []
        if x.withinTemplate, let template = x.template, x.templateTier == tier { decided.append("template \(template)") }
        decided += x.dimensions.filter { $0.counts && $0.tier == tier && tier > 0 }.map { "\($0.name) \($0.value)" }
        decided += x.raisingRules.filter { $0.raiseTier == tier }.map { "rule \($0.id)" }
        if tier == 1 && !x.customConnectors.isEmpty { decided.append("custom connector \(x.customConnectors.joined(separator: ", "))") }
        if decided.isEmpty { decided.append("every term is tier \(tier)") }
        x.decidedBy = decided
        return x
    }
}

extension Template {
    /// Calls `body` with each value of the app outside the template's bounds, dimension by dimension
    /// (`Dimension.allCases` order), until it returns false. The words are made only when asked for.
    func forEachDeviation(of app: MicroApp, _ body: (_ dimension: Dimension, _ describe: () -> String) -> Bool) {
        let s = app.spec
        for dimension in Dimension.allCases {
            if dimension == .monthlyCostUSD {
                guard let max = maxMonthlyCostUSD, s.cost.monthlyCapUSD > max else { continue }
                guard body(dimension, { "\(ManifestValue.format(s.cost.monthlyCapUSD)) (at most \(ManifestValue.format(max)))" }) else { return }
                continue
            }
            guard let allowed = allowed[dimension.rawValue] else { continue }
            func outside(_ value: String) -> Bool { !allowed.contains(value) }
            switch dimension {
            case .dataClass: if outside(s.dataClass.rawValue), !body(dimension, { s.dataClass.rawValue }) { return }
            case .accessScope: if outside(s.accessScope.rawValue), !body(dimension, { s.accessScope.rawValue }) { return }
            case .runtime: if outside(s.runtime.rawValue), !body(dimension, { s.runtime.rawValue }) { return }
            case .criticality: if outside(s.criticality.rawValue), !body(dimension, { s.criticality.rawValue }) { return }
            case .integrationAccess:
                for access in IntegrationAccess.allCases where outside(access.rawValue) && s.integrations.contains(where: { $0.access == access }) {
                    guard body(dimension, { access.rawValue }) else { return }
                }
            case .monthlyCostUSD: continue
            }
        }
    }

    /// Whether the app lies within the template's bounds.
    func isWithin(_ app: MicroApp) -> Bool {
        var within = true
        forEachDeviation(of: app) { _, _ in
            within = false
            return false
        }
        return within
    }

    /// The bounds the app breaks, as "dimension value" strings.
    func deviations(of app: MicroApp) -> [String] {
        var out: [String] = []
        forEachDeviation(of: app) { dimension, describe in
            out.append("\(dimension.rawValue) \(describe())")
            return true
        }
        return out
    }
}

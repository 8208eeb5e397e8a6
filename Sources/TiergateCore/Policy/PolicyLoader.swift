import Foundation

/// Something that makes a policy invalid, with the place it was found.
package struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    package var message: String
    package var mark: Mark

    package var description: String { "\(mark.line):\(mark.column): \(message)" }
}

package struct InvalidPolicy: Error, Sendable, CustomStringConvertible {
    package var problems: [PolicyProblem]
    package var description: String { problems.map(\.description).joined(separator: "; ") }
}

/// Reads and strictly validates a `tiergate/v1` `Policy`. A section the file leaves out takes the built-in
/// default's value; anything the file says must be valid: an unknown key, operator or finding id, a rule without
/// effect, a tier without `approvals`, an undefined group… make the whole policy invalid. Every mistake is
/// reported at once, each where it is, an unknown key with the known one nearest to it.
package enum PolicyLoader {
    package static let apiVersion = "tiergate/v1"
    package static let kind = "Policy"
    /// A policy shows its values in messages (it holds no credentials), and `exceptions:` with nothing is empty.
    static let document = DocumentKind(name: "a tiergate Policy", shortName: "policy", nullCollectionsAreEmpty: true, redactsValues: false)

    package static func load(_ bytes: [UInt8]) -> Result<Policy, InvalidPolicy> {
        load(bytes, defaults: Policy.builtIn)
    }

    /// `defaults` supplies the sections a file leaves out; nil while the built-in default itself is read, so
    /// that every section of it is required.
    static func load(_ bytes: [UInt8], defaults: Policy?) -> Result<Policy, InvalidPolicy> {
        let parsed = YAMLParser.parse(bytes)
        let yamlErrors = parsed.problems.filter { $0.kind != .ambiguousScalar }
        if !yamlErrors.isEmpty {
            return .failure(InvalidPolicy(problems: yamlErrors.map { PolicyProblem(message: $0.message, mark: $0.mark) }))
        }
        guard parsed.documents.count == 1, let root = parsed.documents.first?.root else {
            let what = parsed.documents.isEmpty ? "is empty" : "holds \(parsed.documents.count) documents"
            return .failure(InvalidPolicy(problems: [PolicyProblem(message: "the policy file \(what); it must hold one Policy document", mark: .start)]))
        }
        var reader = MappingReader(document)
        let policy = PolicyAssembly(root: root, defaults: defaults).policy(&reader)
        guard reader.problems.isEmpty, let policy else {
            // In file order; problems at one place keep the order they were found in.
            let ordered = reader.problems.enumerated().sorted { ($0.element.mark, $0.offset) < ($1.element.mark, $1.offset) }
            return .failure(InvalidPolicy(problems: ordered.map { PolicyProblem(message: $0.element.message, mark: $0.element.mark) }))
        }
        return .success(policy)
    }
}

// MARK: The file, as tables

/// The policy file as written: a section is nil when the file leaves it out, or when it is invalid.
private struct PolicyFile: SchemaRecord {
    var manifests: PathMatcher?
    var dimensions: Dimensions?
    var tiers: [TierDefinition]?
    var policyChange: PolicyChangeSection?
    var approvals: ApprovalSettings?
    var groups: [String: [String]]?
    var connectors: [String]?
    var secretRefSchemes: [String]?
    var residency: [String: [String]]?
    var limits: LimitsSection?
    var ungovernedFields: [String]?
    var templates: [Template]?
    var checks: [String: CheckLevel]?
    var rules: [Rule]?
    var exceptions: [PolicyException]?
}

private struct ManifestsSection: SchemaRecord {
    var include: [String] = []
    var exclude: [String] = []
    var layout: ManifestLayout?
}

private struct PolicyChangeSection: SchemaRecord {
    var approvals: [ApprovalRequirement] = []
}

private struct ApprovalSettings: SchemaRecord {
    var allowStale = false
    var distinctApprovers = true
}

private struct LimitsSection: SchemaRecord {
    var defaultTtlDays: Int?
    var maxTtlDays: Int?
    var attestationDays: Int?
    var minLogRetentionDays: Int?
}

private struct TemplateBounds: SchemaRecord {
    var allowed: [String: [String]] = [:]
    var maxMonthlyCostUSD: Double?
}

extension ApprovalRequirement {
    /// `{group, count}`, in a policy's approvals and a policy test's expectations.
    static let schema = RecordSchema<ApprovalRequirement>("approval", [
        .field("group", \.group, .string(), .required),
        .field("count", \.count, .integer(1...PolicyBounds.approvalCount), .required),
    ])
}

extension Template: SchemaRecord {
    package init() { self.init(name: "", tier: 0, allowed: [:], maxMonthlyCostUSD: nil) }

    fileprivate var boundsRecord: TemplateBounds {
        get { TemplateBounds(allowed: allowed, maxMonthlyCostUSD: maxMonthlyCostUSD) }
        set {
            allowed = newValue.allowed
            maxMonthlyCostUSD = newValue.maxMonthlyCostUSD
        }
    }
}

private enum PolicySchema {
    /// The whole file. Finding ids in `checks` and `exceptions` are checked against the built-in ones and the ids
    /// of the rules the policy will have.
    static func file(ruleIDs: Set<String>) -> RecordSchema<PolicyFile> {
        let known = FindingID.allNames.union(ruleIDs)
        return RecordSchema([
            .constant("apiVersion", PolicyLoader.apiVersion),
            .constant("kind", PolicyLoader.kind),
            .field("manifests", \.manifests, manifests),
            .field("dimensions", \.dimensions, .record(dimensions)),
            .field("tiers", \.tiers, tiers),
            .field("policyChange", \.policyChange, .record(policyChange)),
            .field("approvals", \.approvals, .record(approvalSettings)),
            .field("groups", \.groups, .map(.list(.string()))),
            .field("connectors", \.connectors, .list(.string())),
            .field("secretRefSchemes", \.secretRefSchemes, .list(.string())),
            .field("residency", \.residency, .map(.list(.string()))),
            .field("limits", \.limits, .record(limits)),
            .field("ungovernedFields", \.ungovernedFields, .list(.string(.check(ungovernedFieldProblem)))),
            .field("templates", \.templates, templates),
            .field("checks", \.checks, checks(known: known)),
            .field("rules", \.rules, rules),
            .field("exceptions", \.exceptions, .records(exception(known: known))),
        ])
    }

    static let manifestsSection = RecordSchema<ManifestsSection>([
        .field("include", \.include, .list(.string()), .required),
        .field("exclude", \.exclude, .list(.string()), .defaults([])),
        .field("layout", \.layout, layout),
    ])

    static let layout = Codec<ManifestLayout>(
        type: .string(.any),
        read: { r, node, name in
            guard let text = r.string(node, at: name) else { return nil }
            switch ManifestLayout.parse(text) {
            case .success(let layout): return layout
            case .failure(let e):
                r.invalid(e.message, at: node.mark)
                return nil
            }
        },
        value: { .string($0.description) })

    /// `manifests`, as the matcher of manifest paths it makes.
    static let manifests = Codec<PathMatcher>(
        type: .record(manifestsSection.description),
        read: { r, node, name in
            guard let section = Codec.record(manifestsSection).read(&r, node, name) else { return nil }
            if section.include.isEmpty, let n = node.field("include") {
                r.invalid("\(name).include is empty; no file would be a manifest", at: n.mark)
                return nil
            }
            let matcher = PathMatcher(include: section.include, exclude: section.exclude, layout: section.layout)
            if let layout = section.layout, !matcher.include.contains(where: { $0.matches(layout.samplePath) }) {
                r.invalid(
                    "\(name).layout '\(layout)' names paths (like \(layout.samplePath)) that \(name).include does not match",
                    at: node.field("layout")?.mark ?? node.mark)
                return nil
            }
            return matcher
        },
        value: { _ in .null })

    /// A tier number: 0 to 3.
    static let tier = Codec<Int>(
        type: .integer(0...3),
        read: { r, node, name in
            if case .int(let v) = node.scalarValue, v > 3 {
                r.invalid("\(name) is \(v); tiers go from 0 to 3", at: node.mark)
                return nil
            }
            return r.integer(node, at: name, in: 0...3)
        },
        value: { .number(Double($0)) })

    /// A dimension's value → tier map: every value of the manifest's enum, and nothing else.
    static func tierMap(_ dimension: Dimension) -> Codec<[String: Int]> {
        let values = dimension.values
        let map = Codec<[String: Int]>.map(
            tier, keys: .check { values.contains($0) ? nil : "is not a \(dimension.rawValue) value (\(values.joined(separator: ", ")))" })
        return map.checked { r, tiers, node, name in
            for v in values where tiers[v] == nil { r.invalid("\(name) gives no tier for '\(v)'", at: node.mark) }
        }
    }

    static let dimensions = RecordSchema<Dimensions>([
        .field("dataClass", \.dataClass, tierMap(.dataClass), .required),
        .field("accessScope", \.accessScope, tierMap(.accessScope), .required),
        .field("integrationAccess", \.integrationAccess, tierMap(.integrationAccess), .required),
        .field("runtime", \.runtime, tierMap(.runtime), .required),
        .field("criticality", \.criticality, tierMap(.criticality), .required),
        .field("monthlyCostUSD", \.monthlyCostUSD, bands, .required),
    ])

    static let band = RecordSchema<CostBand>("band", [
        .field("upTo", \.upTo, .number()),
        .field("tier", \.tier, tier, .required),
    ])

    /// The cost bands: rising `upTo`, and only the last without one.
    static let bands = Codec<[CostBand]>.records(band).checked { r, bands, node, name in
        guard !bands.isEmpty else { return r.invalid("\(name) needs at least one band", at: node.mark) }
        let items = node.sequence ?? []
        for (i, b) in bands.enumerated() {
            let mark = i < items.count ? items[i].mark : node.mark
            if let upTo = b.upTo, i > 0, let previous = bands[i - 1].upTo, upTo <= previous {
                r.invalid("\(name.item(i)).upTo must be higher than the band before it", at: mark)
            }
            if b.upTo == nil && i != bands.count - 1 { r.invalid("\(name.item(i)) has no upTo but is not the last band", at: mark) }
            if b.upTo != nil && i == bands.count - 1 { r.invalid("the last band of \(name) must have no upTo", at: mark) }
        }
    }

    static let approval = ApprovalRequirement.schema

    static let tierDefinition = RecordSchema<TierDefinition>("tier", [
        .field("tier", \.tier, tier, .required),
        .field("name", \.name, .string(), .required),
        .field("approvals", \.approvals, .records(approval), .required),
    ])

    static let tiers = Codec<[TierDefinition]>.records(tierDefinition).checked { r, tiers, node, _ in
        var seen = Set<Int>()
        for (i, t) in tiers.enumerated() where !seen.insert(t.tier).inserted {
            r.invalid("tier \(t.tier) is defined twice", at: node.sequence.map { $0[i].mark } ?? node.mark)
        }
    }

    static let policyChange = RecordSchema<PolicyChangeSection>([
        .field("approvals", \.approvals, .records(approval), .required)
    ])

    static let approvalSettings = RecordSchema<ApprovalSettings>([
        .field("allowStale", \.allowStale, .boolean, .defaults(false)),
        .field("distinctApprovers", \.distinctApprovers, .boolean, .defaults(true)),
    ])

    static let limits = RecordSchema<LimitsSection>([
        .field("defaultTtlDays", \.defaultTtlDays, .integer(0...PolicyBounds.limitDays)),
        .field("maxTtlDays", \.maxTtlDays, .integer(0...PolicyBounds.limitDays)),
        .field("attestationDays", \.attestationDays, .integer(0...PolicyBounds.limitDays)),
        .field("minLogRetentionDays", \.minLogRetentionDays, .integer(0...PolicyBounds.limitDays)),
    ])

    @Sendable static func ungovernedFieldProblem(_ text: String) -> String? {
        guard let path = FieldPath(text), path.isKnownManifestField, !path.segments.contains(.everyElement) else {
            return "is not a field of a MicroApp manifest"
        }
        return nil
    }

    /// A template's bounds: for each dimension, the values it allows (the cost: the highest cap).
    static let templateBounds = RecordSchema<TemplateBounds>(
        Dimension.allCases.map { d in
            guard d != .monthlyCostUSD else { return .field(d.rawValue, \.maxMonthlyCostUSD, .number()) }
            let values = d.values
            let value = Codec<String>.string(.check { values.contains($0) ? nil : "is not a \(d.rawValue) value (\(values.joined(separator: ", ")))" })
            return .field(d.rawValue, \.allowed[d.rawValue], .list(value))
        })

    static let template = RecordSchema<Template>("template", [
        .field("name", \.name, .string(), .required),
        .field("tier", \.tier, tier, .required),
        .field("bounds", \.boundsRecord, .record(templateBounds), .required),
    ])

    static let templates = Codec<[Template]>.records(template).checked { r, templates, node, _ in
        var seen = Set<String>()
        for (i, t) in templates.enumerated() where !seen.insert(t.name).inserted {
            r.invalid("the template '\(t.name)' is defined twice", at: node.sequence.map { $0[i].mark } ?? node.mark)
        }
    }

    /// What is wrong with a finding id a policy names (nil: nothing), with the known id nearest to a typo.
    static func findingIDProblem(_ id: String, known: Set<String>) -> String? {
        guard !known.contains(id) else { return nil }
        let nearest = MappingReader.closest(id, in: known.sorted()).map { "; did you mean '\($0)'?" } ?? ""
        return "is no finding id (built-in or rule)\(nearest)"
    }

    static func checks(known: Set<String>) -> Codec<[String: CheckLevel]> {
        let level = Codec<CheckLevel>.choice
        return Codec(
            type: .map(level.type),
            read: { r, node, name in
                let before = r.invalidCount
                guard let entries = r.entries(node, at: name, keys: .check { findingIDProblem($0, known: known) }) else { return nil }
                var result: [String: CheckLevel] = [:]
                for (id, _, value) in entries {
                    guard let l = level.read(&r, value, name.child(id)) else { continue }
                    if FindingID.isIntegrity(id) && l != .error {
                        r.invalid(
                            "\(name.child(id)) is \(l.rawValue), but \(id) is one of the gate's own integrity checks, which cannot be lowered or switched off; remove the entry (or set it to error)",
                            at: value.mark)
                    }
                    result[id] = l
                }
                return r.invalidCount == before ? result : nil
            },
            value: { .map($0.mapValues { .string($0.rawValue) }) })
    }

    static let condition = Codec<Condition>(
        type: .custom("A condition: {field: PATH, OPERATOR: VALUE}, or {all: [...]}, {any: [...]}, {not: ...}."),
        read: { r, node, name in ConditionReader.read(&r, node, name.description, depth: 0) },
        value: { _ in .null })

    static let rule = RecordSchema<Rule>("rule", [
        .field("id", \.id, .string(.check(ruleIDProblem)), .required),
        .field("message", \.message, .string(), .required),
        .field("when", \.when, condition, .required),
        .field("require", \.require, condition),
        .field("severity", \.severity, .choice, .defaults(.error)),
        .field("raiseTier", \.raiseTier, tier),
        .field("approvals", \.approvals, .records(approval), .defaults([])),
    ])

    @Sendable static func ruleIDProblem(_ id: String) -> String? {
        if !ManifestDecoder.isAppName(id) { return "must be lower-case words joined by hyphens" }
        if FindingID.allNames.contains(id) { return "is a built-in finding id; pick another" }
        return nil
    }

    /// The rules: ids used once, and each rule with an effect.
    static let rules = Codec<[Rule]>(
        type: .list(.record(rule.description), unique: "id"),
        read: { r, node, name in
            let before = r.invalidCount
            let rules = Codec.records(rule).read(&r, node, name)
            var seen = Set<String>()
            for (i, item) in (node.sequence ?? []).enumerated() where item.isMapping {
                let id = item.field("id")?.scalar?.text ?? ""
                if item.field("id") != nil, !seen.insert(id).inserted { r.invalid("the rule id '\(id)' is used twice", at: item.mark) }
                if item.field("require") == nil && item.field("raiseTier") == nil && item.field("approvals") == nil {
                    r.invalid("\(name.item(i)) ('\(id)') has no effect: give it require, raiseTier or approvals", at: item.mark)
                }
            }
            return r.invalidCount == before ? rules : nil
        },
        value: { _ in .null })

    static func exception(known: Set<String>) -> RecordSchema<PolicyException> {
        RecordSchema("exception", [
            .field(
                "check", \.check,
                .string(
                    .check { id in
                        if FindingID.isIntegrity(id) {
                            return "is one of the gate's own integrity checks, which cannot be excepted or switched off; fix the manifest instead"
                        }
                        return findingIDProblem(id, known: known)
                    }), .required),
            .field("app", \.app, .string(), .required),
            .field("reason", \.reason, .string(.check { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "says nothing; say why" : nil }), .required),
            .field("expires", \.expires, .date, .required),
        ])
    }
}

// MARK: The file, as the policy in force

/// Puts the file's sections and the defaults together, and checks what spans sections.
private struct PolicyAssembly {
    let root: YAMLNode
    let defaults: Policy?

    func policy(_ r: inout MappingReader) -> Policy? {
        // The ids of the rules the policy will have, valid or not: an exception naming one is not a second mistake.
        let ruleIDs: Set<String>
        if let rules = root.field("rules") {
            ruleIDs = Set((rules.sequence ?? []).compactMap { $0.field("id")?.scalar?.text })
        } else {
            ruleIDs = Set(defaults?.rules.map(\.id) ?? [])
        }
        var file = PolicyFile()
        guard r.read(root, as: PolicySchema.file(ruleIDs: ruleIDs), at: FieldName(""), into: &file) else { return nil }

        /// A section of the file, or the default's when the file leaves it out; nil when the file's is invalid.
        func section<T>(_ key: String, _ value: T?, _ fallback: T?) -> T? {
            guard root.field(key) == nil else { return value }
            if fallback == nil { r.invalid("the policy has no '\(key)' section", at: root.mark) }
            return fallback
        }
        let d = defaults
        let manifests = section("manifests", file.manifests, d?.manifests)
        let dimensions = section("dimensions", file.dimensions, d?.dimensions)
        let tiers = section("tiers", file.tiers, d?.tiers)
        let policyChange = section("policyChange", file.policyChange?.approvals, d?.policyChangeApprovals)
        let settings = section("approvals", file.approvals, d.map { ApprovalSettings(allowStale: $0.allowStale, distinctApprovers: $0.distinctApprovers) })
        let groups = section("groups", file.groups, d?.groups)
        let connectors = section("connectors", file.connectors, d?.connectors)
        let schemes = section("secretRefSchemes", file.secretRefSchemes, d?.secretRefSchemes)
        let residency = section("residency", file.residency, d?.residency)
        let fileLimits = file.limits.flatMap { merged($0, &r) }
        let limits = section("limits", fileLimits, d?.limits)
        let ungoverned = section("ungovernedFields", file.ungovernedFields, d?.ungovernedFields)
        let templates = section("templates", file.templates, d?.templates)
        let checks = section("checks", file.checks, d?.checks)
        let rules = section("rules", file.rules, d?.rules)
        let exceptions = section("exceptions", file.exceptions, d?.exceptions)

        // What spans sections is checked when the sections it reads are valid, so that no mistake is reported twice.
        if let ungoverned, let rules { checkUngoverned(ungoverned, rules: rules, &r) }
        if let tiers {
            let defined = Set(tiers.map(\.tier))
            for n in 0...3 where !defined.contains(n) {
                r.invalid("tiers has no entry for tier \(n); every tier 0 to 3 needs a name and approvals", at: root.field("tiers")?.mark ?? root.mark)
            }
        }
        if let groups, let tiers, let policyChange, let rules { checkGroups(groups, tiers: tiers, policyChange: policyChange, rules: rules, &r) }

        guard let manifests, let dimensions, let tiers, let policyChange, let settings, let groups, let connectors, let schemes,
            let residency, let limits, let ungoverned, let templates, let checks, let rules, let exceptions
        else { return nil }
        return Policy(
            manifests: manifests, dimensions: dimensions, tiers: tiers.sorted { $0.tier < $1.tier },
            policyChangeApprovals: policyChange, allowStale: settings.allowStale, distinctApprovers: settings.distinctApprovers,
            groups: groups, connectors: connectors, secretRefSchemes: schemes, residency: residency, limits: limits,
            ungovernedFields: ungoverned, templates: templates, checks: checks, rules: rules, exceptions: exceptions)
    }

    /// The file's limits over the default's; reading the default itself, every limit is required.
    func merged(_ s: LimitsSection, _ r: inout MappingReader) -> Limits? {
        func value(_ key: String, _ v: Int?, _ fallback: Int?) -> Int? {
            if let v = v ?? fallback { return v }
            r.invalid("limits.\(key) is missing; add '\(key):' to limits", at: root.field("limits")?.mark ?? root.mark)
            return nil
        }
        let l = defaults?.limits
        guard let a = value("defaultTtlDays", s.defaultTtlDays, l?.defaultTtlDays), let b = value("maxTtlDays", s.maxTtlDays, l?.maxTtlDays),
            let c = value("attestationDays", s.attestationDays, l?.attestationDays),
            let e = value("minLogRetentionDays", s.minLogRetentionDays, l?.minLogRetentionDays)
        else { return nil }
        return Limits(defaultTtlDays: a, maxTtlDays: b, attestationDays: c, minLogRetentionDays: e)
    }

    /// `ungovernedFields` may name only fields nothing reads (SPEC section 2): no dimension, template bound,
    /// built-in check or rule condition (`Policy.fieldUses`) may read the field, anything under it or anything it
    /// lies under. Otherwise a change to that field alone could move the tier or fire a rule while the gate asks
    /// for nothing. A clash with a rule points at the rule when the file has a `rules` section, else at the
    /// `ungovernedFields` entry.
    func checkUngoverned(_ fields: [String], rules: [Rule], _ r: inout MappingReader) {
        let items = root.field("ungovernedFields")?.sequence
        let rulesInFile = root.field("rules") != nil
        let uses = Policy.fieldUses(rules: rules)
        for (i, text) in fields.enumerated() {
            guard let path = FieldPath(text) else { continue }  // the schema has checked every entry
            let entryMark = items.flatMap { i < $0.count ? $0[i].mark : nil } ?? root.mark
            let entry = "ungovernedFields[\(i)] '\(text)'"
            var reported = Set<String>()
            for use in uses where use.path.overlaps(path) {
                guard let rule = use.rule else {
                    r.invalid(
                        "\(entry) is read by \(use.reader) (\(use.path)): a change to it could change the tier or a check without review, so it cannot be ungoverned; only fields nothing reads can be, such as metadata.title, metadata.description or metadata.labels",
                        at: entryMark)
                    break
                }
                guard reported.insert(rule.id).inserted else { continue }
                if rulesInFile {
                    r.invalid(
                        "the rule '\(rule.id)' reads \(use.path), which \(entry) leaves ungoverned: a change to it alone would need no review although it can fire the rule; remove it from ungovernedFields or have the rule read another field",
                        at: rule.mark)
                } else {
                    r.invalid(
                        "\(entry) is read by \(use.reader) (\(use.path)): a change to it alone would need no review although it can fire the rule; remove it from ungovernedFields",
                        at: entryMark)
                }
            }
        }
    }

    /// With groups defined, every group the policy asks approvals from must be one of them. Sections taken from
    /// the default have no place in the file: those point at `groups`, where the fix goes.
    func checkGroups(
        _ groups: [String: [String]], tiers: [TierDefinition], policyChange: [ApprovalRequirement], rules: [Rule], _ r: inout MappingReader
    ) {
        guard !groups.isEmpty else { return }
        let groupsMark = root.field("groups")?.mark ?? root.mark
        var used: [(String, Mark)] = []
        for t in tiers { used += t.approvals.map { ($0.group, root.field("tiers")?.mark ?? groupsMark) } }
        used += policyChange.map { ($0.group, root.field("policyChange")?.mark ?? groupsMark) }
        for rule in rules { used += rule.approvals.map { ($0.group, rule.mark) } }
        var reported = Set<String>()
        for (g, mark) in used where groups[g] == nil && reported.insert(g).inserted {
            r.invalid("the group '\(g)' is asked for approvals but not defined under groups", at: mark)
        }
    }
}

// MARK: Conditions

/// Reads the rules language of SPEC section 2: `{field, <operator>: value}`, `all`, `any` and `not`, nested at
/// most 32 deep.
private enum ConditionReader {
    static func read(_ r: inout MappingReader, _ node: YAMLNode, _ p: String, depth: Int) -> Condition? {
        guard depth < 32 else {
            r.invalid("\(p) nests conditions deeper than 32 levels", at: node.mark)
            return nil
        }
        guard node.isMapping, let entries = r.entries(node, at: FieldName(p)) else {
            r.invalid("\(p) must be a condition (a mapping such as {field: spec.dataClass, equals: regulated})", at: node.mark)
            return nil
        }
        guard entries.count == node.count else { return nil }  // a key that is not a string, reported
        var f: [String: YAMLNode] = [:]
        for (key, _, value) in entries where f[key] == nil { f[key] = value }
        if let n = f["all"] ?? f["any"] {
            let key = f["all"] != nil ? "all" : "any"
            guard f.count == 1 else {
                r.invalid("\(p) mixes '\(key)' with other keys (\(f.keys.sorted().joined(separator: ", ")))", at: node.mark)
                return nil
            }
            guard let items = r.list(n, at: FieldName("\(p).\(key)")) else { return nil }
            if items.isEmpty { r.invalid("\(p).\(key) is empty", at: n.mark) }
            let parts = items.enumerated().map { read(&r, $1, "\(p).\(key)[\($0)]", depth: depth + 1) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            let cs = parts.compactMap { $0 }
            return key == "all" ? .all(cs) : .any(cs)
        }
        if let n = f["not"] {
            guard f.count == 1 else {
                r.invalid("\(p) mixes 'not' with other keys", at: node.mark)
                return nil
            }
            return read(&r, n, "\(p).not", depth: depth + 1).map { .not($0) }
        }
        guard let fieldNode = f["field"] else {
            let unknown = f.keys.sorted().joined(separator: ", ")
            r.invalid("\(p) has no 'field' (and no all/any/not); found \(unknown.isEmpty ? "nothing" : unknown)", at: node.mark)
            return nil
        }
        guard let fieldText = r.string(fieldNode, at: FieldName("\(p).field")) else { return nil }
        guard let path = FieldPath(fieldText), path.isKnownManifestField else {
            r.invalid("\(p).field '\(fieldText)' is not a field of a MicroApp manifest", at: fieldNode.mark)
            return nil
        }
        let ops = f.keys.filter { $0 != "field" }
        guard ops.count == 1, let op = ops.first, let v = f[op] else {
            r.invalid(
                "\(p) must have exactly one operator (\(FieldTest.operators.joined(separator: ", "))); found \(ops.sorted().joined(separator: ", "))",
                at: node.mark)
            return nil
        }
        let vp = FieldName("\(p).\(op)")
        let test: FieldTest?
        switch op {
        case "equals": test = scalar(&r, v, vp).map { .equals($0) }
        case "notEquals": test = scalar(&r, v, vp).map { .notEquals($0) }
        case "in": test = scalars(&r, v, vp).map { .isIn($0) }
        case "notIn": test = scalars(&r, v, vp).map { .notIn($0) }
        case "exists": test = r.boolean(v, at: vp).map { .exists($0) }
        case "matches":
            guard let s = r.string(v, at: vp) else { return nil }
            do { test = .matches(try Pattern(s)) } catch {
                // The error says when the pattern uses what RE2 syntax (Go's, OPA's regex.match) does not have.
                r.invalid("\(vp) is not a valid regular expression: \(error)", at: v.mark)
                return nil
            }
        case "greaterThan": test = r.number(v, at: vp, in: nil).map { .greaterThan($0) }
        case "lessThan": test = r.number(v, at: vp, in: nil).map { .lessThan($0) }
        case "atLeast": test = r.number(v, at: vp, in: nil).map { .atLeast($0) }
        case "atMost": test = r.number(v, at: vp, in: nil).map { .atMost($0) }
        default:
            let nearest = MappingReader.closest(op, in: FieldTest.operators).map { "; did you mean '\($0)'?" } ?? ""
            let keyMark = entries.first { $0.key == op }?.mark ?? node.mark
            r.invalid(
                "\(p) uses the unknown operator '\(op)'\(nearest) (use one of \(FieldTest.operators.joined(separator: ", ")))", at: keyMark)
            return nil
        }
        return test.map { .field(path, $0) }
    }

    static func scalar(_ r: inout MappingReader, _ node: YAMLNode, _ name: FieldName) -> ManifestValue? {
        guard let s = node.scalar else {
            r.invalid("\(name) must be a single value, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return ManifestValue(s.value)
    }

    static func scalars(_ r: inout MappingReader, _ node: YAMLNode, _ name: FieldName) -> [ManifestValue]? {
        guard let items = r.list(node, at: name) else { return nil }
        let values = items.enumerated().map { scalar(&r, $1, name.item($0)) }
        return values.allSatisfy { $0 != nil } ? values.compactMap { $0 } : nil
    }
}

/// Bounds on the policy's counts, so that no count a policy states makes the gate's arithmetic overflow or its
/// approval matching allocate without end (`schemas/policy.schema.json` states them too).
package enum PolicyBounds {
    /// TTLs, attestation and retention periods: a hundred years.
    package static let limitDays = 36500
    /// Approvals one group must give.
    package static let approvalCount = 100
}

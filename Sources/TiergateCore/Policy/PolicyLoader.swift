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
/// effect, a tier without `approvals`, an undefined group… make the whole policy invalid.
package enum PolicyLoader {
    package static let apiVersion = "tiergate/v1"
    package static let kind = "Policy"

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
        var reader = PolicyReader(defaults: defaults)
        let policy = reader.readPolicy(root)
        guard reader.problems.isEmpty, let policy else {
            return .failure(InvalidPolicy(problems: reader.problems.sorted { $0.mark < $1.mark }))
        }
        return .success(policy)
    }
}

private struct PolicyReader {
    var problems: [PolicyProblem] = []
    let defaults: Policy?

    init(defaults: Policy?) { self.defaults = defaults }

    mutating func fail(_ message: String, _ mark: Mark) { problems.append(PolicyProblem(message: message, mark: mark)) }

    // MARK: Sections

    mutating func readPolicy(_ root: YAMLNode) -> Policy? {
        let known = [
            "apiVersion", "kind", "manifests", "dimensions", "tiers", "policyChange", "approvals", "groups", "connectors",
            "secretRefSchemes", "residency", "limits", "ungovernedFields", "templates", "checks", "rules", "exceptions",
        ]
        guard let f = fields(root, "the policy", known: known, required: ["apiVersion", "kind"]) else { return nil }
        if let v = f["apiVersion"].flatMap({ string($0, "apiVersion") }), v != PolicyLoader.apiVersion {
            fail("apiVersion must be \(PolicyLoader.apiVersion)", f["apiVersion"]?.mark ?? root.mark)
        }
        if let v = f["kind"].flatMap({ string($0, "kind") }), v != PolicyLoader.kind {
            fail("kind must be \(PolicyLoader.kind)", f["kind"]?.mark ?? root.mark)
        }
        let d = defaults
        func section<T>(_ key: String, _ fallback: T?, _ read: (inout PolicyReader, YAMLNode) -> T?) -> T? {
            if let node = f[key] { return read(&self, node) }
            if fallback == nil { fail("the policy has no '\(key)' section", root.mark) }
            return fallback
        }
        let manifests = section("manifests", d?.manifests) { $0.readManifests($1) }
        let dimensions = section("dimensions", d?.dimensions) { $0.readDimensions($1) }
        let tiers = section("tiers", d?.tiers) { $0.readTiers($1) }
        let policyChange = section("policyChange", d?.policyChangeApprovals) { r, n in
            r.fields(n, "policyChange", known: ["approvals"], required: ["approvals"]).flatMap { fs in
                fs["approvals"].flatMap { r.approvals($0, "policyChange.approvals") }
            }
        }
        let approvalSettings = section("approvals", d.map { ($0.allowStale, $0.distinctApprovers) }) { $0.readApprovalSettings($1) }
        let groups = section("groups", d?.groups) { $0.stringListMap($1, "groups") }
        let connectors = section("connectors", d?.connectors) { $0.stringList($1, "connectors") }
        let schemes = section("secretRefSchemes", d?.secretRefSchemes) { $0.stringList($1, "secretRefSchemes") }
        let residency = section("residency", d?.residency) { $0.stringListMap($1, "residency") }
        let limits = section("limits", d?.limits) { $0.readLimits($1, defaults: d?.limits) }
        let ungoverned = section("ungovernedFields", d?.ungovernedFields) { $0.readUngoverned($1) }
        let templates = section("templates", d?.templates) { $0.readTemplates($1) }
        let rules = section("rules", d?.rules) { $0.readRules($1) }
        let ruleIDs = Set((rules ?? []).map(\.id))
        let checks = section("checks", d?.checks) { $0.readChecks($1, ruleIDs: ruleIDs) }
        let exceptions = section("exceptions", d?.exceptions) { $0.readExceptions($1, ruleIDs: ruleIDs) }

        guard let manifests, let dimensions, let tiers, let policyChange, let approvalSettings, let groups,
            let connectors, let schemes, let residency, let limits, let ungoverned, let templates, let rules, let checks,
            let exceptions
        else { return nil }

        checkUngoverned(ungoverned, rules: rules, ungovernedNode: f["ungovernedFields"], rulesInFile: f["rules"] != nil, root: root)

        // Every tier a dimension, band, template or rule can give must say what approvals it needs.
        let defined = Set(tiers.map(\.tier))
        for n in 0...3 where !defined.contains(n) {
            fail("tiers has no entry for tier \(n); every tier 0 to 3 needs a name and approvals", f["tiers"]?.mark ?? root.mark)
        }
        // With groups defined, every group the policy asks approvals from must be one of them.
        if !groups.isEmpty {
            // Sections taken from the default have no place in the file: point at `groups`, where the fix goes.
            let groupsMark = f["groups"]?.mark ?? root.mark
            var used: [(String, Mark)] = []
            for t in tiers { used += t.approvals.map { ($0.group, f["tiers"]?.mark ?? groupsMark) } }
            used += policyChange.map { ($0.group, f["policyChange"]?.mark ?? groupsMark) }
            for r in rules { used += r.approvals.map { ($0.group, r.mark) } }
            var reported = Set<String>()
            for (g, mark) in used where groups[g] == nil && !reported.contains(g) {
                reported.insert(g)
                fail("the group '\(g)' is asked for approvals but not defined under groups", mark)
            }
        }
        return Policy(
            manifests: manifests, dimensions: dimensions, tiers: tiers.sorted { $0.tier < $1.tier },
            policyChangeApprovals: policyChange, allowStale: approvalSettings.0, distinctApprovers: approvalSettings.1,
            groups: groups, connectors: connectors, secretRefSchemes: schemes, residency: residency, limits: limits,
            ungovernedFields: ungoverned, templates: templates, checks: checks, rules: rules, exceptions: exceptions)
    }

    mutating func readManifests(_ node: YAMLNode) -> PathMatcher? {
        guard let f = fields(node, "manifests", known: ["include", "exclude", "layout"], required: ["include"]) else { return nil }
        guard let include = f["include"].flatMap({ stringList($0, "manifests.include") }) else { return nil }
        let exclude = f["exclude"].map { stringList($0, "manifests.exclude") } ?? []
        guard let exclude else { return nil }
        if include.isEmpty, let n = f["include"] { fail("manifests.include is empty; no file would be a manifest", n.mark) }
        var layout: ManifestLayout?
        if let n = f["layout"] {
            guard let text = string(n, "manifests.layout") else { return nil }
            switch ManifestLayout.parse(text) {
            case .success(let l): layout = l
            case .failure(let e):
                fail(e.message, n.mark)
                return nil
            }
        }
        let matcher = PathMatcher(include: include, exclude: exclude, layout: layout)
        if let layout, !matcher.include.contains(where: { $0.matches(layout.samplePath) }) {
            fail("manifests.layout '\(layout)' names paths (like \(layout.samplePath)) that manifests.include does not match", f["layout"]?.mark ?? node.mark)
        }
        return matcher
    }

    mutating func readDimensions(_ node: YAMLNode) -> Dimensions? {
        guard let f = fields(node, "dimensions", known: Dimensions.names, required: Dimensions.names) else { return nil }
        func map<E: ManifestEnum>(_ key: String, _: E.Type) -> [String: Int]? {
            guard let n = f[key], let pairs = tierMap(n, "dimensions.\(key)") else { return nil }
            var ok = true
            for k in pairs.keys where E(rawValue: k) == nil {
                fail("dimensions.\(key) has '\(k)', which is not a \(key) value (\(E.allowedValues.joined(separator: ", ")))", n.mark)
                ok = false
            }
            for v in E.allowedValues where pairs[v] == nil {
                fail("dimensions.\(key) gives no tier for '\(v)'", n.mark)
                ok = false
            }
            return ok ? pairs : nil
        }
        let dataClass = map("dataClass", DataClass.self)
        let accessScope = map("accessScope", AccessScope.self)
        let integrationAccess = map("integrationAccess", IntegrationAccess.self)
        let runtime = map("runtime", Runtime.self)
        let criticality = map("criticality", Criticality.self)
        let bands = f["monthlyCostUSD"].flatMap { readBands($0) }
        guard let dataClass, let accessScope, let integrationAccess, let runtime, let criticality, let bands else { return nil }
        return Dimensions(
            dataClass: dataClass, accessScope: accessScope, integrationAccess: integrationAccess, runtime: runtime,
            criticality: criticality, monthlyCostUSD: bands)
    }

    mutating func readBands(_ node: YAMLNode) -> [CostBand]? {
        guard let items = list(node, "dimensions.monthlyCostUSD") else { return nil }
        var bands: [CostBand] = []
        for (i, item) in items.enumerated() {
            let p = "dimensions.monthlyCostUSD[\(i)]"
            guard let f = fields(item, p, known: ["upTo", "tier"], required: ["tier"]),
                let tier = f["tier"].flatMap({ tierNumber($0, "\(p).tier") })
            else { continue }
            let upTo = f["upTo"].flatMap { number($0, "\(p).upTo") }
            if f["upTo"] != nil && upTo == nil { continue }
            if let upTo, let prev = bands.last?.upTo, upTo <= prev {
                fail("\(p).upTo must be higher than the band before it", item.mark)
            }
            if upTo == nil && i != items.count - 1 { fail("\(p) has no upTo but is not the last band", item.mark) }
            if upTo != nil && i == items.count - 1 { fail("the last band of dimensions.monthlyCostUSD must have no upTo", item.mark) }
            bands.append(CostBand(upTo: upTo, tier: tier))
        }
        if items.isEmpty { fail("dimensions.monthlyCostUSD needs at least one band", node.mark) }
        return bands.count == items.count && !items.isEmpty ? bands : nil
    }

    mutating func readTiers(_ node: YAMLNode) -> [TierDefinition]? {
        guard let items = list(node, "tiers") else { return nil }
        var result: [TierDefinition] = []
        var seen = Set<Int>()
        for (i, item) in items.enumerated() {
            let p = "tiers[\(i)]"
            guard let f = fields(item, p, known: ["tier", "name", "approvals"], required: ["tier", "name", "approvals"]) else { continue }
            guard let tier = f["tier"].flatMap({ tierNumber($0, "\(p).tier") }), let name = f["name"].flatMap({ string($0, "\(p).name") }),
                let approvals = f["approvals"].flatMap({ approvals($0, "\(p).approvals") })
            else { continue }
            if !seen.insert(tier).inserted { fail("tier \(tier) is defined twice", item.mark) }
            result.append(TierDefinition(tier: tier, name: name, approvals: approvals))
        }
        return result.count == items.count ? result : nil
    }

    mutating func readApprovalSettings(_ node: YAMLNode) -> (Bool, Bool)? {
        guard let f = fields(node, "approvals", known: ["allowStale", "distinctApprovers"], required: []) else { return nil }
        let stale = f["allowStale"].map { bool($0, "approvals.allowStale") } ?? .some(defaults?.allowStale ?? false)
        let distinct = f["distinctApprovers"].map { bool($0, "approvals.distinctApprovers") } ?? .some(defaults?.distinctApprovers ?? true)
        guard let stale, let distinct else { return nil }
        return (stale, distinct)
    }

    /// A mapping of names to lists of strings (`groups`: group → logins, `residency`: zone → regions).
    mutating func stringListMap(_ node: YAMLNode, _ section: String) -> [String: [String]]? {
        guard let pairs = mapping(node, section) else { return nil }
        var result: [String: [String]] = [:]
        for pair in pairs {
            guard let name = keyString(pair.key, section), let items = stringList(pair.value, "\(section).\(name)") else { continue }
            result[name] = items
        }
        return result.count == pairs.count ? result : nil
    }

    mutating func readLimits(_ node: YAMLNode, defaults: Limits?) -> Limits? {
        let keys = ["defaultTtlDays", "maxTtlDays", "attestationDays", "minLogRetentionDays"]
        guard let f = fields(node, "limits", known: keys, required: defaults == nil ? keys : []) else { return nil }
        func value(_ k: String, _ fallback: Int?) -> Int? {
            if let n = f[k] { return integer(n, "limits.\(k)", minimum: 0, maximum: PolicyBounds.limitDays) }
            return fallback
        }
        guard let a = value("defaultTtlDays", defaults?.defaultTtlDays), let b = value("maxTtlDays", defaults?.maxTtlDays),
            let c = value("attestationDays", defaults?.attestationDays),
            let e = value("minLogRetentionDays", defaults?.minLogRetentionDays)
        else { return nil }
        return Limits(defaultTtlDays: a, maxTtlDays: b, attestationDays: c, minLogRetentionDays: e)
    }

    mutating func readUngoverned(_ node: YAMLNode) -> [String]? {
        guard let items = list(node, "ungovernedFields") else { return nil }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = string(item, "ungovernedFields[\(i)]") else { continue }
            guard let path = FieldPath(s), path.isKnownManifestField, !path.segments.contains(.everyElement) else {
                fail("ungovernedFields[\(i)] '\(s)' is not a field of a MicroApp manifest", item.mark)
                continue
            }
            result.append(s)
        }
        return result.count == items.count ? result : nil
    }

    /// `ungovernedFields` may name only fields nothing reads (SPEC section 2): no dimension, template bound,
    /// built-in check or rule condition (`Policy.fieldUses`) may read the field, anything under it or anything it
    /// lies under. Otherwise a change to that field alone could move the tier or fire a rule while the gate asks
    /// for nothing. A clash with a rule points at the rule when the file has a `rules` section, else at the
    /// `ungovernedFields` entry.
    mutating func checkUngoverned(_ fields: [String], rules: [Rule], ungovernedNode: YAMLNode?, rulesInFile: Bool, root: YAMLNode) {
        let items = ungovernedNode?.sequence
        let uses = Policy.fieldUses(rules: rules)
        for (i, text) in fields.enumerated() {
            guard let path = FieldPath(text) else { continue }  // readUngoverned has checked every entry
            let entryMark = items.flatMap { i < $0.count ? $0[i].mark : nil } ?? root.mark
            let entry = "ungovernedFields[\(i)] '\(text)'"
            var reported = Set<String>()
            for use in uses where use.path.overlaps(path) {
                guard let rule = use.rule else {
                    fail(
                        "\(entry) is read by \(use.reader) (\(use.path)): a change to it could change the tier or a check without review, so it cannot be ungoverned; only fields nothing reads can be, such as metadata.title, metadata.description or metadata.labels",
                        entryMark)
                    break
                }
                guard reported.insert(rule.id).inserted else { continue }
                if rulesInFile {
                    fail(
                        "the rule '\(rule.id)' reads \(use.path), which \(entry) leaves ungoverned: a change to it alone would need no review although it can fire the rule; remove it from ungovernedFields or have the rule read another field",
                        rule.mark)
                } else {
                    fail(
                        "\(entry) is read by \(use.reader) (\(use.path)): a change to it alone would need no review although it can fire the rule; remove it from ungovernedFields",
                        entryMark)
                }
            }
        }
    }

    mutating func readTemplates(_ node: YAMLNode) -> [Template]? {
        guard let items = list(node, "templates") else { return nil }
        var result: [Template] = []
        for (i, item) in items.enumerated() {
            let p = "templates[\(i)]"
            guard let f = fields(item, p, known: ["name", "tier", "bounds"], required: ["name", "tier", "bounds"]),
                let name = f["name"].flatMap({ string($0, "\(p).name") }), let tier = f["tier"].flatMap({ tierNumber($0, "\(p).tier") }),
                let b = f["bounds"].flatMap({ fields($0, "\(p).bounds", known: Dimensions.names, required: []) })
            else { continue }
            var allowed: [String: [String]] = [:]
            var ok = true
            func check<E: ManifestEnum>(_ key: String, _: E.Type) {
                guard let n = b[key] else { return }
                guard let values = stringList(n, "\(p).bounds.\(key)") else {
                    ok = false
                    return
                }
                for v in values where E(rawValue: v) == nil {
                    fail("\(p).bounds.\(key) has '\(v)', which is not a \(key) value", n.mark)
                    ok = false
                }
                allowed[key] = values
            }
            check("dataClass", DataClass.self)
            check("accessScope", AccessScope.self)
            check("integrationAccess", IntegrationAccess.self)
            check("runtime", Runtime.self)
            check("criticality", Criticality.self)
            let maxCost = b["monthlyCostUSD"].flatMap { number($0, "\(p).bounds.monthlyCostUSD") }
            if b["monthlyCostUSD"] != nil && maxCost == nil { ok = false }
            if result.contains(where: { $0.name == name }) { fail("the template '\(name)' is defined twice", item.mark) }
            if ok { result.append(Template(name: name, tier: tier, allowed: allowed, maxMonthlyCostUSD: maxCost)) }
        }
        return result.count == items.count ? result : nil
    }

    mutating func readRules(_ node: YAMLNode) -> [Rule]? {
        guard let items = list(node, "rules") else { return nil }
        var result: [Rule] = []
        var ids = Set<String>()
        for (i, item) in items.enumerated() {
            let p = "rules[\(i)]"
            let known = ["id", "message", "when", "require", "severity", "raiseTier", "approvals"]
            guard let f = fields(item, p, known: known, required: ["id", "message", "when"]) else { continue }
            guard let id = f["id"].flatMap({ string($0, "\(p).id") }), let message = f["message"].flatMap({ string($0, "\(p).message") }),
                let when = f["when"].flatMap({ condition($0, "\(p).when", depth: 0) })
            else { continue }
            if !ManifestDecoder.isAppName(id) { fail("\(p).id '\(id)' must be lower-case words joined by hyphens", f["id"]?.mark ?? item.mark) }
            if BuiltInFindings.ids.contains(id) { fail("\(p).id '\(id)' is a built-in finding id; pick another", f["id"]?.mark ?? item.mark) }
            if !ids.insert(id).inserted { fail("the rule id '\(id)' is used twice", item.mark) }
            // Each optional part: absent is fine, present but invalid drops the rule (its problem is reported).
            var valid = true
            var require: Condition?
            if let n = f["require"] {
                require = condition(n, "\(p).require", depth: 0)
                valid = valid && require != nil
            }
            var severity = Severity.error
            if let n = f["severity"] {
                if let s = enumString(n, "\(p).severity", allowed: Severity.allCases.map(\.rawValue)).flatMap(Severity.init) {
                    severity = s
                } else {
                    valid = false
                }
            }
            var raise: Int?
            if let n = f["raiseTier"] {
                raise = tierNumber(n, "\(p).raiseTier")
                valid = valid && raise != nil
            }
            var extra: [ApprovalRequirement] = []
            if let n = f["approvals"] {
                if let a = approvals(n, "\(p).approvals") { extra = a } else { valid = false }
            }
            if f["require"] == nil && f["raiseTier"] == nil && f["approvals"] == nil {
                fail("\(p) ('\(id)') has no effect: give it require, raiseTier or approvals", item.mark)
                continue
            }
            guard valid else { continue }
            result.append(
                Rule(
                    id: id, message: message, when: when, require: require, severity: severity,
                    raiseTier: raise, approvals: extra, mark: item.mark))
        }
        return result.count == items.count ? result : nil
    }

    mutating func readChecks(_ node: YAMLNode, ruleIDs: Set<String>) -> [String: CheckLevel]? {
        guard let pairs = mapping(node, "checks") else { return nil }
        var result: [String: CheckLevel] = [:]
        for pair in pairs {
            guard let id = keyString(pair.key, "checks") else { continue }
            guard BuiltInFindings.ids.contains(id) || ruleIDs.contains(id) else {
                fail("checks names '\(id)', which is no finding id (built-in or rule)", pair.key.mark)
                continue
            }
            guard let level = enumString(pair.value, "checks.\(id)", allowed: CheckLevel.allCases.map(\.rawValue)).flatMap(CheckLevel.init)
            else { continue }
            if BuiltInFindings.isIntegrity(id) && level != .error {
                fail("checks.\(id) is \(level.rawValue), but \(id) is one of the gate's own integrity checks, which cannot be lowered or switched off; remove the entry (or set it to error)", pair.value.mark)
                continue
            }
            result[id] = level
        }
        return result.count == pairs.count ? result : nil
    }

    mutating func readExceptions(_ node: YAMLNode, ruleIDs: Set<String>) -> [PolicyException]? {
        guard let items = list(node, "exceptions") else { return nil }
        var result: [PolicyException] = []
        for (i, item) in items.enumerated() {
            let p = "exceptions[\(i)]"
            let keys = ["check", "app", "reason", "expires"]
            guard let f = fields(item, p, known: keys, required: keys),
                let check = f["check"].flatMap({ string($0, "\(p).check") }), let app = f["app"].flatMap({ string($0, "\(p).app") }),
                let reason = f["reason"].flatMap({ string($0, "\(p).reason") }),
                let expiresText = f["expires"].flatMap({ string($0, "\(p).expires") })
            else { continue }
            guard BuiltInFindings.ids.contains(check) || ruleIDs.contains(check) else {
                fail("\(p).check '\(check)' is no finding id (built-in or rule)", f["check"]?.mark ?? item.mark)
                continue
            }
            guard !BuiltInFindings.isIntegrity(check) else {
                fail("\(p).check '\(check)' is one of the gate's own integrity checks, which cannot be excepted or switched off; fix the manifest instead", f["check"]?.mark ?? item.mark)
                continue
            }
            guard let expires = Day(expiresText) else {
                fail("\(p).expires must be a date written YYYY-MM-DD", f["expires"]?.mark ?? item.mark)
                continue
            }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { fail("\(p).reason is empty; say why", item.mark) }
            result.append(PolicyException(check: check, app: app, reason: reason, expires: expires, mark: item.mark))
        }
        return result.count == items.count ? result : nil
    }

    // MARK: Conditions

    mutating func condition(_ node: YAMLNode, _ p: String, depth: Int) -> Condition? {
        guard depth < 32 else {
            fail("\(p) nests conditions deeper than 32 levels", node.mark)
            return nil
        }
        guard let pairs = node.mapping else {
            fail("\(p) must be a condition (a mapping such as {field: spec.dataClass, equals: regulated})", node.mark)
            return nil
        }
        var f: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let k = keyString(pair.key, p) else { return nil }
            f[k] = pair.value
        }
        if let n = f["all"] ?? f["any"] {
            let key = f["all"] != nil ? "all" : "any"
            guard f.count == 1 else {
                fail("\(p) mixes '\(key)' with other keys (\(f.keys.sorted().joined(separator: ", ")))", node.mark)
                return nil
            }
            guard let items = list(n, "\(p).\(key)") else { return nil }
            if items.isEmpty { fail("\(p).\(key) is empty", n.mark) }
            let parts = items.enumerated().map { condition($1, "\(p).\(key)[\($0)]", depth: depth + 1) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            let cs = parts.compactMap { $0 }
            return key == "all" ? .all(cs) : .any(cs)
        }
        if let n = f["not"] {
            guard f.count == 1 else {
                fail("\(p) mixes 'not' with other keys", node.mark)
                return nil
            }
            return condition(n, "\(p).not", depth: depth + 1).map { .not($0) }
        }
        guard let fieldNode = f["field"] else {
            let unknown = f.keys.sorted().joined(separator: ", ")
            fail("\(p) has no 'field' (and no all/any/not); found \(unknown.isEmpty ? "nothing" : unknown)", node.mark)
            return nil
        }
        guard let fieldText = string(fieldNode, "\(p).field") else { return nil }
        guard let path = FieldPath(fieldText), path.isKnownManifestField else {
            fail("\(p).field '\(fieldText)' is not a field of a MicroApp manifest", fieldNode.mark)
            return nil
        }
        let ops = f.keys.filter { $0 != "field" }
        guard ops.count == 1, let op = ops.first else {
            fail("\(p) must have exactly one operator (\(FieldTest.operators.joined(separator: ", "))); found \(ops.sorted().joined(separator: ", "))", node.mark)
            return nil
        }
        guard let v = f[op] else { return nil }
        let vp = "\(p).\(op)"
        let test: FieldTest?
        switch op {
        case "equals": test = scalarValue(v, vp).map { .equals($0) }
        case "notEquals": test = scalarValue(v, vp).map { .notEquals($0) }
        case "in": test = scalarList(v, vp).map { .isIn($0) }
        case "notIn": test = scalarList(v, vp).map { .notIn($0) }
        case "exists": test = bool(v, vp).map { .exists($0) }
        case "matches":
            guard let s = string(v, vp) else { return nil }
            do { test = .matches(try Pattern(s)) } catch {
                // The error says when the pattern uses what RE2 syntax (Go's, OPA's regex.match) does not have.
                fail("\(vp) is not a valid regular expression: \(error)", v.mark)
                return nil
            }
        case "greaterThan": test = number(v, vp).map { .greaterThan($0) }
        case "lessThan": test = number(v, vp).map { .lessThan($0) }
        case "atLeast": test = number(v, vp).map { .atLeast($0) }
        case "atMost": test = number(v, vp).map { .atMost($0) }
        default:
            let key = f.first { $0.key == op }
            fail("\(p) uses the unknown operator '\(op)'; use one of \(FieldTest.operators.joined(separator: ", "))", key?.value.mark ?? node.mark)
            return nil
        }
        return test.map { .field(path, $0) }
    }

    mutating func scalarValue(_ node: YAMLNode, _ p: String) -> ManifestValue? {
        guard let s = node.scalar else {
            fail("\(p) must be a single value, found \(node.kindDescription)", node.mark)
            return nil
        }
        return ManifestValue(s.value)
    }

    mutating func scalarList(_ node: YAMLNode, _ p: String) -> [ManifestValue]? {
        guard let items = list(node, p) else { return nil }
        let values = items.enumerated().map { scalarValue($1, "\(p)[\($0)]") }
        return values.allSatisfy { $0 != nil } ? values.compactMap { $0 } : nil
    }

    // MARK: Primitive readers

    mutating func fields(_ node: YAMLNode, _ p: String, known: [String], required: [String]) -> [String: YAMLNode]? {
        guard let pairs = mapping(node, p) else { return nil }
        var result: [String: YAMLNode] = [:]
        var ok = true
        for pair in pairs {
            guard let k = keyString(pair.key, p) else {
                ok = false
                continue
            }
            guard known.contains(k) else {
                fail("\(p) has the unknown key '\(k)' (allowed: \(known.joined(separator: ", ")))", pair.key.mark)
                ok = false
                continue
            }
            result[k] = pair.value
        }
        for k in required where result[k] == nil {
            fail("\(p) is missing '\(k)'", node.mark)
            ok = false
        }
        return ok ? result : nil
    }

    mutating func mapping(_ node: YAMLNode, _ p: String) -> [YAMLPair]? {
        if node.isNull { return [] }
        guard let pairs = node.mapping else {
            fail("\(p) must be a mapping, found \(node.kindDescription)", node.mark)
            return nil
        }
        return pairs
    }

    mutating func keyString(_ key: YAMLNode, _ p: String) -> String? {
        guard let s = key.scalar, case .string(let k) = s.value else {
            fail("\(p) has a key that is not a string", key.mark)
            return nil
        }
        return k
    }

    mutating func tierMap(_ node: YAMLNode, _ p: String) -> [String: Int]? {
        guard let pairs = mapping(node, p) else { return nil }
        var result: [String: Int] = [:]
        for pair in pairs {
            guard let k = keyString(pair.key, p), let t = tierNumber(pair.value, "\(p).\(k)") else { continue }
            result[k] = t
        }
        return result.count == pairs.count ? result : nil
    }

    mutating func list(_ node: YAMLNode, _ p: String) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard let items = node.sequence else {
            fail("\(p) must be a list, found \(node.kindDescription)", node.mark)
            return nil
        }
        return items
    }

    mutating func string(_ node: YAMLNode, _ p: String) -> String? {
        guard let s = node.scalar, case .string(let text) = s.value else {
            fail("\(p) must be a string, found \(node.kindDescription)", node.mark)
            return nil
        }
        return text
    }

    mutating func enumString(_ node: YAMLNode, _ p: String, allowed: [String]) -> String? {
        guard let s = string(node, p) else { return nil }
        guard allowed.contains(s) else {
            fail("\(p) must be one of \(allowed.joined(separator: ", "))", node.mark)
            return nil
        }
        return s
    }

    mutating func stringList(_ node: YAMLNode, _ p: String) -> [String]? {
        guard let items = list(node, p) else { return nil }
        let values = items.enumerated().map { string($1, "\(p)[\($0)]") }
        return values.allSatisfy { $0 != nil } ? values.compactMap { $0 } : nil
    }

    mutating func integer(_ node: YAMLNode, _ p: String, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard let s = node.scalar, case .int(let v) = s.value else {
            fail("\(p) must be a whole number, found \(node.kindDescription)", node.mark)
            return nil
        }
        guard v >= minimum else {
            fail("\(p) must be at least \(minimum)", node.mark)
            return nil
        }
        guard v <= maximum else {
            fail("\(p) is \(v); it must be at most \(maximum)", node.mark)
            return nil
        }
        return v
    }

    mutating func tierNumber(_ node: YAMLNode, _ p: String) -> Int? {
        guard let v = integer(node, p, minimum: 0) else { return nil }
        guard v <= 3 else {
            fail("\(p) is \(v); tiers go from 0 to 3", node.mark)
            return nil
        }
        return v
    }

    mutating func number(_ node: YAMLNode, _ p: String) -> Double? {
        switch node.scalar?.value {
        case .int(let i): return Double(i)
        case .float(let d) where d.isFinite: return d
        default:
            fail("\(p) must be a number, found \(node.kindDescription)", node.mark)
            return nil
        }
    }

    mutating func bool(_ node: YAMLNode, _ p: String) -> Bool? {
        guard let s = node.scalar, case .bool(let b) = s.value else {
            fail("\(p) must be true or false, found \(node.kindDescription)", node.mark)
            return nil
        }
        return b
    }

    mutating func approvals(_ node: YAMLNode, _ p: String) -> [ApprovalRequirement]? {
        guard let items = list(node, p) else { return nil }
        var result: [ApprovalRequirement] = []
        for (i, item) in items.enumerated() {
            let ip = "\(p)[\(i)]"
            guard let f = fields(item, ip, known: ["group", "count"], required: ["group", "count"]),
                let g = f["group"].flatMap({ string($0, "\(ip).group") }),
                let c = f["count"].flatMap({ integer($0, "\(ip).count", minimum: 1, maximum: PolicyBounds.approvalCount) })
            else { continue }
            result.append(ApprovalRequirement(group: g, count: c))
        }
        return result.count == items.count ? result : nil
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

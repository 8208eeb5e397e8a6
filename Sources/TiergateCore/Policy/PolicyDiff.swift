/// One semantic difference between two versions of the policy (`policy diff`, and the `policy-weakened`
/// warnings of `check`).
package struct PolicyDifference: Sendable, Hashable {
    /// The top-level section of the policy it is in (`tiers`, `groups`, `rules`…).
    package var section: String
    /// What changed, for people: "tier 2 (formal-approval) no longer asks security".
    package var description: String
    /// Whether the change makes the gate ask less of a change (SPEC section 10): reported as `policy-weakened`.
    package var weakens: Bool
    /// Where it is in the new policy file: the nearest node that still exists (the file's start at worst).
    package var mark: Mark
}

/// Compares two policies section by section. The weakenings the gate must show the `policyChange` approvers
/// (SPEC section 10) are marked `weakens`; everything else that differs is listed too.
package enum PolicyDiff {
    /// An exception that ends more than this many days after the judging day is a weakening when it is
    /// extended (a new one always is).
    package static let exceptionHorizonDays = 90
    /// New exceptions of one check for at least this many apps are one difference ("covers N apps").
    package static let manyApps = 5

    /// The differences from `before` to `after`, weakenings first. `afterRoot` is the new policy file's YAML, for
    /// the place of each difference (nil for the built-in default).
    package static func compare(_ before: Policy, _ after: Policy, afterRoot: YAMLNode?, today: Day) -> [PolicyDifference] {
        var c = Comparer(before: before, after: after, marks: PolicyMarks(root: afterRoot), today: today)
        c.manifests()
        c.dimensions()
        c.tiers()
        c.approvalSettings()
        c.groups()
        c.lists()
        c.limits()
        c.templates()
        c.checks()
        c.rules()
        c.exceptions()
        return c.out.filter(\.weakens) + c.out.filter { !$0.weakens }
    }

    /// `policy-weakened` warnings, one per weakening, pointing into the new policy file at `path`.
    package static func weakenedFindings(_ differences: [PolicyDifference], path: String) -> [Finding] {
        differences.filter(\.weakens).map {
            Finding(
                .policyWeakened,
                message: "this policy change makes the gate ask less: \($0.description)", path: path, mark: $0.mark)
        }
    }
}

/// Finds the place of a section, a key or a list item in a policy file; the deepest one found on the way.
struct PolicyMarks {
    let root: YAMLNode?

    func mark(_ keys: String...) -> Mark {
        guard var node = root else { return .start }
        for k in keys {
            guard let next = node[k] else { break }
            node = next
        }
        return node.mark
    }

    /// The item of the list at `section` whose `key` is `value` (a tier by its number, a template by its name).
    func item(_ section: String, _ key: String, _ value: String) -> Mark {
        guard let list = root?[section], list.isSequence else { return mark(section) }
        for i in 0..<list.count where list.item(i)[key]?.scalar?.text == value { return list.item(i).mark }
        return list.mark
    }
}

private struct Comparer {
    let before: Policy
    let after: Policy
    let marks: PolicyMarks
    let today: Day
    var out: [PolicyDifference] = []

    mutating func add(_ section: String, _ description: String, weakens: Bool, _ mark: Mark? = nil) {
        out.append(PolicyDifference(section: section, description: description, weakens: weakens, mark: mark ?? marks.mark(section)))
    }

    mutating func manifests() {
        let m = marks.mark("manifests")
        let (bi, ai) = (before.manifests.include.map(\.pattern), after.manifests.include.map(\.pattern))
        let (be, ae) = (before.manifests.exclude.map(\.pattern), after.manifests.exclude.map(\.pattern))
        for p in bi where !ai.contains(p) {
            add("manifests", "manifests.include no longer has '\(p)': the files only it matched are no longer judged", weakens: true, marks.mark("manifests", "include"))
        }
        for p in ae where !be.contains(p) {
            add("manifests", "manifests.exclude adds '\(p)': the files it matches are no longer judged", weakens: true, marks.mark("manifests", "exclude"))
        }
        for p in ai where !bi.contains(p) { add("manifests", "manifests.include adds '\(p)'", weakens: false, m) }
        for p in be where !ae.contains(p) { add("manifests", "manifests.exclude no longer has '\(p)'", weakens: false, m) }
        let (bl, al) = (before.manifests.layout?.description, after.manifests.layout?.description)
        if bl != al { add("manifests", "manifests.layout is \(al ?? "none") (was \(bl ?? "none"))", weakens: false, m) }
    }

    mutating func dimensions() {
        let maps: [(Dimension, [String: Int], [String: Int], [String])] = [
            (.dataClass, before.dimensions.dataClass, after.dimensions.dataClass, DataClass.allowedValues),
            (.accessScope, before.dimensions.accessScope, after.dimensions.accessScope, AccessScope.allowedValues),
            (.integrationAccess, before.dimensions.integrationAccess, after.dimensions.integrationAccess, IntegrationAccess.allowedValues),
            (.runtime, before.dimensions.runtime, after.dimensions.runtime, Runtime.allowedValues),
            (.criticality, before.dimensions.criticality, after.dimensions.criticality, Criticality.allowedValues),
        ]
        for (dimension, b, a, values) in maps {
            for v in values {
                guard let tb = b[v], let ta = a[v], tb != ta else { continue }
                add(
                    "dimensions", "dimensions.\(dimension.rawValue) maps '\(v)' to tier \(ta) (was \(tb))", weakens: ta < tb,
                    marks.mark("dimensions", dimension.rawValue, v))
            }
        }
        guard before.dimensions.monthlyCostUSD != after.dimensions.monthlyCostUSD else { return }
        let m = marks.mark("dimensions", "monthlyCostUSD")
        // Both band lists are step functions of the cap, constant between consecutive `upTo` values of either
        // (each interval closed on its right): comparing them at every such value, and just past the last,
        // compares them everywhere.
        let bounds = Set((before.dimensions.monthlyCostUSD + after.dimensions.monthlyCostUSD).compactMap(\.upTo)).sorted()
        let points = bounds + [(bounds.last ?? 0).nextUp]
        let lowered = points.first { after.dimensions.costTier($0) < before.dimensions.costTier($0) }
        let now = "the bands are now \(Self.bands(after.dimensions.monthlyCostUSD)) (were \(Self.bands(before.dimensions.monthlyCostUSD)))"
        if let cap = lowered {
            let shown = bounds.contains(cap) ? ManifestValue.format(cap) : "over \(ManifestValue.format(bounds.last ?? 0))"
            add(
                "dimensions",
                "dimensions.monthlyCostUSD maps a cap of \(shown) USD to tier \(after.dimensions.costTier(cap)) (was \(before.dimensions.costTier(cap))): \(now)",
                weakens: true, m)
        } else {
            add("dimensions", "dimensions.monthlyCostUSD: \(now)", weakens: false, m)
        }
    }

    static func bands(_ bands: [CostBand]) -> String {
        bands.map { b in b.upTo.map { "up to \(ManifestValue.format($0)): tier \(b.tier)" } ?? "above: tier \(b.tier)" }.joined(separator: ", ")
    }

    /// A change of approval requirements as one difference: what is asked now and what was; it weakens the gate
    /// when some group is asked less (or no longer). Nil when both ask the same.
    static func approvalChange(_ b: [ApprovalRequirement], _ a: [ApprovalRequirement]) -> (text: String, weakens: Bool)? {
        let (before, after) = (ApprovalRequirement.union(b), ApprovalRequirement.union(a))
        guard Set(before) != Set(after) else { return nil }
        let fewer = before.contains { r in !after.contains { $0.group == r.group && $0.count >= r.count } }
        return ("asks \(list(after)) (was \(list(before)))", fewer)
    }

    static func list(_ r: [ApprovalRequirement]) -> String {
        r.isEmpty ? "nothing" : r.map { "\($0.count) from \($0.group)" }.joined(separator: ", ")
    }

    mutating func tiers() {
        for n in 0...3 {
            guard let b = before.tier(n), let a = after.tier(n) else { continue }
            let m = marks.item("tiers", "tier", String(n))
            if let c = Self.approvalChange(b.approvals, a.approvals) { add("tiers", "tier \(n) (\(a.name)) \(c.text)", weakens: c.weakens, m) }
            if b.name != a.name { add("tiers", "tier \(n) is named '\(a.name)' (was '\(b.name)')", weakens: false, m) }
        }
        if let c = Self.approvalChange(before.policyChangeApprovals, after.policyChangeApprovals) {
            add("policyChange", "a change of the policy \(c.text)", weakens: c.weakens, marks.mark("policyChange"))
        }
    }

    mutating func approvalSettings() {
        if before.allowStale != after.allowStale {
            add(
                "approvals", after.allowStale ? "approvals.allowStale is true: a review of an older commit counts" : "approvals.allowStale is false",
                weakens: after.allowStale, marks.mark("approvals", "allowStale"))
        }
        if before.distinctApprovers != after.distinctApprovers {
            add(
                "approvals",
                after.distinctApprovers ? "approvals.distinctApprovers is true" : "approvals.distinctApprovers is false: one person may fill several groups",
                weakens: !after.distinctApprovers, marks.mark("approvals", "distinctApprovers"))
        }
    }

    mutating func groups() {
        if !before.groups.isEmpty && after.groups.isEmpty {
            add("groups", "groups is empty: no login counts for any group, and owner-unknown is off", weakens: true)
        }
        for g in before.groups.keys.sorted() where after.groups[g] == nil {
            add("groups", "the group '\(g)' is removed", weakens: false)
        }
        for g in after.groups.keys.sorted() {
            let a = after.groups[g] ?? []
            let m = marks.mark("groups", g)
            guard let b = before.groups[g] else {
                add("groups", "the group '\(g)' is added" + (a.isEmpty ? ", with no members" : " (\(a.joined(separator: ", ")))"), weakens: a.isEmpty, m)
                continue
            }
            if a.isEmpty && !b.isEmpty { add("groups", "the group '\(g)' has no members any more", weakens: true, m) }
            let added = a.filter { !b.contains($0) }
            let removed = b.filter { !a.contains($0) }
            if !added.isEmpty { add("groups", "the group '\(g)' adds \(added.joined(separator: ", "))", weakens: false, m) }
            if !removed.isEmpty && !a.isEmpty { add("groups", "the group '\(g)' removes \(removed.joined(separator: ", "))", weakens: false, m) }
        }
    }

    /// Lists where an added entry lets more through.
    mutating func lists() {
        let sets: [(String, [String], [String], String)] = [
            ("connectors", before.connectors, after.connectors, "is a pre-approved connector: apps using it are no longer lifted to tier 1"),
            ("secretRefSchemes", before.secretRefSchemes, after.secretRefSchemes, "is an accepted secret reference scheme"),
            ("ungovernedFields", before.ungovernedFields, after.ungovernedFields, "is ungoverned: a change to it alone needs no review"),
        ]
        for (section, b, a, meaning) in sets {
            for v in a where !b.contains(v) { add(section, "'\(v)' \(meaning)", weakens: true) }
            for v in b where !a.contains(v) { add(section, "\(section) no longer has '\(v)'", weakens: false) }
        }
        for zone in after.residency.keys.sorted() {
            let a = after.residency[zone] ?? []
            guard let b = before.residency[zone] else {
                add("residency", "the residency zone '\(zone)' is added (\(a.joined(separator: ", ")))", weakens: true, marks.mark("residency", zone))
                continue
            }
            for r in a where !b.contains(r) { add("residency", "residency zone '\(zone)' accepts the region \(r)", weakens: true, marks.mark("residency", zone)) }
            for r in b where !a.contains(r) { add("residency", "residency zone '\(zone)' no longer accepts the region \(r)", weakens: false, marks.mark("residency", zone)) }
        }
        for zone in before.residency.keys.sorted() where after.residency[zone] == nil {
            add("residency", "the residency zone '\(zone)' is removed", weakens: false)
        }
    }

    mutating func limits() {
        let (b, a) = (before.limits, after.limits)
        // (name, before, after, whether a higher value asks less)
        let values: [(String, Int, Int, Bool)] = [
            ("defaultTtlDays", b.defaultTtlDays, a.defaultTtlDays, true), ("maxTtlDays", b.maxTtlDays, a.maxTtlDays, true),
            ("attestationDays", b.attestationDays, a.attestationDays, true),
            ("minLogRetentionDays", b.minLogRetentionDays, a.minLogRetentionDays, false),
        ]
        for (name, vb, va, higherIsLooser) in values where vb != va {
            add("limits", "limits.\(name) is \(va) (was \(vb))", weakens: higherIsLooser ? va > vb : va < vb, marks.mark("limits", name))
        }
    }

    mutating func templates() {
        for t in after.templates {
            let m = marks.item("templates", "name", t.name)
            guard let old = before.template(named: t.name) else {
                add("templates", "the template '\(t.name)' is added (tier \(t.tier))", weakens: true, m)
                continue
            }
            if t.tier != old.tier { add("templates", "the template '\(t.name)' gives tier \(t.tier) (was \(old.tier))", weakens: t.tier < old.tier, m) }
            for d in Dimension.allCases where d != .monthlyCostUSD {
                let (vb, va) = (old.allowed[d.rawValue], t.allowed[d.rawValue])
                guard vb != va else { continue }
                // A bound that allows more values vouches for more apps; a bound dropped vouches for none.
                let wider = (va ?? []).filter { !(vb ?? []).contains($0) }
                if let vb, va != nil, !wider.isEmpty {
                    add("templates", "the template '\(t.name)' allows \(d.rawValue) \(wider.joined(separator: ", ")) (was \(vb.joined(separator: ", ")))", weakens: true, m)
                } else if vb == nil, let va {
                    add("templates", "the template '\(t.name)' now bounds \(d.rawValue) to \(va.joined(separator: ", ")) and vouches for it", weakens: true, m)
                } else {
                    add("templates", "the template '\(t.name)' bounds \(d.rawValue) to \(va.map { $0.joined(separator: ", ") } ?? "nothing")", weakens: false, m)
                }
            }
            if old.maxMonthlyCostUSD != t.maxMonthlyCostUSD {
                // A higher bound vouches for dearer apps; a new bound makes the template vouch for the cost at all.
                let looser: Bool
                switch (old.maxMonthlyCostUSD, t.maxMonthlyCostUSD) {
                case (let was?, let now?): looser = now > was
                case (nil, _?): looser = true
                default: looser = false
                }
                let show = { (v: Double?) in v.map(ManifestValue.format) ?? "none" }
                add("templates", "the template '\(t.name)' bounds monthlyCostUSD at \(show(t.maxMonthlyCostUSD)) (was \(show(old.maxMonthlyCostUSD)))", weakens: looser, m)
            }
        }
        for t in before.templates where after.template(named: t.name) == nil {
            add("templates", "the template '\(t.name)' is removed", weakens: false)
        }
    }

    /// A finding id's severity under a policy: its `checks` entry, else the rule's or the built-in default;
    /// nil when it is off or the id is unknown there.
    static func level(_ id: String, in p: Policy) -> CheckLevel? {
        if let l = p.checks[id] { return l }
        if let s = FindingID(rawValue: id)?.defaultSeverity ?? p.rules.first(where: { $0.id == id && $0.require != nil })?.severity {
            return CheckLevel(rawValue: s.rawValue)
        }
        return nil
    }

    static func rank(_ l: CheckLevel?) -> Int {
        switch l {
        case .error: 3
        case .warning: 2
        case .info: 1
        case .off, nil: 0
        }
    }

    mutating func checks() {
        let ids = Set(before.checks.keys).union(after.checks.keys).sorted()
        // A rule that is removed is reported as such (`rules`), not again as its check.
        for id in ids where before.checks[id] != after.checks[id] && (FindingID.allNames.contains(id) || after.rules.contains { $0.id == id }) {
            let (b, a) = (Self.level(id, in: before), Self.level(id, in: after))
            guard b != a else { continue }
            add(
                "checks", "checks.\(id) is \(a?.rawValue ?? "off") (was \(b?.rawValue ?? "off"))", weakens: Self.rank(a) < Self.rank(b),
                after.checks[id] != nil ? marks.mark("checks", id) : marks.mark("checks"))
        }
    }

    mutating func rules() {
        for r in before.rules where !after.rules.contains(where: { $0.id == r.id }) {
            var effects: [String] = []
            if let t = r.raiseTier { effects.append("raised apps to tier \(t)") }
            if r.require != nil { effects.append("required a condition (\(r.severity.rawValue))") }
            if !r.approvals.isEmpty { effects.append("asked " + r.approvals.map { "\($0.count) from \($0.group)" }.joined(separator: ", ")) }
            add("rules", "the rule '\(r.id)' is removed (it \(effects.joined(separator: "; ")))", weakens: true)
        }
        for r in after.rules {
            guard let old = before.rules.first(where: { $0.id == r.id }) else {
                add("rules", "the rule '\(r.id)' is added", weakens: false, r.mark)
                continue
            }
            if old.raiseTier != r.raiseTier {
                let lowered = (r.raiseTier ?? -1) < (old.raiseTier ?? -1)
                add("rules", "the rule '\(r.id)' raises to \(r.raiseTier.map { "tier \($0)" } ?? "no tier") (was \(old.raiseTier.map { "tier \($0)" } ?? "none"))", weakens: lowered, r.mark)
            }
            if old.require != r.require {
                add("rules", r.require == nil ? "the rule '\(r.id)' no longer requires anything" : "the rule '\(r.id)' requires another condition", weakens: r.require == nil, r.mark)
            } else if r.require != nil && old.severity != r.severity {
                add("rules", "the rule '\(r.id)' is \(r.severity.rawValue) (was \(old.severity.rawValue))", weakens: r.severity < old.severity, r.mark)
            }
            if let c = Self.approvalChange(old.approvals, r.approvals) { add("rules", "the rule '\(r.id)' \(c.text)", weakens: c.weakens, r.mark) }
            if old.when != r.when { add("rules", "the rule '\(r.id)' applies when another condition holds (see the apps it re-tiers)", weakens: false, r.mark) }
            if old.message != r.message { add("rules", "the rule '\(r.id)' has a new message", weakens: false, r.mark) }
        }
    }

    mutating func exceptions() {
        func key(_ e: PolicyException) -> String { e.check + "\u{0}" + e.app }
        var old: [String: PolicyException] = [:]
        for e in before.exceptions where old[key(e)] == nil { old[key(e)] = e }
        let horizon = today.adding(days: PolicyDiff.exceptionHorizonDays)
        var added: [String: [PolicyException]] = [:]
        var seen = Set<String>()
        for e in after.exceptions where seen.insert(key(e)).inserted {
            guard let was = old[key(e)] else {
                added[e.check, default: []].append(e)
                continue
            }
            if e.expires > was.expires {
                let far = e.expires > horizon
                add(
                    "exceptions",
                    "the exception for \(e.check) on \(e.app) is extended to \(e.expires) (was \(was.expires))"
                        + (far ? ", more than \(PolicyDiff.exceptionHorizonDays) days from \(today)" : ""),
                    weakens: far, e.mark)
            } else if e.expires < was.expires {
                add("exceptions", "the exception for \(e.check) on \(e.app) ends sooner, on \(e.expires) (was \(was.expires))", weakens: false, e.mark)
            }
        }
        for check in added.keys.sorted() {
            let list = added[check] ?? []
            if list.count >= PolicyDiff.manyApps {
                let names = list.prefix(5).map(\.app).joined(separator: ", ") + (list.count > 5 ? ", …" : "")
                add("exceptions", "new exceptions for \(check) cover \(list.count) apps (\(names))", weakens: true, list[0].mark)
            } else {
                for e in list { add("exceptions", "a new exception for \(e.check) on \(e.app) until \(e.expires) (\(e.reason))", weakens: true, e.mark) }
            }
        }
        let now = Set(after.exceptions.map(key))
        for e in before.exceptions where !now.contains(key(e)) {
            add("exceptions", "the exception for \(e.check) on \(e.app) is removed", weakens: false)
        }
    }
}

/// `tiergate policy show --effective`: the policy as it applies, every section written out from what the loader
/// understood, each marked `# from the file` or `# built-in default`. A section the file gives replaces the
/// default's wholesale (a `rules:` section drops the default rules), except `approvals` and `limits`, whose
/// missing keys keep their default (marked so). The output is itself a valid policy that loads to the same one.
package enum EffectivePolicy {
    package static let fromFile = "# from the file"
    package static let builtIn = "# built-in default"

    /// `fileBytes`: the policy file the policy was read from; nil when there is none (all built-in default).
    package static func render(_ policy: Policy, fileBytes: [UInt8]?) -> String {
        let root = fileBytes.flatMap { YAMLParser.parse($0).documents.first?.root }
        var w = Writer(fileRoot: root)
        w.line("apiVersion: \(PolicyLoader.apiVersion)")
        w.line("kind: \(PolicyLoader.kind)")

        w.section("manifests")
        w.line("  include: \(flow(policy.manifests.include.map(\.pattern)))")
        w.line("  exclude: \(flow(policy.manifests.exclude.map(\.pattern)))")
        if let layout = policy.manifests.layout { w.line("  layout: \(scalar(layout.description))") }

        w.section("dimensions")
        let d = policy.dimensions
        let maps: [(Dimension, [String: Int], [String])] = [
            (.dataClass, d.dataClass, DataClass.allowedValues), (.accessScope, d.accessScope, AccessScope.allowedValues),
            (.integrationAccess, d.integrationAccess, IntegrationAccess.allowedValues), (.runtime, d.runtime, Runtime.allowedValues),
            (.criticality, d.criticality, Criticality.allowedValues),
        ]
        for (dimension, map, values) in maps {
            w.line("  \(dimension.rawValue): {" + values.map { "\(scalar($0)): \(map[$0] ?? 0)" }.joined(separator: ", ") + "}")
        }
        w.line("  monthlyCostUSD:")
        for band in d.monthlyCostUSD {
            w.line("    - {" + (band.upTo.map { "upTo: \(ManifestValue.format($0)), " } ?? "") + "tier: \(band.tier)}")
        }

        w.section("tiers")
        for t in policy.tiers { w.line("  - {tier: \(t.tier), name: \(scalar(t.name)), approvals: \(approvals(t.approvals))}") }

        w.section("policyChange")
        w.line("  approvals: \(approvals(policy.policyChangeApprovals))")

        w.section("approvals")
        w.line("  allowStale: \(policy.allowStale)" + w.defaultMark("approvals", "allowStale"))
        w.line("  distinctApprovers: \(policy.distinctApprovers)" + w.defaultMark("approvals", "distinctApprovers"))

        w.section("groups", empty: policy.groups.isEmpty ? "{}" : nil)
        for g in policy.groups.keys.sorted() { w.line("  \(scalar(g)): \(flow(policy.groups[g] ?? []))") }

        w.section("connectors", empty: flow(policy.connectors))
        w.section("secretRefSchemes", empty: flow(policy.secretRefSchemes))

        w.section("residency", empty: policy.residency.isEmpty ? "{}" : nil)
        for zone in policy.residency.keys.sorted() { w.line("  \(scalar(zone)): \(flow(policy.residency[zone] ?? []))") }

        w.section("limits")
        let l = policy.limits
        for (key, value) in [("defaultTtlDays", l.defaultTtlDays), ("maxTtlDays", l.maxTtlDays), ("attestationDays", l.attestationDays), ("minLogRetentionDays", l.minLogRetentionDays)] {
            w.line("  \(key): \(value)" + w.defaultMark("limits", key))
        }

        w.section("ungovernedFields", empty: flow(policy.ungovernedFields))

        w.section("templates", empty: policy.templates.isEmpty ? "[]" : nil)
        for t in policy.templates {
            var bounds = Dimension.allCases.compactMap { dim in t.allowed[dim.rawValue].map { "\(dim.rawValue): \(flow($0))" } }
            if let max = t.maxMonthlyCostUSD { bounds.append("monthlyCostUSD: \(ManifestValue.format(max))") }
            w.line("  - {name: \(scalar(t.name)), tier: \(t.tier), bounds: {\(bounds.joined(separator: ", "))}}")
        }

        w.section("checks", empty: policy.checks.isEmpty ? "{}" : nil)
        for id in policy.checks.keys.sorted() { w.line("  \(scalar(id)): \(policy.checks[id]?.rawValue ?? "error")") }

        let dropped = Policy.builtIn.rules.map(\.id).filter { id in !policy.rules.contains { $0.id == id } }
        let note = dropped.isEmpty ? "" : "; it replaces the built-in rules, so these do not apply: \(dropped.joined(separator: ", "))"
        w.section("rules", empty: policy.rules.isEmpty ? "[]" : nil, note: note)
        for r in policy.rules {
            w.line("  - id: \(scalar(r.id))")
            w.line("    message: \(scalar(r.message))")
            w.line("    when: \(condition(r.when))")
            if let req = r.require {
                w.line("    require: \(condition(req))")
                w.line("    severity: \(r.severity.rawValue)")
            }
            if let t = r.raiseTier { w.line("    raiseTier: \(t)") }
            if !r.approvals.isEmpty { w.line("    approvals: \(approvals(r.approvals))") }
        }

        w.section("exceptions", empty: policy.exceptions.isEmpty ? "[]" : nil)
        for e in policy.exceptions {
            w.line("  - {check: \(scalar(e.check)), app: \(scalar(e.app)), reason: \(scalar(e.reason)), expires: \(e.expires)}")
        }
        return w.text
    }

    /// Writes the lines, with the section markers: where a section came from is whether the file's top-level
    /// mapping has its key.
    private struct Writer {
        let fileRoot: YAMLNode?
        var text = ""

        mutating func line(_ s: String) { text += s + "\n" }

        func fromFile(_ keys: String...) -> Bool {
            guard var node = fileRoot else { return false }
            for k in keys {
                guard let next = node[k] else { return false }
                node = next
            }
            return true
        }

        /// The header of a section; with `empty`, the section's whole value on the same line.
        mutating func section(_ key: String, empty: String? = nil, note: String = "") {
            let file = fromFile(key)
            line((file ? EffectivePolicy.fromFile : EffectivePolicy.builtIn) + (file ? note : ""))
            line("\(key):" + (empty.map { " \($0)" } ?? ""))
        }

        /// For a key of a section whose missing keys keep the default: the mark when this one is missing.
        func defaultMark(_ section: String, _ key: String) -> String {
            fromFile(section) && !fromFile(section, key) ? "  \(EffectivePolicy.builtIn)" : ""
        }
    }

    static func approvals(_ list: [ApprovalRequirement]) -> String {
        "[" + list.map { "{group: \(scalar($0.group)), count: \($0.count)}" }.joined(separator: ", ") + "]"
    }

    static func flow(_ items: [String]) -> String { "[" + items.map(scalar).joined(separator: ", ") + "]" }

    /// A condition in flow style, as the rules language writes it. Conditions are at most 32 levels deep (the
    /// loader refuses deeper ones), so the recursion is bounded.
    static func condition(_ c: Condition) -> String {
        switch c {
        case .all(let cs): return "{all: [" + cs.map(condition).joined(separator: ", ") + "]}"
        case .any(let cs): return "{any: [" + cs.map(condition).joined(separator: ", ") + "]}"
        case .not(let inner): return "{not: \(condition(inner))}"
        case .field(let path, let test):
            let (op, value): (String, String)
            switch test {
            case .equals(let v): (op, value) = ("equals", literal(v))
            case .notEquals(let v): (op, value) = ("notEquals", literal(v))
            case .isIn(let vs): (op, value) = ("in", "[" + vs.map(literal).joined(separator: ", ") + "]")
            case .notIn(let vs): (op, value) = ("notIn", "[" + vs.map(literal).joined(separator: ", ") + "]")
            case .exists(let b): (op, value) = ("exists", String(b))
            case .matches(let p): (op, value) = ("matches", quoted(p.source))
            case .greaterThan(let d): (op, value) = ("greaterThan", ManifestValue.format(d))
            case .lessThan(let d): (op, value) = ("lessThan", ManifestValue.format(d))
            case .atLeast(let d): (op, value) = ("atLeast", ManifestValue.format(d))
            case .atMost(let d): (op, value) = ("atMost", ManifestValue.format(d))
            }
            return "{field: \(scalar(path.description)), \(op): \(value)}"
        }
    }

    /// A rule literal: conditions compare against scalars only.
    static func literal(_ v: ManifestValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let d): return ManifestValue.format(d)
        case .string(let s): return scalar(s)
        case .list, .map: return quoted(v.description)
        }
    }

    /// Words every YAML reader (1.1 or 1.2) types as something other than a string when unquoted.
    private static let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]

    /// A string as a plain scalar when every YAML reader reads it back as that same string (a letter, then
    /// letters, digits and `-._/`, and no reserved word; or a date), else double-quoted.
    static func scalar(_ s: String) -> String {
        let bytes = Array(s.utf8)
        func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        let plainWord = bytes.first.map(isLetter) == true
            && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }
            && !reserved.contains(s.lowercased())
        // A date stays a string under the YAML 1.2 core schema the policy is read with.
        if plainWord || (Day(s) != nil && bytes.count == 10) { return s }
        return quoted(s)
    }

    /// A double-quoted scalar: `"` and `\` escaped, and every character outside printable ASCII written as an escape.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value >= 0x20 && u.value < 0x7F {
                    out.unicodeScalars.append(u)
                } else if u.value <= 0xFFFF {
                    out += "\\u" + hex(u.value, 4)
                } else {
                    out += "\\U" + hex(u.value, 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

import Foundation

package enum ExplainFormat: String, Sendable, CaseIterable { case text, json }

/// Renders `tiergate explain`.
package enum ExplainRenderer {
    /// The explanation with no credential in it (`Redactor`), terminal-safe as text (`TerminalText`).
    package static func render(_ e: AppExplanation, as format: ExplainFormat) throws(TiergateError) -> String {
        let e = Redactor.redact(e)
        switch format {
        case .text: return text(TerminalText.escape(e))
        case .json: return try JSONText.encode(ExplainJSON(e))
        }
    }

    static func text(_ e: AppExplanation) -> String {
        let x = e.explanation
        var out = "\(e.name) (\(e.path)) is tier \(x.tier)\(e.tierName.map { " (\($0))" } ?? ""), decided by \(x.decidedBy.joined(separator: ", "))\n"
        out += "read from \(sourceText(e.source)); judged by the \(policyText(e.policy))\n\n"
        out += "dimensions (dimension tier \(x.dimensionTier)):\n"
        let width = x.dimensions.map(\.name.count).max() ?? 0
        for d in x.dimensions {
            let pad = String(repeating: " ", count: width - d.name.count)
            out += "  \(d.name)\(pad)  \(d.value) -> tier \(d.tier)\(d.counts ? "" : " (bounded by the template)")\n"
        }
        if let t = x.template {
            if x.withinTemplate {
                let bounds = x.templateBounds.isEmpty ? "none" : x.templateBounds.joined(separator: ", ")
                out += "template: \(t), within its bounds: tier \(x.templateTier ?? 0) stands in for the dimensions it bounds (\(bounds)); the others count as usual\n"
            } else {
                out += "template: \(t), outside its bounds (\(x.templateDeviations.joined(separator: "; "))): tiered by its own values\n"
            }
        } else {
            out += "template: none\n"
        }
        if e.firedRules.isEmpty {
            out += "rules: none fired\n"
        } else {
            out += "rules that fired:\n"
            for r in e.firedRules {
                var effects: [String] = []
                if let t = r.raiseTier { effects.append("raises the tier to at least \(t)") }
                if !r.approvals.isEmpty { effects.append("asks " + r.approvals.map { "\($0.count) from \($0.group)" }.joined(separator: ", ")) }
                if let met = r.requirementMet { effects.append(met ? "its requirement holds" : "its requirement FAILS") }
                out += "  \(r.id): \(effects.joined(separator: "; "))\n"
            }
        }
        out += "custom connectors: \(x.customConnectors.isEmpty ? "none" : x.customConnectors.joined(separator: ", ") + " (tier at least 1)")\n"
        out += "approvals a change needs: "
        out += e.approvals.isEmpty ? "none (self-service)\n" : e.approvals.map { "\($0.count) from \($0.group)" }.joined(separator: ", ") + "\n"
        return out
    }
}

extension ExplainRenderer {
    static func sourceText(_ s: AppExplanation.Source) -> String {
        switch s {
        case .workingTree(let path): "the working tree: \(path) as it is on disk now"
        case .revision(let r): "revision \(r.rev)\(r.commit.map { " (\($0.prefix(12)))" } ?? "")"
        }
    }

    static func policyText(_ p: PolicyInfo) -> String {
        switch p.source {
        case .default: "built-in default policy"
        case .file: "policy file \(p.path ?? "?")"
        default: "policy \(p.path ?? Policy.path)" + (p.blob.map { " (blob \($0.prefix(12)))" } ?? "")
        }
    }
}

struct ExplainJSON: Encodable {
    let e: AppExplanation
    init(_ e: AppExplanation) { self.e = e }

    struct Term: Encodable {
        let value: String
        let tier: Int
    }

    struct TemplateJSON: Encodable {
        let name: String
        let tier: Int?
        let withinBounds: Bool
        /// The dimensions the template bounds: within them, its tier stands in for theirs.
        let bounds: [String]
        let deviations: [String]
    }

    struct RuleJSON: Encodable {
        let id: String
        let raiseTier: Int?
        let approvals: [ApprovalRequirement]
        let requirementMet: Bool?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(raiseTier, forKey: .raiseTier)
            try c.encode(approvals, forKey: .approvals)
            try c.encode(requirementMet, forKey: .requirementMet)
        }
        enum CodingKeys: String, CodingKey { case id, raiseTier, approvals, requirementMet }
    }

    /// Where the manifest was read: `{kind: "working-tree", path}` or `{kind: "revision", rev, commit}`.
    struct SourceJSON: Encodable {
        let kind: String
        let path: String?
        let rev: String?
        let commit: String?

        init(_ s: AppExplanation.Source) {
            switch s {
            case .workingTree(let p): (kind, path, rev, commit) = ("working-tree", p, nil, nil)
            case .revision(let r): (kind, path, rev, commit) = ("revision", nil, r.rev, r.commit)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, path, source, tier, dimensions, dimensionTier, template, rules, connectorsCustom, approvals, decidedBy
    }

    func encode(to encoder: Encoder) throws {
        let x = e.explanation
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(e.name, forKey: .name)
        try c.encode(e.path, forKey: .path)
        try c.encode(SourceJSON(e.source), forKey: .source)
        try c.encode(x.tier, forKey: .tier)
        try c.encode(Dictionary(uniqueKeysWithValues: x.dimensions.map { ($0.name, Term(value: $0.value, tier: $0.tier)) }), forKey: .dimensions)
        try c.encode(x.dimensionTier, forKey: .dimensionTier)
        try c.encode(x.template.map { TemplateJSON(name: $0, tier: x.templateTier, withinBounds: x.withinTemplate, bounds: x.templateBounds, deviations: x.templateDeviations) }, forKey: .template)
        try c.encode(e.firedRules.map { RuleJSON(id: $0.id, raiseTier: $0.raiseTier, approvals: $0.approvals, requirementMet: $0.requirementMet) }, forKey: .rules)
        try c.encode(x.customConnectors, forKey: .connectorsCustom)
        try c.encode(e.approvals, forKey: .approvals)
        try c.encode(x.decidedBy, forKey: .decidedBy)
    }
}

/// Pretty, stable JSON text, with the characters `JSONEscaping` names written as escapes.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws(TiergateError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        do { return JSONEscaping.inert(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n" } catch {
            throw TiergateError(.io, "cannot encode JSON: \(error)")
        }
    }
}

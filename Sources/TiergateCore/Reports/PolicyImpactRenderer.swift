/// The policy-change part of a report (`check` of a change that edits the policy file) and the whole of
/// `policy diff`: the weakenings first, the other differences, then the apps re-tiered, in text, Markdown and
/// JSON. Each reporter calls the section for its format; strings arrive prepared (redacted, and terminal-safe
/// for the formats people read), as `Reporter.render` and `PolicyDiffRenderer.render` make them.
package enum PolicyImpactRenderer {
    // MARK: JSON

    /// `policyImpact`: every app whose tier or required approvals differ, all of them (SPEC section 7).
    static func json(_ w: inout JSONWriter, _ impact: PolicyImpact) {
        w.objects(impact.rows) { w, r in
            w.field("name", r.name)
            w.field("path", r.path)
            w.field("tierBefore", r.tierBefore)
            w.field("tierAfter", r.tierAfter)
            w.key("approvalsBefore")
            w.approvalRequirements(r.approvalsBefore)
            w.key("approvalsAfter")
            w.approvalRequirements(r.approvalsAfter)
        }
    }

    static func differences(_ w: inout JSONWriter, _ list: [PolicyDifference]) {
        w.objects(list) { w, d in
            w.field("section", d.section)
            w.field("description", d.description)
            w.field("weakens", d.weakens)
            w.field("line", d.mark.line)
            w.field("column", d.mark.column)
        }
    }

    // MARK: Markdown

    /// The section a PR comment shows right under its decision line when the change edits the policy: the
    /// `policy-weakened` warnings (at most `shownWeakenings`). The table of apps re-tiered (`markdownTable`)
    /// follows the missing approvals.
    package static func markdownWeakenings(_ report: Report) -> String {
        guard report.policyImpact != nil else { return "" }
        return markdownWeakenings(report.allFindings.filter { $0.id == "policy-weakened" })
    }

    /// A comment GitHub refuses shows nothing: a policy change that removes a thousand rules lists the first ones.
    static let shownWeakenings = 30

    static func markdownWeakenings(_ weakened: [Finding]) -> String {
        guard !weakened.isEmpty else { return "" }
        var out = "**⚠️ This change weakens the policy** (\(weakened.count) way\(weakened.count == 1 ? "" : "s")); approvers of the policy change, read this first:\n\n"
        for f in weakened.prefix(shownWeakenings) { out += markdownWarning(f) }
        if weakened.count > shownWeakenings {
            out += "- … and \(weakened.count - shownWeakenings) more (the JSON report lists every one)\n"
        }
        return out + "\n"
    }

    /// A warning about the policy file as a list item: where, what, and its id.
    static func markdownWarning(_ f: Finding) -> String {
        "- 🟡 \(MarkdownText.code("\(f.path):\(f.line)")) \(MarkdownText.text(f.message)) \(MarkdownText.code(f.id))\n"
    }

    static func markdownTable(_ impact: PolicyImpact) -> String {
        guard !impact.rows.isEmpty else {
            return "**Apps this policy change re-tiers**: none of the \(impact.appsCompared) app\(impact.appsCompared == 1 ? "" : "s") at head changes tier or approvals.\n\n"
        }
        var out = "**Apps this policy change re-tiers**: \(impact.rows.count) of \(impact.appsCompared)\n\n"
        out += "| App | Path | Tier | Approvals a new app of its shape needs |\n|---|---|---|---|\n"
        for r in impact.rows.prefix(PolicyImpact.shownRows) {
            let cell = { (list: [ApprovalRequirement]) in
                list.isEmpty ? "none" : list.map { "\($0.count)× \(MarkdownText.text($0.group, inTable: true))" }.joined(separator: ", ")
            }
            let approvals = Set(r.approvalsBefore) == Set(r.approvalsAfter) ? cell(r.approvalsAfter) + " (same)" : "\(cell(r.approvalsBefore)) → \(cell(r.approvalsAfter))"
            out += "| \(MarkdownText.code(r.name, inTable: true)) | \(MarkdownText.code(r.path, inTable: true)) | \(tierText(r))\(r.asksLess ? " ⚠️" : "") | \(approvals) |\n"
        }
        if impact.rows.count > PolicyImpact.shownRows {
            out += "\n_… and \(impact.rows.count - PolicyImpact.shownRows) more apps (the JSON report lists every one)._\n"
        }
        return out + "\n"
    }

    static func tierText(_ r: PolicyImpactRow) -> String {
        let show = { (t: Int?) in t.map(String.init) ?? "not judged" }
        return "\(show(r.tierBefore)) → \(show(r.tierAfter))"
    }

    // MARK: Text

    /// The section a terminal report shows right under its headline when the change edits the policy.
    package static func text(_ report: Report) -> String {
        guard let impact = report.policyImpact else { return "" }
        return textWeakenings(report.allFindings.filter { $0.id == "policy-weakened" }) + textTable(impact)
    }

    static func textWeakenings(_ weakened: [Finding]) -> String {
        guard !weakened.isEmpty else { return "" }
        var out = "\nThis change weakens the policy (\(weakened.count) way\(weakened.count == 1 ? "" : "s")):\n"
        for f in weakened { out += "  \(f.path):\(f.line):\(f.column): warning \(f.message) [\(f.id)]\n" }
        return out
    }

    static func textTable(_ impact: PolicyImpact) -> String {
        guard !impact.rows.isEmpty else {
            return "\nApps this policy change re-tiers: none of the \(impact.appsCompared) at head\n"
        }
        var out = "\nApps this policy change re-tiers: \(impact.rows.count) of \(impact.appsCompared)\n"
        let rows = impact.rows.prefix(PolicyImpact.shownRows)
        let width = rows.map(\.name.count).max() ?? 0
        for r in rows {
            let pad = String(repeating: " ", count: width - r.name.count)
            let list = { (l: [ApprovalRequirement]) in l.isEmpty ? "none" : l.map { "\($0.count) from \($0.group)" }.joined(separator: ", ") }
            let approvals = Set(r.approvalsBefore) == Set(r.approvalsAfter) ? "" : "; approvals \(list(r.approvalsBefore)) -> \(list(r.approvalsAfter))"
            let tier = "tier \(r.tierBefore.map(String.init) ?? "not judged") -> \(r.tierAfter.map(String.init) ?? "not judged")"
            out += "  \(r.name)\(pad)  \(tier)\(approvals)\(r.asksLess ? "  (asks less)" : "")  \(r.path)\n"
        }
        if impact.rows.count > PolicyImpact.shownRows {
            out += "  … and \(impact.rows.count - PolicyImpact.shownRows) more apps (--format json lists every one)\n"
        }
        return out
    }
}

/// `tiergate policy diff`: two revisions' policies compared, and the apps of the second re-tiered.
package struct PolicyDiffReport: Sendable, Equatable {
    package var base: RevisionInfo
    package var head: RevisionInfo
    package var basePolicy: PolicyInfo
    package var headPolicy: PolicyInfo
    package var impact: PolicyImpact
    /// `policy-weakened` and `exception-unknown-app`, about the head's policy file.
    package var findings: [Finding]
}

extension PolicyDiffReport: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> PolicyDiffReport {
        PolicyDiffReport(
            base: base.mappingStrings(f), head: head.mappingStrings(f), basePolicy: basePolicy.mappingStrings(f),
            headPolicy: headPolicy.mappingStrings(f), impact: impact.mappingStrings(f), findings: findings.mappingStrings(f))
    }
}

package enum PolicyDiffFormat: String, Sendable, CaseIterable { case text, markdown, json }

package enum PolicyDiffRenderer {
    /// The report with no credential in it, terminal-safe except as JSON (which escapes it itself).
    package static func render(_ report: PolicyDiffReport, as format: PolicyDiffFormat) -> String {
        let r = Redactor.redact(report)
        switch format {
        case .text: return text(TerminalText.escape(r))
        case .markdown: return markdown(TerminalText.escape(r))
        case .json: return json(r)
        }
    }

    static func revisions(_ r: PolicyDiffReport) -> String {
        func side(_ rev: RevisionInfo, _ p: PolicyInfo) -> String {
            "\(rev.rev) (\(rev.commit.map { String($0.prefix(12)) } ?? "?")), policy \(p.blob.map { "blob \($0.prefix(12))" } ?? "built-in default")"
        }
        return "\(side(r.base, r.basePolicy)) -> \(side(r.head, r.headPolicy))"
    }

    static func text(_ r: PolicyDiffReport) -> String {
        let weak = r.impact.differences.filter(\.weakens)
        let other = r.impact.differences.filter { !$0.weakens }
        var out = "tiergate policy diff: \(r.impact.differences.count) difference\(r.impact.differences.count == 1 ? "" : "s"), \(weak.count) weakening\(weak.count == 1 ? "" : "s"), \(r.impact.rows.count) app\(r.impact.rows.count == 1 ? "" : "s") re-tiered\n"
        out += revisions(r) + "\n"
        out += PolicyImpactRenderer.textWeakenings(r.findings.filter { $0.id == "policy-weakened" })
        if !other.isEmpty {
            out += "\nOther differences:\n"
            for d in other { out += "  \(d.section): \(d.description)\n" }
        }
        let unknown = r.findings.filter { $0.id != "policy-weakened" }
        if !unknown.isEmpty {
            out += "\nWarnings:\n"
            for f in unknown { out += "  \(f.path):\(f.line):\(f.column): \(f.severity.rawValue) \(f.message) [\(f.id)]\n" }
        }
        if r.impact.differences.isEmpty { out += "\nThe two policies are the same.\n" }
        return out + PolicyImpactRenderer.textTable(r.impact)
    }

    static func markdown(_ r: PolicyDiffReport) -> String {
        let weak = r.impact.differences.filter(\.weakens).count
        var out = "### tiergate policy diff: \(r.impact.differences.count) difference\(r.impact.differences.count == 1 ? "" : "s"), \(weak) weakening\(weak == 1 ? "" : "s")\n\n"
        out += MarkdownText.text(revisions(r)) + "\n\n"
        out += PolicyImpactRenderer.markdownWeakenings(r.findings.filter { $0.id == "policy-weakened" })
        let other = r.impact.differences.filter { !$0.weakens }
        if !other.isEmpty {
            out += "**Other differences**\n\n"
            for d in other { out += "- \(MarkdownText.code(d.section)): \(MarkdownText.text(d.description))\n" }
            out += "\n"
        }
        for f in r.findings where f.id != "policy-weakened" { out += PolicyImpactRenderer.markdownWarning(f) }
        return out + PolicyImpactRenderer.markdownTable(r.impact)
    }

    static func json(_ r: PolicyDiffReport) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.header(command: "policy-diff")
        for (key, rev, policy) in [("base", r.base, r.basePolicy), ("head", r.head, r.headPolicy)] {
            w.key(key)
            w.object { w in
                w.revisionFields(rev)
                w.key("policy")
                w.object { w in
                    w.field("path", policy.path)
                    w.field("blob", policy.blob)
                }
            }
        }
        w.key("differences")
        PolicyImpactRenderer.differences(&w, r.impact.differences)
        w.key("policyImpact")
        PolicyImpactRenderer.json(&w, r.impact)
        w.key("findings")
        w.objects(r.findings) { $0.findingFields($1) }
        w.key("summary")
        w.object { w in
            w.field("differences", r.impact.differences.count)
            w.field("weakenings", r.impact.differences.count(where: \.weakens))
            w.field("appsCompared", r.impact.appsCompared)
            w.field("appsChanged", r.impact.rows.count)
        }
        w.endObject()
        return w.text
    }
}

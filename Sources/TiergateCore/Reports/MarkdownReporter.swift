/// A pull-request comment: the decision line first, a table of apps with their tier change and required
/// approvals, the approvals, then findings grouped by app with `path:line` links, details collapsed. Every string
/// of the report goes through `MarkdownText` (names and paths as code spans, messages as escaped text), so a
/// repository cannot add a heading, a link, HTML or an `@mention` to the comment.
package struct MarkdownReporter: Reporter {
    /// Marks the comment so that CI can find and update its own previous comment.
    package static let marker = "<!-- tiergate-report -->"

    /// Where source files are browsed, up to the commit: `https://github.com/OWNER/REPO/blob/` or
    /// `https://gitlab.example.com/GROUP/PROJECT/-/blob/`. Without it, locations are shown but not linked
    /// (a relative link in a PR comment would point nowhere).
    package var sourceLinkBase: String?

    package init(sourceLinkBase: String? = nil) { self.sourceLinkBase = sourceLinkBase }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var out = Self.marker + "\n"
        let s = report.summary
        let icon: String
        let verdict: String
        switch report.decision {
        case .pass: (icon, verdict) = ("✅", "passes")
        case .blocked: (icon, verdict) = ("⛔", "is blocked")
        case .approvalRequired: (icon, verdict) = ("⏳", "needs approvals")
        }
        let what = report.command == .check ? "This change" : "Lint"
        out += "### \(icon) tiergate: \(what) \(verdict)\n\n"
        var facts = ["\(s.errors) error\(s.errors == 1 ? "" : "s")", "\(s.warnings) warning\(s.warnings == 1 ? "" : "s")"]
        if report.command == .check {
            facts.insert("\(s.apps) app\(s.apps == 1 ? "" : "s") changed", at: 0)
            if let a = report.approvals, !a.ignored { facts.append("\(s.approvalsMissing) approval\(s.approvalsMissing == 1 ? "" : "s") missing\(a.advisory ? " (advisory)" : "")") }
        } else {
            facts.insert("\(s.apps) app\(s.apps == 1 ? "" : "s")", at: 0)
        }
        out += facts.joined(separator: " · ") + "\n\n"
        // A policy change: its weakenings and the apps it re-tiers come before anything else.
        out += PolicyImpactRenderer.markdown(report)

        if report.command == .check, !report.apps.isEmpty {
            out += "| App | Change | Tier | Required approvals |\n|---|---|---|---|\n"
            for app in report.apps {
                guard let c = app.check else { continue }
                let tier = "\(c.baseTier.map(String.init) ?? "–") → \(c.headTier.map(String.init) ?? "–") (\(c.tierChange.rawValue))"
                let needs = c.requiredApprovals.isEmpty ? "none" : c.requiredApprovals.map { "\($0.count)× \(cell($0.group))" }.joined(separator: ", ")
                let was = c.previousName.map { " (was \(codeCell($0)))" } ?? ""
                out += "| \(codeCell(app.name)) | \(c.change.rawValue)\(was) | \(tier) | \(needs) |\n"
            }
            out += "\n"
        } else if report.command == .lint, !report.apps.isEmpty {
            out += "| App | Path | Tier | Findings |\n|---|---|---|---|\n"
            for app in report.apps {
                out += "| \(codeCell(app.name)) | \(codeCell(app.path)) | \(app.tier.map(String.init) ?? "–") | \(app.findings.filter(\.counts).count) |\n"
            }
            out += "\n"
        }

        if let a = report.approvals, !a.outcome.groups.isEmpty {
            out += "**Approvals**\(a.ignored ? " (ignored)" : a.advisory ? " (advisory)" : "")\n\n"
            for g in a.outcome.groups {
                let box = g.satisfied ? "x" : " "
                // Approvers are mentioned on purpose: they come from the review evidence, not from the repository.
                let by = g.approvedBy.isEmpty ? "" : " — " + g.approvedBy.map { "@" + text($0) }.joined(separator: ", ")
                out += "- [\(box)] **\(text(g.group))** \(g.approvedBy.count)/\(g.count)\(by) (\(g.reasons.map(text).joined(separator: "; ")))\n"
                // In a code span, so that GitHub does not notify the team.
                for t in g.unresolvedTeams {
                    out += "  - ⚠️ team \(MarkdownText.code(t.team)) matches nobody: \(text(t.explanation))\n"
                }
            }
            if !a.outcome.discarded.isEmpty {
                out += "\n<details><summary>Approvals not counted (\(a.outcome.discarded.count))</summary>\n\n"
                for d in a.outcome.discarded { out += "- \(text(d.login)): \(d.reason.rawValue)\(d.detail.map { " — \(text($0))" } ?? "")\n" }
                out += "\n</details>\n"
            }
            out += "\n"
        }

        let findings = report.allFindings
        if !findings.isEmpty {
            var groups: [String: [Finding]] = [:]
            for f in findings { groups[f.app ?? "(file)", default: []].append(f) }
            for key in groups.keys.sorted() {
                let list = groups[key] ?? []
                let errors = list.filter { $0.counts && $0.severity == .error }.count
                out += "<details\(errors > 0 ? " open" : "")><summary><b>\(key == "(file)" ? "Files" : "<code>\(MarkdownText.html(key))</code>")</b>: \(list.count) finding\(list.count == 1 ? "" : "s")</summary>\n\n"
                for f in list {
                    let sev = f.severity == .error ? "🔴 error" : f.severity == .warning ? "🟡 warning" : "🔵 info"
                    let sup = f.suppressed.map { " _(suppressed until \(text($0.expires)): \(text($0.reason)))_" } ?? ""
                    out += "- \(sev) \(location(f, report)) \(text(f.message)) \(MarkdownText.code(f.id))\(sup)\n"
                }
                out += "\n</details>\n\n"
            }
        }
        if let base = report.base, let head = report.head {
            let baseCommit = base.commit.map { text(String($0.prefix(12))) } ?? "none"
            let headCommit = head.commit.map { text(String($0.prefix(12))) } ?? "index"
            out += "<sub>base \(text(base.rev)) (\(baseCommit)) · head \(headCommit) · policy \(report.policy.source.rawValue)\(report.policy.changed ? " (changed by this PR; the base version judged it)" : "") · tiergate \(text(report.toolVersion))</sub>\n"
        }
        return out
    }

    /// Escaped text (`MarkdownText.text`) outside tables.
    private func text(_ s: String) -> String { MarkdownText.text(s) }

    /// Escaped text in a table cell.
    private func cell(_ s: String) -> String { MarkdownText.text(s, inTable: true) }

    /// A code span in a table cell.
    private func codeCell(_ s: String) -> String { MarkdownText.code(s, inTable: true) }

    private func location(_ f: Finding, _ report: Report) -> String {
        let text = MarkdownText.code("\(f.path):\(f.line)")
        guard let base = sourceLinkBase, let commit = report.head?.commit else { return text }
        return "[\(text)](\(base)\(MarkdownText.linkPath(commit))/\(MarkdownText.linkPath(f.path))#L\(f.line))"
    }
}

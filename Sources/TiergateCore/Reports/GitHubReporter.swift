/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` (annotations on the PR's
/// files), then a summary line. Every value goes through `WorkflowCommand`, so no repository string can end a
/// command or start one.
///
/// GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and drops the rest without a
/// word, so each kind stays within `perKind`: the missing approvals and the blocking findings first, and when a
/// kind has more, its last annotation says how many more there are. Those go to the job's step summary
/// (`stepSummaryOverflow`), which the CLI writes to `$GITHUB_STEP_SUMMARY` after the PR-comment view.
package struct GitHubReporter: Reporter {
    /// Annotations of one kind GitHub shows per step.
    package static let perKind = 10

    package init() {}

    /// One annotation: its kind, its file position (if any), its title and message.
    struct Annotation {
        enum Kind: String { case error, warning, notice }
        var kind: Kind
        var finding: Finding?
        var title: String
        var message: String
    }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        let (shown, rest) = Self.annotations(report)
        var out = ""
        for a in shown { out += command(a) }
        for kind in [Annotation.Kind.error, .warning, .notice] {
            let more = rest.filter { $0.kind == kind }.count
            if more > 0 {
                out += command(Annotation(kind: kind, title: "tiergate", message: "\(more) more \(kind.rawValue)\(more == 1 ? "" : "s") not annotated (GitHub shows \(Self.perKind) per step): see the job summary"))
            }
        }
        out += command(Annotation(kind: .notice, title: "tiergate", message: summary(report)))
        return out
    }

    /// The annotations in order of importance, split into those shown and those over the limit. Each kind keeps
    /// one slot for the "more" line when it overflows, and notices one more for the summary.
    static func annotations(_ report: Report) -> (shown: [Annotation], rest: [Annotation]) {
        var all: [Annotation] = []
        if let a = report.approvals, !a.ignored {
            for g in a.outcome.groups where !g.satisfied {
                all.append(
                    Annotation(
                        kind: a.advisory ? .notice : .error, title: "tiergate approvals",
                        message: "\(g.group) must approve: \(g.approvedBy.count) of \(g.count) (\((g.reasons + g.unresolvedTeams.map(\.note)).joined(separator: "; ")))"))
            }
        }
        let counting = report.allFindings.filter(\.counts)
        // Blocking findings before the others of their kind, in report order otherwise.
        for f in counting.filter(report.blocks) + counting.filter({ !report.blocks($0) }) {
            let kind: Annotation.Kind
            switch f.severity {
            case .error: kind = .error
            case .warning: kind = .warning
            case .info: kind = .notice
            }
            all.append(Annotation(kind: kind, finding: f, title: "tiergate \(f.id)" + (f.app.map { " (\($0))" } ?? ""), message: f.message))
        }
        var shown: [Annotation] = []
        var rest: [Annotation] = []
        for kind in [Annotation.Kind.error, .warning, .notice] {
            let ofKind = all.filter { $0.kind == kind }
            // Notices share the limit with the summary line.
            let limit = perKind - (kind == .notice ? 1 : 0)
            let fits = ofKind.count <= limit ? ofKind.count : limit - 1
            shown += ofKind.prefix(fits)
            rest += ofKind.dropFirst(fits)
        }
        return (shown, rest)
    }

    /// What the annotations leave out, as Markdown for the step summary (empty when nothing is left out).
    package func stepSummaryOverflow(_ report: Report) -> String {
        let prepared = TerminalText.escape(Redactor.redact(report))
        let rest = Self.annotations(prepared).rest
        guard !rest.isEmpty else { return "" }
        var out = "\n**Not annotated** (GitHub shows \(Self.perKind) annotations of each kind per step): \(rest.count)\n\n"
        for (i, a) in rest.enumerated() {
            // GitHub takes 1 MiB of step summary per step; the comment view is already in it.
            guard out.utf8.count < 500_000 else {
                out += "- … and \(rest.count - i) more: see the JSON or SARIF report\n"
                break
            }
            let icon = a.kind == .error ? "🔴 error" : a.kind == .warning ? "🟡 warning" : "🔵 notice"
            if let f = a.finding {
                out += "- \(icon) \(MarkdownText.code("\(f.path):\(f.line):\(f.column)")) \(MarkdownText.text(f.message)) \(MarkdownText.code(f.id))\n"
            } else {
                out += "- \(icon) \(MarkdownText.text(a.message))\n"
            }
        }
        return out
    }

    private func command(_ a: Annotation) -> String {
        var properties = ""
        if let f = a.finding {
            properties = "file=\(WorkflowCommand.property(f.path)),line=\(f.line),col=\(f.column),"
        }
        return "::\(a.kind.rawValue) \(properties)title=\(WorkflowCommand.property(a.title))::\(WorkflowCommand.data(a.message))\n"
    }

    private func summary(_ report: Report) -> String {
        let s = report.summary
        var summary = "tiergate \(report.command.rawValue): \(report.decision.rawValue) (\(s.errors) errors, \(s.warnings) warnings"
        if report.command == .check { summary += ", \(s.approvalsMissing) approvals missing" }
        return summary + ")"
    }
}

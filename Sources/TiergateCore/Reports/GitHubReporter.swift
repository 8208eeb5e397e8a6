/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` (annotations on the PR's
/// files), then a summary line. Every value goes through `WorkflowCommand`, so no repository string can end a
/// command or start one. The step summary (`$GITHUB_STEP_SUMMARY`) is written by the CLI.
package struct GitHubReporter: Reporter {
    package init() {}

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var out = ""
        for f in report.allFindings where f.counts {
            let command: String
            switch f.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            let title = "tiergate \(f.id)" + (f.app.map { " (\($0))" } ?? "")
            out += "::\(command) file=\(WorkflowCommand.property(f.path)),line=\(f.line),col=\(f.column),title=\(WorkflowCommand.property(title))::\(WorkflowCommand.data(f.message))\n"
        }
        if let a = report.approvals, !a.ignored {
            for g in a.outcome.groups where !g.satisfied {
                let cmd = a.advisory ? "notice" : "error"
                out += "::\(cmd) title=\(WorkflowCommand.property("tiergate approvals"))::\(WorkflowCommand.data("\(g.group) must approve: \(g.approvedBy.count) of \(g.count) (\((g.reasons + g.unresolvedTeams.map(\.note)).joined(separator: "; ")))"))\n"
            }
        }
        let s = report.summary
        var summary = "tiergate \(report.command.rawValue): \(report.decision.rawValue) (\(s.errors) errors, \(s.warnings) warnings"
        if report.command == .check { summary += ", \(s.approvalsMissing) approvals missing" }
        summary += ")"
        out += "::notice title=tiergate::\(WorkflowCommand.data(summary))\n"
        return out
    }
}

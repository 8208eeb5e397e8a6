/// The terminal report: the decision first, then what each app needs, then each finding as `path:line:col`,
/// which editors and terminals turn into links.
package struct TextReporter: Reporter {
    package var color: Bool
    /// `--quiet`: only the decision line.
    package var quiet: Bool

    package init(color: Bool, quiet: Bool = false) {
        self.color = color
        self.quiet = quiet
    }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        if quiet { return decisionLine(report) + "\n" }
        var out = decisionLine(report) + "\n" + revisions(report)
        // A policy change: its weakenings and the apps it re-tiers come before anything else.
        out += PolicyImpactRenderer.text(report)
        if report.command == .check {
            out += checkSections(report)
        }
        out += findingsSection(report)
        return out
    }

    /// The decision and the counts, on one line.
    private func decisionLine(_ report: Report) -> String {
        let s = report.summary
        let verdict: String
        switch report.decision {
        case .pass: verdict = paint("PASS", .green)
        case .blocked: verdict = paint("BLOCKED", .red)
        case .approvalRequired: verdict = paint("APPROVAL REQUIRED", .yellow)
        }
        let apps = report.command == .check ? plural(s.apps, "app") + " changed" : plural(s.apps, "app")
        var out = "tiergate \(report.command.rawValue): \(verdict) — \(apps), \(plural(s.errors, "error")), \(plural(s.warnings, "warning")), \(plural(s.infos, "info"))"
        if s.suppressed > 0 { out += " (\(s.suppressed) suppressed by exceptions)" }
        if report.command == .check, let a = report.approvals, !a.ignored, s.approvalsMissing > 0 {
            out += "; \(plural(s.approvalsMissing, "approval")) missing" + (a.advisory ? " (advisory)" : "")
        }
        return out
    }

    /// Which revisions and which policy.
    private func revisions(_ report: Report) -> String {
        var out = ""
        if let base = report.base {
            out += "base: \(base.rev)" + (base.commit.map { " (merge base \(String($0.prefix(12))))" } ?? " (no commit yet)") + "\n"
        }
        if let head = report.head {
            out += (report.command == .check ? "head: " : "revision: ") + head.rev + (head.commit.map { " (\(String($0.prefix(12))))" } ?? "") + "\n"
        }
        var policy = "policy: \(report.policy.source.rawValue)" + (report.policy.path.map { " \($0)" } ?? " (built-in)")
        if report.policy.changed { policy += " — this change edits the policy; the base version judges it" }
        return out + policy + "\n"
    }

    private func checkSections(_ report: Report) -> String {
        var out = ""
        if report.apps.isEmpty {
            out += "\nNo app changes.\n"
        } else {
            out += "\n" + paint("Apps", .bold) + "\n"
            for app in report.apps {
                guard let c = app.check else { continue }
                out += "  \(app.name): \(c.change.rawValue)\(c.previousName.map { " (was \($0))" } ?? ""), \(tierText(c))\n"
                out += "    \(c.previousPath.map { "\($0) -> " } ?? "")\(app.path)\n"
                for f in c.fieldChanges.prefix(8) {
                    out += "    \(f.path): \(f.from?.description ?? "(none)") -> \(f.to?.description ?? "(none)")\n"
                }
                if c.fieldChanges.count > 8 { out += "    … and \(c.fieldChanges.count - 8) more changes\n" }
                if !c.requiredApprovals.isEmpty {
                    out += "    needs: " + c.requiredApprovals.map { "\($0.count) from \($0.group) (\($0.reason))" }.joined(separator: "; ") + "\n"
                }
            }
        }
        if let a = report.approvals {
            out += "\n" + paint("Approvals", .bold) + (a.ignored ? " (ignored: --ignore-approvals)" : a.advisory ? " (advisory: --staged)" : "") + "\n"
            if a.outcome.groups.isEmpty { out += "  none required\n" }
            for g in a.outcome.groups {
                let mark = g.satisfied ? paint("ok     ", .green) : paint("missing", .yellow)
                let by = g.approvedBy.isEmpty ? "" : " by " + g.approvedBy.joined(separator: ", ")
                out += "  \(mark) \(g.group): \(g.approvedBy.count)/\(g.count)\(by) — \(g.reasons.joined(separator: "; "))\n"
                if !g.satisfied {
                    let askable = g.eligible.filter { !g.approvedBy.contains($0) }
                    out += "          " + (askable.isEmpty ? "nobody in the base policy can give it" : "can approve: " + askable.prefix(20).joined(separator: ", ") + (askable.count > 20 ? " and \(askable.count - 20) more" : "")) + "\n"
                }
                for t in g.unresolvedTeams { out += "          \(t.note)\n" }
            }
            for d in a.outcome.discarded {
                out += "  not counted: \(d.login) (\(d.reason.rawValue)\(d.detail.map { ": \($0)" } ?? ""))\n"
            }
        }
        return out
    }

    private func tierText(_ c: AppCheckInfo) -> String {
        let b = c.baseTier.map(String.init) ?? "-"
        let h = c.headTier.map(String.init) ?? "-"
        let req = c.requiredTier.map { $0 == 0 ? "tier 0: self-service" : "needs a tier \($0) review" } ?? "no tier review"
        return "tier \(b) -> \(h) (\(c.tierChange.rawValue)), \(req)"
    }

    private func findingsSection(_ report: Report) -> String {
        var out = ""
        var byPath: [String: [Finding]] = [:]
        for f in report.allFindings { byPath[f.path, default: []].append(f) }
        let tiers = Dictionary(report.apps.map { ($0.name, $0.tier) }, uniquingKeysWith: { a, _ in a })
        if !byPath.isEmpty && report.command == .check { out += "\n" + paint("Findings", .bold) + "\n" }
        for path in byPath.keys.sorted() {
            out += "\n" + paint(path, .bold) + "\n"
            for f in byPath[path] ?? [] {
                let sev: String
                switch f.severity {
                case .error: sev = paint("error  ", .red)
                case .warning: sev = paint("warning", .yellow)
                case .info: sev = paint("info   ", .blue)
                }
                var line = "  \(path):\(f.line):\(f.column): \(sev) \(f.message) [\(f.id)]"
                if let app = f.app {
                    line += " (app \(app)" + ((tiers[app] ?? nil).map { ", tier \($0)" } ?? "") + ")"
                }
                if let sup = f.suppressed { line += " — suppressed until \(sup.expires): \(sup.reason)" }
                out += line + "\n"
            }
        }
        return out
    }

    private enum Style: String {
        case red = "31", green = "32", yellow = "33", blue = "34", bold = "1"
    }

    private func paint(_ s: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

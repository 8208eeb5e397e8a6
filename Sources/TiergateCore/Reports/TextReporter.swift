/// The terminal report: the decision first, then each finding as `path:line:col`, which editors and terminals
/// turn into links.
public struct TextReporter: Reporter {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ report: Report) throws(TiergateError) -> String {
        var out = ""
        let s = report.summary
        let verdict: String
        switch report.decision {
        case .pass: verdict = paint("PASS", .green)
        case .blocked: verdict = paint("BLOCKED", .red)
        case .approvalRequired: verdict = paint("APPROVAL REQUIRED", .yellow)
        }
        let counts = "\(plural(s.errors, "error")), \(plural(s.warnings, "warning")), \(plural(s.infos, "info"))"
        out += "tiergate \(report.command.rawValue): \(verdict) — \(plural(s.apps, "app")), \(counts)"
        if s.suppressed > 0 { out += " (\(s.suppressed) suppressed by exceptions)" }
        out += "\n"
        if let head = report.head {
            out += "revision: \(head.rev)" + (head.commit.map { " (\(String($0.prefix(12))))" } ?? "") + "\n"
        }
        out += "policy: \(report.policy.source.rawValue)" + (report.policy.path.map { " \($0)" } ?? "") + "\n"

        var byPath: [String: [Finding]] = [:]
        for f in report.allFindings { byPath[f.path, default: []].append(f) }
        let tiers = Dictionary(report.apps.map { ($0.name, $0.tier) }, uniquingKeysWith: { a, _ in a })
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

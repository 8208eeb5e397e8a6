/// Renders a report in one format. Reporters are pure: a report in, text out.
public protocol Reporter: Sendable {
    func render(_ report: Report) throws(TiergateError) -> String
}

/// The formats `--format` and `--report FMT=FILE` accept. An unknown name is a usage error, never a fallback.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case json

    /// The reporter for this format. `color` applies to formats meant for a terminal.
    public func reporter(color: Bool = false) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color)
        case .markdown: MarkdownReporter()
        case .json: JSONReporter()
        }
    }
}

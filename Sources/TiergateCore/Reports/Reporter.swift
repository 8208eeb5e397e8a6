/// Renders a report in one format. Reporters are pure: a report in, text out.
///
/// Callers use `render(_:)`, which prepares the report first: every string is redacted (`Redactor`), and for
/// a format people read as it is (every one but JSON) made terminal-safe (`TerminalText`). A reporter then
/// applies its own format's escaping layer (`MarkdownText`, `WorkflowCommand`, `XMLText`, `URIReference`).
package protocol Reporter: Sendable {
    /// How the format carries repository strings.
    var strings: ReportStrings { get }
    /// Renders a report that `render(_:)` has prepared.
    func render(prepared report: Report) throws(TiergateError) -> String
}

/// How a format carries repository strings.
package enum ReportStrings: Sendable {
    /// Control characters, line breaks and bidi controls become visible `\u{…}` escapes (text, Markdown, SARIF,
    /// JUnit, GitHub, GitLab: what a terminal, a CI log or a web page shows).
    case visible
    /// Exactly, escaped by the format itself (JSON, read by programs).
    case exact
}

extension Reporter {
    package var strings: ReportStrings { .visible }

    /// The report in this format, with no credential and no repository string that acts on the reader.
    package func render(_ report: Report) throws(TiergateError) -> String {
        let redacted = Redactor.redact(report)
        return try render(prepared: strings == .visible ? TerminalText.escape(redacted) : redacted)
    }
}

/// The formats `--format` and `--report FMT=FILE` accept. An unknown name is a usage error, never a fallback.
package enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case json
    case sarif
    case junit
    case github
    case gitlab

    /// The reporter for this format.
    package func reporter(_ options: ReporterOptions = ReporterOptions()) -> any Reporter {
        switch self {
        case .text: TextReporter(color: options.color)
        case .markdown: MarkdownReporter(sourceLinkBase: options.sourceLinkBase)
        case .json: JSONReporter()
        case .sarif: SARIFReporter()
        case .junit: JUnitReporter()
        case .github: GitHubReporter()
        case .gitlab: GitLabReporter()
        }
    }
}

/// What reporters may need from their surroundings, gathered by the CLI.
package struct ReporterOptions: Sendable {
    /// ANSI colour, for a terminal.
    package var color = false
    /// Where source files are browsed (see `MarkdownReporter.sourceLinkBase`).
    package var sourceLinkBase: String?

    package init(color: Bool = false, sourceLinkBase: String? = nil) {
        self.color = color
        self.sourceLinkBase = sourceLinkBase
    }

    /// The link base CI tells through its environment: GitHub Actions or GitLab CI.
    package static func sourceLinkBase(environment env: [String: String]) -> String? {
        if let server = env["GITHUB_SERVER_URL"], let repo = env["GITHUB_REPOSITORY"], !server.isEmpty, !repo.isEmpty {
            return "\(server)/\(repo)/blob/"
        }
        if let project = env["CI_PROJECT_URL"], !project.isEmpty { return "\(project)/-/blob/" }
        return nil
    }
}

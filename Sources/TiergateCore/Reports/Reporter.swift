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
    case status

    /// The reporter for this format.
    package func reporter(_ options: ReporterOptions = ReporterOptions()) -> any Reporter {
        switch self {
        case .text: TextReporter(color: options.color, quiet: options.quiet)
        case .markdown: MarkdownReporter(sourceLinkBase: options.sourceLinkBase, runLink: options.runLink, mention: options.mention)
        case .json: JSONReporter()
        case .sarif: SARIFReporter()
        case .junit: JUnitReporter()
        case .github: GitHubReporter()
        case .gitlab: GitLabReporter()
        case .status: StatusReporter(targetURL: options.runLink)
        }
    }
}

/// What reporters may need from their surroundings, gathered by the CLI (the library never reads the
/// environment itself: the CLI hands it to `sourceLinkBase(environment:)` and `runLink(environment:)`).
package struct ReporterOptions: Sendable {
    /// ANSI colour, for a terminal.
    package var color = false
    /// `--quiet`: the text format writes only the decision line.
    package var quiet = false
    /// Where source files are browsed (see `MarkdownReporter.sourceLinkBase`).
    package var sourceLinkBase: String?
    /// The CI run, whose artifacts hold the full reports (the markdown's pointer, the status's `target_url`).
    package var runLink: String?
    /// `--mention`: the markdown names the people who can approve as `@login`.
    package var mention = false

    package init(color: Bool = false, quiet: Bool = false, sourceLinkBase: String? = nil, runLink: String? = nil, mention: Bool = false) {
        self.color = color
        self.quiet = quiet
        self.sourceLinkBase = sourceLinkBase
        self.runLink = runLink
        self.mention = mention
    }

    /// The link base CI tells through its environment: GitHub Actions or GitLab CI.
    package static func sourceLinkBase(environment env: [String: String]) -> String? {
        if let server = env["GITHUB_SERVER_URL"], let repo = env["GITHUB_REPOSITORY"], !server.isEmpty, !repo.isEmpty {
            return safeLink("\(server)/\(repo)/blob/")
        }
        if let project = env["CI_PROJECT_URL"], !project.isEmpty { return safeLink("\(project)/-/blob/") }
        return nil
    }

    /// The CI run CI tells through its environment: GitHub's run page (whose artifacts are the reports), or
    /// GitLab's job page.
    package static func runLink(environment env: [String: String]) -> String? {
        if let server = env["GITHUB_SERVER_URL"], let repo = env["GITHUB_REPOSITORY"], let run = env["GITHUB_RUN_ID"], !server.isEmpty, !repo.isEmpty,
            !run.isEmpty
        {
            return safeLink("\(server)/\(repo)/actions/runs/\(run)")
        }
        if let job = env["CI_JOB_URL"], !job.isEmpty { return safeLink(job) }
        return nil
    }

    /// An `http(s)` URL that can stand as a Markdown link target and a JSON value as it is: no space, no
    /// bracket, quote, backslash or control character. Anything else is no link at all.
    package static func safeLink(_ s: String) -> String? {
        let lower = s.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        let unsafe: Set<Unicode.Scalar> = [" ", "(", ")", "[", "]", "<", ">", "\"", "'", "`", "\\"]
        guard s.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !unsafe.contains($0) }) else { return nil }
        return s
    }
}

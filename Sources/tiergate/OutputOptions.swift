import ArgumentParser
import Foundation
import TiergateCore

extension ReportFormat: ExpressibleByArgument {}

/// `--color`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// `auto` colours a terminal, unless `NO_COLOR` is set to anything but the empty string (no-color.org) or the
    /// terminal is `dumb`; `always` and `never` say so whatever the environment.
    func enabled(terminal: Bool, environment env: [String: String]) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: terminal && (env["NO_COLOR"] ?? "").isEmpty && env["TERM"] != "dumb"
        }
    }
}
extension FailOn: ExpressibleByArgument {}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `--report FMT=FILE`.
struct ExtraReport: ExpressibleByArgument {
    var format: ReportFormat
    var file: String

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="), let format = ReportFormat(rawValue: String(argument[..<eq])),
            !argument[argument.index(after: eq)...].isEmpty
        else { return nil }
        self.format = format
        self.file = String(argument[argument.index(after: eq)...])
    }

    static var defaultCompletionKind: CompletionKind { .file() }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Report format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(help: "Write the report to FILE instead of standard output.")
    var output: String?

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write a report in FMT to FILE (repeatable).", valueName: "FMT=FILE"))
    var reports: [ExtraReport] = []

    @Option(help: "Lowest severity that blocks: error, warning or never.")
    var failOn: FailOn = .error

    @Option(help: "Colour in the text report: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Write only the decision line (the text format); --report files are written in full.")
    var quiet = false

    @Flag(help: "In the markdown report, @-mention the people who can give a missing approval (notifies them).")
    var mention = false

    func validate() throws {
        if quiet && format != .text {
            throw ValidationError("--quiet writes only the decision line of the text report; it does not take --format \(format.rawValue) (use --report \(format.rawValue)=FILE)")
        }
    }

    /// Fails before any work when a report file cannot be written.
    func checkWritable() throws(TiergateError) {
        for path in [output].compactMap({ $0 }) + reports.map(\.file) {
            let dir = (path as NSString).deletingLastPathComponent
            let directory = dir.isEmpty ? "." : dir
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue,
                FileManager.default.isWritableFile(atPath: directory)
            else {
                throw TiergateError(.usage, "cannot write the report file \(path)", fix: "check that its directory exists and is writable")
            }
        }
    }

    /// What the reporters need from the command line and from CI's environment.
    func reporterOptions(environment env: [String: String], forStandardOutput: Bool) -> ReporterOptions {
        ReporterOptions(
            color: forStandardOutput && output == nil && color.enabled(terminal: Terminal.stdoutIsTerminal, environment: env),
            quiet: forStandardOutput && quiet, sourceLinkBase: ReporterOptions.sourceLinkBase(environment: env),
            runLink: ReporterOptions.runLink(environment: env), mention: mention)
    }

    /// Renders the report in every requested format and writes each where it goes (through `Output`).
    func emit(_ report: Report) throws(TiergateError) {
        let env = ProcessInfo.processInfo.environment
        let main = try format.reporter(reporterOptions(environment: env, forStandardOutput: true)).render(report)
        if let output { try Output.file(main, to: output) } else { try Output.stdout(main) }
        let options = reporterOptions(environment: env, forStandardOutput: false)
        for extra in reports {
            try Output.file(try extra.format.reporter(options).render(report), to: extra.file)
        }
        // In GitHub Actions the github format also writes the PR-comment view to the job's step summary, and
        // what its annotations leave out (GitHub shows ten of each kind per step).
        if format == .github || reports.contains(where: { $0.format == .github }), let summary = env["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            let markdown = try ReportFormat.markdown.reporter(options).render(report) + GitHubReporter().stepSummaryOverflow(report)
            try Output.append(markdown, to: summary, what: "the step summary \(summary)")
        }
    }
}

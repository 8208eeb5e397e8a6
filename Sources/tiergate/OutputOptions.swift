import ArgumentParser
import Foundation
import TiergateCore

extension ReportFormat: ExpressibleByArgument {}
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

    /// Renders the report in every requested format and writes each where it goes (through `Output`).
    func emit(_ report: Report) throws(TiergateError) {
        let links = ReporterOptions.sourceLinkBase(environment: ProcessInfo.processInfo.environment)
        let main = try format.reporter(ReporterOptions(color: output == nil && Terminal.stdoutIsTerminal, sourceLinkBase: links)).render(report)
        if let output { try Output.file(main, to: output) } else { try Output.stdout(main) }
        for extra in reports {
            try Output.file(try extra.format.reporter(ReporterOptions(sourceLinkBase: links)).render(report), to: extra.file)
        }
        // In GitHub Actions the github format also writes the PR-comment view to the job's step summary.
        let env = ProcessInfo.processInfo.environment
        if format == .github || reports.contains(where: { $0.format == .github }), let summary = env["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            try Output.append(try MarkdownReporter(sourceLinkBase: links).render(report), to: summary, what: "the step summary \(summary)")
        }
    }
}

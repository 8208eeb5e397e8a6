import ArgumentParser
import TiergateCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint manifests: every manifest at a revision, or the given working-tree files.")

    @OptionGroup var revision: RevisionOptions

    @Option(help: "The date to judge expiry by, YYYY-MM-DD (default: today, UTC).")
    var today: Day?

    @OptionGroup var output: OutputOptions

    @Argument(help: "Working-tree files to lint (a pre-commit hook passes the changed files).")
    var paths: [String] = []

    func run() throws {
        try output.checkWritable()
        let request = LintRequest(
            repository: revision.repo, revision: revision.rev, files: paths, policyFile: revision.policy, today: today ?? .todayUTC(), failOn: output.failOn,
            workingDirectory: Terminal.currentDirectory)
        let report = try Linter.run(request)
        // A policy being tried out: what it cannot say in a report of manifests.
        if let file = revision.policy {
            for warning in PolicyWarnings.teamEntries(try PolicySource.file(file).policy) { Terminal.error("tiergate lint: warning: \(warning)") }
        }
        try output.emit(report)
        throw ExitCode(report.exitCode)
    }
}

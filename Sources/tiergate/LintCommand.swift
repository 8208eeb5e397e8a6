import ArgumentParser
import TiergateCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint manifests: every manifest at a revision, or the given working-tree files.")

    @OptionGroup var revision: RevisionOptions

    @Option(help: .expiryDay)
    var today: Day?

    @OptionGroup var output: OutputOptions

    @Argument(help: "Working-tree files to lint (a pre-commit hook passes the changed files).")
    var paths: [String] = []

    func run() throws {
        try output.checkWritable()
        var request = LintRequest(workingDirectory: Terminal.currentDirectory, today: today ?? .todayUTC())
        request.repository = revision.repo
        request.revision = revision.rev
        request.files = paths
        request.policyFile = revision.policy
        request.failOn = output.failOn
        let report = try Linter.run(request)
        // A policy being tried out: what it cannot say in a report of manifests.
        if let file = revision.policy {
            for warning in PolicyWarnings.teamEntries(try PolicySource.file(file).policy) { Terminal.error("tiergate lint: warning: \(warning)") }
        }
        try output.emit(report)
        throw ExitCode(report.exitCode)
    }
}

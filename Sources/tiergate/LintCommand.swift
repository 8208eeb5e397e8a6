import ArgumentParser
import TiergateCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint manifests: every manifest at a revision, or the given working-tree files.")

    @Option(help: "The repository (default: the one containing the current directory).")
    var repo: String?

    @Option(help: "The revision whose manifests are linted when no PATH is given.")
    var rev: String = "HEAD"

    @Option(help: "A policy file instead of the one at --rev (for local experiments).")
    var policy: String?

    @Option(help: "The date to judge expiry by, YYYY-MM-DD (default: today, UTC).")
    var today: Day?

    @OptionGroup var output: OutputOptions

    @Argument(help: "Working-tree files to lint (a pre-commit hook passes the changed files).")
    var paths: [String] = []

    func run() throws {
        try output.checkWritable()
        let request = LintRequest(
            repository: repo, revision: rev, files: paths, policyFile: policy, today: today ?? .todayUTC(), failOn: output.failOn,
            workingDirectory: Terminal.currentDirectory)
        let report = try Linter.run(request)
        try output.emit(report)
        throw ExitCode(report.exitCode)
    }
}

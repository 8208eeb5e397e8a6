import ArgumentParser
import Foundation
import TiergateCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Gate a change: compare head with its merge base, tier the apps it touches, check the approvals.",
        discussion: """
            --base defaults to \(Gate.baseRevisionDefault). \
            The policy is always read from the merge base, never from the change.
            """)

    @Option(help: .repository)
    var repo: String?

    @Option(help: "The base revision (see below for the default).")
    var base: String?

    @Option(help: "The head revision.")
    var head: String = "HEAD"

    @Flag(help: "Compare the index with HEAD (a pre-commit hook); approvals are advisory.")
    var staged = false

    @Option(help: "A policy file instead of the base's (local experiments).")
    var policy: String?

    @OptionGroup var evidence: ApprovalOptions

    @Flag(help: "Decide on findings alone; required approvals are reported but never exit 3.")
    var ignoreApprovals = false

    @Option(help: .expiryDay)
    var today: Day?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if staged && (base != nil || head != "HEAD") {
            throw ValidationError("--staged compares the index with HEAD; it does not take --base or --head")
        }
        if staged && evidence.prHead != nil {
            throw ValidationError("--pr-head names the commit reviewers saw; --staged has no reviews")
        }
    }

    func run() throws {
        try output.checkWritable()
        var request = GateRequest(
            workingDirectory: Terminal.currentDirectory, environment: ProcessInfo.processInfo.environment, today: today ?? .todayUTC())
        request.repository = repo
        request.base = base
        request.head = head
        request.staged = staged
        // A pre-commit hook is handed the index the commit is made from (`git commit -a`, `git commit PATH`).
        if staged { request.indexFile = ProcessInfo.processInfo.environment["GIT_INDEX_FILE"] }
        request.policyFile = policy
        evidence.apply(to: &request)
        request.ignoreApprovals = ignoreApprovals
        request.failOn = output.failOn
        let report = try Gate.run(request)
        try output.emit(report)
        throw ExitCode(report.exitCode)
    }
}

import ArgumentParser
import Foundation
import TiergateCore

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the gate's decision on a landed commit as a git note (refs/notes/tiergate).",
        discussion: """
            Run by CI after a change lands on the main branch: the commit is judged against its first parent exactly as \
            check would, with the approvals evidence given, and the decision is appended to the hash chain of records. \
            A commit recorded already keeps its record (exit 0, nothing written). Pushing refs/notes/tiergate is the CI's job.
            """)

    @Option(help: .repository)
    var repo: String?

    @Option(help: "The landed commit.")
    var rev: String = "HEAD"

    @OptionGroup var evidence: ApprovalOptions

    @Option(help: .expiryDay)
    var today: Day?

    func run() throws {
        var request = GateRequest(
            workingDirectory: Terminal.currentDirectory, environment: ProcessInfo.processInfo.environment, today: today ?? .todayUTC())
        request.repository = repo
        request.head = rev
        evidence.apply(to: &request)
        let result = try Recorder.run(request)
        let commit = String(result.commit.prefix(12))
        if let record = result.written {
            try Output.stdout("tiergate record: \(commit) recorded: \(record.decision.rawValue), \(record.apps.count) app change(s); sha256 \(result.sha256)\n")
        } else {
            try Output.stdout("tiergate record: \(commit) is recorded already; its record stands (sha256 \(result.sha256))\n")
        }
    }
}

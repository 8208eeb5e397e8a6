import ArgumentParser
import TiergateCore

extension AuditLogFormat: ExpressibleByArgument {}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the decision records (refs/notes/tiergate): the audit log, and the check of their hash chain.",
        subcommands: [AuditLogCommand.self, AuditVerifyCommand.self])
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List every recorded change, newest first, and the landed commits that changed manifests without a record (unrecorded).",
        discussion: "The first-parent history of --rev is walked from the newest commit down to the oldest record; what landed before it predates the trail.")

    @Argument(help: "Only this app's changes (its metadata.name).")
    var app: String?

    @OptionGroup var history: HistoryOptions

    @Option(help: "Only commits made on or after this day (UTC), YYYY-MM-DD.")
    var since: Day?

    @Option(help: "text, json or csv.")
    var format: AuditLogFormat = .text

    func run() throws {
        var request = AuditLogRequest(workingDirectory: Terminal.currentDirectory)
        request.repository = history.repo
        request.revision = history.rev
        request.app = app
        request.since = since
        let entries = try AuditLog.run(request)
        try Output.stdout(AuditLogRenderer.render(entries, as: format))
        if entries.isEmpty && format == .text { Terminal.error("tiergate audit log: no recorded change\(app.map { " of \(TerminalText.escape(Redactor.text($0)))" } ?? "")") }
    }
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-compute the hash chain of the decision records; exit 1 naming the first record altered, removed or inserted.",
        discussion: """
            Exit status: 0 the chain holds, 1 it is broken, 2 the tool could not decide. The chain protects every record but the \
            newest, which no later record links to yet: compare the newest record's SHA-256 printed here with the one record \
            printed when it wrote it.
            """)

    @OptionGroup var history: HistoryOptions

    func run() throws {
        let verdict = try ChainVerifier.run(repository: history.repo, revision: history.rev, cwd: Terminal.currentDirectory)
        if let problem = verdict.problem {
            try Output.stdout("tiergate audit verify: the chain is broken: the record of \(problem.commit) was \(problem.word): \(TerminalText.escape(Redactor.text(problem.why)))\n")
            throw ExitCode(1)
        }
        guard let newest = verdict.newestCommit, let sha = verdict.newestSHA256 else {
            try Output.stdout("tiergate audit verify: no decision record on this history\n")
            return
        }
        try Output.stdout("tiergate audit verify: the chain holds: \(verdict.records) record(s); the newest, on \(newest), has SHA-256 \(sha)\n")
    }
}

import ArgumentParser
import TiergateCore

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Write the evidence package of a period for an audit (SOC 2, ISO 27001) as a .tar.gz.",
        discussion: """
            The package holds the decision records of the period, the app register at its start and end (JSON and CSV), the \
            policy versions in force with their blob ids, the exceptions and their expiry, the overdue attestations, a \
            SUMMARY.md for readers who are not developers, and SHA256SUMS over every file. The same repository and period always \
            give the same bytes, so the package's own SHA-256 (printed) can be quoted. It never holds a secret value.
            """)

    @OptionGroup var history: HistoryOptions

    @Option(help: "The first day of the period (UTC), YYYY-MM-DD.")
    var since: Day

    @Option(help: "The last day of the period (UTC), YYYY-MM-DD (default: today).")
    var until: Day?

    @Option(help: ArgumentHelp("Where to write the package.", valueName: "FILE.tar.gz"))
    var output: String

    func run() throws {
        var request = EvidenceRequest(since: since, until: until ?? .todayUTC(), workingDirectory: Terminal.currentDirectory)
        request.repository = history.repo
        request.revision = history.rev
        let package = try Evidence.run(request)
        try Output.file(package.archive, to: output)
        try Output.stdout("tiergate evidence: \(package.files.count) files written to \(TerminalText.escape(output)); sha256 \(SHA256.hex(package.archive))\n")
    }
}

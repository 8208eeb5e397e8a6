import ArgumentParser
import Foundation
import TiergateCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a small example repository in a temporary directory and gate a change on it.",
        discussion: "Exits 0 when the demo ran; the gate's own exit status is printed.")

    @Option(help: "Build the example repository under this directory instead of the temporary directory.")
    var directory: String?

    func run() throws {
        let demo = try DemoRepository.build(under: directory)
        try Output.stdout("""
            tiergate demo: an example repository at \(demo.path)
              base \(demo.baseCommit.prefix(12)): three teams' apps, and the company policy in .tiergate/policy.yaml
              head \(demo.headCommit.prefix(12)): where2eat now reads HR data for the whole company (escalates tier 0 -> 2),
                    expense-bot moves from finance to people-ops, and a new app pto-helper has a pasted token

            $ cd \(demo.path) && tiergate check --base HEAD~1 --author dana --approved-by cora --approved-by sam --approved-by dana


            """)
        let report = try Gate.run(demo.gateRequest)
        try Output.stdout(try TextReporter(color: ColorChoice.auto.enabled(terminal: Terminal.stdoutIsTerminal, environment: ProcessInfo.processInfo.environment)).render(report))
        let meaning = ["0 (pass)", "1 (blocked)", "2", "3 (approvals missing)"]
        try Output.stdout("\nThe gate's exit status would be \(meaning[Int(report.exitCode)]). Try, in \(demo.path): tiergate check --format markdown, tiergate explain where2eat, or tiergate policy test (the policy's own tests, in .tiergate/tests/)\n")
        // Once it lands, CI records the decision (a git note) and the audit log shows it.
        let record = try Recorder.run(demo.gateRequest)
        var log = AuditLogRequest(workingDirectory: demo.path)
        log.repository = demo.path
        try Output.stdout("""

            If it landed anyway, CI on the main branch would record the decision as a git note (refs/notes/tiergate):
            $ tiergate record --author dana --approved-by cora --approved-by sam --approved-by dana
            recorded \(record.commit.prefix(12)): \(record.written?.decision.rawValue ?? "recorded already"); sha256 \(record.sha256)

            $ tiergate audit log

            """ + AuditLogRenderer.render(try AuditLog.run(log), as: .text))
    }
}

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
    }
}

import ArgumentParser
import Foundation
import TiergateCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a small example repository in a temporary directory and gate a change on it.")

    @Option(help: "Keep the example repository here instead of a temporary directory.")
    var directory: String?

    func run() throws {
        let demo = try DemoRepository.build(under: directory)
        print("tiergate demo: built an example repository at \(demo.path)")
        print("  base \(demo.baseCommit.prefix(12)): the apps in production")
        print("  head \(demo.headCommit.prefix(12)): a change to gate\n")
        print("$ tiergate lint --repo \(demo.path) --rev HEAD\n")
        let report = try Linter.run(
            LintRequest(repository: demo.path, revision: "HEAD", today: Day("2026-11-22") ?? .todayUTC(), workingDirectory: demo.path))
        print(try TextReporter(color: Terminal.stdoutIsTerminal).render(report), terminator: "")
        throw ExitCode(report.exitCode)
    }
}

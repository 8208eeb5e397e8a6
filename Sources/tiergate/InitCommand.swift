import ArgumentParser
import TiergateCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter .tiergate/policy.yaml and two example tests in .tiergate/tests/, or with --hook only a git pre-commit hook. Never overwrites a file.")

    @Option(help: .repository)
    var repo: String?

    @Flag(help: "Only write .git/hooks/pre-commit running `tiergate check --staged` (the policy is left as it is).")
    var hook = false

    func run() throws {
        let result = try Initializer.run(repository: repo, cwd: Terminal.currentDirectory, hook: hook)
        try Output.stdout(
            result.written.map { "wrote \($0)\n" }.joined() + result.kept.map { "kept \($0): it exists, and tiergate never overwrites it\n" }.joined())
    }
}

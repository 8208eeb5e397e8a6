import ArgumentParser
import TiergateCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a starter .tiergate/policy.yaml and, with --hook, a git pre-commit hook.")

    @Option(help: "The repository (default: the one containing the current directory).")
    var repo: String?

    @Flag(help: "Also write .git/hooks/pre-commit running `tiergate check --staged`.")
    var hook = false

    @Flag(help: "Replace files that already exist.")
    var force = false

    func run() throws {
        let result = try Initializer.run(repository: repo, cwd: Terminal.currentDirectory, hook: hook, force: force)
        try Output.stdout(result.written.map { "wrote \($0)\n" }.joined())
    }
}

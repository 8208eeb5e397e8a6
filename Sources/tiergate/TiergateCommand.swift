import ArgumentParser
import Foundation
import TiergateCore

@main
struct TiergateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiergate",
        abstract: "Gate merges of micro-app manifests by risk tier and required approvals.",
        discussion: """
            Exit status: 0 the gate passes; 1 blocked by a finding at or above --fail-on; \
            2 the tool could not decide (bad usage, unreadable repository, unknown revision, invalid policy); \
            3 approvals are missing.
            """,
        version: TiergateVersion.current,
        subcommands: [CheckCommand.self, LintCommand.self, InitCommand.self, ExplainCommand.self, InventoryCommand.self, PolicyCommand.self, SchemaCommand.self, DemoCommand.self, RecordCommand.self, AuditCommand.self, EvidenceCommand.self]
    )

    /// The only place the process exits. Usage errors are exit 2, not swift-argument-parser's 64.
    static func main() {
        Output.ignoreSIGPIPE()
        let code: Int32
        do {
            var command: any ParsableCommand = try CheckFastPath.command(CommandLine.arguments.dropFirst()) ?? parseAsRoot()
            try command.run()
            code = 0
        } catch let error as TiergateError {
            Terminal.error(error.description)
            code = 2
        } catch let exit as ExitCode {
            code = exit.rawValue
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                // --help and --version: written like any output, so a failed write is exit 2 too.
                do {
                    try Output.stdout(fullMessage(for: error) + "\n")
                    code = 0
                } catch let failure {
                    Terminal.error(failure.description)
                    code = 2
                }
            } else {
                // One line (the parser's message quotes the arguments it was given: made inert there).
                Terminal.error(UsageErrors.line(for: error, arguments: Array(CommandLine.arguments.dropFirst())))
                code = 2
            }
        }
        Foundation.exit(code)
    }
}

enum Terminal {
    /// One line on standard error (see `Output.stderr`).
    static func error(_ message: String) {
        Output.stderr(message)
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    static var currentDirectory: String { FileManager.default.currentDirectoryPath }
}

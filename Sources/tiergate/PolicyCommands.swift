import ArgumentParser
import Foundation
import TiergateCore

extension ExplainFormat: ExpressibleByArgument {}
extension InventoryFormat: ExpressibleByArgument {}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show every term of one app's tier: values, tiers, template, rules, connectors, approvals.")

    @Argument(help: "The app's metadata.name or its manifest path.")
    var target: String

    @OptionGroup var revision: RevisionOptions

    @Option(help: "text or json.")
    var format: ExplainFormat = .text

    func run() throws {
        let e = try Explainer.run(
            target: target, repository: revision.repo, revision: revision.rev, policyFile: revision.policy, cwd: Terminal.currentDirectory)
        try Output.stdout(try ExplainRenderer.render(e, as: format))
    }
}

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List every app at a revision with owner, tier, expiry and attestation.",
        discussion: "With --expired, list only apps that are expired or past retirement and not archived, and exit 1 when there are any.")

    @OptionGroup var revision: RevisionOptions

    @Option(help: "The date to judge expiry by, YYYY-MM-DD (default: today, UTC).")
    var today: Day?

    @Option(help: "table, json, csv, markdown or html (one self-contained page with charts).")
    var format: InventoryFormat = .table

    @Flag(help: "Only apps that are expired or past retirement and not archived; exit 1 when there are any.")
    var expired = false

    func run() throws {
        let result = try Inventory.run(
            repository: revision.repo, revision: revision.rev, policyFile: revision.policy, today: today ?? .todayUTC(), onlyExpired: expired,
            cwd: Terminal.currentDirectory)
        try Output.stdout(try InventoryRenderer.render(result, as: format))
        if !result.unreadablePaths.isEmpty {
            Terminal.error("tiergate inventory: \(result.unreadablePaths.count) manifest file(s) could not be read into an app and are not listed; run tiergate lint to see why")
        }
        if expired && !result.rows.isEmpty { throw ExitCode(1) }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show the policy in force.", subcommands: [PolicyShowCommand.self])
}

struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy at --rev, or the built-in default.")

    @Flag(help: "Print the built-in default policy.")
    var `default` = false

    @Option(help: "The repository (default: the one containing the current directory).")
    var repo: String?

    @Option(help: "The revision to read.")
    var rev: String = "HEAD"

    func run() throws {
        if `default` {
            try Output.stdout(DefaultPolicy.text)
            return
        }
        let (repository, commit) = try RevisionReader.open(repo, revision: rev, cwd: Terminal.currentDirectory)
        if let file = try PolicySource.read(repository, commit) {
            _ = try PolicySource.parse(file.bytes, shownAs: Policy.path)  // an invalid policy is exit 2, as in check
            // The file as it is, but inert: no credential, no control character (bidi controls in a comment).
            try Output.stdout(TerminalText.lines(Redactor.lines(String(decoding: file.bytes, as: UTF8.self))))
        } else {
            try Output.stdout("# No \(Policy.path) at \(rev): the built-in default applies.\n" + DefaultPolicy.text)
        }
    }
}

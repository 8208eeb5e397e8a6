import ArgumentParser
import Foundation
import TiergateCore

extension ExplainFormat: ExpressibleByArgument {}
extension InventoryFormat: ExpressibleByArgument {}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show every term of one app's tier: values, tiers, template, rules, connectors, approvals.",
        discussion: """
            A PATH that names a file on disk is read from the working tree (relative to the current directory), as \
            lint PATH reads it; a NAME, or any target with --rev, is read from the revision (default HEAD). The output \
            says which one was read.
            """)

    @Argument(help: "The app's metadata.name or its manifest path.")
    var target: String

    @Option(help: .repository)
    var repo: String?

    @Option(help: "Read the app from this revision, even when TARGET is a file on disk.")
    var rev: String?

    @Option(help: "A policy file instead of the one at the revision (for local experiments).")
    var policy: String?

    @Option(help: "text or json.")
    var format: ExplainFormat = .text

    func run() throws {
        let e = try Explainer.run(ExplainRequest(target: target, repository: repo, revision: rev, policyFile: policy, workingDirectory: Terminal.currentDirectory))
        try Output.stdout(try ExplainRenderer.render(e, as: format))
    }
}

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List every app at a revision with owner, tier, expiry and attestation.",
        discussion: "With --expired, list only apps that are expired or past retirement and not archived, and exit 1 when there are any.")

    @OptionGroup var revision: RevisionOptions

    @Option(help: .expiryDay)
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
        commandName: "policy", abstract: "Show, test and compare the policy.",
        subcommands: [PolicyShowCommand.self, PolicyTestCommand.self, PolicyDiffCommand.self])
}

struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the policy at --rev, or the built-in default.",
        discussion: "With --effective, print the policy as it applies: every section, each marked '# from the file' or '# built-in default'.")

    @Flag(help: "Print the built-in default policy.")
    var `default` = false

    @Flag(help: "Print the policy as it applies: the file merged with the built-in default, each section marked with where it came from.")
    var effective = false

    @Option(help: .repository)
    var repo: String?

    @Option(help: "The revision to read.")
    var rev: String = "HEAD"

    func run() throws {
        if `default` && effective { throw TiergateError(.usage, "--default and --effective are exclusive", fix: "pick one") }
        if `default` {
            try Output.stdout(DefaultPolicy.text)
            return
        }
        let reader = try RevisionReader(repository: repo, workingDirectory: Terminal.currentDirectory)
        let file = try PolicySource.read(reader.repository, try reader.commit(rev))
        let policy = try file.map { f throws(TiergateError) in try PolicySource.parse(f.bytes, shownAs: Policy.path) } ?? .builtIn  // an invalid policy is exit 2, as in check
        for warning in PolicyWarnings.teamEntries(policy) { Terminal.error("tiergate policy show: warning: \(warning)") }
        let text: String
        if effective {
            let header = file.map { "# The policy as it applies at \(rev): \(Policy.path) (blob \($0.id.hex.prefix(12))) with the built-in default for what it leaves out.\n" }
                ?? "# No \(Policy.path) at \(rev): the built-in default applies, as it is.\n"
            text = header + EffectivePolicy.render(policy, fileBytes: file?.bytes)
        } else if let file {
            text = String(decoding: file.bytes, as: UTF8.self)
        } else {
            text = "# No \(Policy.path) at \(rev): the built-in default applies.\n" + DefaultPolicy.text
        }
        // Inert: no credential, no control character (bidi controls in a comment).
        try Output.stdout(TerminalText.lines(Redactor.lines(text)))
    }
}

extension PolicyDiffFormat: ExpressibleByArgument {}

struct PolicyDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare the policies of two revisions: how the second weakens the first, and which apps it re-tiers.",
        discussion: "Always exits 0 once the comparison is made; 2 when it cannot be made (an unknown revision, an invalid policy).")

    @Option(help: .repository)
    var repo: String?

    @Option(help: "The old revision (default as for check: \(Gate.baseRevisionDefault)).")
    var base: String?

    @Option(help: "The new revision, whose apps are re-tiered.")
    var head: String = "HEAD"

    @Option(help: "The date exceptions are judged by, YYYY-MM-DD (default: today, UTC).")
    var today: Day?

    @Option(help: "text, markdown or json.")
    var format: PolicyDiffFormat = .text

    func run() throws {
        var request = PolicyDiffRequest(
            workingDirectory: Terminal.currentDirectory, environment: ProcessInfo.processInfo.environment, today: today ?? .todayUTC())
        request.repository = repo
        request.base = base
        request.head = head
        try Output.stdout(PolicyDiffRenderer.render(try PolicyDiffRequest.run(request), as: format))
    }
}

extension PolicyTestFormat: ExpressibleByArgument {}

struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run the policy's own tests: PolicyTest files of manifests and the tier, findings and approvals they expect.",
        discussion: """
            Exit status: 0 every case passes; 1 a case fails; 2 a test file is invalid (each problem with its line and \
            column), or the policy is. The policy under test is the working tree's .tiergate/policy.yaml, or --policy FILE.
            """)

    @Argument(help: "The folder of PolicyTest files (default: .tiergate/tests/ of the working tree).")
    var directory: String?

    @Option(help: .repository)
    var repo: String?

    @Option(help: "A policy file to test instead of the working tree's .tiergate/policy.yaml.")
    var policy: String?

    @Option(help: "The date a case without today: is judged on, YYYY-MM-DD (default: today, UTC).")
    var today: Day?

    @Option(help: "text, json or junit.")
    var format: PolicyTestFormat = .text

    func run() throws {
        let request = PolicyTestRequest(
            directory: directory, repository: repo, policyFile: policy, today: today ?? .todayUTC(), workingDirectory: Terminal.currentDirectory)
        let report = try PolicyTestRunner.run(request)
        try Output.stdout(PolicyTestRenderer.render(report, as: format))
        throw ExitCode(report.exitCode)
    }
}

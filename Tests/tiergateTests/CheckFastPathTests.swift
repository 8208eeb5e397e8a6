import ArgumentParser
import Foundation
import Testing

@testable import tiergate

/// The `check` fast path (`CheckFastPath`) must be the parser for every argument vector it accepts: the same
/// options under the same names, the same values, the same defaults. Anything else it must leave to the parser.
@Suite("check without the argument parser")
struct CheckFastPathTests {
    /// One argument of `check` as the parser describes it (`--experimental-dump-help`).
    struct DumpedArgument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var kind: String
        var names: [Name]?
        var isRepeating: Bool
    }

    struct Dump: Decodable {
        struct Command: Decodable { var arguments: [DumpedArgument] }
        var command: Command
    }

    /// The parser's own list of `check`'s options, without the built-in `--help` and `--version`.
    static func parserOptions() throws -> [(name: String, flag: Bool, repeating: Bool)] {
        let dump = try JSONDecoder().decode(Dump.self, from: Data(CheckCommand._dumpHelp().utf8))
        return dump.command.arguments.compactMap { a in
            guard let long = a.names?.first(where: { $0.kind == "long" })?.name, long != "help", long != "version" else { return nil }
            return ("--" + long, a.kind == "flag", a.isRepeating)
        }
    }

    @Test("the fast path knows exactly the options the parser finds, each as a flag or a value, repeatable or not")
    func sameOptions() throws {
        let parser = try Self.parserOptions()
        #expect(parser.count == 19, "the dump lists check's options: \(parser.map(\.name))")
        let fast = CheckFastPath.options.map { o -> (String, Bool, Bool) in
            if case .flag = o.set { return (o.name, true, o.repeatable) }
            return (o.name, false, o.repeatable)
        }
        #expect(fast.map(\.0).sorted() == parser.map(\.name).sorted())
        for (name, flag, repeating) in parser {
            let mine = fast.first { $0.0 == name }
            #expect(mine?.1 == flag, "\(name): flag")
            #expect(mine?.2 == repeating, "\(name): repeatable")
        }
    }

    /// Argument vectors both paths accept. Together they give every option a value other than its default, in both
    /// the `--name value` and the `--name=value` spelling.
    static let accepted: [[String]] = [
        ["check"],
        ["check", "--base", "base", "--head", "head", "--ignore-approvals", "--format", "json"],  // the bench's
        [
            "check", "--repo", "/r", "--base", "main", "--head", "feature", "--policy", "p.yaml", "--approvals", "a.json",
            "--approved-by", "alice", "--approved-by", "bob", "--author", "carol", "--members", "m.json", "--pr-head", "abc123",
            "--ignore-approvals", "--today", "2026-01-02", "--format", "sarif", "--output", "out.sarif", "--report", "junit=j.xml",
            "--report", "markdown=m.md", "--fail-on", "warning",
        ],
        [
            "check", "--repo=/r", "--base=main", "--head=feature", "--policy=p.yaml", "--approvals=a.json", "--approved-by=alice",
            "--author=carol", "--members=m.json", "--pr-head=abc123", "--today=2026-01-02", "--format=github", "--output=o",
            "--report=gitlab=g.json", "--fail-on=never",
        ],
        ["check", "--staged", "--format", "markdown", "--fail-on", "warning"],
        ["check", "--format", "text", "--head", "HEAD", "--report", "json=a b.json", "--approved-by", "x y"],
    ]

    @Test("for every plain argument vector, the fast path gives the command the parser gives", arguments: accepted)
    func sameCommand(_ arguments: [String]) throws {
        let parsed = try #require(try TiergateCommand.parseAsRoot(arguments) as? CheckCommand)
        let fast = try #require(CheckFastPath.command(arguments))
        #expect(String(describing: fast) == String(describing: parsed))
    }

    /// One spelling of each option with a value other than its default.
    static let samples: [String: [String]] = [
        "--repo": ["--repo", "/r"], "--base": ["--base", "main"], "--head": ["--head", "feature"], "--staged": ["--staged"],
        "--policy": ["--policy", "p.yaml"], "--approvals": ["--approvals", "a.json"], "--approved-by": ["--approved-by", "alice"],
        "--author": ["--author", "carol"], "--members": ["--members", "m.json"], "--pr-head": ["--pr-head", "abc123"],
        "--ignore-approvals": ["--ignore-approvals"], "--today": ["--today", "2026-01-02"], "--format": ["--format", "json"],
        "--output": ["--output", "o.txt"], "--report": ["--report", "sarif=s.json"], "--fail-on": ["--fail-on", "warning"], "--color": ["--color", "never"], "--quiet": ["--quiet"], "--mention": ["--mention"],
    ]

    @Test("each option alone: the same command on both paths, and not the default one")
    func eachOption() throws {
        let defaults = String(describing: try #require(try TiergateCommand.parseAsRoot(["check"]) as? CheckCommand))
        for option in try Self.parserOptions() {
            let sample = try #require(Self.samples[option.name], "\(option.name) has no sample")
            let arguments = ["check"] + sample
            let parsed = String(describing: try #require(try TiergateCommand.parseAsRoot(arguments) as? CheckCommand))
            let fast = try #require(CheckFastPath.command(arguments), "\(arguments)")
            #expect(String(describing: fast) == parsed, "\(arguments)")
            #expect(parsed != defaults, "\(arguments) sets something")
        }
    }

    /// Vectors the fast path leaves to the parser: it accepts some of them, rejects others, prints help for some.
    static let declined: [[String]] = [
        [], ["lint"], ["--version"], ["help", "check"], ["--version", "check"],
        ["check", "--help"], ["check", "-h"], ["check", "--version"], ["check", "--experimental-dump-help"],
        ["check", "--bogus"], ["check", "base"], ["check", "--"], ["check", "-b", "x"],
        ["check", "--base"], ["check", "--base", "--head", "x"], ["check", "--base", "-x"], ["check", "--base="],
        ["check", "--base", "a", "--base", "b"], ["check", "--staged", "--staged"], ["check", "--staged=true"],
        ["check", "--format", "xml"], ["check", "--today", "2026-13-01"], ["check", "--report", "json"], ["check", "--fail-on", "info"],
        ["check", "--staged", "--base", "x"], ["check", "--staged", "--pr-head", "abc"],
        ["check", "--generate-completion-script", "bash"],
    ]

    @Test("anything but plain options goes to the parser", arguments: declined)
    func declines(_ arguments: [String]) {
        #expect(CheckFastPath.command(arguments) == nil)
    }

    /// The command and its output options as they would be with one more option (`--verbose`, say) that the table
    /// does not know: `CheckCommand`'s stored properties (its option groups one each) and one more.
    struct CommandWithOneMore {
        var repo = 0, base = 0, head = 0, staged = 0, policy = 0, evidence = 0, ignoreApprovals = 0, today = 0, output = 0
        var verbose = 0
    }
    struct OutputWithOneMore {
        var format = 0, output = 0, reports = 0, failOn = 0, color = 0, quiet = 0, mention = 0, verbose = 0
    }

    @Test("a stored property the table does not set sends the command to the parser instead of trapping")
    func unsetProperty() throws {
        #expect(CheckFastPath.setsEveryProperty(of: CheckCommand.self, output: OutputOptions.self))
        #expect(!CheckFastPath.setsEveryProperty(of: CheckCommand.self, output: OutputWithOneMore.self))
        #expect(!CheckFastPath.setsEveryProperty(of: CommandWithOneMore.self, output: OutputOptions.self))
    }
}

import ArgumentParser
import TiergateCore

// `_forEachField`: a type's stored properties from its field records, without the conformance lookups of a `Mirror`.
@_spi(Reflection) import Swift

/// `tiergate check` with plain arguments, without swift-argument-parser. The parser finds a command's options by
/// reflecting over its properties, and that costs a `check` about a twentieth of its instructions (the Swift
/// runtime's first protocol-conformance lookups, a scan of every conformance record linked in). CI calls `check`
/// with a handful of plain `--name value` options; for those this fills in the same `CheckCommand` the parser
/// would, and anything else (an unknown or repeated option, `--help`, a value that starts with `-` or does not
/// convert, a validation failure) goes to the parser, so behaviour and messages stay the parser's.
///
/// The options are `CheckCommand`'s own properties, set through their wrappers; `CheckFastPathTests` checks that
/// this table names exactly the options the parser finds, and that both paths give the same command for every
/// option. A property this table does not set makes `command` decline (`setsEveryProperty`), never trap.
enum CheckFastPath {
    /// The command, when `arguments` (without the program name) are `check` and plain options; nil sends them to
    /// the parser.
    static func command(_ arguments: some Collection<String>) -> CheckCommand? {
        guard arguments.first == "check" else { return nil }
        var command = defaults
        var seen: [String] = []
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--"), argument != "--" else { return nil }
            let name: Substring
            let inline: Substring?
            if let eq = argument.firstIndex(of: "=") {
                name = argument[..<eq]
                inline = argument[argument.index(after: eq)...]
            } else {
                name = argument[...]
                inline = nil
            }
            guard let option = options.first(where: { $0.name == name }) else { return nil }
            // A repeated single option is the parser's to judge.
            guard option.repeatable || !seen.contains(option.name) else { return nil }
            seen.append(option.name)
            switch option.set {
            case .flag(let set):
                guard inline == nil else { return nil }
                set(&command)
            case .value(let set):
                let value: String
                if let inline {
                    value = String(inline)
                } else {
                    guard let next = rest.popFirst() else { return nil }
                    value = next
                }
                guard !value.isEmpty, !value.hasPrefix("-"), set(&command, value) else { return nil }
            }
        }
        guard setsEveryProperty(of: CheckCommand.self, output: OutputOptions.self) else { return nil }
        do {
            try command.output.validate()
            try command.validate()
        } catch {
            return nil
        }
        return command
    }

    /// How an option sets its property.
    enum Setter: Sendable {
        case flag(@Sendable (inout CheckCommand) -> Void)
        /// False when the value does not convert (the parser then says why).
        case value(@Sendable (inout CheckCommand, String) -> Bool)
    }

    struct Option: Sendable {
        var name: String
        var repeatable = false
        var set: Setter
    }

    /// Every option of `check`, by its command-line name.
    static let options: [Option] = [
        Option(name: "--repo", set: .value { $0.repo = $1; return true }),
        Option(name: "--base", set: .value { $0.base = $1; return true }),
        Option(name: "--head", set: .value { $0.head = $1; return true }),
        Option(name: "--staged", set: .flag { $0.staged = true }),
        Option(name: "--policy", set: .value { $0.policy = $1; return true }),
        Option(name: "--approvals", set: .value { $0.evidence.approvals = $1; return true }),
        Option(name: "--approved-by", repeatable: true, set: .value { $0.evidence.approvedBy.append($1); return true }),
        Option(name: "--author", set: .value { $0.evidence.author = $1; return true }),
        Option(name: "--members", set: .value { $0.evidence.members = $1; return true }),
        Option(name: "--pr-head", set: .value { $0.evidence.prHead = $1; return true }),
        Option(name: "--ignore-approvals", set: .flag { $0.ignoreApprovals = true }),
        Option(name: "--today", set: .value { c, v in converted(v) { c.today = $0 } }),
        Option(name: "--format", set: .value { c, v in converted(v) { c.output.format = $0 } }),
        Option(name: "--output", set: .value { $0.output.output = $1; return true }),
        Option(name: "--report", repeatable: true, set: .value { c, v in converted(v) { c.output.reports.append($0) } }),
        Option(name: "--fail-on", set: .value { c, v in converted(v) { c.output.failOn = $0 } }),
        Option(name: "--color", set: .value { c, v in converted(v) { c.output.color = $0 } }),
        Option(name: "--quiet", set: .flag { $0.output.quiet = true }),
        Option(name: "--mention", set: .flag { $0.output.mention = true }),
    ]

    /// The command with every option at its default (as the parser gives it when the option is not given).
    static var defaults: CheckCommand {
        var output = OutputOptions()
        output.format = .text
        output.output = nil
        output.reports = []
        output.failOn = .error
        output.color = .auto
        output.quiet = false
        output.mention = false
        var command = CheckCommand()
        command.repo = nil
        command.base = nil
        command.head = "HEAD"
        command.staged = false
        command.policy = nil
        var evidence = ApprovalOptions()
        evidence.approvals = nil
        evidence.approvedBy = []
        evidence.author = nil
        evidence.members = nil
        evidence.prHead = nil
        command.evidence = evidence
        command.ignoreApprovals = false
        command.today = nil
        command.output = output
        return command
    }

    /// Converts a value as the parser does (the type's `ExpressibleByArgument` initialiser).
    private static func converted<T: ExpressibleByArgument>(_ text: String, _ set: (T) -> Void) -> Bool {
        guard let value = T(argument: text) else { return false }
        set(value)
        return true
    }

    /// Whether the table sets every stored property of the command and of its output options (each option is one
    /// property; the option group is the one more). A property it does not set (an option added since) would trap
    /// when read, so then the parser decides instead. The properties are counted from the types' field records: a
    /// `Mirror` would cost a conformance lookup per type (about 1.4 M instructions each), most of what skipping the
    /// parser saves.
    static func setsEveryProperty(of command: Any.Type, output: Any.Type, evidence: Any.Type = ApprovalOptions.self) -> Bool {
        // Each option group is one property of the command and its own properties in the table.
        storedProperties(of: command) - 2 + storedProperties(of: output) + storedProperties(of: evidence) == options.count
    }

    static func storedProperties(of type: Any.Type) -> Int {
        var count = 0
        _forEachField(of: type) { _, _, _, _ in
            count += 1
            return true
        }
        return count
    }
}

import ArgumentParser
import Foundation
import TiergateCore

/// A usage error as one line on standard error, with "did you mean" for a mistyped subcommand (the parser
/// suggests flags itself) and where to read more: `tiergate check: unknown option '--formt'; did you mean
/// '--format'? (tiergate check --help)`. The exit status stays 2.
enum UsageErrors {
    /// The line for a parser error, given the arguments the tool was run with (without the program name).
    static func line(for error: Error, arguments: [String]) -> String {
        let (path, command) = commandPath(arguments)
        let name = (["tiergate"] + path).joined(separator: " ")
        var message = oneLine(TiergateCommand.message(for: error))
        if let word = unexpectedWord(message), let subcommands = command?.configuration.subcommands, !subcommands.isEmpty {
            let names = subcommands.compactMap { $0.configuration.commandName }
            message = "unknown command '\(word)'"
            if let guess = closest(word, among: names) { message += "; did you mean '\(guess)'?" }
        }
        return TerminalText.escape(Redactor.text("\(name): \(lowercasedFirst(message)) (\(name) --help)"))
    }

    /// The subcommands named at the start of the arguments, and the deepest command they reach.
    static func commandPath(_ arguments: [String]) -> ([String], ParsableCommand.Type?) {
        var command: ParsableCommand.Type = TiergateCommand.self
        var path: [String] = []
        for arg in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == arg }) else { break }
            command = next
            path.append(arg)
        }
        return (path, command)
    }

    /// The parser's message on one line: a list of allowed values joined by commas, sentences by spaces.
    static func oneLine(_ message: String) -> String {
        var out = ""
        var items: [String] = []
        for raw in message.split(separator: "\n") {
            let line = raw.trimmingPrefix(while: { $0 == " " })
            if line.hasPrefix("- ") {
                items.append(String(line.dropFirst(2)))
                continue
            }
            if !items.isEmpty {
                out += " " + items.joined(separator: ", ")
                items = []
            }
            out += (out.isEmpty ? "" : " ") + line
        }
        if !items.isEmpty { out += " " + items.joined(separator: ", ") }
        out = out.replacingOccurrences(of: ". Did you mean", with: "; did you mean")
        return out.hasSuffix(".") ? String(out.dropLast()) : out
    }

    /// The word of "Unexpected argument 'WORD'", the parser's message for an unknown subcommand.
    static func unexpectedWord(_ message: String) -> String? {
        let prefix = "Unexpected argument '"
        guard message.hasPrefix(prefix), message.hasSuffix("'") else { return nil }
        let word = message.dropFirst(prefix.count).dropLast()
        return word.contains("'") || word.hasPrefix("-") ? nil : String(word)
    }

    /// The candidate nearest to `word` by edit distance, when it is near enough to be a typo (at most a third of
    /// the word, at least 1), or the one candidate the word starts.
    static func closest(_ word: String, among candidates: [String]) -> String? {
        let prefixed = candidates.filter { $0.hasPrefix(word) }
        if !word.isEmpty, prefixed.count == 1 { return prefixed[0] }
        let scored = candidates.map { ($0, distance(word, $0)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= max(1, word.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance, with transpositions counting 1 (`chekc` is one slip from `check`).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    private static func lowercasedFirst(_ s: String) -> String {
        guard let first = s.first, first.isUppercase, s.dropFirst().first?.isLowercase == true else { return s }
        return first.lowercased() + s.dropFirst()
    }
}

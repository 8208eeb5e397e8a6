import Foundation
import Testing

@testable import TiergateCore

/// SPEC section 2: `matches` takes RE2 syntax, finds a match anywhere in the value, and refuses what RE2 refuses.
@Suite("matches: the linear-time RE2 engine")
struct LinearRegexTests {
    static func matches(_ pattern: String, _ value: String) throws -> Bool { try LinearRegex(pattern).matches(value) }

    @Test("pattern, value, whether some part of the value matches", arguments: [
        // Empty pattern and unanchored search
        ("", "", true), ("", "abc", true), ("abc", "xxabcxx", true), ("abc", "abx", false), ("x*", "", true), ("a|", "zzz", true),
        ("^(?:)$", "", true),
        // Anchors: ^ and $ are the text's ends ($ not before a final newline, as in RE2), lines under (?m)
        ("^abc", "abcd", true), ("^abc", "xabc", false), ("abc$", "xabc", true), ("abc$", "abcx", false), ("abc$", "abc\n", false),
        ("^$", "", true), ("^$", "a", false), ("^b$", "a\nb\nc", false), ("(?m)^b$", "a\nb\nc", true), ("(?m)^c", "ab\nc", true),
        (#"\Aab\z"#, "ab", true), (#"\Aab\z"#, "ab\n", false), (#"\Aab"#, "xab", false), ("^a|b", "xb", true), ("^a|^b", "xb", false),
        (#"\bfoo\b"#, "a foo b", true), (#"\bfoo\b"#, "afoob", false), (#"\Bfoo"#, "afoo", true), (#"\Bfoo"#, "foo", false),
        // Dot, escapes
        ("a.c", "abc", true), ("a.c", "a\nc", false), ("(?s)a.c", "a\nc", true), (#"a\.c"#, "abc", false), (#"a\.c"#, "a.c", true),
        (#"\\"#, #"a\b"#, true), (#"\t"#, "a\tb", true), (#"\n"#, "a\nb", true), (#"\x41"#, "A", true), (#"\x{1F600}"#, "😀", true),
        (#"\052"#, "*", true), (#"\12"#, "\n", true), (#"\0"#, "\0", true), (#"\101"#, "A", true), (#"\777"#, "\u{1FF}", true), (#"^\^\$$"#, "^$", true), (#"a\-b"#, "a-b", true), (#"a\ b"#, "a b", true),
        (#"\Qa.b\E"#, "a.b", true), (#"\Qa.b\E"#, "axb", false), (#"^\Qab\E+$"#, "abbb", true), (#"^\Qab\E+$"#, "abab", false),
        // Classes
        ("^[a-z0-9_-]+$", "ab-c_9", true), ("^[a-z0-9_-]+$", "ab c", false), ("[^abc]", "abc", false), ("[^abc]", "abcd", true),
        ("^[^a]$", "\n", true), ("[]a]", "]", true), ("[^]a]", "]", false), ("[a-]", "-", true), ("[-a]", "-", true),
        (#"\d+"#, "x12", true), (#"^\d+$"#, "12a", false), (#"\D"#, "123", false), (#"\w"#, "--", false), (#"\W"#, "ab_9", false),
        (#"\s"#, "a b", true), (#"\S"#, "  \t", false), (#"^[\d.]+$"#, "1.2", true), (#"[\D]"#, "12", false), (#"[^\d]"#, "1a", true),
        ("[[:digit:]]+", "x9", true), ("[[:^alpha:]]", "abc", false), ("[[:alpha:]-]", "-", true), ("[[:upper:]]", "abc", false),
        ("[à-ü]", "ö", true), ("[à-ü]", "o", false),
        // Alternation and groups
        ("a|b", "xbx", true), ("^(a|b)$", "c", false), ("^(?:ab|cd)+$", "abcdab", true), ("^(?:ab|cd)+$", "abc", false),
        ("(?P<x>a)b", "ab", true), ("(?<x>a)b", "ab", true), ("^(a|bc|def)$", "def", true), ("^(a|bc|def)$", "bcd", false),
        // Counted repetition, a `{` that starts none (a literal, as in RE2), lazy and ungreedy forms
        ("^a{3}$", "aaa", true), ("^a{3}$", "aa", false), ("^a{3}$", "aaaa", false), ("^a{2,}$", "a", false), ("^a{2,}$", "aaaaa", true),
        ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false), ("^a{0}$", "", true), ("^a{0}$", "a", false),
        ("^(ab){0,2}$", "abab", true), ("^(ab){0,2}$", "ababab", false), ("^(ab){1,1000}$", "ab", true),
        ("a{,2}", "a{,2}", true), ("a{,2}", "aa", false), ("a{", "a{", true), ("a{x}", "a{x}", true), ("{", "{", true),
        ("^a*?$", "aaa", true), ("^a+?b", "aab", true), ("^a??b$", "b", true), ("^a{1,2}?$", "aa", true), ("(?U)^a+$", "aaa", true),
        // Case folding, scoped to its group
        ("(?i)hello", "HeLLo", true), ("hello", "HELLO", false), ("(?i)[a-c]+$", "xAbC", true), ("(?i)[^a-c]", "ABC", false),
        ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false), ("a(?i)b", "aB", true), ("a(?i)b", "AB", false), ("(?i)a(?-i)b", "Ab", true),
        ("(?i)a(?-i)b", "AB", false), ("(x(?i)a)b", "xAb", true), ("(x(?i)a)b", "xAB", false), ("(?i)é", "É", true), ("(?i)k", "\u{212A}", true),
        ("(?i)s", "ſ", true), (#"(?i)\d"#, "x", false),
        // Unicode scalars, not characters: e + combining accent is two
        ("^.$", "é", true), ("^.$", "日", true), ("^..$", "e\u{301}", true), ("^.$", "e\u{301}", false),
        // The pathological shapes still answer correctly
        ("(a|a)*b", "aaab", true), ("(a|a)*b", "aaaa", false), ("(a*)*b", "aaaa", false), ("(a*)*b", "aab", true),
        ("^([a-z0-9]+-?)+$", "abc-def-1", true), ("^([a-z0-9]+-?)+$", "aaaa!", false), (".*pii", "holds pii data", true),
        (".*pii", "holds pi i", false), ("(|a)+b", "aab", true), ("(a?){0,5}b", "ab", true),
    ])
    func table(pattern: String, value: String, expected: Bool) throws {
        #expect(try Self.matches(pattern, value) == expected, "\(pattern) on \(value.debugDescription)")
    }

    @Test("what RE2 refuses is an error that says what", arguments: [
        (#"(a)\1"#, "backreferences"), ("(?P=x)", "backreferences"), (#"\k<x>"#, "backreferences"), ("(?=a)", "lookahead"),
        ("(?!a)", "lookahead"), ("(?<=a)b", "lookbehind"), ("(?<!a)b", "lookbehind"), ("(?>a)", "atomic"), ("a++", "possessive"),
        ("a*+", "possessive"), ("a**", "cannot follow another quantifier"), ("a{2}{3}", "cannot follow another quantifier"),
        ("(?#c)", "comments"), ("(?R)", "recursion"), ("(?1)", "recursion"), ("(?(1)a|b)", "conditionals"), ("(a", "missing ')'"),
        ("a)", "unmatched ')'"), ("[a", "missing ']'"), ("[]", "missing ']'"), ("[z-a]", "before its start"), ("[a-\\d]", "cannot end a range"),
        ("*a", "missing argument"), ("(*a)", "missing argument"), ("a|+", "missing argument"), ("{2}", "missing argument"),
        ("(?i)*", "missing argument"), ("a{1001}", "above 1000"), ("a{1,1001}", "above 1000"), ("a{3,2}", "below n"),
        (#"\p{L}"#, "Unicode classes"), (#"\pL"#, "Unicode classes"), (#"\Z"#, "not RE2"), (#"\C"#, "not RE2"), (#"[\b]"#, "inside a class"),
        ("(?x)a", "flag 'x'"), ("(?)", "flag group"), ("(?i-)a", "flag group"), ("a\\", "trailing backslash"), ("(?P<>a)", "group name"), ("(?P<x>a)(?<x>b)", "second group named x"), (#"\8"#, "backreferences"), (#"\19"#, "backreferences"),
        ("[[:foo:]]", "unknown class name"), (#"\xZZ"#, #"\x"#), (#"\x{110000}"#, "no Unicode scalar"), ("((a{1000}){1000})", "too large"),
        ("(a{1000}){10}", "too large"),
    ])
    func refused(pattern: String, says: String) {
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(pattern) }
        do {
            _ = try LinearRegex(pattern)
        } catch {
            #expect(error.description.contains(says), "\(pattern): \(error)")
        }
    }

    @Test("the error names where in the pattern")
    func offsets() {
        #expect(throws: RegexSyntaxError("lookbehind (?<= or (?<! is not RE2 syntax", at: 3)) { try LinearRegex("abc(?<=x)") }
        #expect(throws: RegexSyntaxError("backreferences (\\1) are not RE2 syntax", at: 3)) { try LinearRegex("(a)\\1") }
        #expect(RegexSyntaxError("x", at: 3).description == "x (at character 4 of the pattern)")
    }

    @Test("groups nest up to the bound, and one level more is an error (the parser recurses once per level)")
    func nesting() throws {
        let n = LinearRegex.maxNesting
        let deepest = String(repeating: "(", count: n) + "a" + String(repeating: ")", count: n)
        #expect(try LinearRegex(deepest).matches("xa"))
        #expect(try !LinearRegex(deepest).matches("x"))
        let tooDeep = "(" + deepest + ")"
        #expect(throws: RegexSyntaxError("groups nested more than \(n) deep", at: n)) { try LinearRegex(tooDeep) }
        let nonCapturing = String(repeating: "(?:", count: n + 1) + "a" + String(repeating: ")", count: n + 1)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(nonCapturing) }
    }

    @Test("counted repetition expands up to the program bound, and no further")
    func programSize() throws {
        // a{1000} is 1000 instructions and `match`; ten of them are too many.
        #expect(try LinearRegex("^a{1000}$").matches(String(repeating: "a", count: 1000)))
        #expect(try !LinearRegex("^a{1000}$").matches(String(repeating: "a", count: 999)))
        #expect(try LinearRegex("a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}g{1000}h{1000}i{1000}").program.count == 9001)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex("(a{1000}){10}") }
        #expect(try LinearRegex("(a{100}){99}").program.count == 9901)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex("(a{100}){100}") }
    }

    @Test("a policy whose matches pattern is not RE2 is invalid, at the pattern's line, saying what RE2 syntax lacks",
          arguments: [
            (#"(a)\1"#, "backreferences (\\1) are not RE2 syntax"), ("(?=x)", "lookahead (?= or (?! is not RE2 syntax"),
            ("(?!x)", "lookahead"), ("(?<=x)", "lookbehind (?<= or (?<! is not RE2 syntax"), ("(?<!x)", "lookbehind"),
            ("(?>x)", "atomic groups (?>…) are not RE2 syntax"), ("x++", "possessive quantifiers (like a++) are not RE2 syntax"),
            ("[a", "missing ']' for the class opened here (at character 1 of the pattern)"),
          ])
    func policyRefuses(pattern: String, says: String) {
        let text = policy("rules:\n  - id: r\n    message: m\n    when:\n      field: metadata.name\n      matches: '\(pattern)'\n    raiseTier: 1")
        let problems = policyProblems(text)
        #expect(problems.contains { $0.mark.line == 8 && $0.message.hasPrefix("rules[0].when.matches is not a valid regular expression: \(says)") },
                "\(problems)")
    }

    @Test("a valid RE2 pattern loads and a rule uses it")
    func policyAccepts() throws {
        let text = policy("rules:\n  - id: r\n    message: m\n    when: {field: metadata.name, matches: '^(?i)EX[a-z]{2,}$'}\n    raiseTier: 2")
        #expect(try tier(CheckExample.baseManifest, policy: text) == 2)
        #expect(try tier(CheckExample.replacing("name: example", with: "name: ex"), policy: text) == 0)
    }

    /// Patterns that mean the same in Python's `re` as in RE2 on the values below (ASCII, no newline: RE2's `$`,
    /// `\d`, `\s` and `\w` differ from Python's only outside that; Python has no `[:alpha:]` and reads `a{,2}`
    /// as a repetition).
    static let differentialPatterns = [
        "", "a", "ab", "^a", "b$", "^ab$", "a|b", "^(a|b)+$", "(a|ab)(c|bcd)", "a*", "^a*$", "a+b", "^a?b$", "(ab)*c",
        "^[ab]+$", "[^a]", "^[^ab]*$", "[a-c]{2}", "^a{2,3}$", "^(a|b){2,}$", "(a*)*b", "(a|a)*b", "^([a-z0-9]+-?)+$",
        ".*c", "^.{3}$", #"\d"#, #"^\w+$"#, #"\s"#, #"\W"#, #"\bab\b"#, #"\Ba"#, "(?i)A", "(?i)^[A-B]+$", "(?:a|b)c",
        #"a\.b"#, "[.]", "[-a]", "^-?[0-9]+$", "c{1,2}a", "(a?){3}b", "^(?:a+|b+)*$", #"^[\w-]+$"#, "a.c", "[a-z]{3}",
        "^(a|b|c)*abc", "(?s).b",
    ]

    @Test("the engine agrees with Python's re on patterns that mean the same in both")
    func differential() throws {
        var rng = SeededGenerator(seed: 12)
        let alphabet = Array("aabbc-1_ .A")
        var values = ["", "a", "ab", "abc", "b", "aab", "ab ab", "a-b", "c"]
        for _ in 0..<150 {
            let length = Int.random(in: 0...9, using: &rng)
            values.append(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }))
        }
        let script = """
            import json, re, sys
            job = json.load(sys.stdin)
            print(json.dumps([[re.search(p, v) is not None for v in job["values"]] for p in job["patterns"]]))
            """
        let input = try JSONSerialization.data(withJSONObject: ["patterns": Self.differentialPatterns, "values": values])
        let r = try run(try Project.venvTool("python"), ["-c", script], input: String(decoding: input, as: UTF8.self))
        try #require(r.status == 0, "\(r.stderr)")
        let python = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[Bool]])
        try #require(python.count == Self.differentialPatterns.count)
        var disagreements: [String] = []
        for (p, row) in zip(Self.differentialPatterns, python) {
            let regex = try LinearRegex(p)
            for (v, expected) in zip(values, row) where regex.matches(v) != expected {
                disagreements.append("\(p) on \(v.debugDescription): python says \(expected)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
        #expect(values.count * Self.differentialPatterns.count > 7000)
    }
}

/// A small deterministic generator (SplitMix64) so that random tests repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("matches: any pattern text is an answer, never a crash")
struct LinearRegexRobustnessTests {
    @Test("random pattern texts from the syntax's characters compile or are refused, and compiled ones match without trapping")
    func randomPatterns() {
        let alphabet = Array(#"ab()[]{}|*+?.^$\-:,019?iPE<>=!dswbBAzQxp^é"#.unicodeScalars)
        let values = ["", "a", "ab\nba", "aaaaaaaaab", "é{}[]()", "-:,019"]
        var rng = SeededGenerator(seed: 7)
        var compiled = 0
        for _ in 0..<30_000 {
            var pattern = ""
            for _ in 0..<Int.random(in: 0...14, using: &rng) {
                pattern.unicodeScalars.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)])
            }
            guard let regex = try? LinearRegex(pattern) else { continue }
            compiled += 1
            for v in values { _ = regex.matches(v) }
        }
        // The run reaches both outcomes in numbers.
        #expect(compiled > 3000 && compiled < 27_000, "\(compiled)")
    }
}

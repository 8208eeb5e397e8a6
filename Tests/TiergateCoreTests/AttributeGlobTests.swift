import Foundation
import Testing

@testable import TiergateCore

@Suite("AttributeGlob: git's wildmatch results in linear-product time")
struct AttributeGlobTests {
    func matches(_ pattern: String, _ text: String, pathname: Bool = true) -> Bool {
        AttributeGlob(Array(pattern.utf8)[...], pathname: pathname).matches(Array(text.utf8)[...])
    }

    @Test("cases from git's wildmatch tests")
    func gitCases() {
        let cases: [(String, String, Bool, Bool)] = [  // pattern, text, pathname, expected
            ("foo", "foo", true, true), ("bar", "foo", true, false), ("", "", true, true), ("???", "foo", true, true), ("??", "foo", true, false),
            ("*", "foo", true, true), ("f*", "foo", true, true), ("*f", "foo", true, false), ("*foo*", "foo", true, true),
            ("*ob*a*r*", "foobar", true, true), ("*ab", "aaaaaaabababab", true, true), ("foo\\*", "foo*", true, true),
            ("foo\\*bar", "foobar", true, false), ("f\\\\oo", "f\\oo", true, true), ("*[al]?", "ball", true, true), ("[ten]", "ten", true, false),
            ("**[!te]", "ten", true, true), ("**[!ten]", "ten", true, false), ("t[a-g]n", "ten", true, true), ("t[!a-g]n", "ten", true, false),
            ("t[!a-g]n", "ton", true, true), ("t[^a-g]n", "ton", true, true), ("a[]]b", "a]b", true, true), ("a[]-]b", "a-b", true, true),
            ("a[]-]b", "a]b", true, true), ("a[]-]b", "aab", true, false), ("a[]a-]b", "aab", true, true), ("]", "]", true, true),
            ("foo*bar", "foo/baz/bar", true, false), ("foo**bar", "foo/baz/bar", true, false), ("foo**bar", "foo/baz/bar", false, true),
            ("foo/**/bar", "foo/bar", true, true), ("foo/**/bar", "foo/baz/bar", true, true), ("foo/**/bar", "foo/b/a/z/bar", true, true),
            ("**/foo", "foo", true, true), ("**/foo", "XXX/foo", true, true), ("**/foo", "bar/baz/foo", true, true), ("*/foo", "bar/baz/foo", true, false),
            ("**/bar*", "foo/bar/baz", true, false), ("**/bar/*", "deep/foo/bar/baz", true, true), ("**/bar/*", "deep/foo/bar/baz/", true, false),
            ("**/bar/**", "deep/foo/bar/baz/", true, true), ("**/bar/*", "deep/foo/bar", true, false), ("**/bar/**", "deep/foo/bar/", true, true),
            ("*/bar/**", "foo/bar/baz/x", true, true), ("*/bar/**", "deep/foo/bar/baz/x", true, false), ("**/bar/*/*", "deep/foo/bar/baz/x", true, true),
            ("[[:alpha:]][[:digit:]][[:upper:]]", "a1B", true, true), ("[[:digit:][:upper:][:space:]]", "a", true, false),
            ("[[:digit:][:upper:][:space:]]", "A", true, true), ("[[:digit:][:upper:][:spaci:]]", "1", true, false),
            ("[[:digit:][:punct:][:space:]]", ".", true, true), ("[a-c[:digit:]x-z]", "5", true, true), ("[a-c[:digit:]x-z]", "q", true, false),
            ("-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", true, true),
            ("-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1", true, false),
            ("XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*", "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1", true, true),
            ("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", true, true),
            ("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", true, false), ("*/*/*", "foo", true, false),
            ("*/*/*", "foo/bar", true, false), ("*/*/*", "foo/bba/arr", true, true), ("*/*/*", "foo/bb/aa/rr", true, false),
            ("**/**/**", "foo/bb/aa/rr", true, true), ("*X*i", "abcXdefXghi", true, true), ("*/*X*/*/*i", "ab/cXd/efXg/hi", true, true),
            ("**/*X*/**/*i", "ab/cXd/efXg/hi", true, true), ("[a-", "a", true, false), ("foo\\", "foo", true, false), ("\\", "\\", true, false),
        ]
        for (pattern, text, pathname, expected) in cases {
            #expect(matches(pattern, text, pathname: pathname) == expected, "\(pattern) ~ \(text)")
            #expect(ReferenceWildmatch.matches(Array(pattern.utf8)[...], Array(text.utf8)[...], pathname: pathname) == expected, "reference: \(pattern) ~ \(text)")
        }
    }

    @Test("random short patterns and texts: the same answers as git's backtracking matcher")
    func randomAgainstReference() {
        var rng = SplitMix64(seed: 0x5EED_7135)
        let patternAlphabet = Array("ab/*?[]!^-\\:".utf8)
        let textAlphabet = Array("ab/]-!:\\".utf8)
        var disagreements: [String] = []
        for _ in 0..<60_000 {
            let pattern = (0..<Int(rng.next() % 9)).map { _ in patternAlphabet[Int(rng.next() % UInt64(patternAlphabet.count))] }
            let text = (0..<Int(rng.next() % 9)).map { _ in textAlphabet[Int(rng.next() % UInt64(textAlphabet.count))] }
            for pathname in [true, false] {
                let ours = AttributeGlob(pattern[...], pathname: pathname).matches(text[...])
                let theirs = ReferenceWildmatch.matches(pattern[...], text[...], pathname: pathname)
                if ours != theirs, disagreements.count < 20 {
                    disagreements.append("\(String(decoding: pattern, as: UTF8.self)) ~ \(String(decoding: text, as: UTF8.self)) pathname=\(pathname): \(ours) vs \(theirs)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test("random patterns built from glob tokens: the same answers as git's backtracking matcher")
    func randomTokensAgainstReference() {
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["GLOB_SEED"].flatMap { UInt64($0) } ?? 0x70C3_5EED))
        let count = Int(ProcessInfo.processInfo.environment["GLOB_CASES"] ?? "") ?? 40_000
        let tokens = [
            "a", "b", "/", "*", "**", "?", "[a-b]", "[!a]", "[]a]", "[[:alpha:]]", "[[:digit:]", "\\*", "\\", "[^/]", "**/", "/**", "[a-]",
            "[\\]]", "[[:x:]]", "[[:space:][:punct:]]", "-", "]",
        ]
        let textAlphabet = Array("ab/]-1* ".utf8)
        var disagreements: [String] = []
        for _ in 0..<count {
            let pattern = Array((0..<Int(rng.next() % 7)).map { _ in tokens[Int(rng.next() % UInt64(tokens.count))] }.joined().utf8)
            let text = (0..<Int(rng.next() % 11)).map { _ in textAlphabet[Int(rng.next() % UInt64(textAlphabet.count))] }
            for pathname in [true, false] {
                let ours = AttributeGlob(pattern[...], pathname: pathname).matches(text[...])
                let theirs = ReferenceWildmatch.matches(pattern[...], text[...], pathname: pathname)
                if ours != theirs, disagreements.count < 20 {
                    disagreements.append("\(String(decoding: pattern, as: UTF8.self)) ~ \(String(decoding: text, as: UTF8.self)) pathname=\(pathname): \(ours) vs \(theirs)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test("a pattern git takes exponential time on is decided at once")
    func pathological() {
        let pattern = Array((String(repeating: "*a", count: 40) + "/b").utf8)
        let text = Array((String(repeating: "a", count: 80) + "/x").utf8)
        let clock = ContinuousClock()
        var result = true
        let elapsed = clock.measure { result = AttributeGlob(pattern[...], pathname: true).matches(text[...]) }
        #expect(!result)
        #expect(elapsed < .seconds(1))
    }
}

/// A small deterministic generator, so that a failure reproduces.
struct SplitMix64 {
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

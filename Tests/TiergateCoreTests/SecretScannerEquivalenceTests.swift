import Testing

@testable import TiergateCore

/// The one-pass scanner must say exactly what the earlier scanner said (which rescanned to the end of the text
/// from every `eyJ` and `-----BEGIN`, and counted every token run to its end). `QuadraticScanner` is that scanner,
/// kept here as the reference.
@Suite("The one-pass secret scanner says what the rescanning one said")
struct SecretScannerEquivalenceTests {
    static func kind(_ text: String) -> SecretScanner.Kind? {
        var text = text
        return text.withUTF8 { SecretScanner.patternKind($0) }
    }

    @Test("the JWT rule at its edges", arguments: [
        ("eyJabcd.efgh.ijkl" + String(repeating: "m", count: 13), SecretScanner.Kind.jwt),
        ("eyJabcd.efgh.ijkl" + String(repeating: "m", count: 12), nil),  // 29 characters
        ("eyJabcd.efgh.ijk" + String(repeating: ".", count: 14), nil),  // a part of 3 before a dot
        ("eyJabcd.efg.hijklmnopqrstuvwxyz.abcd", nil),
        ("eyJabcd.efgh.ijklmnopqrstuvwxyz.ab", .jwt),  // a short last part does not count, and three are enough...
        ("eyJabcd.efgh.ijklmnopqrstuvwxyz.abcd", .jwt),
        ("eyJabcd.efgh.ijklmnopqrstuvwxyz.ab.", nil),  // ...but one before a dot rules the start out
        ("eyJabcd.efgh.ijklmnopqrstuvwxyz.", .jwt),
        ("eyJ.eyJabcd.efgh.ijklmnopqrstuvwxyz", .jwt),  // the first start fails, a later one in the same run holds
        ("xeyJabcd.efgh.ijklmnopqrstuvwxyz", .jwt),  // a start need not begin the run
        ("eyJab.cd.eyJabcd.efgh.ijklmnopqrstuvwxyz", .jwt),  // `cd.` rules out the start before it, not the one after
        ("eyJabcd.efgh.eyJabcd.efgh.ijklmnopqrstuvwxyz.cd.", nil),  // and every start before it
        ("eyJabcd.efgh.ijklmnopqrstuvwxyz AKIAIOSFODNN7EXAMPLE", .jwt),
        ("eyJ.abcd AKIAIOSFODNN7EXAMPLE eyJabcd.efgh.ijklmnopqrstuvwxyz", .awsAccessKey),
        ("eyJabc.defg.hijk eyJabcd.efgh.ijklmnopqrstuvwxyz", .jwt),
        ("-----BEGIN x -----BEGIN PRIVATE KEY", .privateKey), ("PRIVATE KEY -----BEGIN", nil),
    ])
    func jwtEdges(text: String, expected: SecretScanner.Kind?) {
        #expect(Self.kind(text) == expected, "\(text)")
        #expect(QuadraticScanner.kind(Array(text.utf8)) == expected, "the reference: \(text)")
    }

    @Test("on random texts built from the pieces of every pattern, both scanners say the same")
    func randomTexts() {
        let pieces = [
            "eyJ", "eyJhbGciOiJIUzI1NiJ9", ".", ".", "abcd", "ab", "Zz9_", "-", "_", " ", "-----BEGIN", "PRIVATE KEY", "AKIA",
            "ASIA", "IOSFODNN7EXAMPLE", "ABCD", "ghp_", "github_pat_", "glpat-", "xoxb-", "xapp-", "0123456789", "://", "u:p@", "/",
            "@", ":", "hooks.slack.com/services/", "A", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ]
        var rng = SeededGenerator(seed: 2026)
        var found = 0
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let count = Int.random(in: 1...24, using: &rng)
            let text = (0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
            let expected = QuadraticScanner.kind(Array(text.utf8))
            if expected != nil { found += 1 }
            if Self.kind(text) != expected { disagreements.append("\(text): \(String(describing: expected))") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) texts, first: \(disagreements.prefix(3))")
        // The texts reach the patterns: many hold a credential, many do not.
        #expect(found > 2000 && found < 18_000, "\(found)")
    }
}

/// The scanner before it was made one pass, verbatim but for types: the reference for its verdicts.
enum QuadraticScanner {
    static func kind(_ b: [UInt8]) -> SecretScanner.Kind? {
        let n = b.count
        for i in 0..<n {
            switch b[i] {
            case UInt8(ascii: "A"):
                if i + 20 <= n, ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"].contains(where: { has($0, b, i) }),
                    b[(i + 4)..<(i + 20)].allSatisfy(isUpperAlnum), i + 20 == n || !isUpperAlnum(b[i + 20]),
                    i == 0 || !isUpperAlnum(b[i - 1])
                {
                    return .awsAccessKey
                }
            case UInt8(ascii: "g"):
                for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] where has(p, b, i) {
                    if run(b, i + 4, isAlnum) >= 36 { return .githubToken }
                }
                if has("github_pat_", b, i), run(b, i + 11, { isAlnum($0) || $0 == UInt8(ascii: "_") }) >= 22 { return .githubToken }
                if has("glpat-", b, i), run(b, i + 6, isTokenChar) >= 20 { return .gitlabToken }
            case UInt8(ascii: "x"):
                for p in ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xapp-"] where has(p, b, i) {
                    if run(b, i + 5, isTokenChar) >= 10 { return .slackToken }
                }
            case UInt8(ascii: "h"):
                if has("hooks.slack.com/services/", b, i) { return .slackWebhook }
            case UInt8(ascii: "-"):
                if has("-----BEGIN", b, i), (i..<n).contains(where: { has("PRIVATE KEY", b, $0) }) { return .privateKey }
            case UInt8(ascii: "e"):
                if has("eyJ", b, i), isJWT(b, i) { return .jwt }
            case UInt8(ascii: ":"):
                if has("://", b, i), urlHasPassword(b, i + 3) { return .urlPassword }
            default:
                break
            }
        }
        return nil
    }

    static func isJWT(_ b: [UInt8], _ i: Int) -> Bool {
        var parts = 0
        var length = 0
        var j = i
        while j < b.count {
            let c = b[j]
            if isTokenChar(c) {
                length += 1
            } else if c == UInt8(ascii: ".") {
                guard length >= 4 else { return false }
                parts += 1
                length = 0
            } else {
                break
            }
            j += 1
        }
        if length >= 4 { parts += 1 }
        return parts >= 3 && has("eyJ", b, i) && j - i >= 30
    }

    static func urlHasPassword(_ b: [UInt8], _ start: Int) -> Bool {
        var colon = -1
        var j = start
        while j < b.count {
            let c = b[j]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: " ") { return false }
            if c == UInt8(ascii: ":") && colon < 0 { colon = j }
            if c == UInt8(ascii: "@") { return colon > start && j > colon + 1 }
            j += 1
        }
        return false
    }

    static func has(_ p: String, _ b: [UInt8], _ i: Int) -> Bool {
        let u = Array(p.utf8)
        return i + u.count <= b.count && Array(b[i..<(i + u.count)]) == u
    }

    static func run(_ b: [UInt8], _ i: Int, _ ok: (UInt8) -> Bool) -> Int {
        var j = i
        while j < b.count, ok(b[j]) { j += 1 }
        return j - i
    }

    static func isAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    static func isUpperAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) }
    static func isTokenChar(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") }
}

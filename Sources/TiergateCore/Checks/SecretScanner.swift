/// Recognises strings that look like credentials. Hand-written matchers (no regular expressions): it runs on
/// every string of every manifest. It never returns the matched text, only what kind of secret it is.
///
/// One pass, linear in the text: the check at each position is bounded (a token needs only so many characters,
/// so a run is counted up to that many), or it is worked out once for a stretch of the text and remembered (the
/// last `PRIVATE KEY`, the JWT verdict for a run of token characters and dots), or it stops where the next
/// check of its kind starts (a `scheme://` stops at the next `/`, and the next `://` holds one).
package enum SecretScanner {
    package enum Kind: String, Sendable {
        case awsAccessKey = "an AWS access key id"
        case githubToken = "a GitHub token"
        case gitlabToken = "a GitLab token"
        case slackToken = "a Slack token"
        case slackWebhook = "a Slack webhook URL"
        case privateKey = "a private key"
        case jwt = "a JSON Web Token"
        case urlPassword = "a URL with a password"
        case highEntropy = "a high-entropy secret value"
    }

    /// What kind of credential `text` holds, if any. `key` is the mapping key the text sits under.
    package static func scan(_ text: String, key: String?) -> Kind? {
        var text = text
        return text.withUTF8 { b -> Kind? in
            if b.count < 8 { return nil }
            // Every token pattern is at least 15 characters; shorter text can only be a URL with a password.
            if b.count < 15 {
                return contains("://", b, from: 0) ? patternKind(b) : nil
            }
            if let k = patternKind(b) { return k }
            // Cheapest test first: most values are short or plain words.
            // The key's name is the cheaper and more selective test, so it goes first.
            if let key, b.count >= 16, !b.contains(UInt8(ascii: " ")), isSecretKeyName(key), looksRandom(b) { return .highEntropy }
            return nil
        }
    }

    static func patternKind(_ b: UnsafeBufferPointer<UInt8>) -> Kind? {
        let n = b.count
        // Where the last `PRIVATE KEY` starts: nil until a `-----BEGIN` asks, -1 for none.
        var lastPrivateKey: Int? = nil
        // The run of JWT characters analysed last: where it ends, and its first position that starts a JWT.
        var jwtRunEnd = 0
        var jwtAt: Int? = nil
        var i = 0
        while i < n {
            let c = b[i]
            switch c {
            case UInt8(ascii: "A"):
                // AKIA, ASIA, AGPA, AIDA, AROA, AIPA, ANPA, ANVA + 16 upper-case letters or digits.
                if i + 20 <= n, awsPrefixes.contains(where: { has($0, b, at: i) }),
                    b[(i + 4)..<(i + 20)].allSatisfy(isUpperAlnum), i + 20 == n || !isUpperAlnum(b[i + 20]),
                    i == 0 || !isUpperAlnum(b[i - 1])
                {
                    return .awsAccessKey
                }
            case UInt8(ascii: "g"):
                for p in githubPrefixes where has(p, b, at: i) {
                    if run(b, from: i + 4, atLeast: 36, isAlnum) { return .githubToken }
                }
                if has("github_pat_", b, at: i), run(b, from: i + 11, atLeast: 22, { isAlnum($0) || $0 == UInt8(ascii: "_") }) {
                    return .githubToken
                }
                if has("glpat-", b, at: i), run(b, from: i + 6, atLeast: 20, isTokenChar) { return .gitlabToken }
            case UInt8(ascii: "x"):
                for p in slackPrefixes where has(p, b, at: i) {
                    if run(b, from: i + 5, atLeast: 10, isTokenChar) { return .slackToken }
                }
            case UInt8(ascii: "h"):
                if has("hooks.slack.com/services/", b, at: i) { return .slackWebhook }
            case UInt8(ascii: "-"):
                if has("-----BEGIN", b, at: i) {
                    let last = lastPrivateKey ?? lastOccurrence("PRIVATE KEY", b)
                    lastPrivateKey = last
                    if last >= i { return .privateKey }
                }
            case UInt8(ascii: "e"):
                if has("eyJ", b, at: i) {
                    if i >= jwtRunEnd { (jwtRunEnd, jwtAt) = firstJWT(b, from: i) }
                    if jwtAt == i { return .jwt }
                }
            case UInt8(ascii: ":"):
                // Amortised: the scan stops at the next `/`, which the next `://` holds.
                if has("://", b, at: i), urlHasPassword(b, from: i + 3) { return .urlPassword }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Keys named like password, token, secret or key (case, `_` and `-` ignored).
    package static func isSecretKeyName(_ key: String) -> Bool {
        let length = key.utf8.count
        guard length >= 3 else { return false }  // the shortest word is "pwd"/"key"
        // Folded into stack memory: this runs for every long value under a key.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer -> Bool in
            var n = 0
            for c in key.utf8 where c != UInt8(ascii: "_") && c != UInt8(ascii: "-") {
                buffer[n] = c >= 0x41 && c <= 0x5A ? c + 32 : c
                n += 1
            }
            let folded = UnsafeBufferPointer(rebasing: buffer[0..<n])
            for word in secretKeyWords where folded.count >= word.count {
                if folded.prefix(word.count).elementsEqual(word) || folded.suffix(word.count).elementsEqual(word) { return true }
            }
            return false
        }
    }

    private static let secretKeyWords: [[UInt8]] = [
        "password", "passwd", "pwd", "token", "secret", "apikey", "privatekey", "accesskey", "clientsecret", "key", "credential",
    ].map { Array($0.utf8) }

    /// At least 16 characters, no spaces, not a reference (`scheme://`), and over 3.5 bits of entropy per character.
    static func looksRandom(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 16, !b.contains(UInt8(ascii: " ")), !contains("://", b, from: 0) else { return false }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts -> Bool in
            counts.initialize(repeating: 0)
            for c in b { counts[Int(c)] += 1 }
            let n = Double(b.count)
            var entropy = 0.0
            for c in counts where c > 0 {
                let p = Double(c) / n
                entropy -= p * log2(p)
            }
            return entropy > 3.5
        }
    }

    /// A JWT starting at `i` is `eyJ` then at least three parts of 4 or more of `[A-Za-z0-9_-]`, separated by
    /// dots, 30 characters or more up to the first character that is neither; a part shorter than 4 followed by
    /// a dot rules the start out. Every start in one run of those characters and dots shares the rest of the
    /// run, so the run is judged once, from its end backwards: returns where the run (from `start`) ends and its
    /// first position that starts a JWT.
    static func firstJWT(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, at: Int?) {
        var end = start
        while end < b.count, isTokenChar(b[end]) || b[end] == UInt8(ascii: ".") { end += 1 }
        var nextDot: Int? = nil  // the first dot after the position looked at
        var dots = 0  // dots from nextDot to the end
        var partsOK = true  // every part between two of those dots has 4 characters or more
        var lastPartCounts = false  // the part after the last dot has 4 characters or more
        var found: Int? = nil
        var k = end - 1
        while k >= start {
            if b[k] == UInt8(ascii: ".") {
                if let d = nextDot {
                    partsOK = partsOK && d - k - 1 >= 4
                } else {
                    lastPartCounts = end - k - 1 >= 4
                }
                nextDot = k
                dots += 1
            } else if let d = nextDot, d - k >= 4, partsOK, dots + (lastPartCounts ? 1 : 0) >= 3, end - k >= 30, has("eyJ", b, at: k) {
                found = k
            }
            k -= 1
        }
        return (end, found)
    }

    /// `user:password@` right after `scheme://`, before any `/`.
    private static func urlHasPassword(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
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

    // Static strings: their bytes are in the binary, so matching allocates nothing.
    private static let awsPrefixes: [StaticString] = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"]
    private static let githubPrefixes: [StaticString] = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
    private static let slackPrefixes: [StaticString] = ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xapp-"]

    private static func has(_ p: StaticString, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let count = p.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let u = p.utf8Start
        for k in 0..<count where b[i + k] != u[k] { return false }
        return true
    }

    private static func contains(_ p: StaticString, _ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        var j = i
        while j < b.count {
            if has(p, b, at: j) { return true }
            j += 1
        }
        return false
    }

    /// Where the last occurrence of `p` starts, -1 for none.
    private static func lastOccurrence(_ p: StaticString, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = b.count - p.utf8CodeUnitCount
        while j >= 0 {
            if has(p, b, at: j) { return j }
            j -= 1
        }
        return -1
    }

    /// Whether `count` bytes from `i` satisfy `ok`; looks at no more than `count`.
    private static func run(_ b: UnsafeBufferPointer<UInt8>, from i: Int, atLeast count: Int, _ ok: (UInt8) -> Bool) -> Bool {
        guard i + count <= b.count else { return false }
        for j in i..<(i + count) where !ok(b[j]) { return false }
        return true
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func isUpperAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) }

    private static func isTokenChar(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

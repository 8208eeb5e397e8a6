import Foundation
import Testing

@testable import TiergateCore

/// SPEC section 8: no input a pull request controls makes the gate's work grow faster than linearly. Each case
/// feeds a pathological input at sizes n and 2n: time(2n) must stay under 3 × time(n) (a linear cost doubles, a
/// quadratic one quadruples). A ratio, never an absolute time.
@Suite("Linear time for what a pull request's author writes", .serialized)
struct LinearTimeTests {
    /// The CPU time `work` takes on this thread, in seconds: other tests running alongside take CPU from it, but
    /// their time is not counted.
    static func seconds(_ work: () -> Void) -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
        let start = now()
        work()
        return now() - start
    }

    /// n grows from `start` until time(n) is at least 20 ms (so that noise is small against it); then time(n) and
    /// time(2n) are each the least of 3 runs, alternating so that both see the same load.
    static func measure<Input>(from start: Int, _ make: (Int) -> Input, _ work: (Input) -> Void) -> (n: Int, tn: Double, t2n: Double) {
        var n = start
        while n < start << 12 {
            let input = make(n)
            if seconds({ work(input) }) >= 0.02 { break }
            n *= 2
        }
        let small = make(n)
        let large = make(2 * n)
        var tn = Double.infinity
        var t2n = Double.infinity
        for _ in 0..<3 {
            tn = min(tn, seconds { work(small) })
            t2n = min(t2n, seconds { work(large) })
        }
        return (n, tn, t2n)
    }

    /// time(2n) < 3 × time(n). A measurement over the bound is taken again, up to three times: noise comes and
    /// goes, a quadratic cost gives a ratio of 4 every time.
    static func expectLinear<Input>(
        _ what: String, from start: Int, _ make: (Int) -> Input, _ work: (Input) -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var ratios: [Double] = []
        var tries: [String] = []
        for _ in 0..<3 {
            let (n, tn, t2n) = measure(from: start, make, work)
            ratios.append(t2n / tn)
            tries.append("n = \(n): \(String(format: "%.1f", tn * 1000)) ms, 2n: \(String(format: "%.1f", t2n * 1000)) ms, ratio \(String(format: "%.2f", t2n / tn))")
            if t2n < 3 * tn { break }
        }
        #expect(ratios.contains { $0 < 3 }, "\(what): \(tries)", sourceLocation: sourceLocation)
        print("linear-time \(what): \(tries.joined(separator: "; "))")
    }

    // MARK: The secret scanner

    /// Repeated text the scanner once rescanned to the end of the string from every occurrence; none of it is
    /// a credential.
    @Test("the secret scanner is one pass over repeated prefixes", arguments: ["eyJ", "eyJabcd.", "-----BEGIN ", "ghp_", "://", "AKIA"])
    func scannerPrefixes(unit: String) {
        // `eyJabcd.` repeated is a JWT's shape until the short last part, which rules out every start.
        let tail = unit == "eyJabcd." ? "x." : ""
        let text = String(repeating: unit, count: 3) + tail
        #expect(SecretScanner.scan(text, key: nil) == nil)
        Self.expectLinear("scan of \(unit.debugDescription) × n", from: 1000, { String(repeating: unit, count: $0) + tail }) {
            _ = SecretScanner.scan($0, key: nil)
        }
    }

    @Test("a credential after many repeated prefixes is still found, in linear time")
    func scannerFindsAfterPrefixes() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln"
        #expect(SecretScanner.scan(String(repeating: "eyJ", count: 10) + " " + jwt, key: nil) == .jwt)
        Self.expectLinear("scan of eyJ × n then a JWT", from: 1000, { String(repeating: "eyJ", count: $0) + " " + jwt }) {
            _ = SecretScanner.scan($0, key: nil)
        }
        let key = "-----BEGIN RSA PRIVATE KEY-----"
        #expect(SecretScanner.scan(String(repeating: "-----BEGIN ", count: 100_000) + key, key: nil) == .privateKey)
        // A token whose run is long: counted only as far as the token needs.
        for prefix in ["github_pat_", "glpat-", "xoxb-", "ghp_"] {
            #expect(SecretScanner.scan(String(repeating: prefix, count: 3) + String(repeating: "a", count: 100_000), key: nil) != nil)
        }
    }

    @Test("a manifest holding n pasted credentials is judged in linear time (their field paths are found in one walk)")
    func manyCredentials() throws {
        func manifest(_ n: Int) -> String {
            CheckExample.replacing("  residency: eu", with: "  residency: eu\n  notes:\n" + String(repeating: "    - AKIAIOSFODNN7EXAMPLE\n", count: n))
        }
        let hits = try findings(manifest: manifest(3)).filter { $0.id == "secret-literal" }
        #expect(hits.map { $0.message.prefix(15) } == ["spec.notes[0] l", "spec.notes[1] l", "spec.notes[2] l"])
        // The YAML is read outside the timing: what is timed is the check.
        Self.expectLinear("secret-literal on a manifest with n AWS keys", from: 200, {
            ManifestReader.read(Array(manifest($0).utf8), path: "apps/x/microapp.yaml").apps.first
        }) { decoded in
            guard let decoded else { return }
            let hits = ManifestCheck.secretLiteral.evaluate(CheckContext(manifest: decoded, policy: .builtIn, today: CheckExample.today, path: "x"))
            #expect(hits.count > 100)
        }
    }

    // MARK: matches

    @Test("matches takes time linear in the value on patterns that make a backtracking engine exponential or quadratic",
          arguments: [
            ("^([a-z0-9]+-?)+$", "a", "!", 1000), ("(a|a)*b", "a", "", 1000), ("(a*)*b", "a", "", 1000), ("(x+x+)+y", "x", "", 1000),
            ("^(a|aa)+$", "a", "b", 1000), ("(?i)(.*a){12}b", "a", "", 1000),
            // A description of 100K characters or more.
            (".*pii", "a description without it ", "", 4000),
          ])
    func pathological(pattern: String, unit: String, tail: String, from start: Int) throws {
        let p = try Pattern(pattern)
        #expect(!p.matches(String(repeating: unit, count: 30) + tail))
        Self.expectLinear("\(pattern) on \(unit.debugDescription) × n", from: start, { String(repeating: unit, count: $0) + tail }) {
            _ = p.matches($0)
        }
    }
}

/// The same hostile values through the whole gate: `check` judges them, and the rules still decide right.
@Suite("matches on hostile values, through check", .temporaryDirectories)
struct HostileMatchesThroughTheGateTests {
    static let rules = groupsPolicy + hostileMatchRules

    static func hostile(_ name: String, description: String, team: String) -> String {
        app(name, [("  owner: ops", "  owner: ops\n  description: \"\(description)\"\n  labels:\n    team: \"\(team)\"")])
    }

    @Test("a 100K-character description and a long label that defeat a backtracking engine are judged, and judged right")
    func hostileValues() throws {
        let long = String(repeating: "An app that lists lunch places. ", count: 3200)  // 102,400 characters, no "pii"
        let label = String(repeating: "a", count: 50_000) + "!"
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: Self.rules)
        try r.change([
            "apps/slow/microapp.yaml": Self.hostile("slow", description: long, team: label),
            "apps/pii/microapp.yaml": Self.hostile("pii", description: long + " and pii", team: "lunch-crew-2"),
        ])
        let report = try r.check()
        let slow = try #require(report.apps.first { $0.name == "slow" })
        let pii = try #require(report.apps.first { $0.name == "pii" })
        // No "pii" in the description: the rule does not raise the tier; the label is not kebab-case: a finding.
        #expect(slow.check?.headTier == 0)
        #expect(slow.findings.contains { $0.id == "team-label" })
        #expect(pii.check?.headTier == 2)
        #expect(!pii.findings.contains { $0.id == "team-label" })
        #expect(report.decision != .pass)
    }
}

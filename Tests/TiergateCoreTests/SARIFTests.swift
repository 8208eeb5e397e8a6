import Foundation
import Testing

@testable import TiergateCore

@Suite("SARIF: rules' help, fingerprints, the golden log")
struct SARIFTests {
    func parsed(_ text: String) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
    }

    /// A lint report of findings, as `lint` would hold them.
    func report(_ findings: [Finding]) -> Report {
        Report(
            command: .lint, toolVersion: "1", base: nil, head: nil, policy: PolicyInfo(source: .default, path: nil, blob: nil),
            decision: .blocked, apps: [], findings: findings, summary: Summary(findings: findings, apps: 1))
    }

    func log(_ findings: [Finding], descriptions: [String: String] = [:]) throws -> [String: Any] {
        var r = report(findings)
        r.descriptions = descriptions
        return try #require(try JSONSerialization.jsonObject(with: Data(try SARIFReporter().render(r).utf8)) as? [String: Any])
    }

    func runOf(_ log: [String: Any]) throws -> (rules: [[String: Any]], results: [[String: Any]]) {
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        return (rules, try #require(run["results"] as? [[String: Any]]))
    }

    /// The demo's check (the golden was written from the demo's log and read line by line: the three findings of
    /// demo-check.json, their rules' help and links from `FindingID`, and fingerprints recomputed with
    /// `git hash-object --stdin` from the parts written out by hand).
    @Test("the demo's SARIF log equals fixtures/golden/demo-check.sarif (as parsed values)")
    func golden() throws {
        let dir = try makeTemporaryDirectory("golden-sarif")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let actual = try SARIFReporter().render(try Gate.run(try DemoRepository.build(under: dir).gateRequest))
        let golden = String(decoding: try Project.bytes("fixtures/golden/demo-check.sarif"), as: UTF8.self)
        #expect(try parsed(actual) == (try parsed(golden)), "\(actual)")
        let schema = Project.path("schemas/vendor/sarif-schema-2.1.0.json")
        let v = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", schema, Project.path("fixtures/golden/demo-check.sarif")])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test("a built-in rule has help, a README link and, for a security check, security-severity and the security tag")
    func rules() throws {
        let findings = [
            Finding(.secretLiteral, message: "m", path: "a.yaml", mark: .start, field: "spec.x", app: "a"),
            Finding(.ttlMax, message: "m", path: "a.yaml", mark: .start, field: "spec.lifecycle.ttlDays", app: "a"),
        ]
        let (rules, _) = try runOf(try log(findings))
        let secret = try #require(rules.first { $0["id"] as? String == "secret-literal" })
        #expect((secret["help"] as? [String: String])?["markdown"] == FindingID.secretLiteral.helpMarkdown)
        #expect((secret["help"] as? [String: String])?["text"] == FindingID.secretLiteral.helpText)
        #expect(secret["helpUri"] as? String == "https://github.com/tiergate/tiergate/blob/main/README.md#secret-literal")
        #expect((secret["properties"] as? [String: Any])?["security-severity"] as? String == "9.0")
        #expect((secret["properties"] as? [String: Any])?["tags"] as? [String] == ["security"])
        let ttl = try #require(rules.first { $0["id"] as? String == "ttl-max" })
        #expect(ttl["helpUri"] as? String == "https://github.com/tiergate/tiergate/blob/main/README.md#ttl-max")
        #expect(ttl["properties"] == nil)
    }

    @Test("a policy rule's SARIF rule has its message and severity, and no help or link of tiergate's")
    func policyRule() throws {
        let rule = try #require(Policy.builtIn.rules.first)
        let (rules, _) = try runOf(try log([Finding(rule: rule, path: "a.yaml", mark: .start, field: "spec", app: "a")], descriptions: [rule.id: rule.message]))
        let r = try #require(rules.first)
        #expect(r["id"] as? String == rule.id && (r["shortDescription"] as? [String: String])?["text"] == rule.message)
        #expect(r["help"] == nil && r["helpUri"] == nil && r["properties"] == nil)
    }

    @Test("a fingerprint is git's blob hash of the parts written with their lengths (git hash-object, independently)")
    func fingerprintIsIndependent() throws {
        let f = Finding(.ttlMax, message: "ttlDays is 120", path: "apps/x/microapp.yaml", mark: Mark(line: 25, column: 14), field: "spec.lifecycle.ttlDays", app: "x")
        let identity = "7:ttl-max1:x20:apps/x/microapp.yaml22:spec.lifecycle.ttlDays#0"
        let git = try run("git", ["hash-object", "--stdin"], input: identity)
        #expect(git.status == 0)
        #expect(SARIFReporter.fingerprints([f]) == [git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        let (_, results) = try runOf(try log([f]))
        #expect((results.first?["partialFingerprints"] as? [String: String]) == ["tiergateFinding/v1": git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
    }

    @Test("a fingerprint does not move with the lines: the same findings three lines lower keep theirs")
    func fingerprintsIgnoreLines() throws {
        let m = CheckExample.replacing("ttlDays: 30", with: "ttlDays: 120").replacingOccurrences(of: "logSink: siem", with: "logSink: splunk")
        let before = try findings(manifest: m).sorted(by: Finding.reportOrder)
        let after = try findings(manifest: "# moved\n# down\n# three lines\n" + m).sorted(by: Finding.reportOrder)
        #expect(before.map(\.id) == ["ttl-max", "logging-siem"] && after.map(\.id) == before.map(\.id))
        #expect(zip(before, after).allSatisfy { $0.line + 3 == $1.line })
        #expect(SARIFReporter.fingerprints(before) == SARIFReporter.fingerprints(after))
        // Another field, another app or another file is another finding.
        let renamed = try findings(manifest: m.replacingOccurrences(of: "name: example", with: "name: other")).sorted(by: Finding.reportOrder)
        let moved = try findings(manifest: m, path: "apps/y/microapp.yaml").sorted(by: Finding.reportOrder)
        for other in [renamed, moved] {
            #expect(Set(SARIFReporter.fingerprints(other)).isDisjoint(with: SARIFReporter.fingerprints(before)))
        }
    }

    /// The attacker names the app and the file: parts that run together the same way must not give one
    /// fingerprint (a new finding would take over a dismissed alert), and findings without a field stay apart.
    @Test("parts that read the same run together, and findings without a field, get their own fingerprints")
    func fingerprintsApart() {
        let a = Finding(.schema, message: "m", path: "bc", mark: .start, app: "a")
        let b = Finding(.schema, message: "m", path: "c", mark: .start, app: "ab")
        let second = Finding(.schema, message: "other", path: "bc", mark: Mark(line: 9, column: 1), app: "a")
        let prints = SARIFReporter.fingerprints([a, b, second])
        #expect(Set(prints).count == 3)
        #expect(prints.allSatisfy { $0.count == 40 && $0.allSatisfy(\.isHexDigit) })
        #expect(SARIFReporter.fingerprints([a, second]) == [prints[0], prints[2]])
    }

    @Test("secret-literal names the field of a value, and the mapping of a key that is itself a credential")
    func secretFields() throws {
        let m = CheckExample.baseManifest.replacingOccurrences(
            of: "  owner: ops", with: "  owner: ops\n  labels:\n    AKIAIOSFODNN7EXAMPLE: x\n    note: AKIAIOSFODNN7EXAMPLF")
        let hits = try findings(manifest: m).filter { $0.id == "secret-literal" }
        #expect(hits.map(\.field) == ["metadata.labels", "metadata.labels.note"])
    }
}

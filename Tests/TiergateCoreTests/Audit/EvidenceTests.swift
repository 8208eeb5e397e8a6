import Foundation
import Testing

@testable import TiergateCore

@Suite("evidence: the auditor's package")
struct EvidenceTests {
    static func package(_ s: AuditScenario, since: String = "2026-11-03", until: String = "2026-11-21") throws -> EvidencePackage {
        guard let since = Day(since), let until = Day(until) else { throw TestFailure("bad day") }
        return try Evidence.run(EvidenceRequest(since: since, until: until, workingDirectory: s.path))
    }

    /// Writes the archive and unpacks it with the system's tar; returns the package's directory.
    static func unpack(_ p: EvidencePackage) throws -> String {
        let dir = try makeTemporaryDirectory("evidence")
        try Data(p.archive).write(to: URL(fileURLWithPath: "\(dir)/package.tar.gz"))
        let r = try run("tar", ["-xzf", "\(dir)/package.tar.gz", "-C", dir])
        guard r.status == 0 else { throw TestFailure("tar: \(r.stderr)") }
        return "\(dir)/\(p.name)"
    }

    static func read(_ dir: String, _ path: String) throws -> String {
        guard let d = FileManager.default.contents(atPath: "\(dir)/\(path)") else { throw TestFailure("no \(path) in the package") }
        return String(decoding: d, as: UTF8.self)
    }

    @Test("unpacked with tar, SHA256SUMS checks with sha256sum -c and covers every file")
    func checksums() throws {
        let s = try AuditScenario()
        let dir = try Self.unpack(try Self.package(s))
        let check = try run("sha256sum", ["-c", "--strict", "SHA256SUMS"], in: dir)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let listed = Set(try Self.read(dir, "SHA256SUMS").split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1)[1].dropFirst()) })
        let found = try run("find", [".", "-type", "f", "!", "-name", "SHA256SUMS"], in: dir).stdout.split(separator: "\n").map { String($0.dropFirst(2)) }
        #expect(Set(found) == listed)
        #expect(listed.isSuperset(of: [
            "SUMMARY.md", "registry/start.json", "registry/start.csv", "registry/end.json", "registry/end.csv", "policies/index.json",
            "exceptions.json", "exceptions.csv", "attestations-overdue.json", "attestations-overdue.csv",
        ]))
    }

    @Test("the same repository and period give the same bytes")
    func deterministic() throws {
        let s = try AuditScenario()
        let a = try Self.package(s)
        let b = try Self.package(s)
        #expect(a.archive == b.archive)
        #expect(try Self.package(s, until: "2026-11-20").archive != a.archive)
    }

    @Test("the records of the period, byte for byte as stored; the registry at the start and the end; the policy in force")
    func contents() throws {
        let s = try AuditScenario()
        let dir = try Self.unpack(try Self.package(s, since: "2026-11-06"))
        let records = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/records").sorted()
        #expect(records == ["2026-11-10-\(s.commits[2]).json", "2026-11-20-\(s.commits[5]).json"])
        #expect(Array(try Self.read(dir, "records/\(records[0])").utf8) == (try s.noteBytes(2)))
        func names(_ path: String) throws -> [String] {
            let rows = try JSONSerialization.jsonObject(with: Data(try Self.read(dir, path).utf8)) as? [[String: Any]]
            return (rows ?? []).compactMap { $0["name"] as? String }
        }
        #expect(try names("registry/start.json") == ["alpha", "bravo"])
        #expect(try names("registry/end.json") == ["alpha", "bravo", "charlie"])
        #expect(try Self.read(dir, "registry/end.csv").hasPrefix("name,path,owner,tier,"))
        // The start is judged by c1 (the newest commit before the period): alpha is tier 2 there already.
        let start = try JSONSerialization.jsonObject(with: Data(try Self.read(dir, "registry/start.json").utf8)) as? [[String: Any]]
        #expect(start?.first?["tier"] as? Int == 2)
        let index = try JSONSerialization.jsonObject(with: Data(try Self.read(dir, "policies/index.json").utf8)) as? [[String: Any]]
        let blob = try s.repo.git(["rev-parse", "HEAD:.tiergate/policy.yaml"])
        #expect(index?.map { $0["blob"] as? String } == [blob])
        #expect((index?.first?["changedAt"] as? [[String: Any]])?.map { $0["commit"] as? String } == [s.commits[0]])
        #expect(try Self.read(dir, "policies/\(blob).yaml") == groupsPolicy)
    }

    @Test("SUMMARY.md: counts per tier, escalations with who approved them, landed without approval, unrecorded")
    func summary() throws {
        let s = try AuditScenario()
        let dir = try Self.unpack(try Self.package(s))
        let md = try Self.read(dir, "SUMMARY.md")
        #expect(md.contains("| Commits that landed without the required approvals | 1 |"))
        #expect(md.contains("| Commits that changed apps without a record | 1 |"))
        #expect(md.contains("| Apps at the start / at the end | 2 / 3 |"))
        #expect(md.contains("| 2 | formal-approval | 0 | 1 | 2 |"))
        #expect(md.contains("| 1 | lightweight-review | 0 | 1 | 1 |"))
        #expect(md.contains("| 2026-11-05 | alpha | 0 → 2 | sam, priya, pat | approved |"))
        #expect(md.contains("| 2026-11-10 | `\(s.commits[2])` | bravo | coe (1 of 1) |"))
        #expect(md.contains("| 2026-11-15 | `\(s.commits[3])` | charlie |"))
        #expect(md.contains("intact (3 records checked)"))
    }

    @Test("a broken chain is said in the summary")
    func brokenChain() throws {
        let s = try AuditScenario()
        try s.repo.git(["notes", "--ref=tiergate", "remove", s.commits[2]])
        let md = try Self.read(try Self.unpack(try Self.package(s)), "SUMMARY.md")
        #expect(md.contains("**broken**: the record of `\(s.commits[2])` was removed"))
    }

    @Test("attack: no secret value anywhere in the package, from a manifest, the policy or a forged note; the summary stays inert Markdown")
    func noSecret() throws {
        let s = try AuditScenario()
        let token = "ghp_" + "Ev1d3nc3T0k3nAbCdEfGhIjKlMnOpQrStUvW12"
        try s.repo.write("apps/bravo/microapp.yaml", app("bravo", [("dataClass: internal", "dataClass: confidential"), ("  owner: ops", "  owner: ops\n  labels:\n    key: \(token)")]))
        try s.repo.write(Policy.path, groupsPolicy + """
            exceptions:
              - check: secret-literal
                app: bravo
                reason: "see [the ticket](https://evil.example/x) <img src=x> @acme/security \(token)"
                expires: 2026-11-30

            """)
        try s.land("a token in a label, and a policy exception quoting it", day: "2026-11-21")
        let forged = try makeTemporaryDirectory("forged") + "/note"
        try Data("{\"token\": \"\(token)\"}".utf8).write(to: URL(fileURLWithPath: forged))
        try s.repo.git(["notes", "--ref=tiergate", "add", "-F", forged, s.commits[4]])
        let p = try Self.package(s, until: "2026-11-21")
        let dir = try Self.unpack(p)
        let grep = try run("grep", ["-rl", "Ev1d3nc3T0k3n", "."], in: dir)
        #expect(grep.stdout.isEmpty, "the token is in \(grep.stdout)")
        #expect(!p.files.contains { String(decoding: $0.bytes, as: UTF8.self).contains("Ev1d3nc3T0k3n") })
        let md = try Self.read(dir, "SUMMARY.md")
        #expect(md.contains("held text that looks like a credential"))
        let file = "\(dir)/SUMMARY.md"
        let audit = try run("/bin/sh", ["-c", "\"$0\" \"$1\" < \"$2\"", try Project.venvTool("python"), Project.path("Tests/helpers/markdown_audit.py"), file])
        #expect(audit.status == 0, "\(audit.stderr)")
        let found = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
        #expect((found?["links"] as? [Any])?.isEmpty == true)
        #expect((found?["images"] as? [Any])?.isEmpty == true)
        #expect((found?["html"] as? [Any])?.isEmpty == true)
        #expect((found?["mentions"] as? [Any])?.isEmpty == true)
        #expect((found?["autolinks"] as? [Any])?.isEmpty == true)
    }

    @Test("a period that ends before it starts is a usage error")
    func badPeriod() throws {
        let s = try AuditScenario()
        #expect(throws: TiergateError.self) { try Self.package(s, since: "2026-11-20", until: "2026-11-10") }
    }
}

import Foundation
import Testing

@testable import TiergateCore

@Suite("audit log")
struct AuditLogTests {
    func log(_ s: AuditScenario, app: String? = nil, since: String? = nil) throws -> [AuditLogEntry] {
        var r = AuditLogRequest(workingDirectory: s.path)
        r.app = app
        r.since = since.flatMap(Day.init)
        return try AuditLog.run(r)
    }

    @Test("all apps: every recorded change newest first, the unrecorded manifest change listed, the README-only commit and the history before the trail not")
    func all() throws {
        let s = try AuditScenario()
        let entries = try log(s)
        #expect(entries.map(\.commit) == [s.commits[5], s.commits[3], s.commits[2], s.commits[1]])
        #expect(entries.map { $0.app ?? "" } == ["alpha", "charlie", "bravo", "alpha"])
        #expect(entries.map(\.change) == ["modified", "unrecorded", "modified", "modified"])
        #expect(entries.map(\.date) == ["2026-11-20T12:00:00Z", "2026-11-15T12:00:00Z", "2026-11-10T12:00:00Z", "2026-11-05T12:00:00Z"])
        #expect(entries.map(\.decision) == ["pass", nil, "landed-without-approval", "pass"])
        #expect(entries[3].baseTier == 0 && entries[3].headTier == 2)
        #expect(Set(entries[3].approvedBy) == ["sam", "priya", "pat"])
        #expect(Set(entries[0].approvedBy) == ["gina", "sam", "priya", "pat"])
        #expect(entries[2].approvedBy.isEmpty)
        #expect(entries[1].path == "apps/charlie/microapp.yaml")
    }

    @Test("one app: only its changes; an app that was never recorded shows its unrecorded change")
    func oneApp() throws {
        let s = try AuditScenario()
        #expect(try log(s, app: "alpha").map(\.commit) == [s.commits[5], s.commits[1]])
        #expect(try log(s, app: "bravo").map(\.change) == ["modified"])
        #expect(try log(s, app: "charlie").map(\.change) == ["unrecorded"])
        #expect(try log(s, app: "nobody").isEmpty)
    }

    @Test("--since keeps the commits made on or after the day")
    func since() throws {
        let s = try AuditScenario()
        #expect(try log(s, since: "2026-11-10").map(\.commit) == [s.commits[5], s.commits[3], s.commits[2]])
        #expect(try log(s, since: "2026-11-21").isEmpty)
    }

    @Test("a history without any record has no log: the trail has not begun")
    func noTrail() throws {
        let s = try AuditScenario(record: false)
        #expect(try log(s).isEmpty)
    }

    @Test("text, json and csv carry the same lines")
    func formats() throws {
        let s = try AuditScenario()
        let entries = try log(s)
        let text = AuditLogRenderer.render(entries, as: .text)
        // Columns are separated by two spaces or more.
        let lines = text.split(separator: "\n").map { $0.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        #expect(lines.count == 4)
        #expect(lines[3] == ["2026-11-05", String(s.commits[1].prefix(12)), "alpha", "modified", "0 → 2", "approved by sam, priya, pat", "pass"])
        #expect(lines[1] == ["2026-11-15", String(s.commits[3].prefix(12)), "charlie", "unrecorded"])
        #expect(lines[2] == ["2026-11-10", String(s.commits[2].prefix(12)), "bravo", "modified", "0 → 1", "no approvals", "landed-without-approval"])
        let json = try JSONSerialization.jsonObject(with: Data(AuditLogRenderer.render(entries, as: .json).utf8)) as? [[String: Any]]
        #expect(json?.count == 4)
        #expect(json?.first?["commit"] as? String == s.commits[5])
        #expect(json?[1]["headTier"] is NSNull)
        let csv = AuditLogRenderer.render(entries, as: .csv).split(separator: "\r\n")
        #expect(csv.count == 5)
        #expect(csv[0] == "date,commit,app,path,change,baseTier,headTier,approvedBy,decision")
        #expect(csv[4].hasPrefix("2026-11-05T12:00:00Z,\(s.commits[1]),alpha,apps/alpha/microapp.yaml,modified,0,2,"))
    }

    @Test("attack: a note someone wrote by hand is shown as unreadable; a forged record's credential is never printed")
    func handWrittenNote() throws {
        let s = try AuditScenario()
        try s.repo.git(["notes", "--ref=tiergate", "add", "-m", "{\"hello\": 1}", s.commits[3]])
        #expect(try log(s).first { $0.commit == s.commits[3] }?.kind == .unreadable)

        let token = "ghp_" + "H4ndWr1tt3nN0t3AbCdEfGhIjKlMnOpQrStUv12"
        var forged = try DecisionRecord(bytes: try s.noteBytes(1))
        forged.apps[0].name = token
        forged.required[0].approvedBy[0].login = token
        let file = try makeTemporaryDirectory("forged") + "/note"
        try Data(forged.bytes).write(to: URL(fileURLWithPath: file))
        try s.repo.git(["notes", "--ref=tiergate", "add", "-f", "-C", try s.repo.git(["hash-object", "-w", file]), s.commits[1]])
        let entries = try log(s)
        #expect(entries.last?.app == Redactor.placeholder)
        for format in AuditLogFormat.allCases {
            let out = AuditLogRenderer.render(entries, as: format)
            #expect(!out.contains(token))
            #expect(out.contains(Redactor.placeholder))
        }
    }
}

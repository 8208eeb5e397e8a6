import Foundation
import Testing

@testable import TiergateCore

@Suite("record: decision records as git notes", .temporaryDirectories)
struct RecordTests {
    @Test("an approved change is recorded with who approved, when and on which commit; the first record starts the chain")
    func approvedChange() throws {
        let s = try AuditScenario()
        let bytes = try s.noteBytes(1)
        let record = try DecisionRecord(bytes: bytes)
        #expect(record.commit == s.commits[1])
        #expect(record.parent == s.commits[0])
        #expect(record.committedAt == "2026-11-05T12:00:00Z")
        #expect(record.decision == .pass)
        #expect(record.gateDecision == "pass")
        #expect(record.previous == nil && record.previousCommit == nil)
        #expect(record.author == "dana")
        let policyBlob = try s.repo.git(["rev-parse", "\(s.commits[0]):.tiergate/policy.yaml"])
        #expect(record.policy.blob == policyBlob)
        #expect(record.policy.source == .base)
        let alpha = try #require(record.apps.first { $0.name == "alpha" })
        #expect(alpha.change == "modified" && alpha.baseTier == 0 && alpha.headTier == 2 && alpha.tierChange == "escalated")
        #expect(alpha.fieldChanges == [DecisionRecord.FieldChangeEntry(path: "spec.dataClass", from: .string("internal"), to: .string("restricted"))])
        let groups = Dictionary(uniqueKeysWithValues: record.required.map { ($0.group, $0) })
        #expect(Set(groups.keys) == ["security", "privacy", "platform"])
        #expect(groups["security"]?.approvedBy == [DecisionRecord.Approver(login: "sam", source: "github", reviewedAt: "2026-11-04T09:00:00Z", reviewedCommit: s.commits[1])])
        // priya's COMMENTED review changes nothing; her approval is the one recorded.
        #expect(groups["privacy"]?.approvedBy.first?.reviewedAt == "2026-11-04T10:00:00Z")
        #expect(record.required.allSatisfy { $0.satisfied })
        #expect(record.approvalsMissing == 0)
    }

    @Test("attack: a record's discarded approval reads back with a reason the schema lists; any other reason is refused")
    func discardReason() throws {
        let s = try AuditScenario()
        let record = try DecisionRecord(bytes: try s.noteBytes(1))
        func withDiscarded(reason: String) throws -> CanonicalJSON {
            guard case .object(var top) = record.json, case .object(var approvals)? = top["approvals"] else {
                throw RecordFormatError(message: "the record has no approvals object")
            }
            approvals["discarded"] = .array([.object(["login": .string("sam"), "reason": .string(reason), "detail": .null])])
            top["approvals"] = .object(approvals)
            return .object(top)
        }
        let read = try DecisionRecord(json: try withDiscarded(reason: "not a member"))
        #expect(read.discarded == [DiscardedApproval(login: "sam", reason: .notAMember, detail: nil)])
        #expect(throws: RecordFormatError.self) { try DecisionRecord(json: try withDiscarded(reason: "approved in the hallway")) }
    }

    @Test("a change that landed without its approvals is recorded as landed-without-approval, linked to the previous record")
    func landedWithoutApproval() throws {
        let s = try AuditScenario()
        let first = try s.noteBytes(1)
        let record = try DecisionRecord(bytes: try s.noteBytes(2))
        #expect(record.decision == .landedWithoutApproval)
        #expect(record.gateDecision == "approval-required")
        #expect(record.approvalsMissing == 1)
        #expect(record.required.map(\.group) == ["coe"])
        #expect(record.required.first?.approvedBy == [])
        #expect(record.apps.map(\.name) == ["bravo"])
        #expect(record.previousCommit == s.commits[1])
        #expect(record.previous == (try AuditScenario.sha256sum(first)))
        // c3 and c4 have no record: c5's previous record is c2's.
        let last = try DecisionRecord(bytes: try s.noteBytes(5))
        #expect(last.previousCommit == s.commits[2])
        #expect(last.previous == (try AuditScenario.sha256sum(try s.noteBytes(2))))
        #expect(last.decision == .pass)
        #expect(last.required.first { $0.group == "growth" }?.approvedBy.map(\.source) == ["--approved-by"])
    }

    @Test("every record validates against schemas/decision.schema.json (check-jsonschema)")
    func schema() throws {
        let s = try AuditScenario()
        try AuditScenario.validateRecords([try s.noteBytes(1), try s.noteBytes(2), try s.noteBytes(5)])
    }

    @Test("a record is canonical JSON: Python's sorted, compact dump of it gives the same bytes")
    func canonicalBytes() throws {
        let s = try AuditScenario()
        let dir = try makeTemporaryDirectory("canon")
        for i in [1, 2, 5] {
            let file = "\(dir)/\(i).json"
            let bytes = try s.noteBytes(i)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let r = try run(
                "python3",
                ["-c", "import json,sys; d=json.load(open(sys.argv[1],encoding='utf-8')); sys.stdout.write(json.dumps(d,sort_keys=True,separators=(',',':'),ensure_ascii=False))", file])
            #expect(r.status == 0)
            #expect(Array(r.stdout.utf8) == bytes)
        }
    }

    @Test("recording a commit twice changes nothing: the same note, no new notes commit")
    func idempotent() throws {
        let s = try AuditScenario()
        let notesBefore = try s.repo.git(["rev-parse", "refs/notes/tiergate"])
        let noteBefore = try s.noteBytes(2)
        let again = try s.record(2) { $0.approvedBy = ["cora"] }
        #expect(again.written == nil)
        #expect(again.bytes == noteBefore)
        #expect(try s.repo.git(["rev-parse", "refs/notes/tiergate"]) == notesBefore)
        #expect(try s.noteBytes(2) == noteBefore)
    }

    @Test("a commit behind a recorded one is refused: its record would be inserted into the chain")
    func refusesInsertion() throws {
        let s = try AuditScenario()
        let notesBefore = try s.repo.git(["rev-parse", "refs/notes/tiergate"])
        #expect(throws: TiergateError.self) { try s.record(3) }
        #expect(try s.repo.git(["rev-parse", "refs/notes/tiergate"]) == notesBefore)
        #expect(try s.repo.git(["notes", "--ref=tiergate", "list"]).split(separator: "\n").count == 3)
    }

    @Test("commits can be recorded as they land, one after another, from a repository with no record yet")
    func recordsInOrder() throws {
        let s = try AuditScenario(record: false)
        #expect(try s.repo.git(["notes", "--ref=tiergate", "list"]).isEmpty)
        for i in 1...5 { try s.record(i) }
        let records = try [1, 2, 3, 4, 5].map { try DecisionRecord(bytes: try s.noteBytes($0)) }
        #expect(records.map(\.previousCommit) == [nil] + s.commits[1...4].map { Optional($0) })
        #expect(records[3].apps.isEmpty)  // README only: recorded, nothing changed
        try AuditScenario.validateRecords(try [1, 2, 3, 4, 5].map { try s.noteBytes($0) })
    }

    @Test("the root commit has no first parent to be judged against: exit 2")
    func rootCommit() throws {
        let s = try AuditScenario(record: false)
        let e = #expect(throws: TiergateError.self) { try s.record(0) }
        #expect(e?.kind == .revision)
    }

    @Test("attack: a credential in a changed field, a key and an approver's login never reaches the note")
    func redacted() throws {
        let s = try AuditScenario(record: false)
        let token = "ghp_" + "R3c0rdT0k3nAbCdEfGhIjKlMnOpQrStUvWx12"
        try s.repo.write(
            "apps/bravo/microapp.yaml",
            app("bravo", [("  owner: ops", "  owner: ops\n  labels:\n    note: \(token)\n    \(token): x")]))
        try s.land("paste a token", day: "2026-11-21")
        let result = try s.record(s.commits.count - 1) { $0.approvedBy = [token] }
        let text = String(decoding: try s.noteBytes(s.commits.count - 1), as: UTF8.self)
        #expect(result.written != nil)
        #expect(!text.contains(token))
        #expect(!text.contains("R3c0rdT0k3n"))
        #expect(text.contains(Redactor.placeholder))
    }

    @Test("attack: bidi and control characters in a changed value are escaped in the note")
    func inertNote() throws {
        let s = try AuditScenario(record: false)
        try s.repo.write("apps/bravo/microapp.yaml", app("bravo", [("  owner: ops", "  owner: ops\n  title: \"bravo\\u202Eevil\\u001B[31m\"")]))
        try s.land("a hostile name", day: "2026-11-21")
        try s.record(s.commits.count - 1)
        let bytes = try s.noteBytes(s.commits.count - 1)
        #expect(!bytes.contains(0x1B))
        #expect(!String(decoding: bytes, as: UTF8.self).unicodeScalars.contains("\u{202E}"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("\\u202e"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("\\u001b[31m"))
    }
}

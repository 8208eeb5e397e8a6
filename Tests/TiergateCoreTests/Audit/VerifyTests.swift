import Foundation
import Testing

@testable import TiergateCore

@Suite("audit verify: the hash chain")
struct VerifyTests {
    func verify(_ s: AuditScenario) throws -> ChainVerdict {
        try ChainVerifier.run(repository: nil, revision: "HEAD", cwd: s.path)
    }

    /// Replaces the note on commit `index` with `bytes`, as someone with push access to the notes ref could.
    func overwrite(_ s: AuditScenario, _ index: Int, _ bytes: [UInt8]) throws {
        let file = try makeTemporaryDirectory("note") + "/note"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        // -C takes the blob as it is (-F and -m add a line break).
        let blob = try s.repo.git(["hash-object", "-w", file])
        try s.repo.git(["notes", "--ref=tiergate", "add", "-f", "-C", blob, s.commits[index]])
    }

    @Test("the chain of the scenario's records holds; the newest record's hash is the one sha256sum gives")
    func holds() throws {
        let s = try AuditScenario()
        let v = try verify(s)
        #expect(v.problem == nil)
        #expect(v.records == 3)
        #expect(v.newestCommit == s.commits[5])
        #expect(v.newestSHA256 == (try AuditScenario.sha256sum(try s.noteBytes(5))))
    }

    @Test("a record edited in canonical form is named as altered by the next record's link")
    func alteredCanonically() throws {
        let s = try AuditScenario()
        var record = try DecisionRecord(bytes: try s.noteBytes(1))
        record.apps[0].headTier = 0
        record.decision = .pass
        try overwrite(s, 1, record.bytes)
        let problem = try #require(try verify(s).problem)
        #expect(problem.word == "altered")
        #expect(problem.commit == s.commits[1])
    }

    @Test("a record edited by hand (not canonical any more) is named as altered")
    func alteredByHand() throws {
        let s = try AuditScenario()
        let text = String(decoding: try s.noteBytes(2), as: UTF8.self).replacingOccurrences(of: "\"decision\":\"landed-without-approval\"", with: "\"decision\": \"pass\"")
        try overwrite(s, 2, Array(text.utf8))
        #expect(try verify(s).problem.map { [$0.word, $0.commit] } == ["altered", s.commits[2]])
    }

    @Test("a record removed (git notes remove) is named by the next record's link")
    func removed() throws {
        let s = try AuditScenario()
        try s.repo.git(["notes", "--ref=tiergate", "remove", s.commits[2]])
        let problem = try #require(try verify(s).problem)
        #expect(problem.word == "removed")
        #expect(problem.commit == s.commits[2])
    }

    @Test("the oldest record removed is named too")
    func oldestRemoved() throws {
        let s = try AuditScenario()
        try s.repo.git(["notes", "--ref=tiergate", "remove", s.commits[1]])
        #expect(try verify(s).problem.map { [$0.word, $0.commit] } == ["removed", s.commits[1]])
    }

    @Test("a record inserted between two, even one that links to its predecessor correctly, is named as inserted")
    func inserted() throws {
        let s = try AuditScenario()
        var forged = try DecisionRecord(bytes: try s.noteBytes(2))
        forged.commit = s.commits[3]
        forged.parent = s.commits[2]
        forged.previousCommit = s.commits[2]
        forged.previous = try AuditScenario.sha256sum(try s.noteBytes(2))
        try overwrite(s, 3, forged.bytes)
        let problem = try #require(try verify(s).problem)
        #expect(problem.word == "inserted", "\(problem)")
        #expect(problem.commit == s.commits[3])
    }

    @Test("a record inserted before the first one is named as inserted")
    func insertedBeforeTheStart() throws {
        let s = try AuditScenario(record: false)
        for i in [2, 3, 5] { try s.record(i) }
        #expect(try verify(s).problem == nil)
        var forged = try DecisionRecord(bytes: try s.noteBytes(2))
        forged.commit = s.commits[1]
        forged.parent = s.commits[0]
        try overwrite(s, 1, forged.bytes)
        #expect(try verify(s).problem.map { [$0.word, $0.commit] } == ["inserted", s.commits[1]])
    }

    @Test("a record copied onto another commit is named as altered: it is another commit's")
    func copied() throws {
        let s = try AuditScenario()
        try s.repo.git(["notes", "--ref=tiergate", "copy", s.commits[2], s.commits[4]])
        #expect(try verify(s).problem.map { [$0.word, $0.commit] } == ["altered", s.commits[4]])
    }

    @Test("no record at all: nothing to verify, the chain holds")
    func empty() throws {
        let s = try AuditScenario(record: false)
        let v = try verify(s)
        #expect(v.records == 0 && v.problem == nil && v.newestCommit == nil)
    }
}

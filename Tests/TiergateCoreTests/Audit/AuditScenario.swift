import Foundation
import Testing

@testable import TiergateCore

/// A main branch with several landed changes, each committed on its own day, for the audit trail's tests:
///
/// | commit | day | change | recorded |
/// |---|---|---|---|
/// | c0 | 2026-11-02 | alpha, bravo and the policy | no (before the trail) |
/// | c1 | 2026-11-05 | alpha: internal → restricted (tier 0 → 2), approved by sam, priya and pat on GitHub | yes |
/// | c2 | 2026-11-10 | bravo: internal → confidential (tier 0 → 1), no approval | yes: landed-without-approval |
/// | c3 | 2026-11-15 | charlie added | no: unrecorded |
/// | c4 | 2026-11-18 | README only | no (no manifest changed) |
/// | c5 | 2026-11-20 | alpha's owner ops → growth, approved by gina (--approved-by) | yes |
final class AuditScenario {
    let repo: TestRepository
    var path: String { repo.path }
    private(set) var commits: [String] = []
    let reviewsFile: String

    static let today = CheckExample.today

    init(record: Bool = true) throws {
        repo = try TestRepository()
        reviewsFile = try makeTemporaryDirectory("reviews") + "/reviews.json"
        try repo.write(Policy.path, groupsPolicy)
        try repo.write("apps/alpha/microapp.yaml", app("alpha"))
        try repo.write("apps/bravo/microapp.yaml", app("bravo"))
        try repo.write("README.md", "apps\n")
        try land("base", day: "2026-11-02")

        try repo.write("apps/alpha/microapp.yaml", app("alpha", [("dataClass: internal", "dataClass: restricted")]))
        try land("alpha handles restricted data", day: "2026-11-05")
        let c1 = commits[1]
        try Data(
            """
            [{"user": {"login": "sam"}, "state": "APPROVED", "commit_id": "\(c1)", "submitted_at": "2026-11-04T09:00:00Z"},
             {"user": {"login": "priya"}, "state": "COMMENTED", "commit_id": "\(c1)", "submitted_at": "2026-11-04T09:30:00Z"},
             {"user": {"login": "priya"}, "state": "APPROVED", "commit_id": "\(c1)", "submitted_at": "2026-11-04T10:00:00Z"},
             {"user": {"login": "pat"}, "state": "APPROVED", "commit_id": "\(c1)", "submitted_at": "2026-11-04T11:00:00Z"}]
            """.utf8
        ).write(to: URL(fileURLWithPath: reviewsFile))
        if record { try self.record(1) { $0.approvalsFile = self.reviewsFile; $0.author = "dana" } }

        try repo.write("apps/bravo/microapp.yaml", app("bravo", [("dataClass: internal", "dataClass: confidential")]))
        try land("bravo handles confidential data", day: "2026-11-10")
        if record { try self.record(2) { $0.author = "dana" } }

        try repo.write("apps/charlie/microapp.yaml", app("charlie"))
        try land("add charlie", day: "2026-11-15")

        try repo.write("README.md", "apps and more\n")
        try land("readme", day: "2026-11-18")

        try repo.write("apps/alpha/microapp.yaml", app("alpha", [("dataClass: internal", "dataClass: restricted"), ("owner: ops", "owner: growth")]))
        try land("alpha moves to growth", day: "2026-11-20")
        if record {
            try self.record(5) {
                $0.approvedBy = ["gina", "sam", "priya", "pat"]
                $0.author = "dana"
            }
        }
    }

    /// Commits everything with the author and committer date at noon UTC of `day`.
    func land(_ message: String, day: String) throws {
        let date = "\(day)T12:00:00Z"
        let env = ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1"]
        for args in [["add", "-A"], ["commit", "-q", "--allow-empty", "-m", message]] {
            let r = try run("git", args, in: path, environment: env)
            guard r.status == 0 else { throw TestFailure("git \(args) failed: \(r.stderr)") }
        }
        commits.append(try repo.git(["rev-parse", "HEAD"]))
    }

    /// Runs `record` on commit `index` with the evidence `configure` sets.
    @discardableResult
    func record(_ index: Int, _ configure: (inout GateRequest) -> Void = { _ in }) throws -> RecordResult {
        var request = GateRequest(workingDirectory: path, environment: [:], today: Self.today)
        request.head = commits[index]
        configure(&request)
        return try Recorder.run(request)
    }

    /// The note's bytes on a commit, read with git itself.
    func noteBytes(_ index: Int) throws -> [UInt8] {
        let blob = try repo.git(["notes", "--ref=tiergate", "list", commits[index]])
        let r = try run("git", ["cat-file", "blob", blob], in: path)
        guard r.status == 0 else { throw TestFailure("git cat-file failed: \(r.stderr)") }
        return Array(r.stdout.utf8)
    }

    /// `sha256sum` of some bytes: the hash chain's links are checked against another implementation.
    static func sha256sum(_ bytes: [UInt8]) throws -> String {
        let file = try makeTemporaryDirectory("sum") + "/data"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let r = try run("sha256sum", [file])
        guard r.status == 0, let hex = r.stdout.split(separator: " ").first else { throw TestFailure("sha256sum failed: \(r.stderr)") }
        return String(hex)
    }

    /// Validates JSON texts against `schemas/decision.schema.json` with check-jsonschema.
    static func validateRecords(_ records: [[UInt8]]) throws {
        let dir = try makeTemporaryDirectory("records")
        var files: [String] = []
        for (i, bytes) in records.enumerated() {
            let f = "\(dir)/record-\(i).json"
            try Data(bytes).write(to: URL(fileURLWithPath: f))
            files.append(f)
        }
        let r = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/decision.schema.json")] + files)
        guard r.status == 0 else { throw TestFailure("check-jsonschema: \(r.stdout)\(r.stderr)") }
    }
}

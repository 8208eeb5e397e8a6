import Foundation
import Testing

@testable import TiergateCore

/// `check --staged` judges what the commit records: the index git hands the hook (`GIT_INDEX_FILE`), not
/// whatever `.git/index` holds, and not an intent-to-add placeholder.
@Suite("check --staged: the index the commit is made from", .temporaryDirectories)
struct StagedIndexTests {
    static let secret = ("ref: vault://kv/apps/example/crm", "ref: AKIAIOSFODNN7EXAMPLE")

    /// A repository with app `a` committed; the working tree then gets a secret that `.git/index` does not have.
    static func repository() throws -> ChangeRepository {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.repo.write("apps/a/microapp.yaml", app("a", [secret]))
        return r
    }

    func staged(_ r: ChangeRepository, index: String?, cwd: String? = nil) throws(TiergateError) -> Report {
        try r.check {
            $0.staged = true
            $0.base = nil
            $0.indexFile = index
            if let cwd { $0.workingDirectory = cwd }
        }
    }

    @Test("GIT_INDEX_FILE is read, relative to the working tree as git sets it or absolute; .git/index alone would miss the secret")
    func readsTheGivenIndex() throws {
        let r = try Self.repository()
        #expect(try staged(r, index: nil).decision == .pass, "the repository's own index has no change")
        // What `git commit -a` does: a second index with every tracked change.
        let other = r.path + "/.git/commit-a-index"
        try FileManager.default.copyItem(atPath: r.path + "/.git/index", toPath: other)
        _ = try run("git", ["add", "-u"], in: r.path, environment: ["GIT_INDEX_FILE": other])
        for given in [other, ".git/commit-a-index"] {
            // From a subdirectory: a relative path is the working tree's, not the process's.
            try FileManager.default.createDirectory(atPath: r.path + "/apps/a/sub", withIntermediateDirectories: true)
            let report = try staged(r, index: given, cwd: r.path + "/apps/a/sub")
            #expect(report.decision == .blocked, "\(given)")
            #expect(report.allFindings.contains { $0.id == "secret-literal" && $0.path == "apps/a/microapp.yaml" })
        }
        #expect(try staged(r, index: nil).decision == .pass, ".git/index is untouched")
    }

    @Test("HEAD beside a tag named HEAD: --staged is exit 2 (ambiguous), not a comparison with nothing under the built-in policy")
    func ambiguousHead() throws {
        let r = try Self.repository()
        try r.repo.git(["add", "-u"])
        #expect(try staged(r, index: nil).decision == .blocked, "the staged secret")
        try r.repo.git(["tag", "HEAD", "main"])
        #expect {
            try staged(r, index: nil)
        } throws: { ($0 as? TiergateError)?.message.contains("ambiguous") == true }
    }

    @Test("in a container the repository is mounted elsewhere: an index named as git names them is found in the git directory")
    func containerPath() throws {
        let r = try Self.repository()
        let lock = r.path + "/.git/index.lock"
        try FileManager.default.copyItem(atPath: r.path + "/.git/index", toPath: lock)
        _ = try run("git", ["add", "-u"], in: r.path, environment: ["GIT_INDEX_FILE": lock])
        let report = try staged(r, index: "/home/someone/elsewhere/.git/index.lock")
        #expect(report.allFindings.contains { $0.id == "secret-literal" })
        try FileManager.default.removeItem(atPath: lock)
        // A name git does not use, missing: never a silent fallback to .git/index.
        #expect(throws: TiergateError.self) { try staged(r, index: "/elsewhere/my-index") }
        #expect(throws: TiergateError.self) { try staged(r, index: ".git/index.lock") }
    }

    @Test("git committing from index.lock without GIT_INDEX_FILE is exit 2, not a pass on .git/index")
    func lockWithoutIndexFile() throws {
        let r = try Self.repository()
        try FileManager.default.copyItem(atPath: r.path + "/.git/index", toPath: r.path + "/.git/index.lock")
        do {
            _ = try staged(r, index: nil)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .usage && error.message.contains("GIT_INDEX_FILE"), "\(error)")
        }
    }

    @Test("an intent-to-add entry (git add -N) is skipped, not read as an empty manifest")
    func intentToAdd() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.repo.write("apps/b/microapp.yaml", app("b"))
        _ = try r.repo.git(["add", "-N", "apps/b/microapp.yaml"])
        let report = try staged(r, index: nil)
        let text = try TextReporter(color: false).render(report)
        #expect(report.apps.isEmpty && report.allFindings.isEmpty, "\(text)")
        #expect(report.decision == .pass)
        // Once really added, it is judged.
        _ = try r.repo.git(["add", "apps/b/microapp.yaml"])
        #expect(try staged(r, index: nil).apps.map(\.name) == ["b"])
    }
}

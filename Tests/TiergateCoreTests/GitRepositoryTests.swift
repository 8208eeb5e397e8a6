import Foundation
import Testing

@testable import TiergateCore

@Suite("Git layer and lint on real repositories", .temporaryDirectories)
struct GitRepositoryTests {
    func lint(_ repo: String, rev: String = "HEAD") throws(TiergateError) -> Report {
        try Linter.run(LintRequest(repository: repo, revision: rev, today: Day("2026-11-22")!, workingDirectory: "/"))
    }

    func ids(_ report: Report) -> [String] { report.allFindings.map(\.id) }

    @Test("lint reads every manifest at a revision from the object database, not the working tree")
    func readsObjectDatabase() throws {
        let repo = try TestRepository()
        try repo.write("apps/a/microapp.yaml", manifest(name: "a"))
        try repo.write("apps/b/b.microapp.yml", manifest(name: "b"))
        try repo.write("apps/c/readme.yaml", "not: a manifest\n")
        try repo.commit()
        // The working tree now differs; lint of HEAD must not see it.
        try repo.write("apps/a/microapp.yaml", "broken: [\n")
        let report = try lint(repo.path)
        #expect(report.apps.map(\.name) == ["a", "b"])
        #expect(report.apps.map(\.path) == ["apps/a/microapp.yaml", "apps/b/b.microapp.yml"])
        #expect(report.decision == .pass)
        #expect(report.head?.commit == (try repo.git(["rev-parse", "HEAD"])))
    }

    @Test("the streaming tree walk lists paths as git ls-tree does, and lint reports them in path order")
    func walkOrder() throws {
        let repo = try TestRepository()
        // Names whose order depends on git sorting a tree's name as if it ended in "/".
        let paths = [
            "apps/a-b/microapp.yaml", "apps/a/microapp.yaml", "apps/a.b/microapp.yaml", "apps/a0/microapp.yaml",
            "apps/a/z/microapp.yaml", "apps/ab/microapp.yaml", "apps/A/microapp.yaml", "x.microapp.yaml",
        ]
        for (i, p) in paths.enumerated() { try repo.write(p, manifest(name: "app\(i)")) }
        try repo.commit()
        let opened = try Repository(discoverFrom: repo.path)
        let head = try opened.resolveCommit("HEAD")
        var walked: [String] = []
        try opened.forEachEntry(at: head, where: { _ in true }) { walked.append($0.path) }
        let lsTree = try repo.git(["ls-tree", "-r", "--name-only", "HEAD"]).split(separator: "\n").map(String.init)
        #expect(walked == lsTree)
        #expect(try opened.entries(at: head, where: { _ in true }).map(\.path) == paths.sorted())
        #expect(try lint(repo.path).apps.map(\.path) == paths.sorted())
    }

    @Test("an older revision is linted as it was")
    func olderRevision() throws {
        let repo = try TestRepository()
        try repo.write("microapp.yaml", manifest(name: "first"))
        try repo.commit()
        try repo.write("microapp.yaml", manifest(name: "second"))
        try repo.commit()
        #expect(try lint(repo.path, rev: "HEAD~1").apps.map(\.name) == ["first"])
        #expect(try lint(repo.path, rev: "main").apps.map(\.name) == ["second"])
    }

    @Test("a bare repository works")
    func bare() throws {
        let work = try TestRepository()
        try work.write("apps/a/microapp.yaml", manifest(name: "a"))
        try work.commit()
        let bare = try TestRepository(bare: true)
        try work.git(["push", "-q", bare.path, "main"])
        let report = try lint(bare.path, rev: "main")
        #expect(report.apps.map(\.name) == ["a"])
    }

    @Test("a linked worktree works and sees its own HEAD")
    func worktree() throws {
        let repo = try TestRepository()
        try repo.write("apps/a/microapp.yaml", manifest(name: "a"))
        try repo.commit()
        let wtPath = try makeTemporaryDirectory("wt") + "/wt"
        try repo.git(["worktree", "add", "-q", "-b", "feature", wtPath])
        let wt = TestRepository(existing: wtPath)
        try wt.write("apps/b/microapp.yaml", manifest(name: "b"))
        try wt.commit()
        #expect(try lint(wtPath).apps.map(\.name) == ["a", "b"])
        #expect(try lint(repo.path).apps.map(\.name) == ["a"])
    }

    @Test("a symlink, a submodule and an LFS pointer at manifest paths are not-a-manifest-file")
    func notManifestFiles() throws {
        let repo = try TestRepository()
        try repo.write("real.yaml", manifest(name: "real"))
        try FileManager.default.createDirectory(atPath: repo.path + "/apps/link", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/apps/link/microapp.yaml", withDestinationPath: "../../real.yaml")
        try repo.write(
            "apps/lfs/microapp.yaml",
            "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
        try repo.commit()
        let head = try repo.git(["rev-parse", "HEAD"])
        try repo.git(["update-index", "--add", "--cacheinfo", "160000,\(head),apps/sub/microapp.yaml"])
        try repo.git(["commit", "-q", "-m", "submodule"])
        let report = try lint(repo.path)
        let found = report.findings.filter { $0.id == "not-a-manifest-file" }
        #expect(found.map(\.path) == ["apps/lfs/microapp.yaml", "apps/link/microapp.yaml", "apps/sub/microapp.yaml"])
        #expect(found.map(\.severity) == [.error, .error, .error])
        #expect(found[0].message.contains("LFS"))
        #expect(found[1].message.contains("symbolic link"))
        #expect(found[2].message.contains("submodule"))
        #expect(report.decision == .blocked)
        #expect(report.apps.isEmpty)
    }

    @Test("an unknown revision is a tool failure with a fix")
    func unknownRevision() throws {
        let repo = try TestRepository()
        try repo.write("microapp.yaml", manifest())
        try repo.commit()
        #expect {
            try lint(repo.path, rev: "no-such-branch")
        } throws: { error in
            guard let e = error as? TiergateError else { return false }
            return e.kind == .revision && e.message.contains("no-such-branch") && e.fix?.contains("git fetch") == true
        }
    }

    @Test("no repository at all is a tool failure naming --repo")
    func noRepository() throws {
        let dir = try makeTemporaryDirectory("norepo")
        #expect {
            try lint(dir)
        } throws: { error in
            (error as? TiergateError)?.kind == .repository && (error as? TiergateError)?.fix?.contains("--repo") == true
        }
    }

    @Test("a SHA-256 repository is refused as unsupported, with libgit2's reason")
    func sha256() throws {
        let repo = try TestRepository(objectFormat: "sha256")
        try repo.write("microapp.yaml", manifest())
        try repo.commit()
        #expect {
            try lint(repo.path)
        } throws: { error in
            guard let e = error as? TiergateError else { return false }
            return e.kind == .unsupportedRepository && e.message.contains("objectformat")
        }
    }

    @Test("an empty repository (unborn HEAD) is a tool failure, not a pass")
    func unborn() throws {
        let repo = try TestRepository()
        #expect(throws: TiergateError.self) { try lint(repo.path) }
    }

    @Test("hostile YAML inside a repository gives findings with line and column, and blocks")
    func hostileInRepository() throws {
        let repo = try TestRepository()
        for name in try Project.files(under: "fixtures/hostile", suffix: ".yaml") {
            let base = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
            try repo.write("hostile/\(base).microapp.yaml", bytes: try Project.bytes(name))
        }
        try repo.write("big/microapp.yaml", String(repeating: "# padding\n", count: 120_000))
        try repo.commit()
        let report = try lint(repo.path)
        #expect(report.decision == .blocked)
        let byPath = Dictionary(grouping: report.allFindings, by: \.path)
        func first(_ file: String) -> Finding? { byPath["hostile/\(file).microapp.yaml"]?.first }
        #expect(first("syntax-error")?.id == "yaml-syntax")
        #expect(first("alias-bomb")?.id == "yaml-limits")
        #expect(first("alias-cycle")?.id == "yaml-unsupported")
        #expect(first("nesting-bomb")?.id == "yaml-limits")
        #expect(first("utf16")?.id == "yaml-encoding")
        #expect(first("latin1")?.id == "yaml-encoding")
        #expect(byPath["hostile/duplicate-key.microapp.yaml"]?.contains { $0.id == "yaml-duplicate-key" } == true)
        #expect(byPath["hostile/custom-tag.microapp.yaml"]?.contains { $0.id == "yaml-unsupported" } == true)
        #expect(byPath["hostile/merge-key.microapp.yaml"]?.contains { $0.id == "yaml-unsupported" } == true)
        #expect(byPath["hostile/too-many-documents.microapp.yaml"]?.contains { $0.id == "yaml-limits" } == true)
        #expect(byPath["big/microapp.yaml"]?.map(\.id) == ["yaml-limits"])
        #expect(report.allFindings.allSatisfy { $0.line >= 1 && $0.column >= 1 })
    }

    @Test("duplicate app names across files of one revision")
    func duplicateNames() throws {
        let repo = try TestRepository()
        try repo.write("a/microapp.yaml", manifest(name: "same"))
        try repo.write("b/microapp.yaml", manifest(name: "same"))
        try repo.commit()
        let report = try lint(repo.path)
        let dup = try #require(report.findings.first { $0.id == "duplicate-app-name" })
        #expect(dup.path == "b/microapp.yaml")
        #expect(dup.line == 4 && dup.column == 9)
        #expect(dup.message.contains("a/microapp.yaml:4"))
    }
}

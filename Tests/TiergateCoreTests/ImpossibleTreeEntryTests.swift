import Foundation
import Testing

@testable import TiergateCore

/// Writes raw tree objects, which `git mktree` and checkouts refuse, for tests that plant them.
struct TreePlanter {
    let repo: TestRepository

    struct Entry {
        var mode: String
        var name: [UInt8]
        var id: String
        var isTree: Bool { mode == "40000" }
    }

    func blob(_ text: String) throws -> String {
        let r = try run("git", ["-C", repo.path, "hash-object", "-w", "--stdin"], input: text)
        guard r.status == 0 else { throw TestFailure("hash-object: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a tree holding `entries` as they are, in git's order (a tree's name sorts as if it ended in `/`).
    func tree(_ entries: [Entry]) throws -> String {
        let sorted = entries.sorted { ($0.name + ($0.isTree ? [0x2F] : [])).lexicographicallyPrecedes($1.name + ($1.isTree ? [0x2F] : [])) }
        var bytes: [UInt8] = []
        for e in sorted {
            bytes += Array("\(e.mode) ".utf8) + e.name + [0]
            var hex = Array(e.id.utf8)[...]
            while hex.count >= 2 {
                bytes.append(UInt8(String(decoding: hex.prefix(2), as: UTF8.self), radix: 16) ?? 0)
                hex = hex.dropFirst(2)
            }
        }
        let file = try makeTemporaryDirectory("rawtree") + "/tree"
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try repo.git(["hash-object", "-t", "tree", "--literally", "-w", file])
    }

    /// The entries of a tree-ish, as `git ls-tree` lists them (plain names only).
    func entries(_ treeish: String) throws -> [Entry] {
        try repo.git(["ls-tree", treeish]).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            let meta = parts[0].split(separator: " ")
            return Entry(mode: meta[0] == "040000" ? "40000" : String(meta[0]), name: Array(parts[1].utf8), id: String(meta[2]))
        }
    }

    /// `treeish`'s tree with `entry` added (or replacing one of its name) in the directory `dir`.
    func adding(_ entry: Entry, at dir: [String], to treeish: String?) throws -> String {
        var entries = try treeish.map(entries) ?? []
        guard let first = dir.first else {
            entries.removeAll { $0.name == entry.name }
            return try tree(entries + [entry])
        }
        let existing = entries.first { $0.name == Array(first.utf8) && $0.isTree }
        let child = try adding(entry, at: Array(dir.dropFirst()), to: existing?.id)
        entries.removeAll { $0.name == Array(first.utf8) }
        return try tree(entries + [Entry(mode: "40000", name: Array(first.utf8), id: child)])
    }

    /// An entry named `name`: a tree holding a `config` blob (what a planted `.git` directory looks like), or a blob.
    func plantable(_ name: [UInt8], asTree: Bool = true) throws -> Entry {
        let content = try blob("[core]\n\thooksPath = /tmp/x\n")
        if !asTree { return Entry(mode: "100644", name: name, id: content) }
        return Entry(mode: "40000", name: name, id: try tree([Entry(mode: "100644", name: Array("config".utf8), id: content)]))
    }

    /// Commits `tree` on top of the current branch's HEAD and moves the branch there.
    @discardableResult
    func commit(_ tree: String, message: String = "planted") throws -> String {
        let commit = try repo.git(["commit-tree", tree, "-p", "HEAD", "-m", message])
        try repo.git(["update-ref", "HEAD", commit])
        return commit
    }
}

@Suite("Tree entries git refuses: .git, . and .. make a revision unreadable", .temporaryDirectories)
struct ImpossibleTreeEntryTests {
    func lint(_ path: String) throws(TiergateError) -> Report {
        try Linter.run(LintRequest(repository: path, today: CheckExample.today, workingDirectory: "/"))
    }

    @Test("the names git fsck refuses, in every spelling a checkout could take for .git, and names it accepts")
    func names() {
        let refused: [[UInt8]] = [
            [], Array(".".utf8), Array("..".utf8), Array(".git".utf8), Array(".GIT".utf8), Array(".gIt".utf8), Array(".git.".utf8),
            Array(".git ".utf8), Array(".git . .".utf8), Array(".git\\hooks".utf8), Array(".git::$INDEX_ALLOCATION".utf8),
            Array("git~1".utf8), Array("GIT~1".utf8), Array("git~1..".utf8), Array("a/b".utf8), Array("/".utf8),
            Array(".g\u{200C}it".utf8), Array("\u{FEFF}.git".utf8), Array(".git\u{200D}".utf8), Array(".\u{202E}GIT".utf8),
        ]
        let accepted: [[UInt8]] = [
            Array(".gitattributes".utf8), Array(".github".utf8), Array(".gitignore".utf8), Array(".gitmodules".utf8), Array("git".utf8),
            Array("gitops".utf8), Array("git~2".utf8), Array("...".utf8), Array(".g".utf8), Array(".gi".utf8), Array("..git".utf8),
            Array(".git-x".utf8), Array("microapp.yaml".utf8), Array("\u{200C}".utf8), Array(".g\u{2010}it".utf8), [0xE2, 0x80],
            [0xEF, 0xBB], [0xC3, 0xA9],
        ]
        for name in refused {
            #expect((name + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { TreeEntryName.isImpossible($0.baseAddress!) } }, "\(name)")
        }
        for name in accepted {
            #expect(!(name + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { TreeEntryName.isImpossible($0.baseAddress!) } }, "\(name)")
        }
        #expect(TreeEntryName.display(Array(".g\u{200C}it\u{1B}[31m".utf8)) == ".g\\xE2\\x80\\x8Cit\\x1B[31m")
    }

    @Test("lint of a revision holding .git (or a spelling of it), . or .. anywhere is a tool failure naming the entry",
          arguments: [
              (["apps"], ".git"), ([], ".git"), (["apps", "a"], ".GIT"), (["apps", "deep", "er"], "git~1"), (["apps"], ".git."),
              (["apps", "a"], "."), (["apps"], ".."), (["apps"], ".g\u{200C}it"),
          ])
    func lintRefuses(dir: [String], name: String) throws {
        let repo = try TestRepository()
        try repo.write("apps/a/microapp.yaml", app("a"))
        try repo.commit()
        #expect(try lint(repo.path).apps.map(\.name) == ["a"])
        let planter = TreePlanter(repo: repo)
        try planter.commit(try planter.adding(try planter.plantable(Array(name.utf8)), at: dir, to: "HEAD"))
        #expect {
            try lint(repo.path)
        } throws: { error in
            guard let e = error as? TiergateError else { return false }
            let shown = TreeEntryName.display(Array(name.utf8))
            return e.kind == .repository && e.message.contains("'\(shown)'") && e.message.contains("git fsck")
                && (dir.isEmpty ? e.message.contains("top-level") : e.message.contains("'\(dir.joined(separator: "/"))'"))
                && !e.description.contains("\u{200C}")
        }
    }

    @Test("a . or .. blob (not only a tree) is refused too, as is a planted .git blob")
    func blobs() throws {
        for name in ["..", ".git"] {
            let repo = try TestRepository()
            try repo.write("apps/a/microapp.yaml", app("a"))
            try repo.commit()
            let planter = TreePlanter(repo: repo)
            try planter.commit(try planter.adding(try planter.plantable(Array(name.utf8), asTree: false), at: ["apps"], to: "HEAD"))
            #expect(throws: TiergateError.self) { try lint(repo.path) }
        }
    }

    @Test("check of a head that adds a .git, . or .. entry anywhere new is a tool failure, not a pass",
          arguments: [(["apps", "evil"], ".git"), (["apps", "a"], ".git"), (["apps", "a"], "."), (["docs"], ".."), ([], ".Git")])
    func checkRefuses(dir: [String], name: String) throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        #expect(try r.check().apps.map(\.name) == ["b"])
        let planter = TreePlanter(repo: r.repo)
        try planter.commit(try planter.adding(try planter.plantable(Array(name.utf8)), at: dir, to: "HEAD"))
        #expect {
            try r.check()
        } throws: { error in
            guard let e = error as? TiergateError else { return false }
            return e.message.contains("'\(name)'") && e.message.contains("no checkout can write")
        }
        // The walk that lists what a change touched finds it even where nothing the globs reach changed.
        let repo = try Repository(discoverFrom: r.path)
        #expect {
            try repo.changedEntries(from: repo.resolveCommit("main"), to: repo.resolveCommit("HEAD"), where: { _ in false })
        } throws: { error in
            // What Gate turns it into: one line, with the fix.
            guard let e = error as? GitError, e.kind == .impossibleTreeEntry else { return false }
            let failure = TiergateError.comparing(e)
            return failure.kind == .repository && failure.fix?.contains("git fsck") == true && !failure.description.contains("\n")
        }
    }

    @Test("a change that removes a planted .git passes: only entries the head adds or changes are refused")
    func removal() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        let planter = TreePlanter(repo: r.repo)
        let clean = try r.repo.git(["rev-parse", "HEAD^{tree}"])
        let planted = try planter.commit(try planter.adding(try planter.plantable(Array(".git".utf8)), at: ["apps"], to: "HEAD"))
        try r.repo.git(["update-ref", "refs/heads/main", planted])
        try planter.commit(clean, message: "remove it")
        let report = try r.check()
        #expect(report.decision == .pass && report.apps.isEmpty)
        // HEAD is clean and lints; main, which holds the planted entry, does not.
        #expect(try lint(r.path).apps.map(\.name) == ["a"])
        #expect(throws: TiergateError.self) {
            try Linter.run(LintRequest(repository: r.path, revision: "main", today: CheckExample.today, workingDirectory: "/"))
        }
    }
}

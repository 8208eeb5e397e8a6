import Foundation
import Testing

@testable import TiergateCore

/// SPEC section 8 on real repositories: each hazard gives a finding or a clear tool failure, never a pass of
/// what was not read, never a crash.
@Suite("Repository hazards", .temporaryDirectories)
struct RepositoryHazardTests {
    @Test("a symlink, a submodule and an LFS pointer added at manifest paths block the change")
    func notManifestFilesInChange() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try FileManager.default.createDirectory(atPath: r.path + "/apps/link", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: r.path + "/apps/link/microapp.yaml", withDestinationPath: "../a/microapp.yaml")
        try r.repo.write("apps/lfs/microapp.yaml", "version https://git-lfs.github.com/spec/v1\noid sha256:\(String(repeating: "ab", count: 32))\nsize 10\n")
        try r.repo.git(["add", "-A"])
        try r.repo.git(["update-index", "--add", "--cacheinfo", "160000,\(try r.repo.git(["rev-parse", "HEAD"])),apps/sub/microapp.yaml"])
        try r.repo.git(["commit", "-q", "-m", "hazards"])
        let report = try r.check()
        #expect(report.findings.filter { $0.id == "not-a-manifest-file" }.map(\.path) == ["apps/lfs/microapp.yaml", "apps/link/microapp.yaml", "apps/sub/microapp.yaml"])
        #expect(report.decision == .blocked)
    }

    @Test("a manifest path with bytes that are not UTF-8 is still read and judged")
    func nonUTF8Path() throws {
        let repo = try TestRepository()
        try repo.write("README.md", "base\n")
        try repo.commit()
        // fast-import takes C-style quoted paths: \351 is the Latin-1 byte 0xE9, not UTF-8.
        let text = app("latin", [("logSink: siem", "logSink: splunk")])
        let stream = "commit refs/heads/main\ncommitter T <t@example.invalid> 1767225600 +0000\ndata 5\nlatin\nfrom refs/heads/main^0\n"
            + "M 100644 inline \"apps/caf\\351/microapp.yaml\"\ndata \(text.utf8.count)\n\(text)\n"
        let imported = try run("git", ["-C", repo.path, "fast-import", "--quiet", "--force"], input: stream)
        #expect(imported.status == 0, "\(imported.stderr)")
        let listed = try repo.git(["-c", "core.quotepath=true", "ls-tree", "-r", "--name-only", "HEAD"])
        #expect(listed.contains("\\351"), "\(listed)")
        let report = try Linter.run(LintRequest(repository: repo.path, today: CheckExample.today, workingDirectory: "/"))
        #expect(report.apps.map(\.name) == ["latin"])
        #expect(report.apps.first?.path == "apps/caf\u{FFFD}/microapp.yaml", "the path is shown with a replacement character")
        #expect(report.allFindings.contains { $0.id == "logging-siem" })
        #expect(report.decision == .blocked)
    }

    @Test("two paths that differ only in case are two files; the same name in both is a duplicate")
    func caseOnlyPaths() throws {
        let repo = try TestRepository()
        try repo.git(["config", "core.ignorecase", "false"])
        try repo.write("apps/App/microapp.yaml", app("same"))
        try repo.write("apps/app/microapp.yaml", app("same"))
        try repo.commit()
        let report = try Linter.run(LintRequest(repository: repo.path, today: CheckExample.today, workingDirectory: "/"))
        #expect(report.apps.map(\.path) == ["apps/App/microapp.yaml", "apps/app/microapp.yaml"])
        #expect(report.findings.contains { $0.id == "duplicate-app-name" && $0.path == "apps/app/microapp.yaml" })
    }

    @Test("a mode-only change reads both sides and finds nothing to review")
    func modeOnly() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.repo.git(["update-index", "--chmod=+x", "apps/a/microapp.yaml"])
        try r.repo.git(["commit", "-q", "-m", "chmod"])
        #expect(try r.repo.git(["diff", "--name-only", "main", "HEAD"]) == "apps/a/microapp.yaml")
        let report = try r.check()
        #expect(report.apps.isEmpty && report.decision == .pass)
    }

    @Test("a 5 MiB manifest is refused unread and blocks")
    func hugeManifest() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/big/microapp.yaml": app("big") + String(repeating: "# padding padding padding padding\n", count: 5 * 1024 * 1024 / 34)])
        let report = try r.check()
        let f = try #require(report.findings.first { $0.path == "apps/big/microapp.yaml" })
        #expect(f.id == "yaml-limits" && f.message.contains("1 MiB"))
        #expect(report.decision == .blocked)
    }

    @Test("a change touching 10,000 manifests is read whole")
    func tenThousand() throws {
        let repo = try TestRepository()
        try repo.write("README.md", "base\n")
        try repo.commit()
        // Written with fast-import: 10,000 new manifests in one commit.
        var stream = "commit refs/heads/main\ncommitter T <t@example.invalid> 1767225600 +0000\ndata 4\nbig\nfrom refs/heads/main^0\n"
        for i in 0..<10_000 {
            let text = app(String(format: "app-%05d", i), i == 4242 ? [("logSink: siem", "logSink: splunk")] : [])
            stream += "M 100644 inline apps/\(i % 100)/app-\(i).microapp.yaml\ndata \(text.utf8.count)\n\(text)\n"
        }
        _ = try run("git", ["-C", repo.path, "fast-import", "--quiet", "--force"], input: stream)
        var request = GateRequest(workingDirectory: repo.path, environment: [:], today: CheckExample.today)
        request.ignoreApprovals = true
        let report = try Gate.run(request)
        #expect(report.apps.count == 10_000)
        #expect(report.apps.allSatisfy { $0.check?.change == .added })
        #expect(report.allFindings.map(\.id) == ["logging-siem"])
        #expect(report.decision == .blocked)
    }

    @Test("a merge commit as head is compared with the merge base of its first parent line")
    func mergeCommitHead() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.write("apps/c/microapp.yaml", app("c"))
        try r.repo.commit("main moves on")
        try r.repo.git(["checkout", "-q", "change"])
        try r.repo.git(["merge", "-q", "--no-edit", "main"])
        #expect(try r.repo.git(["rev-list", "--parents", "-n", "1", "HEAD"]).split(separator: " ").count == 3)
        let report = try r.check()
        #expect(report.base?.commit == (try r.repo.git(["rev-parse", "main"])), "main is an ancestor of the merge: it is the merge base")
        #expect(report.apps.map(\.name) == ["b"])
    }
}

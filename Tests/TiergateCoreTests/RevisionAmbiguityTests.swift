import Foundation
import Testing

@testable import TiergateCore

/// SPEC section 6: a revision resolves as `git rev-parse` would, except that a short name more than one ref
/// answers to is exit 2 "ambiguous", never git's silent pick.
@Suite("Revision names: ambiguity and full names", .temporaryDirectories)
struct RevisionAmbiguityTests {
    /// main (base) → change (one commit adding b): the usual shape, with `refs/remotes/origin/main` at main.
    func repository() throws -> (ChangeRepository, main: String, head: String) {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        let main = try r.repo.git(["rev-parse", "main"])
        try r.repo.git(["update-ref", "refs/remotes/origin/main", main])
        return (r, main, r.head)
    }

    func ambiguity(_ repo: Repository, _ revision: String) -> GitError? {
        do {
            _ = try repo.resolveCommit(revision)
            return nil
        } catch {
            return error
        }
    }

    @Test("the name part of a revision ends at ~, ^, : or @{")
    func nameParts() {
        #expect(RevisionName.split("origin/main~2") == ("origin/main", "~2"))
        #expect(RevisionName.split("main^{commit}") == ("main", "^{commit}"))
        #expect(RevisionName.split("HEAD@{1}") == ("HEAD", "@{1}"))
        #expect(RevisionName.split("main:apps/a/microapp.yaml") == ("main", ":apps/a/microapp.yaml"))
        #expect(RevisionName.split("user@host") == ("user@host", ""))
        #expect(RevisionName.split(":/fix") == ("", ":/fix"))
        #expect(RevisionName.split("@{-1}") == ("", "@{-1}"))
    }

    @Test("a tag named origin/main beside the remote-tracking branch: ambiguous, naming both full names")
    func tagShadowsRemoteBranch() throws {
        let (r, main, head) = try repository()
        // The attack: a pushed tag wins over refs/remotes/origin/main in git rev-parse, making the head its own base.
        try r.repo.git(["tag", "origin/main", head])
        #expect(try r.repo.git(["rev-parse", "origin/main"]) == head, "git itself picks the tag")
        let repo = try Repository(discoverFrom: r.path)
        let e = try #require(ambiguity(repo, "origin/main"))
        #expect(e.kind == .ambiguousName)
        #expect(e.candidates == ["refs/tags/origin/main", "refs/remotes/origin/main"])
        #expect(try repo.resolveCommit("refs/remotes/origin/main").hex == main)
        #expect(try repo.resolveCommit("refs/tags/origin/main").hex == head)
        #expect(ambiguity(repo, "origin/main~1")?.kind == .ambiguousName)

        // The tool failure (exit 2) says which refs match and what to pass instead, keeping the `~1`.
        #expect {
            try RevisionReader.resolve(repo, "origin/main~1")
        } throws: { error in
            guard let e = error as? TiergateError else { return false }
            return e.kind == .revision && e.message.contains("ambiguous") && e.message.contains("refs/tags/origin/main and refs/remotes/origin/main")
                && e.fix?.contains("refs/remotes/origin/main~1") == true && !e.description.contains("\n")
        }
        // check with --base origin/main stops with exit 2 instead of comparing the head with itself.
        #expect(throws: TiergateError.self) { try r.check { $0.base = "origin/main" } }
        // The GitHub default now names the full ref, so the same tag cannot shadow it.
        let report = try r.check { $0.base = nil; $0.environment = ["GITHUB_BASE_REF": "main"] }
        #expect(report.base?.commit == main)
        #expect(report.apps.map(\.name) == ["b"])
    }

    @Test("a branch and a tag of one name: ambiguous; each full name resolves")
    func branchAndTag() throws {
        let (r, main, head) = try repository()
        try r.repo.git(["branch", "release", main])
        try r.repo.git(["tag", "release", head])
        let repo = try Repository(discoverFrom: r.path)
        #expect(ambiguity(repo, "release")?.candidates == ["refs/tags/release", "refs/heads/release"])
        #expect(try repo.resolveCommit("refs/heads/release").hex == main)
        #expect(try repo.resolveCommit("refs/tags/release").hex == head)
        #expect(throws: TiergateError.self) { try r.check { $0.head = "release" } }
    }

    @Test("a remote named like a branch: origin as refs/heads/origin and refs/remotes/origin/HEAD")
    func remoteHead() throws {
        let (r, main, _) = try repository()
        try r.repo.git(["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"])
        let repo = try Repository(discoverFrom: r.path)
        #expect(try repo.resolveCommit("origin").hex == main)
        try r.repo.git(["branch", "origin", main])
        #expect(ambiguity(repo, "origin")?.candidates == ["refs/heads/origin", "refs/remotes/origin/HEAD"])
    }

    @Test("HEAD beside a tag named HEAD is ambiguous too, and the fix offers the tag's full name or a SHA")
    func headTag() throws {
        let (r, _, _) = try repository()
        try r.repo.git(["tag", "HEAD", "main"])
        let repo = try Repository(discoverFrom: r.path)
        #expect(ambiguity(repo, "HEAD")?.candidates == ["HEAD", "refs/tags/HEAD"])
        #expect {
            try RevisionReader.resolve(repo, "HEAD")
        } throws: { ($0 as? TiergateError)?.fix == "pass the full name of the one you mean (refs/tags/HEAD) or a commit SHA" }
    }

    @Test("a short name that is also an abbreviated commit id is ambiguous; a full id never is")
    func hexNames() throws {
        let (r, main, head) = try repository()
        let short = String(head.prefix(8))
        try r.repo.git(["branch", short, main])
        let repo = try Repository(discoverFrom: r.path)
        let e = try #require(ambiguity(repo, short))
        #expect(e.candidates == ["refs/heads/\(short)", "the object \(short)"])
        try r.repo.git(["branch", head, main])
        #expect(try repo.resolveCommit(head).hex == head, "40 hex digits name the object, as in git")
    }

    @Test("unambiguous names resolve as git rev-parse does")
    func ordinaryNames() throws {
        let (r, main, head) = try repository()
        try r.repo.git(["tag", "v1", main])
        let repo = try Repository(discoverFrom: r.path)
        for (rev, expected) in [
            ("main", main), ("change", head), ("HEAD", head), ("HEAD~1", main), ("HEAD^", main), ("change^{commit}", head),
            ("origin/main", main), ("refs/remotes/origin/main", main), ("v1", main), ("v1^{}", main), (head, head),
            (String(head.prefix(10)), head), ("@", head),
        ] {
            #expect(try repo.resolveCommit(rev).hex == expected, "\(rev)")
            #expect(try r.repo.git(["rev-parse", "\(rev)^{commit}"]) == expected, "git agrees on \(rev)")
        }
    }

    @Test("a full ref name is taken as it is: a missing one is unknown even if a later rule finds a ref")
    func fullNameIsLiteral() throws {
        let (r, _, head) = try repository()
        try r.repo.git(["update-ref", "-d", "refs/remotes/origin/main"])
        // git rev-parse would take refs/tags/refs/remotes/origin/main for the missing remote-tracking branch.
        try r.repo.git(["tag", "refs/remotes/origin/main", head])
        #expect(try r.repo.git(["rev-parse", "refs/remotes/origin/main"]) == head)
        let repo = try Repository(discoverFrom: r.path)
        let e = try #require(ambiguity(repo, "refs/remotes/origin/main"))
        #expect(e.kind == .notFound)
        #expect(e.message.contains("refs/tags/refs/remotes/origin/main"))
        // What a GitHub job without the base branch fetched gets: exit 2 telling it to fetch.
        #expect {
            try r.check { $0.base = nil; $0.environment = ["GITHUB_BASE_REF": "main"] }
        } throws: { ($0 as? TiergateError)?.fix?.contains("git fetch origin main") == true }
    }
}

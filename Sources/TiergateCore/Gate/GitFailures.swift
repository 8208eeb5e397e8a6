import Foundation

/// Turns libgit2 failures into tool failures (exit 2) with a one-line fix.
extension TiergateError {
    static func opening(_ path: String, _ e: GitError) -> TiergateError {
        switch e.kind {
        case .notOwned:
            // The directory safe.directory must list: the work tree's top, not the folder tiergate started from. It is
            // read from the other user's repository, so it is one shell word however it is spelt: `'` ends a quote.
            let found = Repository.ownershipPaths(discoveringFrom: path)
            let listed = found?.listed ?? path
            let word = "'" + listed.replacingOccurrences(of: "'", with: "'\\''") + "'"
            let command = "git config --global --add safe.directory \(word)"
            guard let found, found.worktreeFromConfig else {
                return TiergateError(
                    .repository, "the repository at \(listed) belongs to another user and git's safe.directory does not list it (libgit2: \(e.message))",
                    fix: "if you trust it, run: \(command)")
            }
            // Its owner chose that folder (it may be one of yours): say whose repository listing it trusts.
            return TiergateError(
                .repository,
                "the repository at \(found.gitDirectory), whose core.worktree names the work tree \(listed), belongs to another user and git's safe.directory does not list that work tree (libgit2: \(e.message))",
                fix: "listing it trusts the repository at \(found.gitDirectory); if you trust that one, run: \(command)")
        case .notFound:
            return TiergateError(
                .repository, "no git repository at or above \(path)",
                fix: "run tiergate inside a repository or pass --repo DIR")
        case .unsupportedFormat:
            return TiergateError(
                .unsupportedRepository, "the repository at \(path) uses a format tiergate cannot read (\(e.message))",
                fix: "tiergate reads SHA-1 repositories; convert it or run on a SHA-1 clone")
        default:
            return TiergateError(.repository, "cannot open the repository at \(path): \(e.message)")
        }
    }

    static func resolving(_ revision: String, _ e: GitError, shallow: Bool) -> TiergateError {
        switch e.kind {
        case .notFound, .unbornBranch:
            let fix =
                shallow
                ? "this is a shallow clone: fetch more history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
                : "check the name, or fetch it first (\(fetchCommand(revision)))"
            return TiergateError(.revision, "unknown revision '\(revision)' (\(e.message))", fix: fix)
        case .ambiguous:
            return TiergateError(.revision, "the revision '\(revision)' is ambiguous (\(e.message))", fix: "use a longer SHA or a full ref name")
        case .ambiguousName:
            // Suggest each candidate's full name with the rest of the revision (`~1`, `^{commit}`) kept.
            let suffix = RevisionName.split(revision).suffix
            let suggestions = e.candidates.filter { $0.hasPrefix("refs/") }.map { $0 + suffix }
            let fix =
                suggestions.isEmpty
                ? "pass a commit SHA instead"
                : "pass the full name of the one you mean (\(suggestions.joined(separator: " or "))) or a commit SHA"
            return TiergateError(
                .revision, "the revision '\(revision)' is ambiguous: it matches \(Repository.list(e.candidates)), and git would pick the first silently",
                fix: fix)
        default:
            return TiergateError(.revision, "cannot resolve '\(revision)': \(e.message)")
        }
    }

    /// The fetch that brings `revision` (`refs/remotes/origin/main` comes from `git fetch origin main`).
    static func fetchCommand(_ revision: String) -> String {
        let name = RevisionName.split(revision).name
        if name.hasPrefix("refs/remotes/"), let slash = name.dropFirst("refs/remotes/".count).firstIndex(of: "/") {
            let remote = name[name.index(name.startIndex, offsetBy: "refs/remotes/".count)..<slash]
            return "git fetch \(remote) \(name[name.index(after: slash)...])"
        }
        return "git fetch origin \(name.isEmpty ? revision : name)"
    }

    static func reading(_ what: String, _ e: Error) -> TiergateError {
        if let e = e as? GitError, e.kind == .impossibleTreeEntry { return .impossibleTree(what, e) }
        return TiergateError(.repository, "cannot read \(what): \(e)")
    }

    /// Comparing two revisions failed (`Repository.changedEntries`).
    static func comparing(_ e: GitError) -> TiergateError {
        if e.kind == .impossibleTreeEntry { return .impossibleTree("the change", e) }
        return TiergateError(.repository, "cannot compare the revisions: \(e.message)")
    }

    /// A revision holds a tree entry git refuses (`.git`, `.`, `..`): nothing a checkout gives can be vouched for.
    static func impossibleTree(_ what: String, _ e: GitError) -> TiergateError {
        TiergateError(
            .repository, "cannot read \(what): \(e.message)",
            fix: "remove the entry from the branch (git fsck reports it); tiergate never judges such a revision")
    }
}

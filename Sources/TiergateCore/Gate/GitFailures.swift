/// Turns libgit2 failures into tool failures (exit 2) with a one-line fix.
extension TiergateError {
    static func opening(_ path: String, _ e: GitError) -> TiergateError {
        switch e.kind {
        case .notOwned:
            return TiergateError(
                .repository, "the repository at \(path) belongs to another user and git's safe.directory does not list it (libgit2: \(e.message))",
                fix: "if you trust it, run: git config --global --add safe.directory '\(path)'")
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
                : "check the name, or fetch it first (git fetch origin \(revision))"
            return TiergateError(.revision, "unknown revision '\(revision)' (\(e.message))", fix: fix)
        case .ambiguous:
            return TiergateError(.revision, "the revision '\(revision)' is ambiguous (\(e.message))", fix: "use a longer SHA or a full ref name")
        default:
            return TiergateError(.revision, "cannot resolve '\(revision)': \(e.message)")
        }
    }

    static func reading(_ what: String, _ e: Error) -> TiergateError {
        TiergateError(.repository, "cannot read \(what): \(e)")
    }
}

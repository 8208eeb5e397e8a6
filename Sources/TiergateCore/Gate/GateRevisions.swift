/// Step 1 of the gate (and 3): which repository, which revisions are compared, and what differs between them.
extension Gate {
    /// The repository and the revisions a check compares: the base as named and its tip, the merge base of base
    /// and head (what the change is compared with), and the head; with `--staged`, `HEAD` and the index (nil head).
    struct Revisions {
        var reader: RevisionReader
        var baseRev: String
        var baseTip: ObjectID?
        var mergeBase: ObjectID?
        var head: ObjectID?

        var repository: Repository { reader.repository }
    }

    /// What `baseRevision` picks without `--base`, in words: the help of every command that takes `--base` says it.
    package static let baseRevisionDefault =
        "$TIERGATE_BASE, else refs/remotes/origin/$GITHUB_BASE_REF (the full name: a tag cannot shadow it), else $CI_MERGE_REQUEST_DIFF_BASE_SHA, else HEAD~1"

    /// `--base` when given, else `$TIERGATE_BASE`, else `refs/remotes/origin/$GITHUB_BASE_REF`, else
    /// `$CI_MERGE_REQUEST_DIFF_BASE_SHA`, else `HEAD~1`. Empty variables count as unset.
    package static func baseRevision(explicit: String?, environment env: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let v = env["TIERGATE_BASE"], !v.isEmpty { return v }
        if let v = env["GITHUB_BASE_REF"], !v.isEmpty { return "refs/remotes/origin/\(v)" }
        if let v = env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !v.isEmpty { return v }
        return "HEAD~1"
    }

    static func resolve(_ request: GateRequest) throws(TiergateError) -> Revisions {
        let reader = try RevisionReader(repository: request.repository, workingDirectory: request.workingDirectory)
        if request.staged {
            // The index git hands a hook (`GIT_INDEX_FILE`), not always .git/index.
            try StagedIndex.use(given: request.indexFile, in: reader.repository)
            // nil before the first commit (everything is added); an ambiguous HEAD is the tool's failure, never a
            // comparison with nothing under the built-in policy.
            let tip = try reader.commitIfAny("HEAD")
            return Revisions(reader: reader, baseRev: "HEAD", baseTip: tip, mergeBase: tip, head: nil)
        }
        let baseRev = baseRevision(explicit: request.base, environment: request.environment)
        let head = try reader.commit(request.head)
        let base = try reader.commit(baseRev)
        let mergeBase = try mergeBase(reader.repository, base, head, baseRev: baseRev, headRev: request.head)
        return Revisions(reader: reader, baseRev: baseRev, baseTip: base, mergeBase: mergeBase, head: head)
    }

    /// The merge base; a shallow history or unrelated histories are tool failures with a fix.
    static func mergeBase(_ repo: Repository, _ base: ObjectID, _ head: ObjectID, baseRev: String, headRev: String) throws(TiergateError) -> ObjectID {
        let found: ObjectID?
        do { found = try repo.mergeBase(base, head) } catch {
            if repo.isShallow { throw shallow(baseRev) }
            throw TiergateError(.revision, "cannot find the merge base of \(baseRev) and \(headRev): \(error.message)")
        }
        guard let found else {
            if repo.isShallow { throw shallow(baseRev) }
            throw TiergateError(
                .revision, "\(baseRev) and \(headRev) have no common ancestor", fix: "compare against a base the change was made from (--base)")
        }
        return found
    }

    static func shallow(_ baseRev: String) -> TiergateError {
        TiergateError(
            .shallowHistory, "this shallow clone lacks the history that joins \(baseRev) and the head, so the merge base cannot be found",
            fix: "fetch more history: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)")
    }

    /// Step 3: every path whose entry differs between the merge base and the head (or HEAD and the index),
    /// whatever the globs say: what lies outside them is looked at too.
    static func changedEntries(_ revisions: Revisions) throws(TiergateError) -> [PathChange] {
        do {
            if let head = revisions.head, let base = revisions.mergeBase {
                return try revisions.repository.changedEntries(from: base, to: head, where: { _ in true })
            }
            return try revisions.repository.stagedChanges(against: revisions.mergeBase, where: { _ in true })
        } catch { throw .comparing(error) }
    }
}

internal import CLibGit2

extension Repository {
    /// A commit's first parent, or nil for a root commit (or when a shallow history ends there).
    package func firstParent(of commit: ObjectID) throws(GitError) -> ObjectID? {
        var oid = commit.oid
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, handle, &oid), "read commit \(commit)")
        defer { git_commit_free(c) }
        guard git_commit_parentcount(c) > 0, let parent = git_commit_parent_id(c, 0) else { return nil }
        return ObjectID(parent.pointee)
    }
}

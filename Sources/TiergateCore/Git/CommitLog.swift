internal import CLibGit2

/// What the audit trail needs of a commit: its first parent and when it was committed.
package struct CommitHeader: Sendable, Hashable {
    package var id: ObjectID
    package var firstParent: ObjectID?
    /// The committer time, seconds since 1970 (UTC): when the commit was made on the branch (for a merge, when it
    /// landed).
    package var time: Int64
}

extension Repository {
    package func commitHeader(_ commit: ObjectID) throws(GitError) -> CommitHeader {
        var oid = commit.oid
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, handle, &oid), "read commit \(commit)")
        defer { git_commit_free(c) }
        let parent = git_commit_parentcount(c) > 0 ? git_commit_parent_id(c, 0).map { ObjectID($0.pointee) } : nil
        return CommitHeader(id: commit, firstParent: parent, time: Int64(git_commit_time(c)))
    }

    /// The first-parent history from `start`, newest first, down to the root or, in a shallow clone, to the
    /// last commit the clone has (`shallowEnd`: the history goes on beyond it).
    package func firstParentHistory(from start: ObjectID) throws(GitError) -> (commits: [CommitHeader], shallowEnd: Bool) {
        var out: [CommitHeader] = []
        var next: ObjectID? = start
        while let id = next {
            let header: CommitHeader
            do { header = try commitHeader(id) } catch {
                // libgit2 1.5 still names the parents a shallow clone lacks.
                if error.kind == .notFound, !out.isEmpty, isShallow { return (out, true) }
                throw error
            }
            out.append(header)
            next = header.firstParent
        }
        return (out, false)
    }
}

extension Repository {
    /// Whether `commit` has `ancestor` in its history (a commit is not its own descendant).
    package func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        var c = commit.oid
        var a = ancestor.oid
        let code = git_graph_descendant_of(handle, &c, &a)
        try check(code, "compare the histories of \(commit) and \(ancestor)")
        return code == 1
    }
}

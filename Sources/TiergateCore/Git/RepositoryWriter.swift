#if canImport(Glibc)
import Glibc
#endif
internal import CLibGit2

extension Repository {
    /// Creates a repository with a working tree at `path` (used by `demo` and by tests).
    package static func create(at path: String) throws(GitError) -> Repository {
        _ = libgit2Ready
        var repo: OpaquePointer?
        try check(git_repository_init(&repo, path, 0), "create repository at \(path)")
        git_repository_free(repo)
        return try Repository(discoverFrom: path)
    }

    /// Stages the given working-tree paths (added, changed or deleted) and commits the index on HEAD.
    package func commit(paths: [String], message: String, author: String = "tiergate demo",
                       email: String = "demo@tiergate.invalid", time: Int64 = 1_767_225_600) throws(GitError) -> ObjectID {
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle), "open the index")
        defer { git_index_free(index) }
        for path in paths {
            guard let workdir else { break }
            if fileExists(workdir + "/" + path) {
                try check(git_index_add_bypath(index, path), "stage \(path)")
            } else {
                try check(git_index_remove_bypath(index, path), "unstage \(path)")
            }
        }
        try check(git_index_write(index), "write the index")
        var treeID = git_oid()
        try check(git_index_write_tree(&treeID, index), "write the tree")
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &treeID), "read the new tree")
        defer { git_tree_free(tree) }

        var signature: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&signature, author, email, time, 0), "make a signature")
        defer { git_signature_free(signature) }

        var parent: OpaquePointer?
        var headID = git_oid()
        let hasHead = git_reference_name_to_id(&headID, handle, "HEAD") == 0
        if hasHead {
            try check(git_commit_lookup(&parent, handle, &headID), "read HEAD")
        }
        defer { git_commit_free(parent) }
        var newID = git_oid()
        var parents: [OpaquePointer?] = hasHead ? [parent] : []
        let code = parents.withUnsafeMutableBufferPointer { buf in
            git_commit_create(
                &newID, handle, "HEAD", signature, signature, nil, message, tree, buf.count, buf.baseAddress)
        }
        try check(code, "commit")
        return ObjectID(newID)
    }
}

private func fileExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

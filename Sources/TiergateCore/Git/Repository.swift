internal import CGitSupport
internal import CLibGit2

/// libgit2 is initialised once per process, on first use (see `tiergate_git_init` for the options it sets).
let libgit2Ready: Int32 = tiergate_git_init()

/// A git object id (SHA-1, the only object format libgit2 1.5 reads), held inline: tree walks make one per
/// entry, so it allocates nothing; the hex text is made only when asked for.
package struct ObjectID: Sendable, Hashable, CustomStringConvertible {
    private let a: UInt64
    private let b: UInt64
    private let c: UInt32

    init(_ oid: git_oid) {
        var oid = oid
        (a, b, c) = withUnsafeBytes(of: &oid.id) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    /// The 40 hex digits.
    package var hex: String {
        var o = oid
        var buf = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buf, 41, &o)
        return String(decoding: buf.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package var description: String { hex }
}

/// What a tree entry is. Only `blob` and `executable` hold file content; the others can never be a manifest.
package enum EntryKind: Sendable, Equatable {
    case blob, executable, symlink, submodule, tree, other
}

package struct TreeEntry: Sendable, Equatable {
    /// The path as UTF-8 text (bytes that are not UTF-8 are replaced by U+FFFD).
    package var path: String
    package var id: ObjectID
    package var kind: EntryKind
    /// The checkout-rewriting attributes (`working-tree-encoding`, `filter`, `ident`) git applies to this path, when
    /// the walk that found it read them; a deployer's checkout of such a path holds other bytes than the blob.
    package var checkoutRewrites: [String] = []

    /// Whether paths are in the order reports use (Swift's string order), checked in one pass.
    static func inPathOrder(_ paths: some Sequence<String>) -> Bool {
        var previous: String?
        for p in paths {
            if let previous, p < previous { return false }
            previous = p
        }
        return true
    }
}

/// One open repository. Not shared between threads: libgit2 objects of one repository must not be used
/// concurrently, so each worker opens its own.
package final class Repository {
    let handle: OpaquePointer
    /// The path this handle was opened from, so that another thread can open its own handle the same way.
    package let openedFrom: String

    /// Opens the repository at or above `path` (a working tree, a bare repository or a linked worktree).
    package init(discoverFrom path: String) throws(GitError) {
        _ = libgit2Ready
        openedFrom = path
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, 0, nil), "open repository at \(path)")
        guard let repo else { throw GitError(kind: .other, code: -1, operation: "open repository", message: "no handle") }
        handle = repo
    }

    deinit { git_repository_free(handle) }

    package var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// The working directory, without a trailing slash; nil for a bare repository.
    package var workdir: String? {
        guard let p = git_repository_workdir(handle) else { return nil }
        var s = String(cString: p)
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// The git directory (`.git`, or the repository itself when bare).
    package var gitDirectory: String {
        String(cString: git_repository_path(handle))
    }

    /// Resolves a revision (`HEAD`, a branch, a tag, `HEAD~1`, a SHA…) to the commit it names, as `git rev-parse`
    /// would, except that a short name more than one ref answers to is an `ambiguousName` error instead of git's
    /// silent pick (see `checkUnambiguous`).
    package func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        try checkUnambiguous(revision)
        var object: OpaquePointer?
        try check(git_revparse_single(&object, handle, revision), "resolve revision '\(revision)'")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "resolve revision '\(revision)' to a commit")
        defer { git_object_free(commit) }
        guard let id = git_object_id(commit) else {
            throw GitError(kind: .other, code: -1, operation: "resolve revision", message: "no object id")
        }
        return ObjectID(id.pointee)
    }

    /// Every file-like entry of a commit's tree whose path `include` accepts, in path order.
    package func entries(at commit: ObjectID, where include: (String) -> Bool) throws(GitError) -> [TreeEntry] {
        var result: [TreeEntry] = []
        try forEachEntry(at: commit, where: include) { result.append($0) }
        // The walk gives git's order (paths' bytes); Swift orders strings by Unicode scalars, which differs only
        // for paths that are not in normal form. Already sorted input costs one pass.
        if !TreeEntry.inPathOrder(result.lazy.map(\.path)) { result.sort { $0.path < $1.path } }
        return result
    }

    /// Calls `body` for every file-like entry of a commit's tree whose path `include` accepts, in git's order
    /// (a subtree's entries where the subtree's name sorts), as the walk reaches it: callers can start work on
    /// the first entries while the rest of the tree is read. The walk keeps an explicit stack, so trees may
    /// nest arbitrarily deep; only the trees on the current path are held. An entry git refuses (`.git`, `.`,
    /// `..`: see `TreeEntryName`) anywhere in the tree is an `impossibleTreeEntry` error. Each entry carries
    /// `checkoutRewrites`, the attributes from the commit's `.gitattributes` that make git rewrite it on checkout.
    package func forEachEntry(at commit: ObjectID, where include: (String) -> Bool, _ body: (TreeEntry) -> Void) throws(GitError) {
        // One walk for every reader: each entry carries the attributes git would rewrite it with on checkout.
        try forEachEntry(at: commit, where: include, withCheckoutRewrites: { entry, rewrites in
            var entry = entry
            entry.checkoutRewrites = rewrites.map(\.name)
            body(entry)
        })
    }

    /// The entry at `path` in a commit's tree, or nil when there is none.
    package func entry(at commit: ObjectID, path: String) throws(GitError) -> TreeEntry? {
        let tree = try commitTree(commit)
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree.pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "find \(path)")
        defer { git_tree_entry_free(entry) }
        guard let entry, let oid = git_tree_entry_id(entry) else { return nil }
        return TreeEntry(path: path, id: ObjectID(oid.pointee), kind: Self.kind(of: git_tree_entry_filemode(entry)))
    }

    /// Calls `body` with a blob's bytes, without copying them.
    package func withBlob<T>(_ id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        var oid = id.oid
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, &oid), "read blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// A blob's bytes.
    package func readBlob(_ id: ObjectID) throws -> [UInt8] {
        try withBlob(id) { Array($0) }
    }

    func commitTree(_ commit: ObjectID) throws(GitError) -> OwnedTree {
        var oid = commit.oid
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, handle, &oid), "read commit \(commit)")
        defer { git_commit_free(c) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, c), "read the tree of commit \(commit)")
        guard let tree else { throw GitError(kind: .other, code: -1, operation: "read tree", message: "no tree") }
        return OwnedTree(tree)
    }

    static func kind(of mode: git_filemode_t) -> EntryKind {
        switch mode {
        case GIT_FILEMODE_BLOB: .blob
        case GIT_FILEMODE_BLOB_EXECUTABLE: .executable
        case GIT_FILEMODE_LINK: .symlink
        case GIT_FILEMODE_COMMIT: .submodule
        case GIT_FILEMODE_TREE: .tree
        default: .other
        }
    }
}

/// Owns one `git_tree*`.
final class OwnedTree {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_tree_free(pointer) }
}

extension ObjectID {
    /// The id git gives these bytes as a blob, without a repository.
    package static func blob(hashing bytes: [UInt8]) -> ObjectID {
        _ = libgit2Ready
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }
}

internal import CLibGit2

/// A path whose entry differs between two trees (or the index and a tree).
package struct PathChange: Sendable, Equatable {
    package var path: String
    /// The entry on the base side; nil when the path was added.
    package var base: TreeEntry?
    /// The entry on the head side; nil when the path was removed.
    package var head: TreeEntry?
}

extension Repository {
    /// The best common ancestor of two commits, or nil when they have none (or a shallow history hides it).
    package func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitError) -> ObjectID? {
        var out = git_oid()
        var one = a.oid
        var two = b.oid
        let code = git_merge_base(&out, handle, &one, &two)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "find the merge base of \(a.hex.prefix(12)) and \(b.hex.prefix(12))")
        return ObjectID(out)
    }

    /// The paths whose entries differ between two commits' trees, for paths `include` accepts.
    /// A recursive comparison that skips every subtree whose id is equal on both sides, so the cost follows the
    /// size of the change, not of the repository (libgit2's tree-to-tree diff is several times slower here).
    /// A head entry that differs from the base and that git refuses (`.git`, `.`, `..`: see `TreeEntryName`) is
    /// an `impossibleTreeEntry` error; as differing subtrees are descended into, that covers every new one.
    package func changedEntries(from base: ObjectID, to head: ObjectID, where include: (String) -> Bool) throws(GitError) -> [PathChange] {
        let baseTree = try commitTree(base)
        let headTree = try commitTree(head)
        var changes: [PathChange] = []
        var pending: [(OwnedTree?, OwnedTree?, String)] = [(baseTree, headTree, "")]
        while let (b, h, prefix) = pending.popLast() {
            // Names are compared as C strings and ids with git_oid_equal: Swift strings are only made for
            // entries that differ.
            var differing: [(name: String, base: RawEntry?, head: RawEntry?)] = []
            if let h {
                for i in 0..<git_tree_entrycount(h.pointer) {
                    guard let he = git_tree_entry_byindex(h.pointer, i), let name = git_tree_entry_name(he) else { continue }
                    let be = b.flatMap { git_tree_entry_byname($0.pointer, name) }
                    if let be, git_oid_equal(git_tree_entry_id(be), git_tree_entry_id(he)) == 1,
                        git_tree_entry_filemode(be) == git_tree_entry_filemode(he)
                    {
                        continue
                    }
                    // A new or changed entry git refuses makes the head unreadable (base-only entries are being
                    // removed, and unchanged ones were judged when they came).
                    if TreeEntryName.isImpossible(name) { throw GitError.impossibleEntry(in: prefix, name: name) }
                    differing.append((String(cString: name), be.map(RawEntry.init), RawEntry(he)))
                }
            }
            if let b {
                for i in 0..<git_tree_entrycount(b.pointer) {
                    guard let be = git_tree_entry_byindex(b.pointer, i), let name = git_tree_entry_name(be) else { continue }
                    if let h, git_tree_entry_byname(h.pointer, name) != nil { continue }
                    differing.append((String(cString: name), RawEntry(be), nil))
                }
            }
            for (name, be, he) in differing {
                let path = prefix.isEmpty ? name : prefix + "/" + name
                let bTree = be?.mode == GIT_FILEMODE_TREE.rawValue
                let hTree = he?.mode == GIT_FILEMODE_TREE.rawValue
                if bTree || hTree {
                    pending.append((bTree ? try lookupTree(be?.id, path) : nil, hTree ? try lookupTree(he?.id, path) : nil, path))
                }
                let bFile = (be != nil && !bTree) ? be : nil
                let hFile = (he != nil && !hTree) ? he : nil
                guard bFile != nil || hFile != nil, include(path) else { continue }
                changes.append(PathChange(path: path, base: bFile.map { $0.entry(path) }, head: hFile.map { $0.entry(path) }))
            }
        }
        changes.sort { $0.path < $1.path }
        return changes
    }

    /// The index's entries (stage 0) whose paths `include` accepts: what `git commit` would record (the index
    /// `useIndex(at:)` names, or the repository's own). An intent-to-add entry (`git add -N`) is not something the
    /// commit records, so it is left out (it would read as an empty file).
    package func indexEntries(where include: (String) -> Bool) throws(GitError) -> [TreeEntry] {
        var index: OpaquePointer?
        try check(git_repository_index(&index, handle), "open the index")
        defer { git_index_free(index) }
        var result: [TreeEntry] = []
        let count = git_index_entrycount(index)
        for i in 0..<count {
            guard let e = git_index_get_byindex(index, i), let p = e.pointee.path else { continue }
            let stage = (UInt32(e.pointee.flags) & 0x3000) >> 12  // GIT_INDEX_ENTRY_STAGE
            guard stage == 0 else { continue }
            guard UInt32(e.pointee.flags_extended) & GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue == 0 else { continue }
            let path = String(cString: p)
            guard include(path) else { continue }
            result.append(TreeEntry(path: path, id: ObjectID(e.pointee.id), kind: Self.kind(of: git_filemode_t(e.pointee.mode))))
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Reads the index from `path` from now on, instead of the repository's own: the index git hands a
    /// pre-commit hook (`GIT_INDEX_FILE`), from which `git commit -a` and `git commit PATH` commit.
    package func useIndex(at path: String) throws(GitError) {
        var index: OpaquePointer?
        try check(git_index_open(&index, path), "open the index \(path)")
        // The repository takes its own reference.
        defer { git_index_free(index) }
        try check(git_repository_set_index(handle, index), "use the index \(path)")
    }

    /// Compares the index with a commit: the pre-commit view of a change.
    package func stagedChanges(against commit: ObjectID?, where include: (String) -> Bool) throws(GitError) -> [PathChange] {
        let staged = try indexEntries(where: include)
        let committed = try commit.map { c throws(GitError) in try entries(at: c, where: include) } ?? []
        let before = Dictionary(committed.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(staged.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [PathChange] = []
        for path in Set(before.keys).union(after.keys).sorted() {
            let b = before[path]
            let a = after[path]
            if let b, let a, b.id == a.id, b.kind == a.kind { continue }
            changes.append(PathChange(path: path, base: b, head: a))
        }
        return changes
    }

    private func lookupTree(_ id: ObjectID?, _ path: String) throws(GitError) -> OwnedTree? {
        guard let id else { return nil }
        var oid = id.oid
        var t: OpaquePointer?
        try check(git_tree_lookup(&t, handle, &oid), "read tree \(path)")
        return t.map(OwnedTree.init)
    }
}

private struct RawEntry {
    var id: ObjectID
    var mode: UInt32

    init(_ e: OpaquePointer) {
        id = ObjectID(git_tree_entry_id(e).pointee)
        mode = git_tree_entry_filemode(e).rawValue
    }

    func entry(_ path: String) -> TreeEntry {
        TreeEntry(path: path, id: id, kind: Repository.kind(of: git_filemode_t(mode)))
    }
}

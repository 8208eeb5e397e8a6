internal import CLibGit2

/// One directory level of a pattern lookup: the entries to take from each tree reached so far.
package enum TreeStep: Sendable, Hashable {
    /// The entries with one of these names.
    case named([String])
    /// Every entry of the tree (a `*` segment).
    case any
}

/// An entry a pattern lookup reached: at the last step, or (when it is not a tree) at an earlier step where
/// the pattern needed a directory to descend into.
package struct TreeLookupHit: Sendable, Equatable {
    package var entry: TreeEntry
    /// The index of the step that reached the entry.
    package var step: Int
}

/// A tree's raw bytes (`<octal mode> <name>\0<20-byte id>`, repeated) and its path, read once (possibly on
/// another thread, with another repository handle) for lookups to scan.
package struct RawTree: Sendable {
    package let path: String
    let bytes: [UInt8]
}

extension Repository {
    /// Walks a commit's tree along `steps`, reading only the trees the steps name, and returns every entry the
    /// last step reaches that is not a tree, plus every non-tree entry (a file, link or submodule) an earlier
    /// step reaches where the walk needed a tree.
    ///
    /// Trees are read as raw objects and scanned once, entry by entry, rather than parsed by libgit2 and
    /// searched: a lookup of a few names in every directory of a `*` level reads each of those trees exactly
    /// once, and a scan costs less than a parse. A linear scan also finds every entry of a name, even in a tree
    /// whose entries are out of order or repeated (which a binary search could miss); a tree it cannot read is
    /// an error.
    package func lookUp(_ steps: [TreeStep], at commit: ObjectID) throws(GitError) -> [TreeLookupHit] {
        guard !steps.isEmpty else { return [] }
        return try walk(steps, from: [.id(try commitTreeID(commit), path: "", step: 0)], stopAt: nil).hits
    }

    /// Continues a lookup from trees read earlier (`readTrees`): `steps[firstStep...]` apply to their entries.
    package func lookUp(_ steps: [TreeStep], from trees: [RawTree], firstStep: Int) throws(GitError) -> [TreeLookupHit] {
        guard firstStep < steps.count else { return [] }
        return try walk(steps, from: trees.map { .raw($0, step: firstStep) }, stopAt: nil).hits
    }

    /// The trees a walk along `steps` reaches after its last step (the directories the next step would look
    /// into), and the non-tree entries it meets where it needed a tree.
    package func readTrees(along steps: [TreeStep], at commit: ObjectID) throws(GitError) -> (trees: [RawTree], hits: [TreeLookupHit]) {
        try walk(steps, from: [.id(try commitTreeID(commit), path: "", step: 0)], stopAt: steps.count)
    }

    private enum Pending {
        case id(ObjectID, path: String, step: Int)
        case raw(RawTree, step: Int)
    }

    /// The walk behind the lookups: a stack of trees still to read (at most the `*` fan-out of one level per
    /// level on the current path), each read and scanned once. Trees reached at step `stopAt` are returned
    /// unscanned.
    private func walk(_ steps: [TreeStep], from start: [Pending], stopAt: Int?) throws(GitError) -> (trees: [RawTree], hits: [TreeLookupHit]) {
        var odbPointer: OpaquePointer?
        try check(git_repository_odb(&odbPointer, handle), "open the object database")
        guard let odb = odbPointer else { throw GitError(kind: .other, code: -1, operation: "open the object database", message: "no handle") }
        defer { git_odb_free(odb) }
        let matchers = steps.map(NameMatcher.init)
        var trees: [RawTree] = []
        var hits: [TreeLookupHit] = []
        var stack = Array(start.reversed())
        while let next = stack.popLast() {
            let tree: RawTree
            let step: Int
            switch next {
            case .id(let id, let path, let s):
                tree = try Self.readRawTree(odb, id, path: path)
                step = s
            case .raw(let t, let s):
                tree = t
                step = s
            }
            if step == stopAt {
                trees.append(tree)
                continue
            }
            // A tree the step takes is walked into when another step follows, or when it is one of the trees asked for.
            let descend = step + 1 < steps.count || step + 1 == stopAt
            var found: [Pending] = []
            try tree.bytes.withUnsafeBufferPointer { (b) throws(GitError) in
                var offset = 0
                while let entry = try RawTree.entry(in: b, at: offset, path: tree.path) {
                    offset = entry.next
                    if RawTree.isForbidden(b, entry.name) {
                        let name = String(decoding: UnsafeBufferPointer(rebasing: b[entry.name]), as: UTF8.self)
                        throw GitError(
                            kind: .other, code: -1, operation: "read tree \(tree.path.isEmpty ? "(root)" : tree.path)",
                            message: "the tree holds an entry named '\(name)', which git fsck rejects and no checkout can write")
                    }
                    guard matchers[step].matches(b, entry.name) else { continue }
                    let name = String(decoding: UnsafeBufferPointer(rebasing: b[entry.name]), as: UTF8.self)
                    let path = tree.path.isEmpty ? name : tree.path + "/" + name
                    let id = RawTree.id(in: b, at: entry.id)
                    if entry.mode == GIT_FILEMODE_TREE {
                        if descend { found.append(.id(id, path: path, step: step + 1)) }
                        continue
                    }
                    hits.append(TreeLookupHit(entry: TreeEntry(path: path, id: id, kind: Self.kind(of: entry.mode)), step: step))
                }
            }
            stack += found.reversed()
        }
        return (trees, hits)
    }

    private static func readRawTree(_ odb: OpaquePointer, _ id: ObjectID, path: String) throws(GitError) -> RawTree {
        let shown = path.isEmpty ? "(root)" : path
        var oid = id.oid
        var obj: OpaquePointer?
        try check(git_odb_read(&obj, odb, &oid), "read tree \(shown)")
        guard let obj else { throw GitError(kind: .other, code: -1, operation: "read tree \(shown)", message: "no object") }
        defer { git_odb_object_free(obj) }
        guard git_odb_object_type(obj) == GIT_OBJECT_TREE else {
            throw GitError(kind: .other, code: -1, operation: "read tree \(shown)", message: "object \(id) is not a tree")
        }
        let size = git_odb_object_size(obj)
        guard size > 0, let data = git_odb_object_data(obj) else { return RawTree(path: path, bytes: []) }
        return RawTree(path: path, bytes: Array(UnsafeRawBufferPointer(start: data, count: size)))
    }

    private func commitTreeID(_ commit: ObjectID) throws(GitError) -> ObjectID {
        var oid = commit.oid
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, handle, &oid), "read commit \(commit)")
        defer { git_commit_free(c) }
        guard let id = git_commit_tree_id(c) else { throw GitError(kind: .other, code: -1, operation: "read commit \(commit)", message: "no tree") }
        return ObjectID(id.pointee)
    }
}

/// Which entry names one step takes: all, or those equal (as bytes) to one of a set of names. Candidates are
/// kept by length and compared by their first eight bytes as one word first, so an entry that is not wanted
/// costs an array read and a few word comparisons.
private struct NameMatcher {
    struct Candidate {
        var head: UInt64
        var bytes: [UInt8]
    }

    /// Nil: every name. Else, at index n, the wanted names of n bytes.
    let byLength: [[Candidate]]?

    init(_ step: TreeStep) {
        switch step {
        case .any: byLength = nil
        case .named(let names):
            let unique = Set(names).map { Array($0.utf8) }
            var table = [[Candidate]](repeating: [], count: (unique.map(\.count).max() ?? 0) + 1)
            for n in unique {
                let head = n.withUnsafeBufferPointer { Self.head($0, 0..<n.count) }
                table[n.count].append(Candidate(head: head, bytes: n))
            }
            byLength = table
        }
    }

    /// The first (up to) eight bytes of a range, as one word (the first byte lowest).
    static func head(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        // One load where the range has eight bytes: a `*` level of a large repository has tens of thousands of
        // names, most of one length, compared here.
        if range.count >= 8, let base = b.baseAddress {
            return UInt64(littleEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self))
        }
        var w: UInt64 = 0
        var shift: UInt64 = 0
        for i in range.lowerBound..<min(range.upperBound, range.lowerBound + 8) {
            w |= UInt64(b[i]) << shift
            shift += 8
        }
        return w
    }

    func matches(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let byLength else { return true }
        guard range.count < byLength.count else { return false }
        let candidates = byLength[range.count]
        guard !candidates.isEmpty else { return false }
        let head = Self.head(b, range)
        for candidate in candidates where candidate.head == head {
            var equal = true
            for k in 8..<max(8, candidate.bytes.count) where b[range.lowerBound + k] != candidate.bytes[k] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }
}

extension RawTree {
    struct Entry {
        /// The mode as libgit2 normalises it (`git_tree_entry_filemode`).
        var mode: git_filemode_t
        var name: Range<Int>
        /// Where the 20 bytes of the entry's object id start.
        var id: Int
        /// Where the next entry starts.
        var next: Int
    }

    /// The entry starting at `offset`; nil at the end of the tree. A malformed entry is an error.
    static func entry(in b: UnsafeBufferPointer<UInt8>, at offset: Int, path: String) throws(GitError) -> Entry? {
        let n = b.count
        guard offset < n, let base = b.baseAddress else { return nil }
        // Lookups scan tens of thousands of entries: wrapping arithmetic (the bounds are checked by hand) and the
        // name's end found eight bytes at a time.
        var p = offset
        var mode: UInt32 = 0
        while p < n {
            let digit = b[p] &- UInt8(ascii: "0")
            guard digit < 8 else { break }
            guard p &- offset < 7 else { throw malformed("its file mode", path) }
            mode = mode &<< 3 | UInt32(digit)
            p &+= 1
        }
        guard p > offset, p < n, b[p] == UInt8(ascii: " ") else { throw malformed("its file mode", path) }
        p &+= 1
        let nameStart = p
        while n &- p >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            // The lowest set bit of this mask is the top bit of the first zero byte (bits above it may be wrong).
            let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeros != 0 {
                p &+= zeros.trailingZeroBitCount >> 3
                break
            }
            p &+= 8
        }
        while p < n, b[p] != 0 { p &+= 1 }
        guard p < n, p > nameStart else { throw malformed("a file name", path) }
        let nameEnd = p
        p &+= 1
        guard n &- p >= 20 else { throw malformed("an object id", path) }
        guard let normalized = normalize(mode) else { throw malformed("the file mode \(String(mode, radix: 8))", path) }
        return Entry(mode: normalized, name: nameStart..<nameEnd, id: p, next: p &+ 20)
    }

    /// `.`, `..` and `.git` (in any case): names no checkout can write, which git fsck rejects.
    static func isForbidden(_ b: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        let dot = UInt8(ascii: ".")
        let lo = name.lowerBound
        switch name.count {
        case 1: return b[lo] == dot
        case 2: return b[lo] == dot && b[lo + 1] == dot
        case 4:
            return b[lo] == dot && b[lo + 1] | 0x20 == UInt8(ascii: "g") && b[lo + 2] | 0x20 == UInt8(ascii: "i")
                && b[lo + 3] | 0x20 == UInt8(ascii: "t")
        default: return false
        }
    }

    static func id(in b: UnsafeBufferPointer<UInt8>, at offset: Int) -> ObjectID {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            for k in 0..<20 { raw[k] = b[offset + k] }
        }
        return ObjectID(oid)
    }

    /// A mode as libgit2 reads it (`normalize_filemode`, which `git_tree_entry_filemode` applies to the 16 bits
    /// it keeps): tree type bits, else any owner-execute bit, else the gitlink and link types, else a blob.
    static func normalize(_ mode: UInt32) -> git_filemode_t? {
        guard mode <= 0o177777 else { return nil }
        let type = mode & 0o170000
        if type == 0o040000 { return GIT_FILEMODE_TREE }
        if mode & 0o100 != 0 { return GIT_FILEMODE_BLOB_EXECUTABLE }
        if type == 0o160000 { return GIT_FILEMODE_COMMIT }
        if type == 0o120000 { return GIT_FILEMODE_LINK }
        return GIT_FILEMODE_BLOB
    }

    private static func malformed(_ what: String, _ path: String) -> GitError {
        GitError(
            kind: .other, code: -1, operation: "read tree \(path.isEmpty ? "(root)" : path)",
            message: "the tree is malformed: cannot read \(what)")
    }
}

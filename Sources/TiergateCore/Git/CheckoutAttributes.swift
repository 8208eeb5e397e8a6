internal import CLibGit2

/// A git attribute that makes a checkout write something other than the blob: what a deployer reads from its
/// checkout is then not what tiergate read from the object database.
package struct CheckoutAttribute: Sendable, Equatable, CustomStringConvertible {
    /// `working-tree-encoding`, `filter` or `ident`.
    package var name: String
    /// The value it is set to (`UTF-7`, `lfs`), nil when it is set without one (`ident`). Repository text.
    package var value: String?

    package init(name: String, value: String?) {
        self.name = name
        self.value = value
    }

    /// `name=value` or `name`, with every byte of the value that is not printable ASCII shown as `\xNN`.
    package var description: String {
        guard let value else { return name }
        return "\(name)=\(TreeEntryName.display(Array(value.utf8)))"
    }
}

extension Repository {
    /// The attributes with which git rewrites a file on checkout: `working-tree-encoding` re-encodes it (UTF-7
    /// turns a quoted string of the blob into YAML structure), `filter` runs a driver over it (Git LFS replaces
    /// it), `ident` expands `$Id$`. Any value other than unset (`-filter`) or unspecified (`!filter`, no line)
    /// counts, even one git would ignore (`filter` naming no configured driver): the deployer's drivers are unknown.
    package static let checkoutRewriteAttributes = ["working-tree-encoding", "filter", "ident"]

    /// For each of `paths` (files of `commit`'s tree, or paths it may hold) that git would rewrite on checkout:
    /// the attributes that do it (`checkoutRewriteAttributes`). Paths without any are absent.
    ///
    /// Only the `.gitattributes` files of the commit's own tree count, from the top level down to each path's
    /// directory, read from the object database: what a fresh checkout of the commit applies. Not read: the
    /// working tree and the index (a checkout's state, not the commit's), `$GIT_DIR/info/attributes`,
    /// `core.attributesFile` and the system file (configuration of the machine running the gate, which neither a
    /// pull request nor the deployer's checkout shares). libgit2 1.5's attribute API cannot be limited to that
    /// (it always reads `info/attributes` and the global file) and differs from git where an attacker would
    /// look: it applies `!pattern` lines git ignores, does not unquote `"quoted"` patterns, and expands a macro
    /// only when it is defined above its use. So the files are read and applied here as git does (see
    /// `GitAttributes`), and where git versions differ (long lines, a byte-order mark) an attribute counts when
    /// any version would set it. Paths are matched case-sensitively, as on Linux (`core.ignorecase=false`).
    /// A path component holding U+FFFD (a name that is not UTF-8, as `TreeEntry.path` shows it) is looked up
    /// by the bytes of the names that read like it. Fails closed (`GitError`) on a `.gitattributes` over 1 MiB
    /// or one that cannot be read.
    package func checkoutRewrites(at commit: ObjectID, paths: [String]) throws(GitError) -> [String: [CheckoutAttribute]] {
        let resolver = try AttributeResolver(self, commit)
        var result: [String: [CheckoutAttribute]] = [:]
        for path in paths {
            let found = try resolver.attributes(for: path)
            if !found.isEmpty { result[path] = found }
        }
        return result
    }

    /// The same for every file-like entry under `directory` ("" for the whole tree) whose path `include`
    /// accepts, in one walk of that subtree: what a changed `.gitattributes` in `directory` does to the files
    /// below it. Entries git refuses (`.git`, `.`, `..`) met on the way are an `impossibleTreeEntry` error.
    package func checkoutRewrites(at commit: ObjectID, under directory: String, where include: (String) -> Bool) throws(GitError)
        -> [String: [CheckoutAttribute]]
    {
        let resolver = try AttributeResolver(self, commit)
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var result: [String: [CheckoutAttribute]] = [:]
        for dirBytes in try resolver.spellings(of: dir) {
            guard let start = try resolver.tree(at: dirBytes) else { continue }
            try walkWithAttributes(resolver, from: start, at: dirBytes, where: include) { entry, found in
                guard !found.isEmpty else { return }
                // Two names that are not UTF-8 may read the same: their attributes add up.
                let merged = (result[entry.path] ?? []) + found
                result[entry.path] = Repository.checkoutRewriteAttributes.compactMap { n in merged.first { $0.name == n } }
            }
        }
        return result
    }

    /// `forEachEntry(at:where:_:)` that also gives each entry the attributes with which a checkout would rewrite
    /// it (empty for almost all), from the `.gitattributes` files met on the way down: one walk for both, at
    /// the cost of the walk alone when no `.gitattributes` names these attributes. For `lint` of a revision.
    package func forEachEntry(
        at commit: ObjectID, where include: (String) -> Bool, withCheckoutRewrites body: (TreeEntry, [CheckoutAttribute]) -> Void
    ) throws(GitError) {
        let resolver = try AttributeResolver(self, commit)
        guard let root = try resolver.tree(at: []) else { return }
        try walkWithAttributes(resolver, from: root, at: [], where: include, body)
    }

    /// Walks the subtree `start` at `dir` in git's order, refusing impossible entries as `forEachEntry` does,
    /// with the trimmed attribute files that apply at each level.
    private func walkWithAttributes(
        _ resolver: AttributeResolver, from start: OwnedTree, at dir: [UInt8], where include: (String) -> Bool,
        _ body: (TreeEntry, [CheckoutAttribute]) -> Void
    ) throws(GitError) {
        var stack: [(tree: OwnedTree, prefix: String, bytes: [UInt8], next: Int, count: Int, files: [GitAttributes.File])] = [
            (start, String(decoding: dir, as: UTF8.self), dir, 0, git_tree_entrycount(start.pointer), try resolver.files(forDirectory: dir))
        ]
        while !stack.isEmpty {
            let top = stack.count - 1
            let i = stack[top].next
            guard i < stack[top].count else {
                stack.removeLast()
                continue
            }
            stack[top].next = i + 1
            let current = stack[top].tree
            guard let entry = git_tree_entry_byindex(current.pointer, i), let namePtr = git_tree_entry_name(entry),
                let oidPtr = git_tree_entry_id(entry)
            else { continue }
            let prefix = stack[top].prefix
            if TreeEntryName.isImpossible(namePtr) { throw GitError.impossibleEntry(in: prefix, name: namePtr) }
            let name = String(cString: namePtr)
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let mode = git_tree_entry_filemode(entry)
            if mode == GIT_FILEMODE_TREE {
                var sub: OpaquePointer?
                try check(git_tree_lookup(&sub, handle, oidPtr), "read tree \(path)")
                guard let sub else { continue }
                let tree = OwnedTree(sub)
                let bytes = Self.join(stack[top].bytes, namePtr)
                var files = stack[top].files
                if let file = try resolver.uncachedFile(in: tree, directory: bytes) { files.insert(file, at: 0) }
                stack.append((tree, path, bytes, 0, git_tree_entrycount(sub), files))
                continue
            }
            guard include(path) else { continue }
            let files = stack[top].files
            let found = files.isEmpty ? [] : resolver.attributes(for: Self.join(stack[top].bytes, namePtr), files: files)
            body(TreeEntry(path: path, id: ObjectID(oidPtr.pointee), kind: Self.kind(of: mode)), found)
        }
    }

    /// `prefix/name` as bytes.
    private static func join(_ prefix: [UInt8], _ name: UnsafePointer<CChar>) -> [UInt8] {
        var bytes = prefix
        if !bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
        var k = 0
        while name[k] != 0 {
            bytes.append(UInt8(bitPattern: name[k]))
            k += 1
        }
        return bytes
    }

    /// Whether `path` is a `.gitattributes` file (at the top level or in a directory).
    package static func isAttributesFile(_ path: String) -> Bool {
        path == ".gitattributes" || path.hasSuffix("/.gitattributes")
    }

    /// The directories in which a change touched a `.gitattributes` (added, changed, removed or replaced), none
    /// inside another ("" for the top level): the subtrees whose files' attributes the change may have changed,
    /// for `checkoutRewrites(at:under:where:)`. `changes` must come from a comparison whose filter accepts
    /// `.gitattributes` paths (`isAttributesFile`).
    package static func attributeDirectories(changedIn changes: [PathChange]) -> [String] {
        var dirs = Set<String>()
        for change in changes where isAttributesFile(change.path) {
            dirs.insert(change.path == ".gitattributes" ? "" : String(change.path.dropLast("/.gitattributes".count)))
        }
        if dirs.contains("") { return [""] }
        return dirs.sorted().filter { d in
            // Leave out a directory inside another one of the set.
            var parent = d
            while let slash = parent.lastIndex(of: "/") {
                parent = String(parent[..<slash])
                if dirs.contains(parent) { return false }
            }
            return true
        }
    }
}

/// The `.gitattributes` files of one commit, read once each, and what they give paths. Paths are bytes here, as
/// in the trees: a name that is not UTF-8 reaches callers with U+FFFD in it, and is looked up by its bytes.
final class AttributeResolver {
    private static let attributesName: [CChar] = Array(".gitattributes".utf8CString)
    /// How many byte paths one path given with U+FFFD may stand for before the lookup gives up (fails closed).
    static let maxSpellings = 64
    /// The largest `.gitattributes` read (like a manifest): parsed rules take some 50 times a short line's
    /// bytes, and each path is matched against every rule that applies to it. A larger one fails closed.
    static let maxFileSize = 1024 * 1024
    private let repo: Repository
    private var stack = AttributeStack(asked: Repository.checkoutRewriteAttributes)
    /// Trees by directory (empty for the top level); nil when the commit has no tree there.
    private var trees: [[UInt8]: OwnedTree?] = [:]
    /// Trimmed attribute files by directory; nil when the directory has none (or none that matters).
    private var files: [[UInt8]: GitAttributes.File?] = [:]

    init(_ repo: Repository, _ commit: ObjectID) throws(GitError) {
        self.repo = repo
        let root = try repo.commitTree(commit)
        trees[[]] = root
        let top = try read(in: root, directory: [])
        stack.setTopLevel(top)
        files[[]] = top.flatMap { stack.trimmed($0) }
    }

    /// The tree at `directory` (bytes, without a trailing slash), walking down through the trees already read.
    func tree(at directory: [UInt8]) throws(GitError) -> OwnedTree? {
        if let cached = trees[directory] { return cached }
        var parent = trees[[]] ?? nil
        var path: [UInt8] = []
        for component in directory.split(separator: UInt8(ascii: "/")) {
            if !path.isEmpty { path.append(UInt8(ascii: "/")) }
            path += component
            if let cached = trees[path] {
                parent = cached
                continue
            }
            var next: OwnedTree?
            if let p = parent, let entry = Self.entry(p, named: component), git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE {
                var sub: OpaquePointer?
                try check(git_tree_lookup(&sub, repo.handle, git_tree_entry_id(entry)), "read tree \(TreeEntryName.display(path))")
                next = sub.map(OwnedTree.init)
            }
            trees[path] = next
            parent = next
        }
        return parent
    }

    private static func entry(_ tree: OwnedTree, named name: ArraySlice<UInt8>) -> OpaquePointer? {
        let cName = name.map { CChar(bitPattern: $0) } + [0]
        return cName.withUnsafeBufferPointer { git_tree_entry_byname(tree.pointer, $0.baseAddress) }
    }

    /// The trimmed attribute file of the directory whose tree is `tree`, read once.
    func file(in tree: OwnedTree, directory: [UInt8]) throws(GitError) -> GitAttributes.File? {
        if let cached = files[directory] { return cached }
        let file = try uncachedFile(in: tree, directory: directory)
        files[directory] = file
        return file
    }

    /// The same, not kept: for a walk, which meets each directory once.
    func uncachedFile(in tree: OwnedTree, directory: [UInt8]) throws(GitError) -> GitAttributes.File? {
        try read(in: tree, directory: directory).flatMap { stack.trimmed($0) }
    }

    /// The trimmed files that apply to files in `directory`, deepest first.
    func files(forDirectory directory: [UInt8]) throws(GitError) -> [GitAttributes.File] {
        var result: [GitAttributes.File] = []
        var dir: [UInt8] = []
        var components = directory.split(separator: UInt8(ascii: "/")).makeIterator()
        while true {
            guard let tree = try tree(at: dir) else { break }
            if let file = try file(in: tree, directory: dir) { result.insert(file, at: 0) }
            guard let next = components.next() else { break }
            if !dir.isEmpty { dir.append(UInt8(ascii: "/")) }
            dir += next
        }
        return result
    }

    /// The attributes of `path` as callers spell it. A component holding U+FFFD may stand for a name whose bytes
    /// are not UTF-8: every name of the commit's tree that reads the same counts, and their attributes add up.
    func attributes(for path: String) throws(GitError) -> [CheckoutAttribute] {
        var found: [CheckoutAttribute] = []
        for bytes in try spellings(of: path) {
            let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
            let directory = slash.map { Array(bytes[..<$0]) } ?? []
            for a in attributes(for: bytes, files: try files(forDirectory: directory)) where !found.contains(where: { $0.name == a.name }) {
                found.append(a)
            }
        }
        return Repository.checkoutRewriteAttributes.compactMap { name in found.first { $0.name == name } }
    }

    func attributes(for path: [UInt8], files: [GitAttributes.File]) -> [CheckoutAttribute] {
        guard !files.isEmpty else { return [] }
        return stack.evaluate(path: path, files: files).map { id, value in
            let name = stack.asked[id]
            switch value {
            case .string(let bytes): return CheckoutAttribute(name: name, value: String(decoding: bytes, as: UTF8.self))
            default: return CheckoutAttribute(name: name, value: nil)
            }
        }
    }

    /// The byte paths `path` may stand for: itself when it holds no U+FFFD, else, component by component, the
    /// names of the commit's trees that decode to the same text (or the text's own bytes where none does); of
    /// those, the ones the commit holds when there are any.
    func spellings(of path: String) throws(GitError) -> [[UInt8]] {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return [Array(path.utf8)] }
        var candidates: [[UInt8]] = [[]]
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            var next: [[UInt8]] = []
            for prefix in candidates {
                var names: [[UInt8]] = []
                if component.unicodeScalars.contains("\u{FFFD}"), let parent = try tree(at: prefix) {
                    names = Self.rawNames(parent, matching: String(component), trees: !isLast)
                }
                if names.isEmpty { names = [Array(component.utf8)] }
                for name in names { next.append(prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name) }
            }
            guard next.count <= Self.maxSpellings else {
                throw GitError(
                    kind: .other, code: -1, operation: "read the attributes of \(TreeEntryName.display(Array(path.utf8)))",
                    message: "more than \(Self.maxSpellings) paths of the commit that are not UTF-8 read as this one")
            }
            candidates = next
        }
        // Spellings the commit holds, if any does; all of them for a path it does not hold (yet).
        var held: [[UInt8]] = []
        for c in candidates {
            let slash = c.lastIndex(of: UInt8(ascii: "/"))
            if let dir = try tree(at: slash.map { Array(c[..<$0]) } ?? []), Self.entry(dir, named: c[(slash.map { $0 + 1 } ?? 0)...]) != nil {
                held.append(c)
            }
        }
        return held.isEmpty ? candidates : held
    }

    /// The raw names of `tree`'s entries (trees only, if `trees`) that decode, lossily, to `text`.
    private static func rawNames(_ tree: OwnedTree, matching text: String, trees: Bool) -> [[UInt8]] {
        var names: [[UInt8]] = []
        for i in 0..<git_tree_entrycount(tree.pointer) {
            guard let e = git_tree_entry_byindex(tree.pointer, i), let cName = git_tree_entry_name(e) else { continue }
            if trees && git_tree_entry_filemode(e) != GIT_FILEMODE_TREE { continue }
            var raw: [UInt8] = []
            var k = 0
            while cName[k] != 0 {
                raw.append(UInt8(bitPattern: cName[k]))
                k += 1
            }
            if String(decoding: raw, as: UTF8.self) == text { names.append(raw) }
        }
        return names
    }

    /// Reads and parses the `.gitattributes` entry of `tree`, if it has one git would read: a blob, executable
    /// or symbolic link (git reads a link's blob from the index as the file's text); not a tree or a submodule.
    private func read(in tree: OwnedTree, directory: [UInt8]) throws(GitError) -> GitAttributes.File? {
        guard let entry = Self.attributesName.withUnsafeBufferPointer({ git_tree_entry_byname(tree.pointer, $0.baseAddress) }) else { return nil }
        let mode = git_tree_entry_filemode(entry)
        guard mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK else { return nil }
        var blob: OpaquePointer?
        let shown = TreeEntryName.display(directory.isEmpty ? Array(".gitattributes".utf8) : directory + Array("/.gitattributes".utf8))
        try check(git_blob_lookup(&blob, repo.handle, git_tree_entry_id(entry)), "read \(shown)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size <= Self.maxFileSize else {
            throw GitError(
                kind: .other, code: -1, operation: "read \(shown)",
                message: "it is \(size) bytes, over the \(Self.maxFileSize / 1024 / 1024) MiB tiergate reads of a .gitattributes, so what a checkout would do to the files below it is unknown")
        }
        let bytes = UnsafeBufferPointer(start: git_blob_rawcontent(blob)?.assumingMemoryBound(to: UInt8.self), count: size > 0 ? size : 0)
        return GitAttributes.parse(bytes, directory: directory, names: &stack.names)
    }
}

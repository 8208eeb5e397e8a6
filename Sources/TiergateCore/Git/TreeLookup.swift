internal import CLibGit2

/// One directory level of a pattern lookup: the entries to take from each tree reached so far.
public enum TreeStep: Sendable, Hashable {
    /// Each of these names, looked up directly (`git_tree_entry_byname`, a binary search of the tree).
    case named([String])
    /// Every entry of the tree (a `*` segment).
    case any
}

/// An entry a pattern lookup reached: at the last step, or (when it is not a tree) at an earlier step where
/// the pattern needed a directory to descend into.
public struct TreeLookupHit: Sendable, Equatable {
    public var entry: TreeEntry
    /// The index of the step that reached the entry.
    public var step: Int
}

extension Repository {
    /// Walks a commit's tree along `steps`, reading only the trees the steps name, and returns every entry the
    /// last step reaches that is not a tree, plus every non-tree entry (a file, link or submodule) an earlier
    /// step reaches where the walk needed a tree. The walk keeps an explicit stack of the trees on the current
    /// path, so neither deep patterns nor wide `*` levels hold more than one tree per level.
    public func lookUp(_ steps: [TreeStep], at commit: ObjectID) throws(GitError) -> [TreeLookupHit] {
        guard !steps.isEmpty else { return [] }
        struct Frame {
            var tree: OwnedTree
            var prefix: String
            var step: Int
            var next: Int
            var count: Int
        }
        func frame(_ tree: OwnedTree, _ prefix: String, _ step: Int) -> Frame {
            let count: Int
            switch steps[step] {
            case .named(let names): count = names.count
            case .any: count = git_tree_entrycount(tree.pointer)
            }
            return Frame(tree: tree, prefix: prefix, step: step, next: 0, count: count)
        }
        var hits: [TreeLookupHit] = []
        var stack = [frame(try commitTree(commit), "", 0)]
        while !stack.isEmpty {
            let top = stack.count - 1
            let i = stack[top].next
            guard i < stack[top].count else {
                stack.removeLast()
                continue
            }
            stack[top].next = i + 1
            let current = stack[top]
            let raw: OpaquePointer?
            switch steps[current.step] {
            case .named(let names):
                let wanted = names[i]
                // A name with a slash or NUL is no single tree entry.
                guard !wanted.isEmpty, !wanted.utf8.contains(UInt8(ascii: "/")), !wanted.utf8.contains(0) else { continue }
                raw = git_tree_entry_byname(current.tree.pointer, wanted)
            case .any:
                raw = git_tree_entry_byindex(current.tree.pointer, i)
            }
            guard let entry = raw, let namePtr = git_tree_entry_name(entry), let oidPtr = git_tree_entry_id(entry) else { continue }
            let name = String(cString: namePtr)
            let path = current.prefix.isEmpty ? name : current.prefix + "/" + name
            let mode = git_tree_entry_filemode(entry)
            let isLast = current.step == steps.count - 1
            if mode == GIT_FILEMODE_TREE {
                guard !isLast else { continue }
                var sub: OpaquePointer?
                try check(git_tree_lookup(&sub, handle, oidPtr), "read tree \(path)")
                if let sub { stack.append(frame(OwnedTree(sub), path, current.step + 1)) }
                continue
            }
            hits.append(TreeLookupHit(entry: TreeEntry(path: path, id: ObjectID(oidPtr.pointee), kind: Self.kind(of: mode)), step: current.step))
        }
        return hits
    }
}

import Foundation

/// `manifests.layout` (SPEC section 5): where each app's manifest lives, as a path pattern with one `{name}`
/// segment (`apps/*/{name}/microapp.yaml`). Every other segment is literal or exactly `*` (any one directory
/// name); `**` is not allowed, so a name has a bounded set of places and can be looked up without reading the
/// rest of the tree. The `{name}` segment may carry a literal prefix and suffix (`apps/{name}.microapp.yaml`).
package struct ManifestLayout: Sendable, Hashable, CustomStringConvertible {
    package enum Segment: Sendable, Hashable {
        case literal(String)
        /// `*`: any one non-empty directory name.
        case any
        /// The segment that says the app's name: `prefix{name}suffix`.
        case name(prefix: String, suffix: String)
    }

    /// The pattern as written in the policy.
    package let pattern: String
    package let segments: [Segment]
    /// The index of the `{name}` segment in `segments`.
    package let nameIndex: Int

    package var description: String { pattern }

    static let placeholder = "{name}"

    /// Reads a pattern; the error says what is wrong with it, for a `policy-invalid` message.
    package static func parse(_ pattern: String) -> Result<ManifestLayout, LayoutError> {
        func invalid(_ why: String) -> Result<ManifestLayout, LayoutError> {
            .failure(LayoutError(message: "manifests.layout '\(pattern)' \(why)"))
        }
        guard !pattern.isEmpty else { return invalid("is empty") }
        guard !pattern.hasPrefix("/") else { return invalid("must be relative to the repository root (no leading '/')") }
        guard !pattern.hasSuffix("/") else { return invalid("must end with the manifest's file name, not '/'") }
        var segments: [Segment] = []
        var nameIndex: Int?
        for raw in pattern.split(separator: "/", omittingEmptySubsequences: false) {
            let s = String(raw)
            if s.isEmpty { return invalid("has an empty segment ('//')") }
            if s == "." || s == ".." { return invalid("may not contain '.' or '..' segments") }
            if s == "**" { return invalid("may not use '**': each segment is literal, '*' or holds {name}, so a name has few places to look") }
            if s == "*" {
                segments.append(.any)
                continue
            }
            if let r = s.range(of: placeholder) {
                if nameIndex != nil { return invalid("has more than one {name} segment; it needs exactly one") }
                let prefix = String(s[..<r.lowerBound])
                let suffix = String(s[r.upperBound...])
                guard isLiteral(prefix), isLiteral(suffix) else {
                    return invalid("mixes {name} with wildcards or braces in one segment; around {name} only literal text is allowed")
                }
                nameIndex = segments.count
                segments.append(.name(prefix: prefix, suffix: suffix))
                continue
            }
            guard isLiteral(s) else {
                return invalid("has the segment '\(s)'; a segment is literal text, exactly '*', or holds {name}")
            }
            segments.append(.literal(s))
        }
        guard let nameIndex else { return invalid("has no {name} segment; it needs exactly one") }
        return .success(ManifestLayout(pattern: pattern, segments: segments, nameIndex: nameIndex))
    }

    package struct LayoutError: Error, Sendable, Hashable {
        package var message: String
    }

    private static func isLiteral(_ s: String) -> Bool {
        !s.utf8.contains { c in
            c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
                || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") || c == UInt8(ascii: "/") || c == 0
        }
    }

    /// The name a path says, when the path fits the layout; nil when it does not. The name is the text in the
    /// `{name}` place, whether or not it is a valid app name (a manifest there must carry exactly that name).
    package func name(atPath path: String) -> String? {
        guard let p = place(of: path), p.complete else { return nil }
        return p.name
    }

    /// Whether a path is a place the layout names (for some name).
    package func fits(_ path: String) -> Bool { name(atPath: path) != nil }

    /// The layout path of `name` in the directories of `path` (its `*` segments kept): where an app found at
    /// `path` belongs. Nil when `path` does not fit the layout.
    package func path(for name: String, like path: String) -> String? {
        guard fits(path) else { return nil }
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard case .name(let prefix, let suffix) = segments[nameIndex] else { return nil }
        parts[nameIndex] = prefix + name + suffix
        return parts.joined(separator: "/")
    }

    /// The pattern as tree-lookup steps: `*` lists a tree, the `{name}` step looks each name up directly.
    func steps(for names: [String]) -> [TreeStep] {
        segments.map { segment in
            switch segment {
            case .literal(let s): .named([s])
            case .any: .any
            case .name(let prefix, let suffix): .named(names.map { prefix + $0 + suffix })
            }
        }
    }

    /// A path of this layout, with every `*` and `{name}` filled in, for checking that the include globs reach
    /// the places the layout names.
    var samplePath: String {
        segments.map { segment in
            switch segment {
            case .literal(let s): s
            case .any: "x"
            case .name(let prefix, let suffix): prefix + "app" + suffix
            }
        }.joined(separator: "/")
    }

    /// Every entry of a revision at the layout path of one of `names` (any kind but a directory: a symlink or
    /// submodule in a name's place claims the name too), and every link or submodule that stands where the
    /// layout needs a directory at or below the `{name}` segment. Only the directories the pattern names are
    /// read: one listing per tree for each `*` segment, one direct lookup per name and literal segment.
    /// The result maps each name to the entries that hold it, in walk order.
    /// With `nameLevel` (from `nameLevelTrees`, read earlier), the lookup starts from those trees.
    package func entries(
        holding names: some Sequence<String>, at commit: ObjectID, in repo: Repository, nameLevel: [RawTree]? = nil
    ) throws(GitError) -> [String: [TreeEntry]] {
        let unique = Array(Set(names)).sorted()
        guard !unique.isEmpty else { return [:] }
        let steps = steps(for: unique)
        let hits: [TreeLookupHit]
        if let nameLevel {
            hits = try repo.lookUp(steps, from: nameLevel, firstStep: nameIndex)
        } else {
            hits = try repo.lookUp(steps, at: commit)
        }
        var result: [String: [TreeEntry]] = [:]
        for hit in hits {
            // A link or submodule above the `{name}` segment says nothing about any one name: what may hide
            // behind it is the business of the check that refuses links where the globs reach.
            guard hit.step >= nameIndex else { continue }
            guard let name = self.name(inPrefixOf: hit.entry.path) else { continue }
            result[name, default: []].append(hit.entry)
        }
        return result
    }

    /// The directories the `{name}` segment looks into (`teams/<each team>/apps` for
    /// `teams/*/apps/{name}/microapp.yaml`), read whole: what every name lookup needs, known before the names
    /// are, so `check` reads them on another core while it reads the changed files.
    package func nameLevelTrees(at commit: ObjectID, in repo: Repository) throws(GitError) -> [RawTree] {
        try repo.readTrees(along: Array(steps(for: []).prefix(nameIndex)), at: commit).trees
    }

    /// The name in the `{name}` place of a path that reaches at least that far into the layout (its walk
    /// found it, so the segments before are known to fit).
    func name(inPrefixOf path: String) -> String? {
        place(of: path)?.name
    }

    /// Where a path stands in the layout: the name of its `{name}` place, and whether the path is a whole
    /// layout path (`complete`) or only the directories from the `{name}` segment down (a link or submodule
    /// there stands in a name's place). Nil when the path does not follow the layout that far.
    package func place(of path: String) -> (name: String, complete: Bool)? {
        // Bytes, not Unicode equivalence: git names are bytes, and the lookup compares bytes. `lint` asks this
        // of every manifest, so the path is read in place, segment by segment, without splitting it.
        if let r = path.utf8.withContiguousStorageIfAvailable({ place(of: $0) }) { return r }
        return Array(path.utf8).withUnsafeBufferPointer { place(of: $0) }
    }

    private func place(of b: UnsafeBufferPointer<UInt8>) -> (name: String, complete: Bool)? {
        var found: String?
        var index = 0
        var start = 0
        while true {
            var end = start
            while end < b.count, b[end] != UInt8(ascii: "/") { end += 1 }
            guard index < segments.count else { return nil }
            let part = UnsafeBufferPointer(rebasing: b[start..<end])
            switch segments[index] {
            case .literal(let s):
                guard part.elementsEqual(s.utf8) else { return nil }
            case .any:
                guard !part.isEmpty else { return nil }
            case .name(let prefix, let suffix):
                guard let n = Self.strip(part, prefix, suffix) else { return nil }
                found = n
            }
            index += 1
            if end == b.count { break }
            start = end + 1
        }
        guard index > nameIndex, let found else { return nil }
        return (found, index == segments.count)
    }

    /// The non-empty text between a literal prefix and suffix, compared as bytes.
    static func strip(_ part: UnsafeBufferPointer<UInt8>, _ prefix: String, _ suffix: String) -> String? {
        let p = prefix.utf8.count
        let s = suffix.utf8.count
        guard part.count > p + s, part.prefix(p).elementsEqual(prefix.utf8), part.suffix(s).elementsEqual(suffix.utf8) else {
            return nil
        }
        return String(decoding: UnsafeBufferPointer(rebasing: part[p..<(part.count - s)]), as: UTF8.self)
    }
}

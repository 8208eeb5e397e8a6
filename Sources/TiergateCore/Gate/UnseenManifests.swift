/// What the manifest globs cannot see, in a change (SPEC section 5): a changed file outside the globs that holds a
/// `microapps/` document (`manifest-outside-include`: a deployer that reads every YAML file would deploy it,
/// unreviewed), and a symlink or submodule where an include glob could descend (`not-a-manifest-file`: the gate
/// cannot see through it, so a manifest behind it would pass unseen). A path `manifests.exclude` names is known
/// to be harmless and is left alone.
package enum UnseenManifests {
    static let marker = Array("microapps/".utf8)
    /// The marker as UTF-16 (either byte order): a reader that honours a byte-order mark still sees it.
    static let markerUTF16LE: [UInt8] = marker.flatMap { [$0, 0] }
    static let markerUTF16BE: [UInt8] = marker.flatMap { [0, $0] }
    static let yamlExtensions = ["yaml", "yml", "json"]

    /// `commit` is the head commit (nil for the index), where a link's target is looked up.
    package static func findings(for change: PathChange, in repo: Repository, at commit: ObjectID?, policy: Policy) throws(TiergateError) -> [Finding] {
        guard let head = change.head, !policy.manifests.exclude.contains(where: { $0.matches(change.path) }) else { return [] }
        switch head.kind {
        case .symlink, .submodule:
            guard policy.manifests.include.contains(where: { $0.couldMatch(below: change.path) }) else {
                return head.kind == .symlink ? try linkToManifest(change.path, head, in: repo, at: commit) : []
            }
            let what = head.kind == .symlink ? "a symbolic link" : "a submodule"
            return refusal(
                .notAManifestFile, of: change.path,
                message: "\(change.path) is \(what) where manifests may live; tiergate cannot see the manifests behind it, so it refuses it: commit the files themselves, or name the path in manifests.exclude if it holds none")
        case .blob, .executable:
            let holds: Bool
            do { holds = try repo.withBlob(head.id) { holdsManifest($0, path: change.path) } } catch {
                throw .reading(change.path, error)
            }
            guard holds else { return [] }
            return refusal(
                .manifestOutsideInclude, of: change.path,
                message: "\(change.path) holds a microapps/ document but lies outside the manifest globs (manifests.include), so the gate would not judge it while a deployer may apply it: move it to a manifest path, or drop the document")
        case .tree, .other:
            return []
        }
    }

    /// A link outside the globs' reach whose target is a file holding a `microapps/` document: a deployer reading
    /// every YAML file follows it and applies that document under the link's name. A link named YAML or JSON whose
    /// target the gate cannot read (outside the repository, another link, missing) is refused as well.
    static func linkToManifest(_ path: String, _ link: TreeEntry, in repo: Repository, at commit: ObjectID?) throws(TiergateError) -> [Finding] {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let unreadable = refusal(
            .notAManifestFile, of: path,
            message: "\(path) is a symbolic link named like a YAML or JSON file whose target tiergate cannot read in this revision; commit the file itself")
        let target: [UInt8]
        do { target = try repo.readBlob(link.id) } catch { throw .reading(path, error) }
        guard let commit, let resolved = resolve(String(decoding: target, as: UTF8.self), from: path) else {
            return yamlExtensions.contains(ext) ? unreadable : []
        }
        let entry: TreeEntry?
        do { entry = try repo.entry(at: commit, path: resolved) } catch { throw .reading(path, error) }
        guard let entry, entry.kind == .blob || entry.kind == .executable else {
            return yamlExtensions.contains(ext) && entry?.kind != .tree ? unreadable : []
        }
        let holds: Bool
        do { holds = try repo.withBlob(entry.id) { holdsManifest($0, path: path) || holdsManifest($0, path: resolved) } } catch {
            throw .reading(resolved, error)
        }
        guard holds else { return [] }
        return refusal(
            .manifestOutsideInclude, of: path,
            message: "\(path) is a symbolic link to \(resolved), which holds a microapps/ document: a deployer that reads every YAML file would apply it under this name, unjudged; drop the link")
    }

    /// The one finding about a changed path: it is refused as a whole, so the finding points at its start.
    private static func refusal(_ id: FindingID, of path: String, message: String) -> [Finding] {
        [Finding(id, message: message, path: path, mark: .start)]
    }

    /// A link's target as a path from the repository's root; nil when it is absolute or leaves the repository.
    static func resolve(_ target: String, from linkPath: String) -> String? {
        guard !target.hasPrefix("/") else { return nil }
        var parts = linkPath.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// Whether a file's bytes hold a `microapps/` document. Only files that mention `microapps/` are parsed, and
    /// files named YAML or JSON that may spell it with escapes (`"microapps\x2Fv1"`, `"microapps\/v1"`: every YAML
    /// and JSON reader decodes them) or are not UTF-8 text; a document counts when any of its `apiVersion` keys
    /// (duplicates included: other readers take the last) says `microapps/`. A file named YAML or JSON that mentions
    /// `microapps/`, or is not UTF-8 text, and that tiergate cannot read is taken as one (fail closed).
    static func holdsManifest(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        if contains(bytes, markerUTF16LE) || contains(bytes, markerUTF16BE) { return true }
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let yamlNamed = yamlExtensions.contains(ext)
        let literal = contains(bytes, marker)
        let maybeEscaped = yamlNamed && bytes.contains { $0 == UInt8(ascii: "\\") || $0 == 0 }
        guard literal || maybeEscaped else { return false }
        let parsed = YAMLParser.parse(bytes)
        for doc in parsed.documents {
            for pair in doc.root.mapping ?? [] where pair.key.keyText == "apiVersion" {
                if let s = pair.value.scalar, case .string(let v) = s.value, v.hasPrefix("microapps/") { return true }
            }
        }
        let problems = parsed.problems.filter { $0.kind != .ambiguousScalar }
        guard yamlNamed, !problems.isEmpty else { return false }
        return literal || problems.contains { $0.kind == .encoding }
    }

    /// A linear search (the needle is short and has no repeated prefix worth a table).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

extension Glob {
    /// Whether some path strictly below the directory `dir` could match this glob: where a symlink or submodule at
    /// `dir` could hide a manifest. Runs the glob's segments as a set of states over `dir`'s segments.
    package func couldMatch(below dir: String) -> Bool {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        let doubleStar = Array("**".utf8)
        func closure(_ states: Set<Int>) -> Set<Int> {
            var out = states
            for p in states.sorted() {
                var q = p
                while q < segments.count && segments[q] == doubleStar {
                    q += 1
                    out.insert(q)
                }
            }
            return out
        }
        var states = closure([0])
        for part in dir.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            var next = Set<Int>()
            for p in states where p < segments.count {
                if segments[p] == doubleStar {
                    next.insert(p)
                } else if Glob.segmentMatches(segments[p][...], Array(part)[...]) {
                    next.insert(p + 1)
                }
            }
            states = closure(next)
            if states.isEmpty { return false }
        }
        return states.contains { $0 < segments.count }
    }
}

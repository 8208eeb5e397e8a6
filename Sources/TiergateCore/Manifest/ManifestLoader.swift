/// Reads the manifests of a commit straight from the object database.
public enum ManifestLoader {
    public static func load(from repo: Repository, commit: ObjectID, matcher: PathMatcher) throws -> [ManifestFile] {
        let entries = try repo.entries(at: commit, where: matcher.matches)
        var files: [ManifestFile] = []
        files.reserveCapacity(entries.count)
        for entry in entries {
            files.append(try load(entry, from: repo))
        }
        return files
    }

    /// One tree entry at a manifest path: only regular files are read.
    public static func load(_ entry: TreeEntry, from repo: Repository) throws -> ManifestFile {
        switch entry.kind {
        case .blob, .executable:
            return try repo.withBlob(entry.id) { ManifestReader.read($0, path: entry.path) }
        case .symlink:
            return .notAManifest(
                path: entry.path,
                reason: "\(entry.path) is a symbolic link; tiergate does not follow links at manifest paths: commit the manifest itself")
        case .submodule:
            return .notAManifest(
                path: entry.path,
                reason: "\(entry.path) is a submodule, not a file; a manifest must be a file of this repository")
        case .tree, .other:
            return .notAManifest(path: entry.path, reason: "\(entry.path) is not a regular file")
        }
    }
}

/// Reads manifest files straight from the object database.
public enum ManifestLoader {
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

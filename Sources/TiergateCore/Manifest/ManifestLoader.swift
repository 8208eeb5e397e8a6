/// Reads manifest files straight from the object database.
package enum ManifestLoader {
    /// One tree entry at a manifest path: only regular files are read.
    package static func load(_ entry: TreeEntry, from repo: Repository) throws -> ManifestFile {
        if !entry.checkoutRewrites.isEmpty {
            return .notAManifest(path: entry.path, reason: rewrittenOnCheckout(entry.path, by: entry.checkoutRewrites))
        }
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

    /// Why a path git rewrites on checkout is not a manifest (SPEC section 8).
    static func rewrittenOnCheckout(_ path: String, by attributes: [String]) -> String {
        "git rewrites \(path) on checkout (\(attributes.joined(separator: ", ")) in .gitattributes), so a deployer would read other bytes than the gate: drop those attributes for manifest paths"
    }
}

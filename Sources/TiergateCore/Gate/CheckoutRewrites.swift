/// What tiergate reads is what a deployer checks out (SPEC section 8). Git attributes that rewrite a file on
/// checkout (`working-tree-encoding`, `filter`, `ident`) make the blob tiergate reads differ from the file the
/// deployer gets: `working-tree-encoding=UTF-7` turns a quoted string of the blob into structure. A manifest path
/// with such attributes at head is `not-a-manifest-file`, whether the manifest changed or a `.gitattributes` did.
enum CheckoutRewrites {
    struct Found {
        var findings: [Finding] = []
        /// The manifest paths git would rewrite: their apps are never `moved` or `reformatted`.
        var paths: Set<String> = []
    }

    static func find(_ changed: [PathChange], in repo: Repository, at head: ObjectID?, policy: Policy) throws(TiergateError) -> Found {
        // The index (`--staged`) has no commit to read attributes from; CI judges the commit.
        guard let head else { return Found() }
        let touched = changed.compactMap { c in c.head.flatMap { $0.kind == .blob || $0.kind == .executable ? c.path : nil } }
            .filter { policy.manifests.matches($0) }
        var rewrites: [String: [CheckoutAttribute]]
        do {
            rewrites = try repo.checkoutRewrites(at: head, paths: touched)
            for dir in Repository.attributeDirectories(changedIn: changed) {
                rewrites.merge(try repo.checkoutRewrites(at: head, under: dir, where: policy.manifests.matches)) { a, _ in a }
            }
        } catch { throw .reading("the git attributes at head", error) }
        var found = Found()
        for (path, attributes) in rewrites.sorted(by: { $0.key < $1.key }) {
            found.paths.insert(path)
            found.findings += ManifestFile.notAManifest(path: path, reason: ManifestLoader.rewrittenOnCheckout(path, by: attributes.map(\.name))).findings
        }
        return found
    }
}

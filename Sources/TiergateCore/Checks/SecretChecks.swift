extension ManifestCheck {
    /// `secret-literal`: any string in the manifest looks like a credential. Runs on the YAML tree itself, so a
    /// pasted token is caught even in a manifest whose shape is broken.
    static let secretLiteral = ManifestCheck(
        .secretLiteral, triggering: .edit("ref: vault://kv/apps/example/crm", to: "ref: AKIAIOSFODNN7EXAMPLE", at: 20, 12)
    ) { c in
        var keys: [(SecretScanner.Kind, Mark)] = []
        var values: [(SecretScanner.Kind, Mark)] = []
        c.manifest.root.forEachString { text, key, mark, isKey in
            // A key can itself be the pasted secret.
            if let kind = SecretScanner.scan(text, key: isKey ? nil : key) { isKey ? keys.append((kind, mark)) : values.append((kind, mark)) }
        }
        guard !keys.isEmpty || !values.isEmpty else { return [] }
        // Field paths are only worked out when there is a hit, and for all hits in one walk: a manifest of
        // thousands of pasted keys costs one walk, not one per key.
        let fields = fieldPaths(in: c.manifest.root, to: Set((keys + values).map(\.1)))
        let keyHits = keys.map { kind, mark in
            CheckHit("a key of the manifest looks like \(kind.rawValue); remove it and rotate the credential", field: fields[mark], mark: mark)
        }
        let valueHits = values.map { kind, mark in
            CheckHit(
                "\(fields[mark] ?? "a value") looks like \(kind.rawValue). Never put secrets in a manifest: store it in the vault, reference it under spec.secrets (for example vault://kv/apps/NAME/KEY), and rotate it, because it is now in git history",
                field: fields[mark], mark: mark)
        }
        return (keyHits + valueHits).sorted { $0.mark < $1.mark }
    }

    /// The dotted path of the scalar at each of `marks`, for all the marks in one walk with an explicit stack
    /// (the parser bounds depth at 64): a value's own path, and for a key the path of the mapping that holds it
    /// (the key's text may be the credential). The first path found for a mark is kept.
    static func fieldPaths(in root: YAMLNode, to marks: Set<Mark>) -> [Mark: String] {
        var found: [Mark: String] = [:]
        var stack: [(YAMLNode, String)] = [(root, "")]
        while let (node, path) = stack.popLast(), found.count < marks.count {
            if node.isScalar {
                if marks.contains(node.mark), found[node.mark] == nil, !path.isEmpty { found[node.mark] = path }
            } else if node.isSequence {
                for i in 0..<node.count { stack.append((node.item(i), "\(path)[\(i)]")) }
            } else if node.isMapping {
                for i in 0..<node.count {
                    let keyNode = node.key(i)
                    if marks.contains(keyNode.mark), found[keyNode.mark] == nil, !path.isEmpty { found[keyNode.mark] = path }
                    let k = keyNode.keyText ?? "?"
                    stack.append((node.value(i), path.isEmpty ? k : "\(path).\(k)"))
                }
            }
        }
        return found
    }

    /// `scheme://rest`: the text before the first `://` is an allowed scheme and something other than another
    /// `://` follows it. Byte matching: this runs for every secret of every manifest.
    static func isSecretReference(_ ref: String, schemes: [String]) -> Bool {
        var ref = ref
        return ref.withUTF8 { b -> Bool in
            func separator(at i: Int) -> Bool {
                i + 3 <= b.count && b[i] == UInt8(ascii: ":") && b[i + 1] == UInt8(ascii: "/") && b[i + 2] == UInt8(ascii: "/")
            }
            var i = 0
            while i + 3 <= b.count, !separator(at: i) { i += 1 }
            guard separator(at: i), i + 3 < b.count, !separator(at: i + 3) else { return false }
            let scheme = String(decoding: UnsafeBufferPointer(rebasing: b[0..<i]), as: UTF8.self)
            return schemes.contains(scheme)
        }
    }

    /// `secret-ref-scheme`: a secret's `ref` must be `<scheme>://...` with a scheme the policy allows.
    static let secretRefScheme = ManifestCheck(
        .secretRefScheme, triggering: .edit("ref: vault://kv/apps/example/crm", to: "ref: s3://bucket/crm", at: 20, 12)
    ) { app, c in
        let schemes = c.policy.secretRefSchemes
        return app.spec.secrets.enumerated().compactMap { i, secret in
            isSecretReference(secret.ref, schemes: schemes)
                ? nil
                : c.hit(
                    "the secret \(secret.name) must be a reference like \(schemes.first ?? "vault")://path/to/secret (allowed schemes: \(schemes.joined(separator: ", "))), not a value or another kind of address",
                    at: "spec.secrets[\(i)].ref")
        }
    }
}

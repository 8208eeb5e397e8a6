/// `secret-literal`: any string in the manifest looks like a credential. Runs on the YAML tree itself, so a
/// pasted token is caught even in a manifest whose shape is broken.
package struct SecretLiteralCheck: ManifestCheck {
    package let id = "secret-literal"
    package let defaultSeverity = Severity.error
    package let summary = "A string looks like a credential (cloud key, token, private key, JWT, URL password, random value under a secret-like key)"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("ref: vault://kv/apps/example/crm", with: "ref: AKIAIOSFODNN7EXAMPLE"), line: 20, column: 12)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        var hits: [CheckHit] = []
        var values: [(SecretScanner.Kind, Mark)] = []
        c.manifest.root.forEachString { text, key, mark, isKey in
            if isKey {
                // A key can itself be the pasted secret.
                if let kind = SecretScanner.scan(text, key: nil) {
                    hits.append(CheckHit("a key of the manifest looks like \(kind.rawValue); remove it and rotate the credential", at: mark))
                }
                return
            }
            if let kind = SecretScanner.scan(text, key: key) { values.append((kind, mark)) }
        }
        // Field paths are only worked out when there is a hit, and for all hits in one walk: a manifest of
        // thousands of pasted keys costs one walk, not one per key.
        let fields = values.isEmpty ? [:] : Self.fieldPaths(in: c.manifest.root, to: Set(values.map(\.1)))
        for (kind, mark) in values {
            hits.append(
                CheckHit(
                    "\(fields[mark] ?? "a value") looks like \(kind.rawValue). Never put secrets in a manifest: store it in the vault, reference it under spec.secrets (for example vault://kv/apps/NAME/KEY), and rotate it, because it is now in git history",
                    at: mark))
        }
        return hits.sorted { $0.mark < $1.mark }
    }

    /// The dotted path of the scalar at each of `marks`, as `YAMLNode.path(to:)` finds it (the same walk, in the
    /// same order, the first path found for a mark kept), for all the marks in one walk.
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
                    let k = node.key(i).keyText ?? "?"
                    stack.append((node.value(i), path.isEmpty ? k : "\(path).\(k)"))
                }
            }
        }
        return found
    }
}

/// `secret-ref-scheme`: a secret's `ref` must be `<scheme>://...` with a scheme the policy allows.
package struct SecretRefSchemeCheck: ManifestCheck {
    /// `scheme://rest`: the text before the first `://` is an allowed scheme and something other than another
    /// `://` follows it. Byte matching: this runs for every secret of every manifest.
    static func isReference(_ ref: String, schemes: [String]) -> Bool {
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

    package let id = "secret-ref-scheme"
    package let defaultSeverity = Severity.error
    package let summary = "A secret reference does not use a vault scheme of the policy's secretRefSchemes"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("ref: vault://kv/apps/example/crm", with: "ref: s3://bucket/crm"), line: 20, column: 12)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app else { return [] }
        let schemes = c.policy.secretRefSchemes
        var hits: [CheckHit] = []
        for (i, secret) in app.spec.secrets.enumerated() {
            if Self.isReference(secret.ref, schemes: schemes) { continue }
            hits.append(
                CheckHit(
                    "the secret \(secret.name) must be a reference like \(schemes.first ?? "vault")://path/to/secret (allowed schemes: \(schemes.joined(separator: ", "))), not a value or another kind of address",
                    at: c.mark("spec.secrets[\(i)].ref")))
        }
        return hits
    }
}

import Foundation

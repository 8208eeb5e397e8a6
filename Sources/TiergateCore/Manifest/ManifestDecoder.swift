/// A manifest document read into the typed model, with the position of every field for findings.
package struct DecodedManifest: Sendable {
    /// The typed app, or nil when a required field is missing or malformed (the `schema` findings say why).
    package var app: MicroApp?
    /// `metadata.name` when it is a valid name, even if other fields are broken: findings still name the app.
    package var name: String?
    package var root: YAMLNode
    /// `schema` and `unknown-field` findings.
    package var findings: [Finding]
    /// A digest of the document's exact text: equal values with another digest means reformatted.
    package var textDigest: UInt64 = 0

    /// The position of a field (`spec.network.egress`, `spec.integrations[0].access`), or of the nearest
    /// enclosing node that exists. Looked up in the tree only when a finding needs it.
    package func mark(of fieldPath: String) -> Mark { root.nearest(fieldPath).mark }
}

/// Turns a YAML document into a `MicroApp` and the findings about its shape (SPEC section 1), by the table of
/// `ManifestSchema`. The schema has a fixed depth, so the walk is bounded by it, whatever the document holds.
package enum ManifestDecoder {
    package static func decode(_ document: YAMLDocument, path: String) -> DecodedManifest {
        var reader = MappingReader(ManifestSchema.document)
        var app = MicroApp()
        let isMapping = reader.read(document.root, as: ManifestSchema.root, at: FieldName(""), into: &app)
        let findings = reader.problems.map { problem in
            problem.kind == .unknownKey
                ? Finding(.unknownField, message: problem.message, path: path, mark: problem.mark)
                : Finding(.schema, message: problem.message, path: path, mark: problem.mark)
        }
        return DecodedManifest(
            app: isMapping && reader.invalidCount == 0 ? app : nil, name: appName(document.root), root: document.root,
            findings: findings)
    }

    /// `metadata.name` when it is a valid name, even if other fields are broken.
    private static func appName(_ root: YAMLNode) -> String? {
        guard case .string(let name) = root.field("metadata")?.field("name")?.scalarValue, isAppName(name) else { return nil }
        return name
    }

    /// Lower-case DNS name: labels of letters, digits and inner hyphens, at most 253 characters.
    package static func isHostName(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for c in u {
            if c == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let alnum = (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c)
                guard alnum || c == UInt8(ascii: "-") else { return false }
                if labelLength == 0 && !alnum { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = c
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    package static func isAppName(_ s: String) -> Bool {
        s.utf8.count <= 63 && isDNSLabel(s.utf8)
    }

    private static func isDNSLabel<C: Collection>(_ b: C) -> Bool where C.Element == UInt8 {
        guard let first = b.first, b.count <= 63 else { return false }
        func ok(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c) }
        guard ok(first) else { return false }
        var last = first
        for c in b {
            guard ok(c) || c == UInt8(ascii: "-") else { return false }
            last = c
        }
        return ok(last)
    }
}

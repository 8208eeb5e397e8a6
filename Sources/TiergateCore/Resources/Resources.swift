/// Files that ship inside the tool (see `ci/embed-resources.py`).
package enum BundledFile {
    /// The text of a bundled file by its path in the source tree (`schemas/microapp.schema.json`), ending in a newline.
    package static func text(_ path: String) -> String? {
        EmbeddedFiles.files[path].map { $0 + "\n" }
    }

    /// The paths of every bundled file under a directory, sorted.
    package static func paths(under prefix: String) -> [String] {
        EmbeddedFiles.files.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every bundled file, by path.
    package static var all: [String: String] { EmbeddedFiles.files.mapValues { $0 + "\n" } }
}

/// `tiergate schema NAME`.
package enum SchemaName: String, Sendable, CaseIterable {
    case manifest, policy, report, decision
    case policyTest = "policy-test"

    package var path: String {
        switch self {
        case .manifest: "schemas/microapp.schema.json"
        case .policy: "schemas/policy.schema.json"
        case .report: "schemas/report.schema.json"
        case .decision: "schemas/decision.schema.json"
        case .policyTest: "schemas/policy-test.schema.json"
        }
    }

    /// The manifest schema is made from `ManifestSchema`'s table (the file under schemas/ is its copy).
    package var text: String? { self == .manifest ? ManifestSchema.jsonSchema : BundledFile.text(path) }
}

internal import CEmbeddedFiles

/// Files that ship inside the tool: those under schemas/ and fixtures/demo/, compiled in from the files themselves
/// (`Sources/CEmbeddedFiles`, whose list `ci/embed-resources.py` writes).
package enum BundledFile {
    /// The text of a bundled file by its path in the source tree (`schemas/microapp.schema.json`).
    package static func text(_ path: String) -> String? { all[path] }

    /// The paths of every bundled file under a directory, sorted.
    package static func paths(under prefix: String) -> [String] {
        all.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Every bundled file, by path.
    package static let all: [String: String] = {
        var files: [String: String] = [:]
        for index in 0..<tiergate_embedded_file_count() {
            let file = tiergate_embedded_file_at(index)
            let bytes = UnsafeBufferPointer(start: file.bytes, count: file.count)
            files[String(cString: file.path)] = String(decoding: bytes, as: UTF8.self)
        }
        return files
    }()
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

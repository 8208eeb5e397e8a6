/// The hard limits of SPEC section 4 (`yaml-limits`). A file past any of them is refused, never half-read.
package enum YAMLLimits {
    package static let maxFileBytes = 1 << 20
    package static let maxDepth = 64
    package static let maxAliasExpansion = 10_000
    package static let maxDocuments = 100
}

/// Something wrong with a YAML file at the YAML level, before any manifest meaning.
package struct YAMLProblem: Sendable, Hashable {
    /// The finding id each kind of problem is reported under.
    package enum Kind: String, Sendable, CaseIterable {
        case syntax = "yaml-syntax"
        case duplicateKey = "yaml-duplicate-key"
        case unsupported = "yaml-unsupported"
        case limits = "yaml-limits"
        case encoding = "yaml-encoding"
        case ambiguousScalar = "yaml-ambiguous-scalar"

        /// The finding id the problem is reported under (`FindingID`, where every id's facts are kept).
        package var id: FindingID {
            switch self {
            case .syntax: .yamlSyntax
            case .duplicateKey: .yamlDuplicateKey
            case .unsupported: .yamlUnsupported
            case .limits: .yamlLimits
            case .encoding: .yamlEncoding
            case .ambiguousScalar: .yamlAmbiguousScalar
            }
        }

        package var defaultSeverity: Severity { id.defaultSeverity }
    }

    package var kind: Kind
    package var message: String
    package var mark: Mark

    package init(_ kind: Kind, _ message: String, at mark: Mark) {
        self.kind = kind
        self.message = message
        self.mark = mark
    }

    package static func fileTooLarge(_ size: Int) -> YAMLProblem {
        YAMLProblem(
            .limits, "the file is \(size) bytes, over the limit of \(YAMLLimits.maxFileBytes) bytes (1 MiB); split it",
            at: .start)
    }
}

package struct YAMLParseResult: Sendable {
    /// Every document that was read completely. Empty documents (a lone `---`) are left out.
    package var documents: [YAMLDocument]
    package var problems: [YAMLProblem]
    /// False when reading stopped early (syntax error, limit, cycle…): what follows the problem was not read.
    package var complete: Bool
    /// Number of documents the stream held, empty ones included, as far as it was read.
    package var documentCount: Int
}

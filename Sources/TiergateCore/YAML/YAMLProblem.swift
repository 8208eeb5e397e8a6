/// The hard limits of SPEC section 4 (`yaml-limits`). A file past any of them is refused, never half-read.
public enum YAMLLimits {
    public static let maxFileBytes = 1 << 20
    public static let maxDepth = 64
    public static let maxAliasExpansion = 10_000
    public static let maxDocuments = 100
}

/// Something wrong with a YAML file at the YAML level, before any manifest meaning.
public struct YAMLProblem: Sendable, Hashable {
    /// The finding id each kind of problem is reported under.
    public enum Kind: String, Sendable, CaseIterable {
        case syntax = "yaml-syntax"
        case duplicateKey = "yaml-duplicate-key"
        case unsupported = "yaml-unsupported"
        case limits = "yaml-limits"
        case encoding = "yaml-encoding"
        case ambiguousScalar = "yaml-ambiguous-scalar"

        public var defaultSeverity: Severity { self == .ambiguousScalar ? .warning : .error }
    }

    public var kind: Kind
    public var message: String
    public var mark: Mark

    public init(_ kind: Kind, _ message: String, at mark: Mark) {
        self.kind = kind
        self.message = message
        self.mark = mark
    }

    public static func fileTooLarge(_ size: Int) -> YAMLProblem {
        YAMLProblem(
            .limits, "the file is \(size) bytes, over the limit of \(YAMLLimits.maxFileBytes) bytes (1 MiB); split it",
            at: .start)
    }
}

public struct YAMLParseResult: Sendable {
    /// Every document that was read completely. Empty documents (a lone `---`) are left out.
    public var documents: [YAMLDocument]
    public var problems: [YAMLProblem]
    /// False when reading stopped early (syntax error, limit, cycle…): what follows the problem was not read.
    public var complete: Bool
    /// Number of documents the stream held, empty ones included, as far as it was read.
    public var documentCount: Int
}

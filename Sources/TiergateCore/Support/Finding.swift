/// A position in a file, 1-based, as editors and CI annotations count it.
public struct Mark: Sendable, Hashable, Codable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = Mark(line: 1, column: 1)

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Why a finding does not count: a policy exception that covers it.
public struct Suppression: Sendable, Hashable, Codable {
    public var reason: String
    public var expires: String

    public init(reason: String, expires: String) {
        self.reason = reason
        self.expires = expires
    }
}

/// One problem about a manifest, a policy or a file. The same value type flows from the checks to every reporter.
public struct Finding: Sendable, Hashable, Codable {
    public var id: String
    public var severity: Severity
    public var message: String
    public var path: String
    public var line: Int
    public var column: Int
    public var app: String?
    public var suppressed: Suppression?

    public init(
        id: String, severity: Severity, message: String, path: String,
        mark: Mark, app: String? = nil, suppressed: Suppression? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.path = path
        self.line = mark.line
        self.column = mark.column
        self.app = app
        self.suppressed = suppressed
    }

    public var mark: Mark { Mark(line: line, column: column) }

    /// Whether the finding counts towards the decision (a suppressed one does not).
    public var counts: Bool { suppressed == nil }

    enum CodingKeys: String, CodingKey {
        case id, severity, message, path, line, column, app, suppressed
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encode(path, forKey: .path)
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
        try c.encode(app, forKey: .app)  // always present, null when the finding is about no app
        try c.encodeIfPresent(suppressed, forKey: .suppressed)
    }
}

extension Finding {
    /// Stable order for reports: by path, position, then id.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.path != b.path { return a.path < b.path }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        return a.id < b.id
    }
}

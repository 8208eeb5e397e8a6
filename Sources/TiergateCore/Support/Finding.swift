/// A position in a file, 1-based, as editors and CI annotations count it.
package struct Mark: Sendable, Hashable, Codable, Comparable {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package static let start = Mark(line: 1, column: 1)

    package static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

package enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Why a finding does not count: a policy exception that covers it.
package struct Suppression: Sendable, Hashable, Codable {
    package var reason: String
    package var expires: String

    package init(reason: String, expires: String) {
        self.reason = reason
        self.expires = expires
    }
}

/// One problem about a manifest, a policy or a file. The same value type flows from the checks to every reporter.
package struct Finding: Sendable, Hashable, Codable {
    package var id: String
    package var severity: Severity
    package var message: String
    package var path: String
    package var line: Int
    package var column: Int
    package var app: String?
    package var suppressed: Suppression?

    package init(
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

    package var mark: Mark { Mark(line: line, column: column) }

    /// Whether the finding counts towards the decision (a suppressed one does not).
    package var counts: Bool { suppressed == nil }

    enum CodingKeys: String, CodingKey {
        case id, severity, message, path, line, column, app, suppressed
    }

    package func encode(to encoder: Encoder) throws {
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
    package static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.path != b.path { return a.path < b.path }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        return a.id < b.id
    }
}

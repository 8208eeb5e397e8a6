/// A position in a file, 1-based, as editors and CI annotations count it.
package struct Mark: Sendable, Hashable, Comparable {
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

package enum Severity: String, Sendable, CaseIterable, Comparable {
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
package struct Suppression: Sendable, Hashable {
    package var reason: String
    package var expires: String

    package init(reason: String, expires: String) {
        self.reason = reason
        self.expires = expires
    }
}

/// One problem about a manifest, a policy or a file. The same value type flows from the checks to every reporter.
/// A built-in finding is made from its `FindingID` (which gives its default severity); a policy rule's finding
/// from the rule.
package struct Finding: Sendable, Hashable {
    /// A `FindingID`'s raw value, or a policy rule's id (the policy loader refuses a rule with a built-in id).
    package var id: String
    package var severity: Severity
    package var message: String
    package var path: String
    package var line: Int
    package var column: Int
    /// The field the finding is about, as a dotted path (`spec.lifecycle.ttlDays`), when one is known: a stable
    /// name for the finding that line numbers are not (SARIF's `partialFingerprints`). Not part of the JSON report.
    package var field: String?
    package var app: String?
    package var suppressed: Suppression?

    /// A built-in finding, at its id's default severity (the policy's `checks` may change it later).
    package init(_ id: FindingID, message: String, path: String, mark: Mark, field: String? = nil, app: String? = nil) {
        self.init(id: id.rawValue, severity: id.defaultSeverity, message: message, path: path, mark: mark, field: field, app: app)
    }

    /// A policy rule's finding: its id, severity and message.
    package init(rule: Rule, path: String, mark: Mark, field: String?, app: String?) {
        self.init(id: rule.id, severity: rule.severity, message: rule.message, path: path, mark: mark, field: field, app: app)
    }

    /// A built-in finding by its id string, for the call sites not yet converted to `FindingID` (the manifest
    /// decoder and reader). The id must be a `FindingID`'s.
    @available(*, deprecated, message: "make a built-in finding from its FindingID: Finding(.id, message:path:mark:)")
    package init(id: String, severity: Severity, message: String, path: String, mark: Mark, app: String? = nil) {
        assert(FindingID(rawValue: id) != nil, "\(id) is not a built-in finding id")
        self.init(id: id, severity: severity, message: message, path: path, mark: mark, field: nil, app: app)
    }

    private init(id: String, severity: Severity, message: String, path: String, mark: Mark, field: String?, app: String?) {
        self.id = id
        self.severity = severity
        self.message = message
        self.path = path
        self.line = mark.line
        self.column = mark.column
        self.field = field
        self.app = app
        self.suppressed = nil
    }

    package var mark: Mark { Mark(line: line, column: column) }

    /// The built-in id, nil for a policy rule's finding.
    package var builtIn: FindingID? { FindingID(rawValue: id) }

    /// Whether the finding counts towards the decision (a suppressed one does not).
    package var counts: Bool { suppressed == nil }
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

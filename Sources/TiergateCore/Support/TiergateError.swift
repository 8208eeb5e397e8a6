/// A failure of the tool itself (bad usage, unreadable repository, invalid policy…): the gate could not decide.
/// Always exit status 2. Distinct from a `Finding`, which is about a manifest.
package struct TiergateError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        case usage
        case repository
        case revision
        case unsupportedRepository
        case shallowHistory
        case io
        case policy
        case approvals
    }

    package var kind: Kind
    /// What went wrong, including the underlying library's own message.
    package var message: String
    /// What the user should do about it, in one short sentence.
    package var fix: String?
    /// The problems behind it, one line each (every mistake of an invalid policy, as `path:line:col: message`).
    package var details: [String]

    package init(_ kind: Kind, _ message: String, fix: String? = nil, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.fix = fix
        self.details = details
    }

    /// One line for stderr: the problem, then the fix; then each detail on a line of its own. What the message
    /// quotes from a repository (a path, a name) is redacted and made terminal-safe (`inert`).
    package var description: String {
        let safe = inert
        let first = safe.fix.map { "tiergate: \(safe.message); \($0)" } ?? "tiergate: \(safe.message)"
        return ([first] + safe.details).joined(separator: "\n")
    }
}

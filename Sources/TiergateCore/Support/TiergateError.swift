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

    package init(_ kind: Kind, _ message: String, fix: String? = nil) {
        self.kind = kind
        self.message = message
        self.fix = fix
    }

    /// One line for stderr: the problem, then the fix. What the message quotes from a repository (a path, a
    /// name) is redacted and made terminal-safe (`inert`).
    package var description: String {
        let safe = inert
        guard let fix = safe.fix else { return "tiergate: \(safe.message)" }
        return "tiergate: \(safe.message); \(fix)"
    }
}

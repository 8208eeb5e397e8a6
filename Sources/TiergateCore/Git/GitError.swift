internal import CLibGit2

/// A libgit2 failure, with libgit2's own message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case notFound
        case ambiguous
        case notOwned
        case unsupportedFormat
        case unbornBranch
        case other
    }

    public var kind: Kind
    public var code: Int32
    /// What tiergate was doing.
    public var operation: String
    /// libgit2's message.
    public var message: String

    public var description: String { "\(operation): \(message)" }

    /// Captures libgit2's last error for a failed call.
    static func last(_ code: Int32, _ operation: String) -> GitError {
        let message = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "libgit2 error \(code)"
        let kind: Kind
        // libgit2 1.5.1 reports a failed ownership check as "config value 'safe.directory' was not found"
        // (GIT_ENOTFOUND) when no safe.directory is configured, instead of GIT_EOWNER.
        if code == GIT_EOWNER.rawValue || message.contains("safe.directory") || message.contains("not owned by current user") {
            return GitError(kind: .notOwned, code: code, operation: operation, message: message)
        }
        switch code {
        case GIT_ENOTFOUND.rawValue: kind = .notFound
        case GIT_EAMBIGUOUS.rawValue: kind = .ambiguous
        case GIT_EOWNER.rawValue: kind = .notOwned
        case GIT_EUNBORNBRANCH.rawValue: kind = .unbornBranch
        default:
            kind = message.contains("objectformat") || message.contains("unsupported extension") ? .unsupportedFormat : .other
        }
        return GitError(kind: kind, code: code, operation: operation, message: message)
    }
}

/// Runs a libgit2 call and throws its error.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw GitError.last(code, operation()) }
}

internal import CLibGit2

/// A libgit2 failure, with libgit2's own message.
package struct GitError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        case notFound
        case ambiguous
        case notOwned
        case unsupportedFormat
        case unbornBranch
        /// A short revision name that more than one ref answers to (`origin/main` as a tag and as a
        /// remote-tracking branch): `candidates` lists their full names in git's order of precedence.
        case ambiguousName
        /// A tree holds an entry no checkout can write (`.git` in any spelling git refuses, `.`, `..`, an empty
        /// name or one holding `/`): the revision cannot be read as a deployer would check it out.
        case impossibleTreeEntry
        case other
    }

    package var kind: Kind
    package var code: Int32
    /// What tiergate was doing.
    package var operation: String
    /// libgit2's message (or tiergate's, for the kinds libgit2 does not know).
    package var message: String
    /// For `ambiguousName`: the full names of the refs the name matches, in git's order of precedence.
    package var candidates: [String] = []

    package var description: String { "\(operation): \(message)" }

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

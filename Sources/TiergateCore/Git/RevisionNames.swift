internal import CLibGit2

/// How `git rev-parse` reads the name at the start of a revision, and which refs answer to it.
enum RevisionName {
    /// git's rules for a short name, in its order of precedence (gitrevisions(7)): `<n>` itself (a name under
    /// the git directory such as `HEAD`; libgit2, like git's ref-name rules, only takes all-caps one-level names
    /// there), `refs/<n>`, `refs/tags/<n>`, `refs/heads/<n>`, `refs/remotes/<n>`, `refs/remotes/<n>/HEAD`.
    static let rules: [(prefix: String, suffix: String)] = [
        ("", ""), ("refs/", ""), ("refs/tags/", ""), ("refs/heads/", ""), ("refs/remotes/", ""), ("refs/remotes/", "/HEAD"),
    ]

    /// The name part of a revision: what comes before the first `~`, `^`, `:` or `@{` (`origin/main~2` →
    /// `origin/main`, `HEAD@{1}` → `HEAD`, `:/fix` → empty). The rest (`~2`) is returned as the suffix.
    static func split(_ revision: String) -> (name: String, suffix: String) {
        let bytes = Array(revision.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "~") || b == UInt8(ascii: "^") || b == UInt8(ascii: ":") { break }
            if b == UInt8(ascii: "@"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") { break }
            i += 1
        }
        return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[i...], as: UTF8.self))
    }

    static func isHex(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
    }
}

extension Repository {
    /// Refuses a revision whose name part git would pick silently among several refs.
    ///
    /// `git rev-parse` resolves a short name by the first rule that finds a ref and only warns when later rules
    /// find others: a pushed tag `origin/main` wins over the remote-tracking branch `refs/remotes/origin/main`.
    /// Here a short name that more than one ref answers to is `ambiguousName`, with every candidate's full name.
    /// A short hexadecimal name that is both a ref and an abbreviated object id is ambiguous too (git warns).
    /// Not checked: 40-digit object ids (git takes the object), names that start with `refs/` (taken as the full
    /// name: when no such ref exists the revision is unknown, even if a ref such as `refs/tags/refs/...` would
    /// answer to it by a later rule), and revisions without a name part (`@{-1}`, `:/text`, `@`).
    func checkUnambiguous(_ revision: String) throws(GitError) {
        let (name, _) = RevisionName.split(revision)
        guard !name.isEmpty, name != "@" else { return }
        if name.utf8.count == 40, RevisionName.isHex(name) { return }
        let found = refsMatching(shortName: name)
        if name.hasPrefix("refs/") {
            guard !found.isEmpty, found.first != name else { return }
            throw GitError(
                kind: .notFound, code: GIT_ENOTFOUND.rawValue, operation: "resolve revision '\(revision)'",
                message: "there is no ref \(name); a full name is taken as it is, not as \(found.joined(separator: " or "))")
        }
        var candidates = found
        if candidates.count == 1, name.utf8.count >= 4, RevisionName.isHex(name), objectExists(prefix: name) {
            candidates.append("the object \(name)")
        }
        guard candidates.count > 1 else { return }
        var error = GitError(
            kind: .ambiguousName, code: GIT_EAMBIGUOUS.rawValue, operation: "resolve revision '\(revision)'",
            message: "'\(name)' matches \(Self.list(candidates))")
        error.candidates = candidates
        throw error
    }

    /// The full names of the refs that git's short-name rules find for `name`, in git's order of precedence.
    /// A ref counts when it resolves to an object (git also skips dangling symbolic refs).
    func refsMatching(shortName name: String) -> [String] {
        var found: [String] = []
        for rule in RevisionName.rules {
            let full = rule.prefix + name + rule.suffix
            var valid: Int32 = 0
            guard git_reference_name_is_valid(&valid, full) == 0, valid == 1 else { continue }
            var oid = git_oid()
            if git_reference_name_to_id(&oid, handle, full) == 0, !found.contains(full) { found.append(full) }
        }
        git_error_clear()
        return found
    }

    private func objectExists(prefix: String) -> Bool {
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, prefix, prefix.utf8.count) == 0 else { return false }
        var object: OpaquePointer?
        let code = git_object_lookup_prefix(&object, handle, &oid, prefix.utf8.count, GIT_OBJECT_ANY)
        git_object_free(object)
        git_error_clear()
        return code == 0 || code == GIT_EAMBIGUOUS.rawValue
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return "\(items[0]) and \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}

internal import CLibGit2

/// Git notes (`refs/notes/...`): text attached to a commit without changing it, kept in a ref of its own. The
/// decision records of `tiergate record` live here (`refs/notes/tiergate`).
extension Repository {
    /// Every note under `ref`: annotated object → the note's blob. Empty when the ref does not exist yet.
    package func notes(ref: String) throws(GitError) -> [ObjectID: ObjectID] {
        var iterator: OpaquePointer?
        let code = git_note_iterator_new(&iterator, handle, ref)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return [:]
        }
        try check(code, "read the notes in \(ref)")
        defer { git_note_iterator_free(iterator) }
        var found: [ObjectID: ObjectID] = [:]
        while true {
            var blob = git_oid()
            var annotated = git_oid()
            let next = git_note_next(&blob, &annotated, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "read the notes in \(ref)")
            found[ObjectID(annotated)] = ObjectID(blob)
        }
        return found
    }

    /// The bytes of the note on `commit` under `ref`, exactly as stored; nil when there is none.
    package func note(on commit: ObjectID, ref: String) throws(GitError) -> [UInt8]? {
        var oid = commit.oid
        var note: OpaquePointer?
        let code = git_note_read(&note, handle, ref, &oid)
        if code == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try check(code, "read the note on \(commit.hex) in \(ref)")
        defer { git_note_free(note) }
        guard let id = git_note_id(note) else { return nil }
        // The blob, not git_note_message: that one stops at the first NUL byte.
        do { return try readBlob(ObjectID(id.pointee)) } catch let e as GitError { throw e } catch {
            throw GitError(kind: .other, code: -1, operation: "read the note on \(commit.hex)", message: "\(error)")
        }
    }

    /// Attaches `bytes` to `commit` under `ref`, as one new commit of the notes ref. Never replaces a note: one
    /// already there is a `GIT_EEXISTS` failure. The notes commit is signed by the repository's configured
    /// identity (`user.name`, `user.email`), or `tiergate` when it has none.
    package func addNote(_ bytes: [UInt8], on commit: ObjectID, ref: String) throws(GitError) -> ObjectID {
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, handle) < 0 {
            git_error_clear()
            try check(git_signature_now(&signature, "tiergate", "tiergate@invalid"), "make a signature for the notes commit")
        }
        defer { git_signature_free(signature) }
        var oid = commit.oid
        var created = git_oid()
        // libgit2 takes the note as a C string: the canonical JSON of a record holds no NUL byte (it is escaped).
        let text = String(decoding: bytes, as: UTF8.self)
        try check(git_note_create(&created, handle, ref, signature, signature, &oid, text, 0), "add the note on \(commit.hex) to \(ref)")
        return ObjectID(created)
    }

    /// The commit `ref` points at; nil when it does not exist.
    package func referenceTarget(_ ref: String) -> ObjectID? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, handle, ref) == 0 else {
            git_error_clear()
            return nil
        }
        return ObjectID(oid)
    }
}

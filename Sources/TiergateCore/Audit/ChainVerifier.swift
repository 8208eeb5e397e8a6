/// What `tiergate audit verify` found.
package struct ChainVerdict: Sendable, Equatable {
    package enum Problem: Sendable, Equatable {
        /// The record on `commit` is not the one the chain was built with.
        case altered(commit: String, why: String)
        /// The record that was on `commit` is gone.
        case removed(commit: String, why: String)
        /// The record on `commit` was added to the chain afterwards.
        case inserted(commit: String, why: String)

        package var commit: String {
            switch self {
            case .altered(let c, _), .removed(let c, _), .inserted(let c, _): c
            }
        }

        package var word: String {
            switch self {
            case .altered: "altered"
            case .removed: "removed"
            case .inserted: "inserted"
            }
        }

        package var why: String {
            switch self {
            case .altered(_, let w), .removed(_, let w), .inserted(_, let w): w
            }
        }
    }

    /// How many records the first-parent history holds.
    package var records: Int
    /// The newest record: its commit and the SHA-256 of its bytes (what the next record will link to; quote it
    /// to make the newest record's removal or alteration evident too).
    package var newestCommit: String?
    package var newestSHA256: String?
    /// The first problem in chain order (oldest first); nil when the chain holds.
    package var problem: Problem?
}

/// The `audit verify` use case (SPEC section 11): re-computes the hash chain of the records on the first-parent
/// history, oldest first, and names the first record that was altered, removed or inserted.
package enum ChainVerifier {
    package static func run(repository: String?, revision: String, cwd: String) throws(TiergateError) -> ChainVerdict {
        let repo = try AuditTrail.open(repository, cwd: cwd)
        let trail = try AuditTrail(repo, from: try AuditTrail.resolve(repo, revision))
        let stored = try trail.storedRecords()
        var verdict = ChainVerdict(records: stored.count, newestCommit: stored.last?.commit.id.hex, newestSHA256: stored.last.map { SHA256.hex($0.bytes) })
        verdict.problem = try firstProblem(stored, trail)
        return verdict
    }

    static func firstProblem(_ stored: [(commit: CommitHeader, bytes: [UInt8])], _ trail: AuditTrail) throws(TiergateError) -> ChainVerdict.Problem? {
        // Position on the history, newest first: a larger number is older.
        var position: [String: Int] = [:]
        for (i, c) in trail.history.enumerated() { position[c.id.hex] = i }
        var recordIndex: [String: Int] = [:]
        for (i, r) in stored.enumerated() { recordIndex[r.commit.id.hex] = i }

        for (i, (header, bytes)) in stored.enumerated() {
            let commit = header.id.hex
            let record: DecisionRecord
            do { record = try DecisionRecord(bytes: bytes) } catch {
                return .altered(commit: commit, why: "its note is not a decision record as record writes it (\(error.message))")
            }
            guard record.commit == commit else {
                return .altered(commit: commit, why: "it is the record of another commit (\(record.commit))")
            }
            guard record.parent == header.firstParent?.hex else {
                return .altered(commit: commit, why: "it names another first parent (\(record.parent))")
            }
            let previous = i > 0 ? stored[i - 1] : nil
            let previousHex = previous?.commit.id.hex
            guard let linked = record.previousCommit else {
                if let first = stored.first, previous != nil {
                    return .inserted(commit: first.commit.id.hex, why: "the record of \(commit) begins the chain, so the records before it were added afterwards")
                }
                guard record.previous == nil else { return .altered(commit: commit, why: "it holds a previous hash but no previous commit") }
                continue
            }
            if linked == previousHex, let previous {
                let actual = SHA256.hex(previous.bytes)
                guard record.previous == actual else {
                    return .altered(
                        commit: linked,
                        why: "its SHA-256 is \(actual), but the record of \(commit) links to \(record.previous ?? "nothing")")
                }
                continue
            }
            if let j = recordIndex[linked], j < i - 1 {
                return .inserted(
                    commit: stored[j + 1].commit.id.hex, why: "the record of \(commit) links to the record of \(linked), so the records between them were added afterwards")
            }
            guard let at = position[linked] else {
                if trail.shallowEnd {
                    throw TiergateError(
                        .shallowHistory, "the record of \(commit) links to \(linked), which this shallow clone does not have",
                        fix: "fetch the whole history: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)")
                }
                return .altered(commit: commit, why: "it links to \(linked), which is not on this first-parent history")
            }
            guard at > (position[commit] ?? 0) else {
                return .altered(commit: commit, why: "it links to \(linked), which landed after it")
            }
            if recordIndex[linked] == nil {
                return .removed(commit: linked, why: "the record of \(commit) links to it, and it has none")
            }
            return .altered(commit: commit, why: "it links to \(linked) instead of \(previousHex ?? "nothing")")
        }
        return nil
    }
}

/// The decision records along a branch's first-parent history: what `record` appends to, and what `audit log`,
/// `audit verify` and `evidence` read. Records are git notes under `notesRef`, one per landed commit.
struct AuditTrail {
    static let notesRef = "refs/notes/tiergate"

    let repository: Repository
    /// The first-parent history, newest first.
    let history: [CommitHeader]
    /// Whether the history goes on beyond the last commit (a shallow clone).
    let shallowEnd: Bool
    /// Annotated commit → the note's blob, for every note in `notesRef` (on this history or not).
    let notes: [ObjectID: ObjectID]

    /// Reads the history from `tip` and the notes.
    init(_ repository: Repository, from tip: ObjectID) throws(TiergateError) {
        self.repository = repository
        do {
            (history, shallowEnd) = try repository.firstParentHistory(from: tip)
            notes = try repository.notes(ref: Self.notesRef)
        } catch {
            throw TiergateError(.repository, "cannot read the history and the decision records: \(error.message)")
        }
    }

    /// The stored bytes of the record on `commit`, if it has one.
    func recordBytes(on commit: ObjectID) throws(TiergateError) -> [UInt8]? {
        guard let blob = notes[commit] else { return nil }
        do { return try repository.readBlob(blob) } catch {
            throw TiergateError(.repository, "cannot read the decision record of \(commit.hex): \(error)")
        }
    }

    /// The records on the history, oldest first, as stored.
    func storedRecords() throws(TiergateError) -> [(commit: CommitHeader, bytes: [UInt8])] {
        var out: [(commit: CommitHeader, bytes: [UInt8])] = []
        for c in history.reversed() {
            if let bytes = try recordBytes(on: c.id) { out.append((c, bytes)) }
        }
        return out
    }
}

extension CommitHeader {
    /// The UTC day of the committer time.
    package var day: Day {
        Day(daysSinceEpoch: Int(time >= 0 ? time / 86_400 : (time - 86_399) / 86_400))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    package var timestamp: String {
        let seconds = Int(time - Int64(day.daysSinceEpoch) * 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }
}

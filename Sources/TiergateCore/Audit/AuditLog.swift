/// What `tiergate audit log` is asked for.
package struct AuditLogRequest: Sendable {
    package var repository: String?
    /// The tip of the history to walk (the main branch).
    package var revision = "HEAD"
    /// Only the changes of this app (its `metadata.name`, or its name before a rename).
    package var app: String?
    /// Only commits made on or after this day (UTC).
    package var since: Day?
    /// Only commits made on or before this day (UTC).
    package var until: Day?
    package var workingDirectory: String

    package init(workingDirectory: String) { self.workingDirectory = workingDirectory }
}

/// One line of the audit log: one app's change in one landed commit, or a landed commit with no record.
package struct AuditLogEntry: Sendable, Hashable {
    package enum Kind: String, Sendable {
        /// An app's change, as its record tells it.
        case recorded
        /// The commit changed the policy (recorded).
        case policy
        /// The commit changed manifests (or the policy) and has no record.
        case unrecorded
        /// The commit's note is not a decision record `record` wrote (see `audit verify`).
        case unreadable
    }

    package var kind: Kind
    /// The committer time, `YYYY-MM-DDTHH:MM:SSZ`.
    package var date: String
    package var commit: String
    package var app: String?
    package var path: String?
    /// `added`, `modified`, … for a recorded app; otherwise the kind (`policy`, `unrecorded`, `unreadable`).
    package var change: String
    package var baseTier: Int?
    package var headTier: Int?
    package var approvedBy: [String]
    /// The record's decision; nil without a (readable) record.
    package var decision: String?
    /// With `renamed`: the app's name before.
    package var renamedFrom: String?
}

/// The `audit log` use case (SPEC section 11): every recorded change on the first-parent history, newest first,
/// and every landed commit since the first record that changed manifests without being recorded.
package enum AuditLog {
    package static func run(_ request: AuditLogRequest) throws(TiergateError) -> [AuditLogEntry] {
        let repo = try AuditTrail.open(request.repository, cwd: request.workingDirectory)
        let trail = try AuditTrail(repo, from: try AuditTrail.resolve(repo, request.revision))
        // The trail begins at the oldest record: what landed before it predates the trail.
        guard let oldest = trail.history.lastIndex(where: { trail.notes[$0.id] != nil }) else { return [] }
        var entries: [AuditLogEntry] = []
        var unrecorded = UnrecordedChanges(repo)
        for commit in trail.history[...oldest] {
            if let since = request.since, commit.day < since { continue }
            if let until = request.until, commit.day > until { continue }
            if let bytes = try trail.recordBytes(on: commit.id) {
                entries += lines(bytes, commit)
            } else if commit.firstParent != nil {
                entries += try unrecorded.lines(commit)
            }
        }
        if let app = request.app {
            entries = entries.filter { $0.app == app || $0.renamedFrom == app }
        }
        return entries.map(\.redacted)
    }

    /// A record's lines: one per app change, and one when the policy changed.
    static func lines(_ bytes: [UInt8], _ commit: CommitHeader) -> [AuditLogEntry] {
        let record: DecisionRecord
        do { record = try DecisionRecord(json: try CanonicalJSON.parse(bytes)) } catch {
            return [AuditLogEntry(kind: .unreadable, date: commit.timestamp, commit: commit.id.hex, change: "unreadable", approvedBy: [])]
        }
        let approvers = record.approvers
        var out = record.apps.map {
            AuditLogEntry(
                kind: .recorded, date: commit.timestamp, commit: commit.id.hex, app: $0.name, path: $0.path, change: $0.change,
                baseTier: $0.baseTier, headTier: $0.headTier, approvedBy: approvers, decision: record.decision.rawValue, renamedFrom: $0.previousName)
        }
        if record.policy.changed {
            out.append(
                AuditLogEntry(
                    kind: .policy, date: commit.timestamp, commit: commit.id.hex, path: Policy.path, change: "policy", approvedBy: approvers,
                    decision: record.decision.rawValue))
        }
        return out
    }
}

extension AuditLogEntry {
    /// A record is stored redacted, but a note can be written by anyone: every string is redacted again.
    var redacted: AuditLogEntry {
        var e = self
        e.app = app.map(Redactor.text)
        e.path = path.map(Redactor.text)
        e.change = Redactor.text(change)
        e.approvedBy = approvedBy.map(Redactor.text)
        e.decision = decision.map(Redactor.text)
        e.renamedFrom = renamedFrom.map(Redactor.text)
        return e
    }
}

/// The apps a landed commit without a record touched: the names in the manifests it changed (by the policy its
/// first parent had, as `record` would have judged it), read on both sides.
struct UnrecordedChanges {
    let repo: Repository
    /// Policy blob → its manifest globs.
    private var matchers: [ObjectID: PathMatcher] = [:]

    init(_ repo: Repository) { self.repo = repo }

    mutating func lines(_ commit: CommitHeader) throws(TiergateError) -> [AuditLogEntry] {
        guard let parent = commit.firstParent else { return [] }
        let matcher = manifests(at: parent)
        let changes: [PathChange]
        do { changes = try repo.changedEntries(from: parent, to: commit.id, where: { matcher.matches($0) || $0 == Policy.path }) } catch {
            throw .comparing(error)
        }
        var out: [AuditLogEntry] = []
        var seen = Set<String>()
        for change in changes {
            if change.path == Policy.path {
                out.append(AuditLogEntry(kind: .unrecorded, date: commit.timestamp, commit: commit.id.hex, path: Policy.path, change: "unrecorded", approvedBy: []))
                continue
            }
            var names: [String] = []
            for entry in [change.base, change.head].compactMap({ $0 }) {
                names += ((try? ManifestLoader.load(entry, from: repo))?.apps ?? []).compactMap(\.name)
            }
            // A file that gives no name is listed by its path.
            for name in names.isEmpty ? [nil] : names.map(Optional.some) where seen.insert((name ?? "") + "\u{0}" + change.path).inserted {
                out.append(AuditLogEntry(kind: .unrecorded, date: commit.timestamp, commit: commit.id.hex, app: name, path: change.path, change: "unrecorded", approvedBy: []))
            }
        }
        return out
    }

    /// The manifest globs of the policy at a commit; a policy that cannot be read or does not load counts as
    /// globs that take every path, so that nothing it might have covered is missed.
    private mutating func manifests(at commit: ObjectID) -> PathMatcher {
        let everything = PathMatcher(include: ["**"], exclude: [])
        let file: (id: ObjectID, bytes: [UInt8])?
        do { file = try PolicySource.read(repo, commit) } catch { return everything }
        guard let file else { return Policy.builtIn.manifests }
        if let known = matchers[file.id] { return known }
        let matcher = (try? PolicySource.parse(file.bytes, shownAs: Policy.path))?.manifests ?? everything
        matchers[file.id] = matcher
        return matcher
    }
}

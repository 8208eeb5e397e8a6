/// What `tiergate record` did.
package struct RecordResult: Sendable {
    package var commit: String
    /// The record's bytes as stored (this run's, or the one already there).
    package var bytes: [UInt8]
    /// This run's record; nil when the commit was recorded already (the record there stands).
    package var written: DecisionRecord?

    /// The SHA-256 of the stored bytes: what the next record's `previous` holds.
    package var sha256: String { SHA256.hex(bytes) }
}

/// The `record` use case (SPEC section 11): judge a landed commit against its first parent exactly as `check`
/// would (`Gate.run`), and append the decision to the hash chain of records as a git note. Never prints, never
/// exits.
package enum Recorder {
    /// Records `request.head` (the landed commit). The base is always its first parent, whatever `request.base`
    /// says. Expiry is judged as of `request.today` (the day CI records, right after the landing), not the
    /// commit's date: whoever pushes sets that one. A commit that already has a record keeps it: a record is
    /// never replaced, since the next record's hash depends on it.
    package static func run(_ request: GateRequest) throws(TiergateError) -> RecordResult {
        let repo = try AuditTrail.open(request.repository, cwd: request.workingDirectory)
        let commit = try AuditTrail.resolve(repo, request.head)
        let trail = try AuditTrail(repo, from: commit)
        guard let landed = trail.history.first, let parent = landed.firstParent else {
            throw TiergateError(
                .revision, "\(request.head) is a root commit: it has no first parent to be judged against",
                fix: "record the commits that land after it")
        }
        if let existing = try trail.recordBytes(on: commit) {
            return RecordResult(commit: commit.hex, bytes: existing, written: nil)
        }
        let previous = trail.history.dropFirst().first { trail.notes[$0.id] != nil }
        let previousBytes = try previous.flatMap { p throws(TiergateError) in try trail.recordBytes(on: p.id) }
        try refuseInsertion(of: landed, after: previous, in: trail)

        var gate = request
        gate.base = parent.hex
        gate.head = commit.hex
        gate.staged = false
        gate.ignoreApprovals = false
        let report = Redactor.redact(try Gate.run(gate))
        let record = make(
            report, landed: landed, parent: parent, request: request,
            previous: previousBytes.map { SHA256.hex($0) }, previousCommit: previous?.id.hex)
        let bytes = record.bytes
        do { _ = try repo.addNote(bytes, on: commit, ref: AuditTrail.notesRef) } catch {
            throw TiergateError(.repository, "cannot write the decision record of \(commit.hex): \(error.message)", fix: "check that the repository is writable")
        }
        return RecordResult(commit: commit.hex, bytes: bytes, written: record)
    }

    /// A record appended behind a later one would break the chain there (`audit verify` calls it inserted): a
    /// commit is recorded before any commit that builds on it, or never (it stays `unrecorded`).
    static func refuseInsertion(of landed: CommitHeader, after previous: CommitHeader?, in trail: AuditTrail) throws(TiergateError) {
        // In canonical form the link is exactly these bytes.
        let link = Array("\"previousCommit\":".utf8) + CanonicalJSON.optional(previous?.id.hex).bytes
        for (annotated, blob) in trail.notes where annotated != landed.id {
            let bytes: [UInt8]
            do { bytes = try trail.repository.readBlob(blob) } catch {
                throw TiergateError(.repository, "cannot read the decision record of \(annotated.hex): \(error)")
            }
            guard bytes.contains(subsequence: link) else { continue }
            let later: Bool
            do { later = try trail.repository.isDescendant(annotated, of: landed.id) } catch {
                throw TiergateError(.repository, "cannot compare the histories of \(annotated.hex) and \(landed.id.hex): \(error.message)")
            }
            if later {
                throw TiergateError(
                    .usage, "\(landed.id.hex) lies behind \(annotated.hex), which is recorded already: a record appended now would be inserted into the chain",
                    fix: "record each commit as it lands; this one stays unrecorded in the audit log")
            }
        }
    }

    static func make(
        _ report: Report, landed: CommitHeader, parent: ObjectID, request: GateRequest, previous: String?, previousCommit: String?
    ) -> DecisionRecord {
        let trail = ReviewTrail(approvalsFile: request.approvalsFile, workingDirectory: request.workingDirectory)
        let outcome = report.approvals?.outcome ?? ApprovalOutcome(groups: [], discarded: [])
        let discarded = Set(outcome.discarded.map { $0.login.lowercased() })
        let flagged = Set(request.approvedBy.map { $0.lowercased() })
        let apps = report.apps.compactMap { a -> DecisionRecord.App? in
            guard let c = a.check else { return nil }
            return DecisionRecord.App(
                name: a.name, path: a.path, previousPath: c.previousPath, previousName: c.previousName, change: c.change.rawValue,
                baseTier: c.baseTier, headTier: c.headTier, requiredTier: c.requiredTier, tierChange: c.tierChange.rawValue,
                fieldChanges: c.fieldChanges.map {
                    DecisionRecord.FieldChangeEntry(path: $0.path, from: $0.from.map { CanonicalJSON($0) } ?? .null, to: $0.to.map { CanonicalJSON($0) } ?? .null)
                },
                requiredApprovals: c.requiredApprovals)
        }
        let missing = outcome.missing
        let verdict: DecisionRecord.Verdict = missing > 0 ? .landedWithoutApproval : (report.decision == .blocked ? .landedBlocked : .pass)
        return DecisionRecord(
            toolVersion: report.toolVersion, commit: landed.id.hex, parent: parent.hex, committedAt: landed.timestamp,
            judgedOn: request.today.description, policy: report.policy,
            decision: verdict, gateDecision: report.decision.rawValue, apps: apps, author: report.approvals?.author,
            required: outcome.groups.map { g in
                DecisionRecord.Group(
                    group: g.group, count: g.count, reasons: g.reasons,
                    approvedBy: g.approvedBy.map { trail.approver($0, discarded: discarded, approvedBy: flagged) }.map(redacted), satisfied: g.satisfied)
            },
            discarded: outcome.discarded,
            blockingFindings: report.allFindings.filter(report.blocks).map {
                DecisionRecord.BlockingFinding(id: $0.id, severity: $0.severity.rawValue, path: $0.path, app: $0.app, message: $0.message)
            },
            approvalsMissing: missing, previous: previous, previousCommit: previousCommit)
    }

    /// The evidence read from the approvals file is redacted like the report it joins.
    private static func redacted(_ a: DecisionRecord.Approver) -> DecisionRecord.Approver {
        var a = a
        a.reviewedAt = a.reviewedAt.map(Redactor.text)
        a.reviewedCommit = a.reviewedCommit.map(Redactor.text)
        return a
    }
}

extension AuditTrail {
    /// The repository `--repo` names, or the one around the working directory.
    static func open(_ repository: String?, cwd: String) throws(TiergateError) -> Repository {
        let start = repository.map { $0.hasPrefix("/") ? $0 : (cwd.hasSuffix("/") ? cwd + $0 : cwd + "/" + $0) } ?? cwd
        do { return try Repository(discoverFrom: start) } catch { throw .opening(start, error) }
    }

    static func resolve(_ repo: Repository, _ revision: String) throws(TiergateError) -> ObjectID {
        do { return try repo.resolveCommit(revision) } catch { throw .resolving(revision, error, shallow: repo.isShallow) }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count, let first = needle.first else { return needle.isEmpty }
        var i = 0
        let last = count - needle.count
        while i <= last {
            if self[i] == first, self[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

/// What `tiergate evidence` is asked for.
package struct EvidenceRequest: Sendable {
    package var repository: String?
    /// The tip of the history (the main branch).
    package var revision = "HEAD"
    package var since: Day
    package var until: Day
    package var workingDirectory: String

    package init(since: Day, until: Day, workingDirectory: String) {
        self.since = since
        self.until = until
        self.workingDirectory = workingDirectory
    }
}

/// The package an auditor asks for: its files (paths under `name`) and the `.tar.gz` that holds them.
package struct EvidencePackage: Sendable {
    /// The top directory of the archive: `tiergate-evidence-SINCE-to-UNTIL`.
    package var name: String
    package var files: [Archive.File]
    package var archive: [UInt8]
}

/// The `evidence` use case (SPEC section 11). Everything in the package follows from the repository and the
/// period, so the same repository and period always give the same bytes: no clock, no host name, files in path
/// order, every archive entry dated the period's last day. No secret value gets in: every file passes through
/// `Redactor`.
package enum Evidence {
    package static func run(_ request: EvidenceRequest) throws(TiergateError) -> EvidencePackage {
        guard request.since <= request.until else {
            throw TiergateError(.usage, "--since \(request.since) is after --until \(request.until)", fix: "give a period that starts before it ends")
        }
        let repo = try AuditTrail.open(request.repository, cwd: request.workingDirectory)
        let tip = try AuditTrail.resolve(repo, request.revision)
        let trail = try AuditTrail(repo, from: tip)
        // The state at the start is the newest commit made before the period; at the end, the newest made in it or before.
        let start = trail.history.first { $0.day < request.since }
        let end = trail.history.first { $0.day <= request.until }
        let inPeriod = trail.history.reversed().filter { $0.day >= request.since && $0.day <= request.until }

        var facts = EvidenceFacts(request: request, tip: tip.hex, start: start?.id.hex, end: end?.id.hex)
        var files: [Archive.File] = []

        for commit in inPeriod {
            guard let bytes = try trail.recordBytes(on: commit.id) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let path = "records/\(commit.day)-\(commit.id.hex).json"
            if Redactor.leaks(text) {
                // Not a record `record` wrote (it redacts): kept, redacted, and said so.
                files.append(Archive.File(path: path, bytes: Array(Redactor.text(text).utf8)))
                facts.redactedRecords.append(commit.id.hex)
            } else {
                files.append(Archive.File(path: path, bytes: bytes))
            }
            facts.records.append((commit, try? DecisionRecord(bytes: bytes)))
        }

        let registry = try registries(request, start: start, end: end)
        facts.startRows = registry.start.rows
        facts.endRows = registry.end.rows
        facts.unreadableAtEnd = registry.end.unreadablePaths
        for (name, rows) in [("start", registry.start.rows), ("end", registry.end.rows)] {
            files.append(Archive.File(path: "registry/\(name).json", bytes: Array(try InventoryRenderer.render(rows, as: .json).utf8)))
            files.append(Archive.File(path: "registry/\(name).csv", bytes: Array(try InventoryRenderer.render(rows, as: .csv).utf8)))
        }
        facts.overdue = registry.end.rows.filter { $0.attestationDue && $0.state != AppState.archived.rawValue }
        files.append(Archive.File(path: "attestations-overdue.json", bytes: Array(try InventoryRenderer.render(facts.overdue, as: .json).utf8)))
        files.append(Archive.File(path: "attestations-overdue.csv", bytes: Array(try InventoryRenderer.render(facts.overdue, as: .csv).utf8)))

        facts.policies = try policyVersions(trail, start: start, end: end, period: inPeriod)
        for v in facts.policies { files.append(Archive.File(path: v.file, bytes: Array(Redactor.lines(v.text).utf8))) }
        files.append(Archive.File(path: "policies/index.json", bytes: Array(EvidenceFiles.policyIndex(facts.policies).utf8)))
        facts.exceptions = exceptions(facts.policies, until: request.until)
        files.append(Archive.File(path: "exceptions.json", bytes: Array(EvidenceFiles.exceptionsJSON(facts.exceptions).utf8)))
        files.append(Archive.File(path: "exceptions.csv", bytes: Array(EvidenceFiles.exceptionsCSV(facts.exceptions).utf8)))

        var log = AuditLogRequest(workingDirectory: request.workingDirectory)
        log.repository = request.repository
        log.revision = request.revision
        log.since = request.since
        log.until = request.until
        facts.unrecorded = try AuditLog.run(log).filter { $0.kind == .unrecorded }

        let stored = try trail.storedRecords()
        facts.chainRecords = stored.count
        facts.chainProblem = try ChainVerifier.firstProblem(stored, trail)

        files.append(Archive.File(path: "SUMMARY.md", bytes: Array(EvidenceSummary.render(facts).utf8)))
        files.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        let sums = files.map { "\(SHA256.hex($0.bytes))  \($0.path)\n" }.joined()
        files.append(Archive.File(path: "SHA256SUMS", bytes: Array(sums.utf8)))

        let name = "tiergate-evidence-\(request.since)-to-\(request.until)"
        let archived = files.map { Archive.File(path: name + "/" + $0.path, bytes: $0.bytes) }
        let mtime = Int64(request.until.daysSinceEpoch) * 86_400
        return EvidencePackage(name: name, files: files, archive: try Archive.tarGzip(archived, mtime: mtime))
    }

    /// The registry at the start (judged on `since`) and at the end (judged on `until`); empty when the history
    /// has no commit that early.
    static func registries(_ request: EvidenceRequest, start: CommitHeader?, end: CommitHeader?) throws(TiergateError) -> (start: InventoryResult, end: InventoryResult) {
        func at(_ commit: CommitHeader?, _ day: Day) throws(TiergateError) -> InventoryResult {
            guard let commit else { return InventoryResult(rows: [], unreadablePaths: []) }
            return try Inventory.run(
                repository: request.repository, revision: commit.id.hex, policyFile: nil, today: day, onlyExpired: false, cwd: request.workingDirectory)
        }
        return (try at(start, request.since), try at(end, request.until))
    }

    /// The policy versions in force during the period: the one at its start and each one a commit of the period
    /// brought in, each with every commit (up to the period's end) that made it the policy in force.
    static func policyVersions(_ trail: AuditTrail, start: CommitHeader?, end: CommitHeader?, period: [CommitHeader]) throws(TiergateError) -> [PolicyVersion] {
        guard let end, let endIndex = trail.history.firstIndex(of: end) else { return [] }
        func blob(at commit: CommitHeader) throws(TiergateError) -> ObjectID? {
            do { return try trail.repository.entry(at: commit.id, path: Policy.path)?.id } catch {
                throw TiergateError(.repository, "cannot read \(Policy.path) at \(commit.id.hex): \(error.message)")
            }
        }
        // Every commit, oldest first up to the end, that changed which policy is in force (the first one included).
        var changes: [(commit: CommitHeader, blob: ObjectID?)] = []
        for commit in trail.history[endIndex...].reversed() {
            let b = try blob(at: commit)
            if changes.isEmpty || changes[changes.count - 1].blob != b { changes.append((commit, b)) }
        }
        let periodIDs = Set(period.map(\.id))
        var inForce: [ObjectID?] = []
        if let start { inForce.append(try blob(at: start)) }
        for c in changes where periodIDs.contains(c.commit.id) && !inForce.contains(c.blob) { inForce.append(c.blob) }
        var versions: [PolicyVersion] = []
        for blob in inForce {
            let text: String
            if let blob {
                do { text = String(decoding: try trail.repository.readBlob(blob), as: UTF8.self) } catch {
                    throw TiergateError(.repository, "cannot read the policy blob \(blob.hex): \(error)")
                }
            } else {
                text = DefaultPolicy.text
            }
            let policy: Policy? = switch PolicyLoader.load(Array(text.utf8)) {
            case .success(let p): p
            case .failure: nil
            }
            versions.append(
                PolicyVersion(
                    blob: blob?.hex, file: "policies/\(blob?.hex ?? "built-in-default").yaml", text: text,
                    changedAt: changes.filter { $0.blob == blob }.map(\.commit), policy: policy))
        }
        return versions
    }

    /// Every exception of the policies in force, once each, with the versions that hold it.
    static func exceptions(_ versions: [PolicyVersion], until: Day) -> [ExceptionFact] {
        var out: [ExceptionFact] = []
        for v in versions {
            for e in v.policy?.exceptions ?? [] {
                let fact = ExceptionFact(
                    check: Redactor.text(e.check), app: Redactor.text(e.app), reason: Redactor.text(e.reason), expires: e.expires,
                    expiredAtEnd: e.expires < until, policies: [v.blob ?? "built-in-default"])
                if let i = out.firstIndex(where: { $0.sameException(as: fact) }) {
                    out[i].policies += fact.policies
                } else {
                    out.append(fact)
                }
            }
        }
        return out.sorted { ($0.expires, $0.app, $0.check) < ($1.expires, $1.app, $1.check) }
    }
}

/// A version of `.tiergate/policy.yaml` (or the built-in default, when the file was absent) in force during the period.
struct PolicyVersion {
    var blob: String?
    var file: String
    var text: String
    /// The commits that made it the policy in force, oldest first.
    var changedAt: [CommitHeader]
    /// nil when the version does not validate (the gate then judged by the last valid one).
    var policy: Policy?
}

struct ExceptionFact: Equatable {
    var check: String
    var app: String
    var reason: String
    var expires: Day
    var expiredAtEnd: Bool
    var policies: [String]

    func sameException(as other: ExceptionFact) -> Bool {
        (check, app, reason, expires) == (other.check, other.app, other.reason, other.expires)
    }
}

/// What SUMMARY.md is written from.
struct EvidenceFacts {
    var request: EvidenceRequest
    var tip: String
    var start: String?
    var end: String?
    var records: [(commit: CommitHeader, record: DecisionRecord?)] = []
    var redactedRecords: [String] = []
    var startRows: [InventoryRow] = []
    var endRows: [InventoryRow] = []
    var unreadableAtEnd: [String] = []
    var overdue: [InventoryRow] = []
    var policies: [PolicyVersion] = []
    var exceptions: [ExceptionFact] = []
    var unrecorded: [AuditLogEntry] = []
    var chainRecords = 0
    var chainProblem: ChainVerdict.Problem?
}

/// The package's machine-readable files besides the records and the registry.
enum EvidenceFiles {
    static func policyIndex(_ versions: [PolicyVersion]) -> String {
        var w = JSONWriter()
        w.objects(versions) { w, v in
            w.field("blob", v.blob)
            w.field("file", v.file)
            w.field("valid", v.policy != nil)
            w.key("changedAt")
            w.objects(v.changedAt) { w, c in
                w.field("commit", c.id.hex)
                w.field("date", c.timestamp)
            }
        }
        return w.text
    }

    static func exceptionsJSON(_ exceptions: [ExceptionFact]) -> String {
        var w = JSONWriter()
        w.objects(exceptions) { w, e in
            w.field("check", e.check)
            w.field("app", e.app)
            w.field("reason", e.reason)
            w.field("expires", e.expires.description)
            w.field("expiredAtEnd", e.expiredAtEnd)
            w.key("policies")
            w.stringArray(e.policies)
        }
        return w.text
    }

    static func exceptionsCSV(_ exceptions: [ExceptionFact]) -> String {
        let rows = [["check", "app", "reason", "expires", "expiredAtEnd", "policies"]]
            + exceptions.map {
                [CSVText.field($0.check), CSVText.field($0.app), CSVText.field($0.reason), CSVText.number($0.expires.description),
                 CSVText.number(String($0.expiredAtEnd)), CSVText.field($0.policies.joined(separator: " "))]
            }
        return CSVText.document(rows)
    }
}

/// What `tiergate record` stores on a landed commit (SPEC section 11, `schemas/decision.schema.json`): the gate's
/// judgement of the commit against its first parent, in the words of the JSON report (section 7), and the link to
/// the previous record that makes the records a hash chain. Every string from the repository in it is redacted.
package struct DecisionRecord: Sendable, Equatable {
    /// What landed, judged after the fact. `landed-without-approval` wins over `landed-blocked`: the approvals
    /// are what an auditor asks about first, and the findings are listed either way.
    package enum Verdict: String, Sendable, CaseIterable {
        /// The gate would have passed it.
        case pass
        /// Required approvals were missing.
        case landedWithoutApproval = "landed-without-approval"
        /// The approvals were there, but a finding blocks.
        case landedBlocked = "landed-blocked"
    }

    package struct App: Sendable, Hashable {
        package var name: String
        package var path: String
        package var previousPath: String?
        package var previousName: String?
        package var change: String
        package var baseTier: Int?
        package var headTier: Int?
        package var requiredTier: Int?
        package var tierChange: String
        package var fieldChanges: [FieldChangeEntry]
        package var requiredApprovals: [RequiredApproval]
    }

    package struct FieldChangeEntry: Sendable, Hashable {
        package var path: String
        package var from: CanonicalJSON
        package var to: CanonicalJSON
    }

    /// Who satisfied a group's requirement, and on what evidence.
    package struct Approver: Sendable, Hashable {
        package var login: String
        /// `github`, `gitlab` or `--approved-by`.
        package var source: String
        /// When the approval was given (GitHub's `submitted_at`, GitLab's `approved_at`), when the evidence says.
        package var reviewedAt: String?
        /// The commit the reviewer approved (GitHub's `commit_id`), when the evidence says.
        package var reviewedCommit: String?
    }

    package struct Group: Sendable, Hashable {
        package var group: String
        package var count: Int
        package var reasons: [String]
        package var approvedBy: [Approver]
        package var satisfied: Bool
    }

    package struct BlockingFinding: Sendable, Hashable {
        package var id: String
        package var severity: String
        package var path: String
        package var app: String?
        package var message: String
    }

    package static let schemaVersion = 1

    package var toolVersion: String
    package var commit: String
    package var parent: String
    /// The commit's committer time, `YYYY-MM-DDTHH:MM:SSZ`.
    package var committedAt: String
    /// The day expiry and attestation were judged by (`YYYY-MM-DD`).
    package var judgedOn: String
    package var policy: PolicyInfo
    package var decision: Verdict
    /// What `check` would have said before the merge: `pass`, `blocked` or `approval-required`.
    package var gateDecision: String
    package var apps: [App]
    package var author: String?
    package var required: [Group]
    package var discarded: [DiscardedApproval]
    package var blockingFindings: [BlockingFinding]
    package var approvalsMissing: Int
    /// The SHA-256 of the previous record's bytes (lower-case hex); nil for the first record of the chain.
    package var previous: String?
    /// The commit the previous record is on, so that `audit verify` can tell an altered record from a removed or
    /// an inserted one.
    package var previousCommit: String?

    /// Every login that satisfied a requirement, once each, in the order of the groups.
    package var approvers: [String] {
        var seen = Set<String>()
        return required.flatMap { $0.approvedBy.map(\.login) }.filter { seen.insert($0.lowercased()).inserted }
    }
}

// MARK: - Canonical JSON

extension DecisionRecord {
    /// The record as JSON; its `bytes` are what is stored and hashed.
    package var json: CanonicalJSON {
        .object([
            "schemaVersion": .int(Self.schemaVersion),
            "tool": .object(["name": .string("tiergate"), "version": .string(toolVersion)]),
            "commit": .string(commit),
            "parent": .string(parent),
            "committedAt": .string(committedAt),
            "judgedOn": .string(judgedOn),
            "policy": .object([
                "source": .string(policy.source.rawValue), "path": .optional(policy.path), "blob": .optional(policy.blob),
                "commit": .optional(policy.commit), "changed": .bool(policy.changed),
            ]),
            "decision": .string(decision.rawValue),
            "gateDecision": .string(gateDecision),
            "apps": .array(apps.map(\.json)),
            "approvals": .object([
                "author": .optional(author),
                "required": .array(required.map(\.json)),
                "discarded": .array(discarded.map { .object(["login": .string($0.login), "reason": .string($0.reason.rawValue), "detail": .optional($0.detail)]) }),
                "missing": .int(approvalsMissing),
            ]),
            "blockingFindings": .array(blockingFindings.map {
                .object(["id": .string($0.id), "severity": .string($0.severity), "path": .string($0.path), "app": .optional($0.app), "message": .string($0.message)])
            }),
            "previous": .optional(previous),
            "previousCommit": .optional(previousCommit),
        ])
    }

    /// The canonical bytes.
    package var bytes: [UInt8] { json.bytes }

    /// Reads a record. What does not have the record's shape is a `RecordFormatError`.
    package init(json j: CanonicalJSON) throws(RecordFormatError) {
        func req<T>(_ v: T?, _ what: String) throws(RecordFormatError) -> T {
            guard let v else { throw RecordFormatError(message: "no valid \(what)") }
            return v
        }
        func optString(_ v: CanonicalJSON?, _ what: String) throws(RecordFormatError) -> String? {
            guard let v, !v.isNull else { return nil }
            return try req(v.stringValue, what)
        }
        func optInt(_ v: CanonicalJSON?, _ what: String) throws(RecordFormatError) -> Int? {
            guard let v, !v.isNull else { return nil }
            return try req(v.intValue, what)
        }
        guard j["schemaVersion"]?.intValue == Self.schemaVersion else { throw RecordFormatError(message: "not a schemaVersion \(Self.schemaVersion) decision record") }
        toolVersion = try req(j["tool"]?["version"]?.stringValue, "tool.version")
        commit = try req(j["commit"]?.stringValue, "commit")
        parent = try req(j["parent"]?.stringValue, "parent")
        committedAt = try req(j["committedAt"]?.stringValue, "committedAt")
        judgedOn = try req(j["judgedOn"]?.stringValue, "judgedOn")
        let p = try req(j["policy"], "policy")
        policy = PolicyInfo(
            source: try req(p["source"]?.stringValue.flatMap(PolicyInfo.Source.init(rawValue:)), "policy.source"),
            path: try optString(p["path"], "policy.path"), blob: try optString(p["blob"], "policy.blob"),
            commit: try optString(p["commit"], "policy.commit"), changed: try req(p["changed"]?.boolValue, "policy.changed"))
        decision = try req(j["decision"]?.stringValue.flatMap(Verdict.init(rawValue:)), "decision")
        gateDecision = try req(j["gateDecision"]?.stringValue, "gateDecision")
        apps = []
        for a in try req(j["apps"]?.arrayValue, "apps") {
            var changes: [FieldChangeEntry] = []
            for f in try req(a["fieldChanges"]?.arrayValue, "apps[].fieldChanges") {
                changes.append(FieldChangeEntry(path: try req(f["path"]?.stringValue, "fieldChanges[].path"), from: f["from"] ?? .null, to: f["to"] ?? .null))
            }
            var needs: [RequiredApproval] = []
            for r in try req(a["requiredApprovals"]?.arrayValue, "apps[].requiredApprovals") {
                needs.append(RequiredApproval(group: try req(r["group"]?.stringValue, "requiredApprovals[].group"), count: try req(r["count"]?.intValue, "requiredApprovals[].count"), reason: try req(r["reason"]?.stringValue, "requiredApprovals[].reason")))
            }
            apps.append(
                App(
                    name: try req(a["name"]?.stringValue, "apps[].name"), path: try req(a["path"]?.stringValue, "apps[].path"),
                    previousPath: try optString(a["previousPath"], "apps[].previousPath"), previousName: try optString(a["previousName"], "apps[].previousName"),
                    change: try req(a["change"]?.stringValue, "apps[].change"), baseTier: try optInt(a["baseTier"], "apps[].baseTier"),
                    headTier: try optInt(a["headTier"], "apps[].headTier"), requiredTier: try optInt(a["requiredTier"], "apps[].requiredTier"),
                    tierChange: try req(a["tierChange"]?.stringValue, "apps[].tierChange"), fieldChanges: changes, requiredApprovals: needs))
        }
        let approvals = try req(j["approvals"], "approvals")
        author = try optString(approvals["author"], "approvals.author")
        required = []
        for g in try req(approvals["required"]?.arrayValue, "approvals.required") {
            var by: [Approver] = []
            for a in try req(g["approvedBy"]?.arrayValue, "required[].approvedBy") {
                by.append(
                    Approver(
                        login: try req(a["login"]?.stringValue, "approvedBy[].login"), source: try req(a["source"]?.stringValue, "approvedBy[].source"),
                        reviewedAt: try optString(a["reviewedAt"], "approvedBy[].reviewedAt"), reviewedCommit: try optString(a["reviewedCommit"], "approvedBy[].reviewedCommit")))
            }
            required.append(
                Group(
                    group: try req(g["group"]?.stringValue, "required[].group"), count: try req(g["count"]?.intValue, "required[].count"),
                    reasons: try req(g["reasons"]?.arrayValue?.compactMap(\.stringValue), "required[].reasons"), approvedBy: by,
                    satisfied: try req(g["satisfied"]?.boolValue, "required[].satisfied")))
        }
        discarded = []
        for d in try req(approvals["discarded"]?.arrayValue, "approvals.discarded") {
            discarded.append(
                DiscardedApproval(
                    login: try req(d["login"]?.stringValue, "discarded[].login"),
                    reason: try req(d["reason"]?.stringValue.flatMap(DiscardReason.init(rawValue:)), "discarded[].reason"),
                    detail: try optString(d["detail"], "discarded[].detail")))
        }
        approvalsMissing = try req(approvals["missing"]?.intValue, "approvals.missing")
        blockingFindings = []
        for f in try req(j["blockingFindings"]?.arrayValue, "blockingFindings") {
            blockingFindings.append(
                BlockingFinding(
                    id: try req(f["id"]?.stringValue, "blockingFindings[].id"), severity: try req(f["severity"]?.stringValue, "blockingFindings[].severity"),
                    path: try req(f["path"]?.stringValue, "blockingFindings[].path"), app: try optString(f["app"], "blockingFindings[].app"),
                    message: try req(f["message"]?.stringValue, "blockingFindings[].message")))
        }
        previous = try optString(j["previous"], "previous")
        previousCommit = try optString(j["previousCommit"], "previousCommit")
    }

    /// Reads stored bytes: JSON with the record's shape, in canonical form (anything else was not written by
    /// `record`: the bytes were edited).
    package init(bytes: [UInt8]) throws(RecordFormatError) {
        let parsed: CanonicalJSON
        do { parsed = try CanonicalJSON.parse(bytes) } catch { throw RecordFormatError(message: "not JSON: \(error)") }
        try self.init(json: parsed)
        guard parsed.bytes == bytes else { throw RecordFormatError(message: "not in canonical form") }
    }
}

extension DecisionRecord.App {
    var json: CanonicalJSON {
        .object([
            "name": .string(name), "path": .string(path), "previousPath": .optional(previousPath), "previousName": .optional(previousName),
            "change": .string(change), "baseTier": .optional(baseTier), "headTier": .optional(headTier), "requiredTier": .optional(requiredTier),
            "tierChange": .string(tierChange),
            "fieldChanges": .array(fieldChanges.map { .object(["path": .string($0.path), "from": $0.from, "to": $0.to]) }),
            "requiredApprovals": .array(requiredApprovals.map { .object(["group": .string($0.group), "count": .int($0.count), "reason": .string($0.reason)]) }),
        ])
    }
}

extension DecisionRecord.Group {
    var json: CanonicalJSON {
        .object([
            "group": .string(group), "count": .int(count), "reasons": .array(reasons.map(CanonicalJSON.string)),
            "approvedBy": .array(approvedBy.map {
                .object(["login": .string($0.login), "source": .string($0.source), "reviewedAt": .optional($0.reviewedAt), "reviewedCommit": .optional($0.reviewedCommit)])
            }),
            "satisfied": .bool(satisfied),
        ])
    }
}

package struct RecordFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

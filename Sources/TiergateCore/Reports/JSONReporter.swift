import Foundation

/// The JSON report of SPEC section 7 (`schemas/report.schema.json`).
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: Report) throws(TiergateError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(JSONReport(report))
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw TiergateError(.io, "cannot encode the JSON report: \(error)")
        }
    }
}

/// The wire shape, separate from the `Report` value so the contract's key names and order live in one place.
struct JSONReport: Encodable {
    let report: Report
    init(_ report: Report) { self.report = report }

    enum Keys: String, CodingKey {
        case schemaVersion, tool, command, base, head, policy, decision, exitCode, apps, findings, approvals, summary
    }

    struct Tool: Encodable {
        let name = "tiergate"
        let version: String
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(Tool(version: report.toolVersion), forKey: .tool)
        try c.encode(report.command, forKey: .command)
        if report.command == .check { try c.encode(report.base, forKey: .base) }
        try c.encode(report.head, forKey: .head)
        try c.encode(report.policy, forKey: .policy)
        try c.encode(report.decision, forKey: .decision)
        try c.encode(report.exitCode, forKey: .exitCode)
        try c.encode(report.apps.map { AppJSON(app: $0, command: report.command) }, forKey: .apps)
        try c.encode(report.findings, forKey: .findings)
        if report.command == .check, let a = report.approvals { try c.encode(ApprovalsJSON(a), forKey: .approvals) }
        try c.encode(SummaryJSON(summary: report.summary, command: report.command), forKey: .summary)
    }
}

struct AppJSON: Encodable {
    let app: AppReport
    let command: Report.Command

    enum Keys: String, CodingKey {
        case name, path, tier, previousPath, change, baseTier, headTier, requiredTier, tierChange, fieldChanges, requiredApprovals, findings
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(app.name, forKey: .name)
        try c.encode(app.path, forKey: .path)
        guard command == .check, let x = app.check else {
            try c.encode(app.tier, forKey: .tier)
            try c.encode(app.findings, forKey: .findings)
            return
        }
        try c.encode(x.previousPath, forKey: .previousPath)
        try c.encode(x.change, forKey: .change)
        try c.encode(x.baseTier, forKey: .baseTier)
        try c.encode(x.headTier, forKey: .headTier)
        try c.encode(x.requiredTier, forKey: .requiredTier)
        try c.encode(x.tierChange, forKey: .tierChange)
        try c.encode(x.fieldChanges.map(FieldChangeJSON.init), forKey: .fieldChanges)
        try c.encode(x.requiredApprovals.map(RequiredJSON.init), forKey: .requiredApprovals)
        try c.encode(app.findings, forKey: .findings)
    }
}

struct FieldChangeJSON: Encodable {
    let change: FieldChange
    init(_ c: FieldChange) { change = c }
    enum Keys: String, CodingKey { case path, from, to }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(change.path, forKey: .path)
        try c.encode(change.from.map(ValueJSON.init), forKey: .from)
        try c.encode(change.to.map(ValueJSON.init), forKey: .to)
    }
}

/// A manifest value as JSON; maps keep sorted keys.
struct ValueJSON: Encodable {
    let value: ManifestValue
    init(_ v: ManifestValue) { value = v }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch value {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let d):
            var c = encoder.singleValueContainer()
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { try c.encode(Int(d)) } else if d.isFinite { try c.encode(d) } else { try c.encode(String(d)) }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .list(let items):
            var c = encoder.unkeyedContainer()
            for i in items { try c.encode(ValueJSON(i)) }
        case .map(let m):
            var c = encoder.container(keyedBy: Key.self)
            for k in m.keys.sorted() { if let v = m[k] { try c.encode(ValueJSON(v), forKey: Key(stringValue: k)) } }
        }
    }
}

struct RequiredJSON: Encodable {
    let r: RequiredApproval
    init(_ r: RequiredApproval) { self.r = r }
    enum Keys: String, CodingKey { case group, count, reason }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(r.group, forKey: .group)
        try c.encode(r.count, forKey: .count)
        try c.encode(r.reason, forKey: .reason)
    }
}

struct ApprovalsJSON: Encodable {
    let a: ApprovalsReport
    init(_ a: ApprovalsReport) { self.a = a }
    enum Keys: String, CodingKey { case ignored, advisory, author, required, discarded }
    struct Group: Encodable {
        let group: String, count: Int, reasons: [String], approvedBy: [String], satisfied: Bool
    }
    struct Discarded: Encodable {
        let login: String, reason: String, detail: String?
        enum Keys: String, CodingKey { case login, reason, detail }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(login, forKey: .login)
            try c.encode(reason, forKey: .reason)
            try c.encodeIfPresent(detail, forKey: .detail)
        }
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(a.ignored, forKey: .ignored)
        try c.encode(a.advisory, forKey: .advisory)
        try c.encode(a.author, forKey: .author)
        try c.encode(a.outcome.groups.map { Group(group: $0.group, count: $0.count, reasons: $0.reasons, approvedBy: $0.approvedBy, satisfied: $0.satisfied) }, forKey: .required)
        try c.encode(a.outcome.discarded.map { Discarded(login: $0.login, reason: $0.reason.rawValue, detail: $0.detail) }, forKey: .discarded)
    }
}

struct SummaryJSON: Encodable {
    let summary: Summary
    let command: Report.Command
    enum Keys: String, CodingKey { case appsChecked, appsChanged, errors, warnings, infos, suppressed, approvalsMissing }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if command == .check {
            try c.encode(summary.apps, forKey: .appsChanged)
        } else {
            try c.encode(summary.apps, forKey: .appsChecked)
        }
        try c.encode(summary.errors, forKey: .errors)
        try c.encode(summary.warnings, forKey: .warnings)
        try c.encode(summary.infos, forKey: .infos)
        try c.encode(summary.suppressed, forKey: .suppressed)
        if command == .check { try c.encode(summary.approvalsMissing, forKey: .approvalsMissing) }
    }
}

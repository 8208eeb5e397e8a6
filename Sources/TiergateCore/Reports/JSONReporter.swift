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
        case schemaVersion, tool, command, head, policy, decision, exitCode, apps, findings, summary
    }

    struct Tool: Encodable {
        let name = "tiergate"
        let version: String
    }

    struct LintApp: Encodable {
        let app: AppReport
        enum Keys: String, CodingKey { case name, path, tier, findings }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(app.name, forKey: .name)
            try c.encode(app.path, forKey: .path)
            try c.encode(app.tier, forKey: .tier)
            try c.encode(app.findings, forKey: .findings)
        }
    }

    struct LintSummary: Encodable {
        let summary: Summary
        enum Keys: String, CodingKey { case appsChecked, errors, warnings, infos, suppressed }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(summary.apps, forKey: .appsChecked)
            try c.encode(summary.errors, forKey: .errors)
            try c.encode(summary.warnings, forKey: .warnings)
            try c.encode(summary.infos, forKey: .infos)
            try c.encode(summary.suppressed, forKey: .suppressed)
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(Tool(version: report.toolVersion), forKey: .tool)
        try c.encode(report.command, forKey: .command)
        try c.encode(report.head, forKey: .head)
        try c.encode(report.policy, forKey: .policy)
        try c.encode(report.decision, forKey: .decision)
        try c.encode(report.exitCode, forKey: .exitCode)
        try c.encode(report.apps.map(LintApp.init), forKey: .apps)
        try c.encode(report.findings, forKey: .findings)
        try c.encode(LintSummary(summary: report.summary), forKey: .summary)
    }
}

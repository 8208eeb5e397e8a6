import Foundation

/// SARIF 2.1.0: one rule per finding id with its description, one result per finding with a physical location
/// relative to `%SRCROOT%` (the repository root). Suppressed findings carry an external suppression.
package struct SARIFReporter: Reporter {
    package init() {}

    package func render(prepared report: Report) throws(TiergateError) -> String {
        let findings = report.allFindings
        var ruleIDs: [String] = []
        for f in findings where !ruleIDs.contains(f.id) { ruleIDs.append(f.id) }
        ruleIDs.sort()
        let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let severityOf = Dictionary(findings.map { ($0.id, $0.severity) }, uniquingKeysWith: { a, _ in a })
        let rules = ruleIDs.map { id in
            Rule(
                id: id, name: Self.ruleName(id), shortDescription: .init(text: report.descriptions[id] ?? id),
                defaultConfiguration: .init(level: Self.level(BuiltInFindings.severities[id] ?? severityOf[id] ?? .error)))
        }
        let results = findings.map { f in
            Result(
                ruleId: f.id, ruleIndex: index[f.id] ?? 0, level: Self.level(f.severity), message: .init(text: f.message),
                locations: [
                    Location(
                        physicalLocation: .init(
                            artifactLocation: .init(uri: Self.uri(f.path), uriBaseId: "%SRCROOT%"),
                            region: .init(startLine: f.line, startColumn: f.column)))
                ],
                suppressions: f.suppressed.map { [Suppression(kind: "external", justification: "\($0.reason) (until \($0.expires))")] },
                properties: f.app.map { ["app": $0] })
        }
        let log = Log(runs: [
            Run(
                tool: .init(driver: .init(name: "tiergate", version: report.toolVersion, rules: rules)),
                results: results,
                invocations: [.init(executionSuccessful: true, exitCode: Int(report.exitCode))],
                properties: ["command": report.command.rawValue, "decision": report.decision.rawValue])
        ])
        return try JSONText.encode(log)
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// `secret-literal` → `SecretLiteral`.
    static func ruleName(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative URI reference that no reader can take for an absolute one (`URIReference`).
    static func uri(_ path: String) -> String { URIReference.relativePath(path) }

    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
        let invocations: [Invocation]
        let properties: [String: String]
    }

    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name: String
        let version: String
        let rules: [Rule]
    }

    struct Text: Encodable { let text: String }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Text
        let defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { let level: String }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
        let suppressions: [Suppression]?
        let properties: [String: String]?
    }

    struct Location: Encodable { let physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }

    struct ArtifactLocation: Encodable {
        let uri: String
        let uriBaseId: String
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }

    struct Suppression: Encodable {
        let kind: String
        let justification: String
    }

    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let exitCode: Int
    }
}

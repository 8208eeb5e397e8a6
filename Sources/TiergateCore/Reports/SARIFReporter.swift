import Foundation

/// SARIF 2.1.0: one rule per finding id with its description, and for a built-in id its help (what the check
/// guards against and how to fix it), a link to its README section and, for the security checks, a
/// `security-severity` (all from `FindingID`). One result per finding with a physical location relative to
/// `%SRCROOT%` (the repository root) and a fingerprint that lines do not move. Suppressed findings carry an
/// external suppression.
package struct SARIFReporter: Reporter {
    package init() {}

    /// The `partialFingerprints` key, versioned as SARIF asks: a new way of computing it gets a new key.
    static let fingerprintKey = "tiergateFinding/v1"

    package func render(prepared report: Report) throws(TiergateError) -> String {
        let findings = report.allFindings
        var ruleIDs: [String] = []
        for f in findings where !ruleIDs.contains(f.id) { ruleIDs.append(f.id) }
        ruleIDs.sort()
        let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let severityOf = Dictionary(findings.map { ($0.id, $0.severity) }, uniquingKeysWith: { a, _ in a })
        let rules = ruleIDs.map { id in
            let builtIn = FindingID(rawValue: id)
            return Rule(
                id: id, name: Self.ruleName(id), shortDescription: .init(text: report.descriptions[id] ?? id),
                help: builtIn.map { Help(text: $0.helpText, markdown: $0.helpMarkdown) }, helpUri: builtIn?.helpURI,
                defaultConfiguration: .init(level: Self.level(builtIn?.defaultSeverity ?? severityOf[id] ?? .error)),
                properties: builtIn?.securitySeverity.map { RuleProperties(securitySeverity: $0) })
        }
        let fingerprints = Self.fingerprints(findings)
        let results = zip(findings, fingerprints).map { f, fingerprint in
            Result(
                ruleId: f.id, ruleIndex: index[f.id] ?? 0, level: Self.level(f.severity), message: .init(text: f.message),
                locations: [
                    Location(
                        physicalLocation: .init(
                            artifactLocation: .init(uri: Self.uri(f.path)),
                            region: .init(startLine: f.line, startColumn: f.column)))
                ],
                partialFingerprints: [Self.fingerprintKey: fingerprint],
                suppressions: f.suppressed.map { [Suppression(justification: "\($0.reason) (until \($0.expires))")] },
                properties: f.app.map { ["app": $0] })
        }
        let log = Log(runs: [
            Run(
                tool: .init(driver: .init(name: "tiergate", version: report.toolVersion, informationUri: TiergateVersion.homepage, rules: rules)),
                results: results,
                invocations: [.init(exitCode: Int(report.exitCode))],
                properties: ["command": report.command.rawValue, "decision": report.decision.rawValue])
        ])
        return try JSONText.encode(log)
    }

    /// One fingerprint per finding, the same in every run that finds the same thing: the finding id, the app,
    /// the file and the field, never a line or a column (an edit above the field moves those). Findings that
    /// share all four (a decoder finding has no field) are told apart by their order among themselves, as
    /// CodeQL's line hashes are. The parts are written with their lengths, so no two lists of parts make the
    /// same text, and hashed (git's blob hash, collision-detecting SHA-1): the fingerprint carries no repository
    /// text, and a pull request's author cannot make a new finding take the fingerprint of a dismissed alert.
    static func fingerprints(_ findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { f in
            let parts = [f.id, f.app ?? "", f.path, f.field ?? ""]
            let identity = parts.map { "\($0.utf8.count):\($0)" }.joined()
            let occurrence = seen[identity, default: 0]
            seen[identity] = occurrence + 1
            return ObjectID.blob(hashing: Array("\(identity)#\(occurrence)".utf8)).description
        }
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
        let informationUri: String
        let rules: [Rule]
    }

    struct Text: Encodable { let text: String }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Text
        let help: Help?
        let helpUri: String?
        let defaultConfiguration: Configuration
        let properties: RuleProperties?
    }

    struct Help: Encodable {
        let text: String
        let markdown: String
    }

    /// GitHub code scanning ranks a rule tagged `security` by its `security-severity`.
    struct RuleProperties: Encodable {
        let securitySeverity: String
        let tags = ["security"]
        enum CodingKeys: String, CodingKey { case securitySeverity = "security-severity", tags }
    }

    struct Configuration: Encodable { let level: String }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
        let partialFingerprints: [String: String]
        let suppressions: [Suppression]?
        let properties: [String: String]?
    }

    struct Location: Encodable { let physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }

    /// Relative to the repository root, which SARIF readers know as `%SRCROOT%`.
    struct ArtifactLocation: Encodable {
        let uri: String
        let uriBaseId = "%SRCROOT%"
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }

    /// A policy exception: kept outside the analysed file.
    struct Suppression: Encodable {
        let kind = "external"
        let justification: String
    }

    /// A report is written only by a run that went through (a tool failure writes none).
    struct Invocation: Encodable {
        let executionSuccessful = true
        let exitCode: Int
    }
}

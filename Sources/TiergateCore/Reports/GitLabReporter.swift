/// A GitLab code-quality report: one issue per counting finding, with a fingerprint that stays the same across
/// runs as long as the finding does (it does not include the line, so unrelated edits above do not churn it).
package struct GitLabReporter: Reporter {
    package init() {}

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var seen: [String: Int] = [:]
        let issues = report.allFindings.filter(\.counts).map { f -> Issue in
            let key = [f.id, f.path, f.app ?? "", f.message].joined(separator: "\u{0}")
            let occurrence = seen[key, default: 0]
            seen[key] = occurrence + 1
            let fingerprint = ObjectID.blob(hashing: Array((key + "\u{0}\(occurrence)").utf8)).hex
            return Issue(
                description: f.message, check_name: f.id, fingerprint: fingerprint, severity: severity(f, report),
                location: .init(path: f.path, lines: .init(begin: f.line)))
        }
        return try JSONText.encode(issues)
    }

    private func severity(_ f: Finding, _ report: Report) -> String {
        switch f.severity {
        case .error: report.blocks(f) ? "critical" : "major"
        case .warning: report.blocks(f) ? "major" : "minor"
        case .info: "info"
        }
    }

    struct Issue: Encodable {
        let description: String
        let check_name: String
        let fingerprint: String
        let severity: String
        let location: Location
    }

    struct Location: Encodable {
        let path: String
        let lines: Lines
    }

    struct Lines: Encodable { let begin: Int }
}

import Foundation
import Testing

@testable import TiergateCore

/// `mappingStrings` is how a report is redacted and made terminal-safe: a string field it does not visit reaches
/// every output as it was written. This walks real reports with reflection, so a new string field that
/// `mappingStrings` forgets fails here, whatever the type's initializer lets compile.
@Suite("Every string a report carries is visited by mappingStrings", .temporaryDirectories)
struct StringCarryingTests {
    static let marker = "\u{2022}mapped\u{2022}"

    /// The strings of `value` other than the marker, with where they are.
    static func unmapped(_ value: Any, at path: String = "report", depth: Int = 0, into out: inout [String]) {
        guard depth < 64 else { out.append("\(path): deeper than 64"); return }
        if let s = value as? String {
            if s != marker { out.append("\(path) = \(s.debugDescription)") }
            return
        }
        let mirror = Mirror(reflecting: value)
        for (i, child) in mirror.children.enumerated() {
            unmapped(child.value, at: "\(path).\(child.label ?? "[\(i)]")", depth: depth + 1, into: &out)
        }
    }

    @Test("the demo's check, a check with approvals given and discarded, and a lint of leaky files: nothing unvisited")
    func everyStringVisited() throws {
        var reports: [(String, Report)] = [("demo", try ReportGoldenTests.demoReport())]
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a"), "apps/b/microapp.yaml": app("b")])
        try r.change([
            "apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")]), "apps/b/microapp.yaml": nil,
            "apps/d/microapp.yaml": app("d"),
            Policy.path: groupsPolicy + "exceptions: [{check: ttl-max, app: a, reason: r, expires: 2026-01-01}]\n",
        ])
        reports.append(("check with approvals", try r.check { $0.approvedBy = ["sam", "nobody", "priya"]; $0.author = "priya" }))
        reports.append((
            "lint of files",
            try Linter.run(LintRequest(files: [Project.path("fixtures/secrets/leaky.microapp.yaml")], today: CheckExample.today, workingDirectory: "/"))
        ))
        for (name, report) in reports {
            // The walk reaches the strings: unmapped, the report has many.
            var written: [String] = []
            Self.unmapped(report, into: &written)
            #expect(written.count > 10, "\(name): \(written.count)")
            var found: [String] = []
            Self.unmapped(report.mappingStrings { _ in Self.marker }, into: &found)
            #expect(found.isEmpty, "\(name): \(found.prefix(20).joined(separator: "\n"))")
        }
    }
}

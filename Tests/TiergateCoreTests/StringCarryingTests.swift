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

    /// The label path of every string of `value` (`[]` for an element, `some` for an optional's value, but a
    /// `String?` holding one ends at its own label: the cast sees through it).
    static func stringPaths(_ value: Any, at path: String = "report", depth: Int = 0, into out: inout [String]) {
        guard depth < 64 else { return }
        if value is String { return out.append(path) }
        for child in Mirror(reflecting: value).children {
            stringPaths(child.value, at: path + (child.label.map { "." + $0 } ?? "[]"), depth: depth + 1, into: &out)
        }
    }

    /// A check that fills the strings the plain ones leave empty: an app renamed in place (`previousName`), one
    /// moved (`previousPath`), an exception that suppresses a finding, a team entry no members file resolves, and
    /// a policy change that re-tiers an app (`policyImpact.rows`).
    static func everyOptionalString() throws -> Report {
        let policy = groupsPolicy.replacingOccurrences(of: "security: [sam, sasha]", with: "security: [\"@acme/security\", sasha]")
            + "exceptions: [{check: connector-custom, app: x, reason: pilot until launch, expires: 2026-12-31}]\n"
        let custom = [("- name: crm", "- name: salesforce")]
        let restricted = ("dataClass: internal", "dataClass: restricted")
        let r = try ChangeRepository(
            base: [
                "apps/x/microapp.yaml": app("x", custom), "apps/b/microapp.yaml": app("b"), "apps/c/microapp.yaml": app("c"),
                "apps/a/microapp.yaml": app("a", [restricted]),
            ],
            policy: policy)
        try r.change([
            "apps/x/microapp.yaml": app("x", custom + [restricted]), "apps/b/microapp.yaml": app("e"),
            "apps/c/microapp.yaml": nil, "apps/c2/microapp.yaml": app("c"),
            Policy.path: policy + "rules:\n  - {id: restricted-raise, message: m, when: {field: spec.dataClass, matches: restricted}, raiseTier: 3}\n",
        ])
        return try r.check { $0.approvedBy = ["sam"] }
    }

    @Test("the demo's check, checks with approvals given and discarded, renames, exceptions, teams and a policy change, and a lint of leaky files: nothing unvisited")
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
        reports.append(("check with renames, exceptions, teams and a policy change", try Self.everyOptionalString()))
        // The optional strings, and the lists that are often empty, hold a value in at least one report: a field
        // no report fills is one the walk below cannot catch forgotten.
        var reached: [String] = []
        for (_, report) in reports { Self.stringPaths(report, into: &reached) }
        for field in [
            ".suppressed.some.reason", ".suppressed.some.expires", ".previousPath", ".previousName", ".unresolvedTeams[].team",
            ".discarded[].login", ".discarded[].detail", ".rows[].name", ".rows[].path", ".approvalsBefore[].group",
            ".approvalsAfter[].group", ".differences[].description", ".risk.some.destinations[]", ".descriptions[].value",
        ] {
            #expect(reached.contains { $0.hasSuffix(field) }, "no report holds a string at \(field)")
        }
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

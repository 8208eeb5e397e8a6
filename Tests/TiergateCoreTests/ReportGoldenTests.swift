import Foundation
import Testing

@testable import TiergateCore

@Suite("Report formats: golden files and the report schema", .temporaryDirectories)
struct ReportGoldenTests {
    /// The demo's check, as `tiergate demo` runs it.
    static func demoReport() throws -> Report {
        let dir = try makeTemporaryDirectory("golden")
        return try Gate.run(try DemoRepository.build(under: dir).gateRequest)
    }

    func parsed(_ text: String) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
    }

    @Test("the demo's JSON report equals fixtures/golden/demo-check.json (as parsed values)")
    func jsonGolden() throws {
        let actual = try JSONReporter().render(try Self.demoReport())
        let golden = String(decoding: try Project.bytes("fixtures/golden/demo-check.json"), as: UTF8.self)
        #expect(try parsed(actual) == (try parsed(golden)), "\(actual)")
    }

    @Test("the demo's PR comment equals fixtures/golden/demo-check.md")
    func markdownGolden() throws {
        let actual = try MarkdownReporter().render(try Self.demoReport())
        let golden = String(decoding: try Project.bytes("fixtures/golden/demo-check.md"), as: UTF8.self)
        #expect(actual == golden, "\(actual)")
    }

    @Test("in CI the PR comment links each finding to the file at the head commit")
    func markdownLinks() throws {
        let report = try Self.demoReport()
        let base = ReporterOptions.sourceLinkBase(environment: ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/apps"])
        #expect(base == "https://github.com/acme/apps/blob/")
        #expect(ReporterOptions.sourceLinkBase(environment: ["CI_PROJECT_URL": "https://gitlab.example.com/g/p"]) == "https://gitlab.example.com/g/p/-/blob/")
        let md = try MarkdownReporter(sourceLinkBase: base).render(report)
        let head = try #require(report.head?.commit)
        #expect(md.contains("[`apps/pto-helper/microapp.yaml:19`](https://github.com/acme/apps/blob/\(head)/apps/pto-helper/microapp.yaml#L19)"))
    }

    @Test("the JSON of every check and lint scenario validates against schemas/report.schema.json")
    func schema() throws {
        var reports: [Report] = [try Self.demoReport()]
        // Added, removed, modified, moved, reformatted, policy change, staged, ignored approvals, evidence.
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a"), "apps/b/microapp.yaml": app("b"), "apps/c/microapp.yaml": app("c")])
        try r.change([
            "apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")]), "apps/b/microapp.yaml": nil,
            "apps/moved/c.microapp.yaml": app("c"), "apps/c/microapp.yaml": nil, "apps/d/microapp.yaml": app("d"),
            Policy.path: groupsPolicy + "exceptions: [{check: ttl-max, app: a, reason: r, expires: 2026-01-01}]\n",
        ])
        reports.append(try r.check())
        reports.append(try r.check { $0.ignoreApprovals = true })
        reports.append(try r.check { $0.approvedBy = ["sam", "nobody", "priya"]; $0.author = "priya" })
        try r.repo.write("apps/a/microapp.yaml", "broken: [\n")
        try r.repo.git(["add", "-A"])
        reports.append(try r.check { $0.staged = true; $0.base = nil })
        reports.append(try Linter.run(LintRequest(repository: r.path, today: CheckExample.today, workingDirectory: "/")))
        reports.append(try Linter.run(LintRequest(files: [Project.path("fixtures/secrets/leaky.microapp.yaml")], today: CheckExample.today, workingDirectory: "/")))

        let dir = try makeTemporaryDirectory("schema")
        var files: [String] = []
        for (i, report) in reports.enumerated() {
            let f = "\(dir)/report-\(i).json"
            try Data(try JSONReporter().render(report).utf8).write(to: URL(fileURLWithPath: f))
            files.append(f)
        }
        let result = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/report.schema.json")] + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("the check JSON has exactly the keys of SPEC section 7")
    func keys() throws {
        let json = try parsed(try JSONReporter().render(try Self.demoReport())) as? [String: Any]
        let top = try #require(json)
        #expect(Set(top.keys) == ["schemaVersion", "tool", "command", "base", "head", "policy", "decision", "exitCode", "apps", "findings", "approvals", "summary"])
        let app = try #require((top["apps"] as? [[String: Any]])?.first)
        #expect(Set(app.keys) == ["name", "path", "previousPath", "change", "baseTier", "headTier", "requiredTier", "tierChange", "fieldChanges", "requiredApprovals", "findings"])
        let summary = try #require(top["summary"] as? [String: Any])
        #expect(Set(["appsChanged", "errors", "warnings", "infos", "approvalsMissing"]).isSubset(of: Set(summary.keys)))
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// The reports the people who approve read: the markdown comment (what changed, who can approve, within
/// GitHub's size limit), the commit status, the JUnit names.
@Suite("Reports for reviewers: markdown, status, JUnit")
struct ReviewerReportTests {
    /// markdown-it-py's view of a comment (Tests/helpers/markdown_audit.py).
    static func audit(_ markdown: String) throws -> [String: [String]] {
        let r = try run(try Project.venvTool("python"), [Project.path("Tests/helpers/markdown_audit.py")], input: markdown)
        guard r.status == 0, let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String]] else {
            throw TestFailure("markdown_audit.py failed: \(r.stderr)")
        }
        return parsed
    }

    /// The tags the comment writes itself.
    static let ownTags: Set<String> = [
        "<!-- tiergate-report -->", "<details>", "<details open>", "</details>", "<summary>", "</summary>", "<b>", "</b>", "<code>", "</code>",
        "<sub>", "</sub>",
    ]

    /// `<details>` opened and closed in pairs, in order (a collapsed comment must not leave one open).
    static func detailsBalanced(_ markdown: String) -> Bool {
        var depth = 0
        for line in markdown.split(separator: "\n") {
            if line.hasPrefix("<details") { depth += 1 }
            if line.contains("</details>") { depth -= 1 }
            if depth < 0 || depth > 1 { return false }
        }
        return depth == 0
    }

    // MARK: One app

    /// One app escalated to tier 2 (restricted data, org-wide), reviewed by sam for security.
    static func singleApp() throws -> (ChangeRepository, Report) {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("accessScope: team", "accessScope: org-wide")])])
        let report = try r.check { $0.approvedBy = ["sam"]; $0.author = "pat" }
        return (r, report)
    }

    @Test("a single-app change shows the decision, the people who can approve, its risk and its field changes from → to")
    func singleAppChange() throws {
        let (_, report) = try Self.singleApp()
        #expect(report.decision == .approvalRequired)
        let md = try MarkdownReporter().render(report)
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "### ⏳ tiergate: This change needs approvals")
        // Whom to ask, in plain text: the author (pat) is never asked, sam has approved already.
        #expect(md.contains("- **privacy**: 1 of 1 missing · can approve: priya · for `a` (tier 2 (formal-approval))"))
        #expect(md.contains("- **platform**: 1 of 1 missing · can approve: paul · for `a` (tier 2 (formal-approval))"))
        #expect(md.contains("**Approved**: security by sam"))
        #expect(!md.contains("@"), "nobody is mentioned without --mention")
        // The app's section: risk summary and field changes.
        #expect(md.contains("<details open><summary><b><code>a</code></b> · modified · tier 0 → 2 (escalated) · needs security, privacy, platform</summary>"))
        #expect(md.contains(
            "**Risk**: data **restricted** · access **org-wide** · integrations `crm` (read) · egress **allowlist** to `crm.internal.example.com` · owner `ops` · log retention 90 days · cost cap $10/month"))
        #expect(md.contains("- `spec.accessScope`: `team` → `org-wide`\n- `spec.dataClass`: `internal` → `restricted`\n"))
        // The order a reviewer needs: decision, missing approvals, the app, the footer.
        let order = ["### ⏳", "**Missing approvals**", "**Approved**", "<details open><summary><b><code>a</code>", "**Risk**", "**Changes**", "<sub>base"]
        let positions = order.map { md.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && zip(positions, positions.dropFirst()).allSatisfy { ($0 ?? md.startIndex) < ($1 ?? md.startIndex) }, "\(md)")
        #expect(md.utf8.count < MarkdownReporter.defaultBudget)
    }

    @Test("--mention names the people who can approve as @login; without it they are plain text, and markdown-it-py finds no mention")
    func mentions() throws {
        let (_, report) = try Self.singleApp()
        let plain = try MarkdownReporter().render(report)
        let mentioned = try MarkdownReporter(mention: true).render(report)
        #expect(mentioned.contains("can approve: @priya") && mentioned.contains("can approve: @paul") && mentioned.contains("security by @sam"))
        #expect(try Self.audit(plain)["mentions"] == [])
        #expect(Set(try Self.audit(mentioned)["mentions"] ?? []) == ["@priya", "@paul", "@sam"])
        // A policy login that is not a login is never turned into a mention.
        #expect(MarkdownReporter.mentionable("priya") && MarkdownReporter.mentionable("a-b_c.d"))
        #expect(!MarkdownReporter.mentionable("@acme/security") && !MarkdownReporter.mentionable("x y") && !MarkdownReporter.mentionable("-x"))
    }

    @Test("the people who can approve include the members of a resolved team entry, and never the author")
    func eligibleFromTeams() throws {
        let policy = groupsPolicy.replacingOccurrences(of: "privacy: [priya]", with: "privacy: [priya, \"@acme/privacy\"]")
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let file = try makeTemporaryDirectory("members") + "/members.json"
        try Data("{\"@acme/privacy\": [\"Quinn\", \"priya\", \"dana\"]}".utf8).write(to: URL(fileURLWithPath: file))
        let report = try r.check { $0.membersFile = file; $0.author = "dana" }
        let privacy = try #require(report.approvals?.outcome.groups.first { $0.group == "privacy" })
        #expect(privacy.eligible == ["priya", "Quinn"])
        #expect(try MarkdownReporter().render(report).contains("- **privacy**: 1 of 1 missing · can approve: priya, Quinn ·"))
        #expect(try TextReporter(color: false).render(report).contains("can approve: priya, Quinn"))
    }

    @Test("in CI each app's file and each finding link to the head commit (GitHub and GitLab); a removed app to the base")
    func links() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a"), "apps/gone/microapp.yaml": app("gone")])
        try r.change([
            "apps/a/microapp.yaml": app("a", [("ttlDays: 30", "ttlDays: 9999")]), "apps/gone/microapp.yaml": nil,
        ])
        let report = try r.check()
        let head = try #require(report.head?.commit)
        let base = try #require(report.base?.commit)
        for env in [["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/apps"], ["CI_PROJECT_URL": "https://gitlab.example.com/g/p"]] {
            let link = try #require(ReporterOptions.sourceLinkBase(environment: env))
            let md = try MarkdownReporter(sourceLinkBase: link).render(report)
            #expect(md.contains("[`apps/a/microapp.yaml`](\(link)\(head)/apps/a/microapp.yaml)"))
            let finding = try #require(report.apps.first { $0.name == "a" }?.findings.first)
            #expect(md.contains("[`apps/a/microapp.yaml:\(finding.line)`](\(link)\(head)/apps/a/microapp.yaml#L\(finding.line))"))
            #expect(md.contains("[`apps/gone/microapp.yaml`](\(link)\(base)/apps/gone/microapp.yaml)"))
            #expect(md.contains("**Risk** (as it was): data **internal**"))
        }
        // Without CI's environment, or with a value that is not a plain http(s) URL, nothing is linked.
        #expect(try Self.audit(try MarkdownReporter().render(report))["links"] == [])
        #expect(ReporterOptions.sourceLinkBase(environment: ["GITHUB_SERVER_URL": "javascript:alert(1)//", "GITHUB_REPOSITORY": "a/b"]) == nil)
        #expect(ReporterOptions.sourceLinkBase(environment: ["CI_PROJECT_URL": "https://x.example/a) [y](https://evil.example"]) == nil)
        #expect(ReporterOptions.runLink(environment: ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/apps", "GITHUB_RUN_ID": "42"]) == "https://github.com/acme/apps/actions/runs/42")
        #expect(ReporterOptions.runLink(environment: ["CI_JOB_URL": "https://gitlab.example.com/g/p/-/jobs/7"]) == "https://gitlab.example.com/g/p/-/jobs/7")
    }

    // MARK: A large change

    @Test("a 1,000-app change stays under 60,000 characters, leads with the decision and the missing groups, and points to the full reports")
    func thousandApps() throws {
        let names = (0..<1000).map { String(format: "app-%04d", $0) }
        let r = try ChangeRepository(base: Dictionary(uniqueKeysWithValues: names.map { ("apps/\($0)/microapp.yaml", app($0)) }))
        try r.change(Dictionary(uniqueKeysWithValues: names.map { ("apps/\($0)/microapp.yaml", app($0, [("dataClass: internal", "dataClass: restricted")])) }))
        let report = try r.check { $0.approvedBy = ["sam"] }
        #expect(report.apps.count == 1000 && report.decision == .approvalRequired)
        let run = "https://github.com/acme/apps/actions/runs/42"
        let md = try MarkdownReporter(sourceLinkBase: "https://github.com/acme/apps/blob/", runLink: run).render(report)
        #expect(md.utf8.count < 60_000 && md.count < 60_000, "\(md.utf8.count) bytes")

        // The decision and the missing groups come first, before any app.
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1] == "### ⏳ tiergate: This change needs approvals")
        #expect(lines[3] == "1000 apps changed · 0 errors · 0 warnings · 2 approvals missing")
        let firstApp = try #require(md.range(of: "<details open><summary><b><code>app-")?.lowerBound)
        for group in ["privacy", "platform"] {
            let missing = try #require(md.range(of: "- **\(group)**: 1 of 1 missing · can approve: ")?.lowerBound)
            #expect(missing < firstApp)
        }
        #expect(md.contains("for `app-0000`, `app-0001`, `app-0002`, `app-0003`, `app-0004` and 995 more (tier 2 (formal-approval))"))

        // Apps in full, then one line each, then a count that points to the run's JSON and SARIF reports.
        let full = lines.filter { $0.hasPrefix("<details open><summary><b><code>app-") }.count
        let oneLine = lines.filter { $0.hasPrefix("- `app-") }.count
        let rest = try #require(lines.first { $0.hasPrefix("… and ") })
        let counted = try #require(Int(rest.dropFirst("… and ".count).prefix { $0.isNumber }))
        #expect(full > 0 && oneLine > 0 && counted > 0)
        #expect(full + oneLine + counted == 1000, "full \(full), one line \(oneLine), counted \(counted)")
        #expect(rest.contains("see the JSON and SARIF reports of [this run](\(run))"))
        #expect(md.hasSuffix("</sub>\n"))
        #expect(Self.detailsBalanced(md))

        let a = try Self.audit(md)
        #expect(a["headings"]?.count == 1)
        #expect((a["html"] ?? []).allSatisfy { Self.ownTags.contains($0) })
        #expect((a["links"] ?? []).allSatisfy { $0.hasPrefix("https://github.com/acme/apps/blob/") || $0 == run })
        #expect(a["mentions"] == [])
    }

    @Test("the budget: what fits is in full, then one line per app, then a count; and every budget is kept", arguments: [2_000, 3_000, 4_000, 8_000])
    func budget(_ budget: Int) throws {
        let report = try ReportGoldenTests.demoReport()
        let whole = try MarkdownReporter().render(report)
        let md = try MarkdownReporter(budget: budget).render(report)
        #expect(whole.utf8.count > 2_000 && whole.utf8.count < 8_000, "the demo's comment is \(whole.utf8.count) bytes")
        if whole.utf8.count <= budget {
            #expect(md == whole)
        } else {
            #expect(md.utf8.count <= budget, "\(md.utf8.count) > \(budget)")
            #expect(md.contains("one line each to keep this comment within GitHub's limit"))
            #expect(md.contains("(`--report json=FILE`, `--report sarif=FILE`)"))
        }
        // The blocked app comes first, whatever the budget.
        let pto = md.range(of: "`pto-helper`")?.lowerBound ?? md.range(of: "<code>pto-helper</code>")?.lowerBound
        let where2eat = md.range(of: "where2eat</code>")?.lowerBound ?? md.range(of: "`where2eat` ·")?.lowerBound
        if let pto, let where2eat { #expect(pto < where2eat) }
        #expect(Self.detailsBalanced(md))
    }

    // MARK: Status

    @Test("the commit status: success, pending while approvals are missing, failure when blocked; context tiergate; description within 140")
    func status() throws {
        let (r, pending) = try Self.singleApp()
        let passing = try r.check { $0.approvedBy = ["sam", "priya", "paul"]; $0.author = "pat" }
        let ignored = try r.check { $0.ignoreApprovals = true }
        try r.change(["apps/a/microapp.yaml": app("a", [("ref: vault://kv/apps/example/crm", "ref: AKIAIOSFODNN7EXAMPLE")])])
        let blocked = try r.check()
        func body(_ report: Report) throws -> [String: String] {
            let json = try StatusReporter().render(report)
            return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        }
        #expect(try body(passing) == ["state": "success", "context": "tiergate", "description": "passes: 1 app changed, every approval given"])
        #expect(try body(pending) == ["state": "pending", "context": "tiergate", "description": "2 approvals missing: privacy, platform"])
        #expect(try body(ignored) == ["state": "success", "context": "tiergate", "description": "passes: 1 app changed, no blocking finding (approvals not checked)"])
        let failure = try body(blocked)
        #expect(failure["state"] == "failure" && failure["description"]?.hasPrefix("blocked by ") == true && failure["description"]?.contains("secret-literal") == true)
        #expect(!(failure["description"] ?? "").contains("AKIA"))
        let linked = try StatusReporter(targetURL: "https://github.com/acme/apps/actions/runs/42").render(pending)
        #expect(linked.contains("\"target_url\" : \"https://github.com/acme/apps/actions/runs/42\""))
        #expect(StatusReporter.state(.pass) == .success && StatusReporter.state(.approvalRequired) == .pending && StatusReporter.state(.blocked) == .failure)
    }

    @Test("a status description over 140 characters is cut with …, counted in UTF-16 as GitHub counts")
    func statusDescriptionLimit() throws {
        let groups = (0..<12).map { "group-with-a-long-name-\($0)" }
        let policy = "apiVersion: tiergate/v1\nkind: Policy\ngroups:\n  ops: [oz]\n" + groups.map { "  \($0): [p\($0.suffix(2))]\n" }.joined()
            + "tiers:\n" + (0...3).map { "  - {tier: \($0), name: t\($0), approvals: [" + groups.map { "{group: \($0), count: 1}" }.joined(separator: ", ") + "]}\n" }.joined()
            + "policyChange: {approvals: [{group: \(groups[0]), count: 1}]}\n"
        let r = try ChangeRepository(base: [:], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a")])
        let report = try r.check()
        let body = StatusReporter().body(report)
        let text = try TextReporter(color: false).render(report)
        #expect(body.state == .pending, "\(text)")
        #expect(body.description.utf16.count <= 140 && body.description.hasSuffix("…") && body.description.hasPrefix("12 approvals missing: group-with-a-long-name-0, "))
        #expect(StatusReporter.fit(String(repeating: "é", count: 200)).utf16.count <= 140)
        #expect(StatusReporter.fit(String(repeating: "👍", count: 100)).utf16.count <= 140)
    }

    // MARK: JUnit

    @Test("JUnit names an app by its name and path, the same whatever its tier; the tier is in the message")
    func junitNamesAreStable() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: confidential"), ("ref: vault://kv/apps/example/crm", "ref: AKIAIOSFODNN7EXAMPLE")])])
        let tier1 = try JUnitReporter().render(try r.check())
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("ref: vault://kv/apps/example/crm", "ref: AKIAIOSFODNN7EXAMPLE")])])
        let tier2 = try JUnitReporter().render(try r.check())
        func appCase(_ xml: String) throws -> String {
            try #require(xml.split(separator: "\n").first { $0.contains("classname=\"tiergate.apps\"") }.map(String.init))
        }
        #expect(try appCase(tier1) == "    <testcase classname=\"tiergate.apps\" name=\"a (apps/a/microapp.yaml)\" file=\"apps/a/microapp.yaml\">")
        #expect(try appCase(tier1) == (try appCase(tier2)))
        #expect(tier1.contains("<failure message=\"modified, tier 0 -&gt; 1 (escalated): ") && tier2.contains("<failure message=\"modified, tier 0 -&gt; 2 (escalated): "))
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// `inventory --format html`: parsed by html5lib, and opened in Debian's headless Chromium with no network.
@Suite("inventory --format html")
struct InventoryPageTests {
    static let policyText = """
        apiVersion: tiergate/v1
        kind: Policy
        dimensions:
          dataClass: {public: 0, internal: 0, confidential: 1, restricted: 2, regulated: 3}
          accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}
          integrationAccess: {read: 0, write: 1, admin: 2}
          runtime: {client: 0, vendor-platform: 0, company-cloud: 1}
          criticality: {toy: 0, productivity: 0, sla-critical: 2}
          monthlyCostUSD:
            - {upTo: 20, tier: 0}
            - {upTo: 200, tier: 1}
            - {upTo: 1000, tier: 2}
            - {tier: 3}
        templates:
          - {name: basic, tier: 0, bounds: {dataClass: [public, internal], accessScope: [team], integrationAccess: [read]}}

        """

    /// Five apps of two teams: one from the template, one expired and not archived, one expired and archived, a
    /// tier 2 one with a large cap, one that expires in 39 days.
    static func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write(Policy.path, policyText)
        try repo.write("apps/able/microapp.yaml", app("able", [("  owner: ops", "  owner: team-a"), ("  dataClass: internal", "  template: basic\n  dataClass: internal")]))
        try repo.write("apps/baker/microapp.yaml", app("baker", [("  owner: ops", "  owner: team-a"), ("createdAt: 2026-11-01", "createdAt: 2026-09-01"), ("attestedAt: 2026-11-01", "attestedAt: 2026-09-01")]))
        try repo.write("apps/charlie/microapp.yaml", app("charlie", [("  owner: ops", "  owner: team-b"), ("createdAt: 2026-11-01", "createdAt: 2026-09-01"), ("attestedAt: 2026-11-01", "attestedAt: 2026-09-01"), ("  cost:", "  state: archived\n  cost:")]))
        try repo.write("apps/dog/microapp.yaml", app("dog", [("  owner: ops", "  owner: team-b"), ("dataClass: internal", "dataClass: restricted"), ("monthlyCapUSD: 10", "monthlyCapUSD: 500")]))
        try repo.write("apps/easy/microapp.yaml", app("easy", [("  owner: ops", "  owner: team-b"), ("monthlyCapUSD: 10", "monthlyCapUSD: 150"), ("ttlDays: 30", "ttlDays: 60")]))
        try repo.commit("apps")
        return repo
    }

    static func page(_ repo: TestRepository) throws -> (InventoryResult, String) {
        let result = try Inventory.run(repository: nil, revision: "HEAD", policyFile: nil, today: CheckExample.today, onlyExpired: false, cwd: repo.path)
        return (result, try InventoryRenderer.render(result, as: .html))
    }

    struct Audit: Decodable {
        var parseError: String?
        var external: [String]
        var scripts: Int
        var scriptsWithSrc: Int
        var figures: [String: Int]
        var rows: [String]
        var elements: [String]
    }

    static func audit(_ html: String) throws -> Audit {
        let file = try makeTemporaryDirectory("html") + "/page.html"
        try Data(html.utf8).write(to: URL(fileURLWithPath: file))
        let r = try run("/bin/sh", ["-c", "\"$0\" \"$1\" < \"$2\"", try Project.venvTool("python"), Project.path("Tests/helpers/html_audit.py"), file])
        guard r.status == 0 else { throw TestFailure("html_audit.py failed: \(r.stderr)") }
        return try JSONDecoder().decode(Audit.self, from: Data(r.stdout.utf8))
    }

    @Test("html5lib parses the page without an error; no external reference; one SVG per chart; a row per app")
    func parsed() throws {
        let repo = try Self.repository()
        let (result, html) = try Self.page(repo)
        #expect(result.rows.count == 5)
        let a = try Self.audit(html)
        #expect(a.parseError == nil)
        #expect(a.external == [])
        #expect(a.scripts == 1 && a.scriptsWithSrc == 0)
        #expect(a.figures == Dictionary(uniqueKeysWithValues: InventoryPage.Chart.allCases.map { ($0.rawValue, 1) }))
        #expect(a.rows == ["able", "baker", "charlie", "dog", "easy"])
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("the charts draw the KPIs: per tier, per team, template share, expiring in 30 days, expired but not archived, costs by band")
    func charts() throws {
        let repo = try Self.repository()
        let (_, html) = try Self.page(repo)
        func figure(_ chart: InventoryPage.Chart) throws -> String {
            guard let start = html.range(of: "<figure id=\"\(chart.rawValue)\">"), let end = html[start.upperBound...].range(of: "</figure>") else {
                throw TestFailure("no \(chart.rawValue)")
            }
            return String(html[start.lowerBound..<end.upperBound])
        }
        #expect(try figure(.tiers).contains("<title>tier 2: 1</title>"))
        #expect(try figure(.teams).contains("<title>team-b: 3</title>"))
        #expect(try figure(.teams).contains("<title>team-a: 2</title>"))
        #expect(try figure(.templates).contains("Built from a template: 20%"))
        // able and dog expire on 2026-12-01 (9 days), easy on 2026-12-31 (39 days).
        #expect(try figure(.expiring).contains("Expiring in the next 30 days: 2<"))
        #expect(try figure(.expiring).contains("<title>in 8–14 days: 2</title>"))
        let expired = try figure(.expired)
        #expect(expired.contains("but not archived: 1<") && expired.contains("<title>team-a: 1</title>") && !expired.contains("team-b"))
        let costs = try figure(.costs)
        #expect(costs.contains("<title>team-b: $660 a month</title>") && costs.contains("<title>team-a: $20 a month</title>"))
        #expect(costs.contains("$20–200: tier 1") && costs.contains("over $1000: tier 3"))
    }

    @Test("attack: every repository string is escaped; none becomes markup, an attribute, a reference or a credential")
    func hostileStrings() throws {
        let token = "ghp_" + "Pag3T0k3nAbCdEfGhIjKlMnOpQrStUvWxYz1234"
        let evil = "x\"><img src=https://evil.example/p onerror=alert(1)><script>alert(1)</script>&amp;\u{202E}"
        var row = InventoryRow(
            name: evil, path: "apps/\(evil)", owner: "<b>team</b>' onmouseover='alert(1)", tier: 2, dataClass: "restricted", state: "active",
            expiresAt: "2026-12-01", daysLeft: 9, expired: false, attestationDue: true, monthlyCapUSD: 50, integrations: [evil, token],
            pastRetirement: false)
        row.template = "</style><link rel=stylesheet href=//evil.example>"
        let html = try InventoryRenderer.render(InventoryResult(rows: [row], unreadablePaths: ["apps/<i>x</i>"]), as: .html)
        let a = try Self.audit(html)
        #expect(a.parseError == nil)
        #expect(a.external == [])
        #expect(Set(a.elements).isDisjoint(with: ["img", "b", "i", "link"]))
        #expect(a.scripts == 1)
        #expect(!html.contains(token) && !html.contains("Pag3T0k3n"))
        #expect(!html.unicodeScalars.contains("\u{202E}"))
        #expect(html.contains("&lt;img src=https://evil.example/p onerror=alert(1)&gt;"))
    }

    static func chromium(_ arguments: [String]) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            throw TestFailure("/usr/bin/chromium is missing: run ci/setup.sh before swift test")
        }
        // A network namespace of its own (no interface but loopback) and a resolver and proxy that fail: the page
        // gets no network, whatever it asked for.
        return try run(
            "unshare",
            ["-n", "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=socks5://127.0.0.1:9", "--virtual-time-budget=5000"] + arguments)
    }

    @Test("headless Chromium without a network: the script runs, the table has every row, sorting by the address works both ways; a screenshot is saved")
    func browser() throws {
        let repo = try Self.repository()
        let (_, html) = try Self.page(repo)
        let dir = try makeTemporaryDirectory("browser")
        let file = "\(dir)/inventory.html"
        try Data(html.utf8).write(to: URL(fileURLWithPath: file))
        func rows(_ fragment: String) throws -> (sorted: String?, names: [String], tiers: [String]) {
            let r = try Self.chromium(["--dump-dom", "file://\(file)#sort=\(fragment)"])
            guard r.status == 0 else { throw TestFailure("chromium: \(r.stderr)") }
            let dom = r.stdout
            let sorted = dom.firstMatch(of: /data-sorted="([^"]*)"/).map { String($0.1) }
            let names = dom.matches(of: /<tr><td data-value="([^"]*)"/).map { String($0.1) }
            let tiers = dom.matches(of: /<td data-value="([0-9]+)" class="tier/).map { String($0.1) }
            return (sorted, names, tiers)
        }
        let byTier = try rows("tier-desc")
        #expect(byTier.sorted == "tier-desc")
        #expect(byTier.names.count == 5)
        #expect(byTier.tiers == byTier.tiers.sorted(by: >))
        #expect(byTier.names.first == "dog")
        let byName = try rows("name-desc")
        #expect(byName.sorted == "name-desc")
        #expect(byName.names == ["easy", "dog", "charlie", "baker", "able"])
        let byCap = try rows("monthlyCapUSD-asc")
        #expect(byCap.names.last == "dog")
        #expect(byCap.names.first == "able" || byCap.names.first == "baker")

        // For people to look at: the page as the browser drew it.
        let shot = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-inventory-screenshot.png").path
        try? FileManager.default.removeItem(atPath: shot)
        let s = try Self.chromium(["--window-size=1280,1400", "--screenshot=\(shot)", "file://\(file)#sort=tier-desc"])
        #expect(s.status == 0, "\(s.stderr)")
        let png = FileManager.default.contents(atPath: shot).map(Array.init) ?? []
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 10_000)
    }
}

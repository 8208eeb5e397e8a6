import Foundation

/// `inventory --format html`: the registry as one self-contained page. Inline CSS, inline SVG charts and one inline
/// script (the table's sorting); no network resource and no external reference of any kind, so it works offline
/// and opened from a CI artifact. Its Content-Security-Policy allows nothing but its own style and script (by
/// hash), so even a browser that found a reference would not fetch it. Every string from the repository is
/// written through `HTMLText` and never into the script or the style.
enum InventoryPage {
    /// The charts, each drawn as one inline SVG: the seeds' KPIs.
    enum Chart: String, CaseIterable {
        case tiers = "chart-tiers"
        case teams = "chart-teams"
        case templates = "chart-templates"
        case expiring = "chart-expiring"
        case expired = "chart-expired"
        case costs = "chart-costs"
    }

    /// The table's columns: the sort key (in `#sort=KEY-asc|desc`), the heading, whether it sorts as a number.
    static let columns: [(key: String, title: String, numeric: Bool)] = [
        ("name", "App", false), ("owner", "Owner", false), ("tier", "Tier", true), ("dataClass", "Data class", false),
        ("integrations", "Integrations", false), ("expiresAt", "Expires", false), ("daysLeft", "Days left", true),
        ("attestation", "Attestation", false), ("state", "State", false), ("monthlyCapUSD", "Monthly cap (USD)", true),
        ("template", "Template", false),
    ]

    static let tierColors = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"]

    static func tierColor(_ t: Int) -> String { tierColors[max(0, min(t, tierColors.count - 1))] }

    static func render(_ result: InventoryResult) -> String {
        let rows = result.rows
        let style = stylesheet
        let script = sortScript
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '\(hash(style))'; script-src '\(hash(script))'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        let at = [result.commit.map { "commit " + String($0.prefix(12)) }, result.today.map { "judged on \($0)" }].compactMap { $0 }.joined(separator: ", ")
        out += "<title>tiergate inventory\(at.isEmpty ? "" : " (\(at))")</title>\n<style>\(style)</style>\n</head>\n<body>\n"
        out += "<h1>App registry</h1>\n<p class=\"meta\">\(rows.count) apps\(at.isEmpty ? "" : ", \(at)"). Written by tiergate \(HTMLText.text(TiergateVersion.current)).</p>\n"
        if !result.unreadablePaths.isEmpty {
            out += "<p class=\"warn\">\(result.unreadablePaths.count) manifest file(s) could not be read into an app and are not listed; run tiergate lint to see why.</p>\n"
        }
        out += "<section class=\"charts\">\n"
        for chart in Chart.allCases { out += figure(chart, rows, result.costBands) }
        out += "</section>\n"
        out += table(rows)
        out += "<script>\(script)</script>\n</body>\n</html>\n"
        return out
    }

    /// A CSP source for an inline element: its SHA-256, base64.
    static func hash(_ text: String) -> String { "sha256-" + Data(SHA256.digest(Array(text.utf8))).base64EncodedString() }

    // MARK: the table

    static func table(_ rows: [InventoryRow]) -> String {
        var out = "<h2>Apps</h2>\n<p class=\"meta\">Select a heading to sort by it; select it again to reverse.</p>\n"
        out += "<table id=\"apps\">\n<thead><tr>"
        for c in columns {
            out += "<th data-key=\"\(c.key)\" data-type=\"\(c.numeric ? "number" : "text")\" aria-sort=\"none\"><button type=\"button\">\(c.title)</button></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for r in rows {
            let attestation = r.attestationDue ? "due" : "current"
            let cells: [(value: String, shown: String, cls: String?)] = [
                (r.name, r.name, nil), (r.owner, r.owner, nil), (String(r.tier), "tier \(r.tier)", "tier t\(min(r.tier, 3))"),
                (r.dataClass, r.dataClass, nil), (r.integrations.joined(separator: " "), r.integrations.joined(separator: ", "), nil),
                (r.expiresAt, r.expiresAt, r.expired && r.state != AppState.archived.rawValue ? "bad" : nil), (String(r.daysLeft), String(r.daysLeft), nil),
                (attestation, attestation, r.attestationDue ? "bad" : nil), (r.state, r.state, nil),
                (ManifestValue.format(r.monthlyCapUSD), ManifestValue.format(r.monthlyCapUSD), nil), (r.template ?? "", r.template ?? "–", nil),
            ]
            out += "<tr>"
            for c in cells {
                out += "<td data-value=\"\(HTMLText.text(c.value))\"\(c.cls.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.text(c.shown))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    // MARK: the charts

    static func figure(_ chart: Chart, _ rows: [InventoryRow], _ bands: [CostBand]) -> String {
        let live = rows.filter { $0.state != AppState.archived.rawValue }
        switch chart {
        case .tiers:
            let top = max(3, rows.map(\.tier).max() ?? 0)
            return bars(chart, "Apps per tier", (0...top).map { t in Bar(label: "tier \(t)", value: Double(rows.count { $0.tier == t }), color: tierColor(t)) })
        case .teams:
            return bars(chart, "Apps per team", teams(rows).map { team in Bar(label: team, value: Double(rows.count { $0.owner == team }), color: "#1565c0") })
        case .templates:
            let from = rows.count { $0.template != nil }
            let share = rows.isEmpty ? 0 : Int((Double(from) * 100 / Double(rows.count)).rounded())
            return bars(
                chart, "Built from a template: \(share)%",
                [Bar(label: "from a template", value: Double(from), color: "#2e7d32"), Bar(label: "built freely", value: Double(rows.count - from), color: "#757575")])
        case .expiring:
            let soon = live.filter { !$0.expired && $0.daysLeft <= 30 }
            let weeks = [(0, 7), (8, 14), (15, 21), (22, 30)]
            return bars(
                chart, "Expiring in the next 30 days: \(soon.count)",
                weeks.map { w in Bar(label: "in \(w.0)–\(w.1) days", value: Double(soon.count { (w.0...w.1).contains($0.daysLeft) }), color: "#f9a825") })
        case .expired:
            let expired = rows.filter(\.needsAction)
            return bars(
                chart, "Expired (or past retirement) but not archived: \(expired.count)",
                teams(expired).map { team in Bar(label: team, value: Double(expired.count { $0.owner == team }), color: "#c62828") })
        case .costs:
            return costs(chart, rows, bands)
        }
    }

    struct Bar {
        var label: String
        var value: Double
        var color: String
    }

    /// Owners, most apps first.
    static func teams(_ rows: [InventoryRow]) -> [String] {
        let counts = Dictionary(rows.map { ($0.owner, 1) }, uniquingKeysWith: +)
        return counts.keys.sorted { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }
    }

    static let width = 520.0, labelWidth = 170.0, rowHeight = 24.0, maxRows = 25

    /// A horizontal bar chart; past `maxRows` bars the rest are summed into one.
    static func bars(_ chart: Chart, _ title: String, _ all: [Bar]) -> String {
        var bars = Array(all.prefix(maxRows))
        if all.count > maxRows {
            bars.append(Bar(label: "\(all.count - maxRows) more", value: all.dropFirst(maxRows).map(\.value).reduce(0, +), color: "#9e9e9e"))
        }
        let top = max(1, bars.map(\.value).max() ?? 0)
        let plot = width - labelWidth - 60
        let height = max(1, Double(bars.count)) * rowHeight + 8
        var svg = svgOpen(chart, title, height: height)
        if bars.isEmpty { svg += "<text x=\"4\" y=\"20\" class=\"none\">none</text>" }
        for (i, b) in bars.enumerated() {
            let y = 4 + Double(i) * rowHeight
            svg += "<g><title>\(HTMLText.text(b.label)): \(count(b.value))</title>"
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(n(y + 16))\" text-anchor=\"end\">\(HTMLText.text(short(b.label)))</text>"
            svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 3))\" width=\"\(n(b.value / top * plot))\" height=\"\(n(rowHeight - 6))\" fill=\"\(b.color)\"></rect>"
            svg += "<text x=\"\(n(labelWidth + b.value / top * plot + 4))\" y=\"\(n(y + 16))\">\(count(b.value))</text></g>"
        }
        return svg + "</svg></figure>\n"
    }

    /// Each team's monthly cost caps, summed per cost band of the policy (the band an app's own cap falls in),
    /// stacked: how much of a team's spending sits in the bands that raise the tier.
    static func costs(_ chart: Chart, _ rows: [InventoryRow], _ bands: [CostBand]) -> String {
        let bands = bands.isEmpty ? Policy.builtIn.dimensions.monthlyCostUSD : bands
        func band(_ cap: Double) -> Int { bands.firstIndex { $0.upTo.map { cap <= $0 } ?? true } ?? max(0, bands.count - 1) }
        let teams = Array(Self.teams(rows).prefix(maxRows))
        var totals: [String: [Double]] = [:]
        for r in rows where teams.contains(r.owner) {
            totals[r.owner, default: [Double](repeating: 0, count: bands.count)][band(r.monthlyCapUSD)] += r.monthlyCapUSD
        }
        let top = max(1, totals.values.map { $0.reduce(0, +) }.max() ?? 0)
        let plot = width - labelWidth - 90
        let legendHeight = 22.0
        let height = legendHeight + max(1, Double(teams.count)) * rowHeight + 8
        var svg = svgOpen(chart, "Monthly cost caps per team, by the policy's cost bands", height: height)
        var x = 4.0
        var lower = 0.0
        for b in bands {
            let label = b.upTo.map { "$\(ManifestValue.format(lower))–\(ManifestValue.format($0)): tier \(b.tier)" } ?? "over $\(ManifestValue.format(lower)): tier \(b.tier)"
            lower = b.upTo ?? lower
            svg += "<rect x=\"\(n(x))\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(tierColor(b.tier))\"></rect>"
            svg += "<text x=\"\(n(x + 14))\" y=\"14\" class=\"legend\">\(HTMLText.text(label))</text>"
            x += Double(label.count) * 6.2 + 26
        }
        if teams.isEmpty { svg += "<text x=\"4\" y=\"40\" class=\"none\">none</text>" }
        for (i, team) in teams.enumerated() {
            let y = legendHeight + 4 + Double(i) * rowHeight
            let sums = totals[team] ?? []
            svg += "<g><title>\(HTMLText.text(team)): $\(ManifestValue.format(sums.reduce(0, +))) a month</title>"
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(n(y + 16))\" text-anchor=\"end\">\(HTMLText.text(short(team)))</text>"
            var at = labelWidth
            for (j, sum) in sums.enumerated() where sum > 0 {
                let w = sum / top * plot
                svg += "<rect x=\"\(n(at))\" y=\"\(n(y + 3))\" width=\"\(n(w))\" height=\"\(n(rowHeight - 6))\" fill=\"\(tierColor(bands[j].tier))\"></rect>"
                at += w
            }
            svg += "<text x=\"\(n(at + 4))\" y=\"\(n(y + 16))\">$\(ManifestValue.format(sums.reduce(0, +)))</text></g>"
        }
        return svg + "</svg></figure>\n"
    }

    static func svgOpen(_ chart: Chart, _ title: String, height: Double) -> String {
        "<figure id=\"\(chart.rawValue)\"><figcaption>\(HTMLText.text(title))</figcaption>"
            + "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(HTMLText.text(title))\">"
    }

    /// A label cut to fit the chart's label column (the full text is in the bar's tooltip).
    static func short(_ s: String) -> String { s.count > 26 ? String(s.prefix(25)) + "…" : s }

    static func count(_ v: Double) -> String { ManifestValue.format(v) }

    /// A coordinate with at most one decimal.
    static func n(_ v: Double) -> String { ManifestValue.format((v * 10).rounded() / 10) }

    // MARK: style and script (constants of the tool, hashed into the page's CSP)

    static let stylesheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#212121;background:#fff}\
        h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 4px}.meta{color:#616161;margin:0 0 12px}\
        .warn{color:#b71c1c}.charts{display:flex;flex-wrap:wrap;gap:16px}\
        figure{margin:0;padding:10px;border:1px solid #e0e0e0;border-radius:6px}\
        figcaption{font-weight:600;margin-bottom:6px}svg text{font-size:12px;fill:#212121}svg text.none{fill:#757575}\
        svg text.legend{font-size:11px}table{border-collapse:collapse;width:100%;font-size:14px}\
        th,td{border-bottom:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top}\
        th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}\
        th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}\
        td.tier{font-weight:600}td.t0{color:#2e7d32}td.t1{color:#9e7400}td.t2{color:#e65100}td.t3{color:#c62828}td.bad{color:#c62828;font-weight:600}
        """

    /// Sorts the table by a column on a click, and by `#sort=KEY-asc` / `#sort=KEY-desc` in the address (on load
    /// and when it changes): a sorted view can be linked. Ties keep the name order.
    static let sortScript = """
        (function () {
          var table = document.getElementById("apps");
          if (!table) { return; }
          var body = table.tBodies[0];
          var heads = table.tHead.rows[0].cells;
          function value(row, i, numeric) {
            var v = row.cells[i].getAttribute("data-value");
            return numeric ? parseFloat(v) : v;
          }
          function sort(key, dir) {
            var index = -1, numeric = false;
            for (var i = 0; i < heads.length; i++) {
              if (heads[i].getAttribute("data-key") === key) { index = i; numeric = heads[i].getAttribute("data-type") === "number"; }
            }
            if (index < 0) { return; }
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = value(a, index, numeric), y = value(b, index, numeric);
              var c = x < y ? -1 : (x > y ? 1 : 0);
              if (dir === "desc") { c = -c; }
              if (c === 0) { var p = value(a, 0, false), q = value(b, 0, false); c = p < q ? -1 : (p > q ? 1 : 0); }
              return c;
            });
            for (var j = 0; j < rows.length; j++) { body.appendChild(rows[j]); }
            for (var k = 0; k < heads.length; k++) {
              heads[k].setAttribute("aria-sort", k === index ? (dir === "desc" ? "descending" : "ascending") : "none");
            }
            table.setAttribute("data-sorted", key + "-" + dir);
          }
          function fromAddress() {
            var m = /^#sort=([A-Za-z]+)-(asc|desc)$/.exec(window.location.hash);
            if (m) { sort(m[1], m[2]); }
          }
          table.tHead.addEventListener("click", function (event) {
            var th = event.target.closest("th");
            if (!th) { return; }
            var key = th.getAttribute("data-key");
            var dir = table.getAttribute("data-sorted") === key + "-asc" ? "desc" : "asc";
            sort(key, dir);
            if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#sort=" + key + "-" + dir); }
          });
          window.addEventListener("hashchange", fromAddress);
          fromAddress();
        })();
        """
}

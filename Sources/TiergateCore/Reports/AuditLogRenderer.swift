package enum AuditLogFormat: String, Sendable, CaseIterable { case text, json, csv }

/// Renders `tiergate audit log`: each format with its escaping layer (the entries are redacted already).
package enum AuditLogRenderer {
    static let headers = ["date", "commit", "app", "path", "change", "baseTier", "headTier", "approvedBy", "decision"]

    package static func render(_ entries: [AuditLogEntry], as format: AuditLogFormat) -> String {
        switch format {
        case .json:
            var w = JSONWriter(capacity: 256 + entries.count * 256)
            w.objects(entries) { w, e in
                w.field("date", e.date)
                w.field("commit", e.commit)
                w.field("app", e.app)
                w.field("path", e.path)
                w.field("change", e.change)
                if let from = e.renamedFrom { w.field("renamedFrom", from) }
                w.field("baseTier", e.baseTier)
                w.field("headTier", e.headTier)
                w.key("approvedBy")
                w.stringArray(e.approvedBy)
                w.field("decision", e.decision)
            }
            return w.text
        case .csv:
            let rows = entries.map { e in
                [CSVText.number(e.date), CSVText.number(e.commit), CSVText.field(e.app ?? ""), CSVText.field(e.path ?? ""), CSVText.field(e.change),
                 CSVText.number(e.baseTier.map(String.init) ?? ""), CSVText.number(e.headTier.map(String.init) ?? ""),
                 CSVText.field(e.approvedBy.joined(separator: " ")), CSVText.field(e.decision ?? "")]
            }
            return CSVText.document([headers] + rows)
        case .text:
            guard !entries.isEmpty else { return "" }
            let rows = entries.map { e in
                [String(e.date.prefix(10)), String(e.commit.prefix(12)), TerminalText.escape(e.app ?? e.path ?? "-"),
                 TerminalText.escape(e.renamedFrom.map { "\(e.change) from \($0)" } ?? e.change),
                 e.kind == .recorded ? "\(tier(e.baseTier)) → \(tier(e.headTier))" : "",
                 e.kind == .recorded || e.kind == .policy ? (e.approvedBy.isEmpty ? "no approvals" : "approved by " + e.approvedBy.map(TerminalText.escape).joined(separator: ", ")) : "",
                 TerminalText.escape(e.decision ?? "")]
            }
            let widths = (0..<7).map { i in rows.map { $0[i].count }.max() ?? 0 }
            return rows.map { row in
                row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  ").trimmingTrailingSpaces()
            }.joined(separator: "\n") + "\n"
        }
    }

    private static func tier(_ t: Int?) -> String { t.map(String.init) ?? "-" }
}

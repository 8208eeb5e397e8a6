package enum InventoryFormat: String, Sendable, CaseIterable { case table, json, csv, markdown, html }

/// Renders `tiergate inventory`.
package enum InventoryRenderer {
    static let headers = ["name", "path", "owner", "tier", "dataClass", "state", "expiresAt", "daysLeft", "expired", "attestationDue", "monthlyCapUSD", "integrations"]

    /// The row's cells, each written by `text` (a string from the repository) or `own` (a number, a date or a
    /// boolean the tool wrote).
    static func cells(_ r: InventoryRow, text: (String) -> String, own: (String) -> String) -> [String] {
        [text(r.name), text(r.path), text(r.owner), own(String(r.tier)), text(r.dataClass), text(r.state), own(r.expiresAt),
         own(String(r.daysLeft)), own(String(r.expired)), own(String(r.attestationDue)), own(ManifestValue.format(r.monthlyCapUSD)),
         text(r.integrations.joined(separator: " "))]
    }

    /// The inventory with no credential in it (`Redactor`), each format with its escaping layer. The HTML page
    /// also draws the policy's cost bands.
    package static func render(_ result: InventoryResult, as format: InventoryFormat) throws(TiergateError) -> String {
        guard format == .html else { return try render(result.rows, as: format) }
        var redacted = result
        redacted.rows = Redactor.redact(result.rows)
        redacted.unreadablePaths = result.unreadablePaths.map(Redactor.text)
        return InventoryPage.render(redacted)
    }

    /// Rows with no credential in them (`Redactor`), each format with its escaping layer.
    package static func render(_ rows: [InventoryRow], as format: InventoryFormat) throws(TiergateError) -> String {
        let rows = Redactor.redact(rows)
        switch format {
        case .html: return InventoryPage.render(InventoryResult(rows: rows, unreadablePaths: []))
        case .json: return try JSONText.encode(rows)
        case .csv:
            let lines = [headers] + rows.map { cells($0, text: CSVText.field, own: CSVText.number) }
            return CSVText.document(lines)
        case .markdown:
            var out = "| " + headers.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: headers.count) + "\n"
            for r in rows {
                out += "| " + cells(r, text: { MarkdownText.text($0, inTable: true) }, own: { $0 }).joined(separator: " | ") + " |\n"
            }
            return out
        case .table:
            let all = [headers] + rows.map { cells($0, text: TerminalText.escape, own: { $0 }) }
            let widths = headers.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
                    .joined(separator: "  ").trimmingTrailingSpaces()
            }.joined(separator: "\n") + "\n"
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

import Foundation

public enum InventoryFormat: String, Sendable, CaseIterable { case table, json, csv, markdown }

/// Renders `tiergate inventory`.
public enum InventoryRenderer {
    static let headers = ["name", "path", "owner", "tier", "dataClass", "state", "expiresAt", "daysLeft", "expired", "attestationDue", "monthlyCapUSD", "integrations"]

    static func cells(_ r: InventoryRow) -> [String] {
        [r.name, r.path, r.owner, String(r.tier), r.dataClass, r.state, r.expiresAt, String(r.daysLeft), String(r.expired),
         String(r.attestationDue), ManifestValue.format(r.monthlyCapUSD), r.integrations.joined(separator: " ")]
    }

    public static func render(_ rows: [InventoryRow], as format: InventoryFormat) throws(TiergateError) -> String {
        switch format {
        case .json: return try JSONText.encode(rows)
        case .csv:
            return ([headers] + rows.map(cells)).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .markdown:
            var out = "| " + headers.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: headers.count) + "\n"
            for r in rows { out += "| " + cells(r).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            return out
        case .table:
            let all = [headers] + rows.map(cells)
            let widths = headers.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
            return all.map { row in
                row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
                    .joined(separator: "  ").trimmingTrailingSpaces()
            }.joined(separator: "\n") + "\n"
        }
    }

    /// RFC 4180: quote fields holding a comma, quote or line break.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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

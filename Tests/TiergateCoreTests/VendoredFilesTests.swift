import Foundation
import Testing

@Suite("Vendored third-party files")
struct VendoredFilesTests {
    @Test("every vendored schema has the sha256 its README records")
    func checksums() throws {
        let readme = String(decoding: try Project.bytes("schemas/vendor/README.md"), as: UTF8.self)
        let rows = readme.components(separatedBy: "\n").filter { $0.hasPrefix("| `") }
        #expect(!rows.isEmpty)
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let file = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let recorded = cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let r = try run("sha256sum", [Project.path("schemas/vendor/\(file)")])
            #expect(r.status == 0)
            #expect(r.stdout.split(separator: " ").first.map(String.init) == recorded, "\(file)")
        }
    }
}

import Foundation

/// The example repository behind `tiergate demo`: a base commit and a change, built from the files bundled in
/// the tool (`fixtures/demo/base` and `fixtures/demo/head`).
package struct DemoRepository: Sendable {
    package var path: String
    package var baseCommit: String
    package var headCommit: String

    /// The date the demo's lifecycle dates are written for, so the demo tells the same story every day.
    package static let today = Day(year: 2026, month: 11, day: 22) ?? Day(daysSinceEpoch: 0)

    /// The check the demo runs: the change against its parent, authored by dana, with three approvals given
    /// (one of them dana's own, which never counts).
    package var gateRequest: GateRequest {
        var request = GateRequest(workingDirectory: path, environment: [:], today: DemoRepository.today)
        request.base = "HEAD~1"
        request.author = "dana"
        request.approvedBy = ["cora", "sam", "dana"]
        return request
    }

    /// Builds the repository in a new directory under `parent` (the system's temporary directory by default).
    package static func build(under parent: String? = nil) throws(TiergateError) -> DemoRepository {
        let fm = FileManager.default
        let root = (parent ?? fm.temporaryDirectory.path) + "/tiergate-demo-\(UUID().uuidString.prefix(8))"
        do {
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            let repo = try Repository.create(at: root)
            let base = try writeTree("fixtures/demo/base/", into: root, replacing: [])
            let baseCommit = try repo.commit(paths: base, message: "Base: the apps as they are in production")
            let head = try writeTree("fixtures/demo/head/", into: root, replacing: base)
            let headCommit = try repo.commit(
                paths: Array(Set(base + head)).sorted(),
                message: "Give where2eat HR data org-wide, hand expense-bot to people-ops, add pto-helper")
            return DemoRepository(path: root, baseCommit: baseCommit.hex, headCommit: headCommit.hex)
        } catch let e as TiergateError {
            throw e
        } catch {
            throw TiergateError(.io, "cannot build the demo repository in \(root): \(error)")
        }
    }

    /// Writes the bundled files under `prefix` into `root`, deleting `replacing` files first; returns the paths.
    private static func writeTree(_ prefix: String, into root: String, replacing old: [String]) throws -> [String] {
        let fm = FileManager.default
        for path in old { try? fm.removeItem(atPath: root + "/" + path) }
        var written: [String] = []
        for source in BundledFile.paths(under: prefix) {
            let rel = String(source.dropFirst(prefix.count))
            let target = root + "/" + rel
            try fm.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data((BundledFile.text(source) ?? "").utf8).write(to: URL(fileURLWithPath: target))
            written.append(rel)
        }
        return written
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// SPEC section 2 and 8: a policy's `matches` on values a pull request writes runs in linear time, so `lint` of
/// values that hang a backtracking engine finishes, with the rule's verdict.
@Suite("tiergate lint: matches on hostile values", .temporaryDirectories)
struct HostileMatchesCLITests {
    @Test("lint --rev judges a 100K-character description and a long label under matches rules")
    func hostileValues() throws {
        let policy = groupsPolicy + hostileMatchRules
        let description = String(repeating: "An app that lists lunch places. ", count: 3200)
        let label = String(repeating: "a", count: 50_000) + "!"
        let manifest = CheckExample.baseManifest.replacingOccurrences(
            of: "  owner: ops", with: "  owner: ops\n  description: \"\(description)\"\n  labels:\n    team: \"\(label)\"")
        let repo = try CLITests.repository(files: [Policy.path: policy, "apps/example/microapp.yaml": manifest])
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let r = try CLITests.tiergate(["lint", "--rev", "HEAD", "--format", "json"], in: repo)
        #expect(r.status == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let app = try #require((json["apps"] as? [[String: Any]])?.first)
        // No "pii" in the description: the tier stays 0; the label is not kebab-case: the rule's finding.
        #expect(app["tier"] as? Int == 0)
        #expect((app["findings"] as? [[String: Any]])?.contains { $0["id"] as? String == "team-label" } == true)
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// Ways past the gate found in review of the fail-closed work, each rebuilt as a real repository.
@Suite("Attack suite: review of the fail-closed gate", .temporaryDirectories)
struct ReviewAttackTests {
    let payroll = "apps/payroll/microapp.yaml"

    @Test("a rename in place whose old app moves to another path is still renamed at that path")
    func renameInPlaceWhileTheOldAppMovesAway() throws {
        // Argo CD keyed by path would have turned the regulated payroll deployment into a tier-0 app: exit 0.
        let r = try ChangeRepository(base: [payroll: regulatedApp("payroll")])
        try r.change([payroll: app("payroll-v2"), "apps/archive/payroll/microapp.yaml": regulatedApp("payroll")])
        let report = try r.check()
        let renamed = try #require(report.apps.first { $0.name == "payroll-v2" })
        #expect(renamed.path == payroll && renamed.check?.change == .renamed && renamed.check?.previousName == "payroll")
        #expect(renamed.check?.baseTier == 3 && renamed.check?.requiredTier == 3 && renamed.check?.tierChange == .deescalated)
        #expect(report.apps.first { $0.name == "payroll" }?.check?.change == .moved)
        #expect(report.decision == .approvalRequired)
    }

    @Test("an existing app moved onto the path of an app the change removes is renamed at that path")
    func appMovedOntoAnotherAppsPath() throws {
        // The path-keyed payroll deployment would have taken where2eat's tier-0 values: "removed" + "moved", exit 0.
        let team = "apps/where2eat/microapp.yaml"
        let r = try ChangeRepository(base: [payroll: regulatedApp("payroll"), team: app("where2eat")])
        try r.change([payroll: app("where2eat"), team: nil])
        let report = try r.check()
        let entries = report.apps.filter { $0.name == "where2eat" }
        #expect(entries.map { $0.check?.change } == [.moved, .renamed])
        let renamed = try #require(entries.last?.check)
        #expect(renamed.previousName == "payroll" && renamed.requiredTier == 3)
        #expect(!report.apps.contains { $0.check?.change == .removed }, "payroll's departure is the rename")
        #expect(report.decision == .approvalRequired)
        #expect(try r.check { $0.approvedBy = ["sam", "priya", "pat", "lee"] }.decision == .pass)
    }

    @Test("swapping two apps' files renames both paths; splitting and merging files stay moves")
    func swapSplitMerge() throws {
        let team = "apps/where2eat/microapp.yaml"
        let r = try ChangeRepository(base: [payroll: regulatedApp("payroll"), team: app("where2eat")])
        try r.change([payroll: app("where2eat"), team: regulatedApp("payroll")])
        let swapped = try r.check()
        #expect(swapped.apps.filter { $0.check?.change == .renamed }.map(\.path).sorted() == [payroll, team])
        #expect(swapped.apps.allSatisfy { $0.check?.change != .renamed || $0.check?.requiredTier == 3 })
        let r2 = try ChangeRepository(base: ["apps/all/microapp.yaml": app("a") + "---\n" + app("b")])
        try r2.change(["apps/all/microapp.yaml": app("a"), "apps/b/microapp.yaml": app("b")])
        #expect(try r2.check().apps.map { $0.check?.change } == [.moved])
        let r3 = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a"), "apps/b/microapp.yaml": app("b")])
        try r3.change(["apps/a/microapp.yaml": app("a") + "---\n" + app("b"), "apps/b/microapp.yaml": nil])
        let merged = try r3.check()
        #expect(merged.apps.map { $0.check?.change } == [.moved] && merged.decision == .pass)
    }

    @Test("a microapps/ apiVersion spelled with escapes outside the globs is manifest-outside-include")
    func escapedMarkerOutsideInclude() throws {
        // "microapps\x2Fv1" is microapps/v1 to every YAML reader: a read-every-YAML deployer would have run the
        // regulated app that the gate never saw ("no app changes", exit 0).
        let team = "apps/where2eat/microapp.yaml"
        let escaped = regulatedApp("payroll").replacingOccurrences(of: "apiVersion: microapps/v1", with: "apiVersion: \"microapps\\x2Fv1\"")
        #expect(try pyYAMLRead(escaped)["apiVersion"] as? String == "microapps/v1")
        let json = "{\"apiVersion\": \"microapps\\/v1\", \"kind\": \"MicroApp\", \"metadata\": {\"name\": \"ledger\"}}\n"
        let duplicate = escaped.replacingOccurrences(of: "apiVersion: ", with: "apiVersion: v1\napiVersion: ")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in escaped.utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let r = try ChangeRepository(base: [team: app("where2eat")])
        try r.repo.write("apps/payroll/app.yaml", escaped)
        try r.repo.write("apps/ledger/app.json", json)
        try r.repo.write("apps/dup/app.yaml", duplicate)
        try FileManager.default.createDirectory(atPath: r.path + "/apps/wide", withIntermediateDirectories: true)
        try Data(utf16).write(to: URL(fileURLWithPath: r.path + "/apps/wide/app.yaml"))
        try r.repo.write("ci/config.yaml", "script: \"echo a\\tb\"\nwindows: 'C:\\tools'\n")
        try r.repo.commit("escaped manifests")
        let report = try r.check()
        let outside = report.findings.filter { $0.id == "manifest-outside-include" }.map(\.path).sorted()
        #expect(outside == ["apps/dup/app.yaml", "apps/ledger/app.json", "apps/payroll/app.yaml", "apps/wide/app.yaml"])
        #expect(report.decision == .blocked)
    }

    @Test("an unknown key with a dot in it is no ungoverned field: its change needs the app's tier review")
    func dottedUnknownKeyIsNotUngoverned() throws {
        // `metadata: {description.image: ...}` read as "metadata.description.image", under the ungoverned
        // metadata.description: a new unknown field on a tier-3 app needed nothing, exit 0.
        let r = try ChangeRepository(base: [payroll: regulatedApp("payroll")])
        try r.change([payroll: regulatedApp("payroll", [("  owner: ops", "  owner: ops\n  description.image: evil/miner:latest")])])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .modified && a.requiredTier == 3)
        #expect(report.decision == .approvalRequired)
        // A real description change still needs nothing.
        let labelsFree = groupsPolicy + "ungovernedFields: [metadata.title, metadata.description, metadata.labels]\n"
        let r2 = try ChangeRepository(base: [payroll: regulatedApp("payroll")], policy: labelsFree)
        try r2.change([payroll: regulatedApp("payroll", [("  owner: ops", "  owner: ops\n  description: Payroll runs\n  labels: {team.name: pay}")])])
        let b = try #require(try r2.check().apps.first?.check)
        #expect(b.change == .modified && b.requiredTier == nil && b.fieldChanges.map(\.path) == ["metadata.description", "metadata.labels.team.name"])
    }

    @Test("reordering a list of an unknown field is a modification; the schema's own lists stay sets")
    func reorderedUnknownList() throws {
        // args [--user, nobody, --group, root] became [--user, root, --group, nobody]: the same set, so the gate
        // called it reformatted and asked nothing, while the deployer ran the app as root.
        let r = try ChangeRepository(base: [payroll: regulatedApp("payroll", [("spec:\n", "spec:\n  args: [--user, nobody, --group, root]\n")])])
        let head = regulatedApp("payroll", [("spec:\n", "spec:\n  args: [--user, root, --group, nobody]\n")])
        try r.change([payroll: head])
        let spec = try #require(try pyYAMLRead(head)["spec"] as? [String: Any])
        #expect(spec["args"] as? [String] == ["--user", "root", "--group", "nobody"])
        let report = try r.check()
        let a = try #require(report.apps.first?.check)
        #expect(a.change == .modified && a.requiredTier == 3 && a.fieldChanges.map(\.path) == ["spec.args"])
        #expect(report.decision == .approvalRequired)
        let two = "destinations: [crm.internal.example.com, hr.internal.example.com]"
        let r2 = try ChangeRepository(base: [payroll: regulatedApp("payroll", [("destinations: [crm.internal.example.com]", two)])])
        try r2.change([payroll: regulatedApp("payroll", [("destinations: [crm.internal.example.com]", "destinations: [hr.internal.example.com, crm.internal.example.com]")])])
        #expect(try r2.check().apps.first?.check?.change == .reformatted)
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// Rules read typed apps in place (`TypedFields`) in lint and check; the value tree (`MicroApp.value`) is what
/// the rules language is defined on. Both must give the same values for every path a policy can write.
@Suite("Rule fields read from typed apps")
struct FieldSourceTests {
    /// Every path of the schema (with `[*]` at lists and each label key the app has, plus one it lacks), and
    /// paths that go where the schema has nothing.
    static func paths(for app: MicroApp) -> [FieldPath] {
        var out: [String] = ["spec.nope", "metadata.labels.absent", "spec.integrations.name", "spec.network.egress.deeper", "kind.x"]
        out += ManifestSchema.fieldPaths
        out += app.metadata.labels.keys.map { "metadata.labels.\($0)" }
        return out.compactMap(FieldPath.init)
    }

    static var apps: [MicroApp] {
        var texts = ["minimal", "expense-bot", "where2eat"].compactMap {
            try? String(contentsOfFile: Project.path("fixtures/manifests/valid/\($0).microapp.yaml"), encoding: .utf8)
        }
        texts.append(CheckExample.baseManifest)
        // Optional fields set and unset, lists empty and long.
        texts.append(CheckExample.replacing("  residency: eu", with: "  template: internal-tool\n  residency: eu\n  state: quarantined"))
        texts.append(CheckExample.replacing("    ttlDays: 30", with: "    ttlDays: 30\n    renewedAt: 2026-11-10\n    renewalJustification: still used\n    retireBy: 2027-01-01"))
        texts.append(CheckExample.replacing("  regions: [eu-central-1]", with: "  regions: []"))
        texts.append(CheckExample.replacing("    destinations: [crm.internal.example.com]", with: "    destinations: [a.example.com, b.example.com]"))
        texts.append(CheckExample.replacing("  owner: ops", with: "  owner: ops\n  title: T\n  description: D\n  labels: {team: x, cost-center: \"12\"}"))
        return texts.compactMap { ManifestReader.read(Array($0.utf8), path: "m.yaml").apps.first?.app }
    }

    @Test("TypedFields gives what the value tree gives, for every path of the schema")
    func sameValues() throws {
        let apps = Self.apps
        #expect(apps.count == 9, "every sample manifest must decode")
        var compared = 0
        for app in apps {
            let tree = app.value
            for path in Self.paths(for: app) {
                #expect(TypedFields(app).values(at: path) == path.values(in: tree), "\(path) of \(app.metadata.name)")
                compared += 1
            }
        }
        #expect(compared > 9 * 40)
    }

    @Test("the default policy's rules fire the same on typed apps and on value trees")
    func sameRules() throws {
        let policy = Policy.builtIn
        for app in Self.apps {
            for rule in policy.rules {
                #expect(rule.when.holds(on: TypedFields(app)) == rule.when.holds(on: app.value), "\(rule.id) on \(app.metadata.name)")
                if let require = rule.require {
                    #expect(require.holds(on: TypedFields(app)) == require.holds(on: app.value), "\(rule.id) require")
                }
            }
        }
    }
}

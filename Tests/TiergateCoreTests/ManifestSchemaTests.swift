import Foundation
import Testing

@testable import TiergateCore

@Suite("Manifest schema")
struct ManifestSchemaTests {
    static let validFixtures = (try? Project.files(under: "fixtures/manifests/valid", suffix: ".yaml")) ?? []
    static let invalidFixtures = (try? Project.files(under: "fixtures/manifests/invalid", suffix: ".yaml")) ?? []

    func read(_ relative: String) throws -> ManifestFile {
        ManifestReader.read(try Project.bytes(relative), path: relative)
    }

    func shapeFindings(_ file: ManifestFile) -> [Finding] {
        (file.findings + file.apps.flatMap(\.findings)).filter { $0.id == "schema" || $0.id == "unknown-field" }
    }

    @Test("fixture sets are not empty")
    func fixturesExist() {
        #expect(Self.validFixtures.count >= 3)
        #expect(Self.invalidFixtures.count >= 10)
    }

    @Test("valid fixtures decode into typed apps with no shape finding", arguments: validFixtures)
    func valid(_ fixture: String) throws {
        let file = try read(fixture)
        #expect(shapeFindings(file).isEmpty, "\(shapeFindings(file).map(\.message))")
        #expect(file.apps.count == 1)
        #expect(file.apps.first?.app != nil)
    }

    /// Every invalid fixture, with the finding that must come out and where.
    static let expected: [String: (id: String, line: Int, column: Int, says: String)] = [
        "bad-data-class": ("schema", 7, 14, "spec.dataClass"),
        "bad-name": ("schema", 4, 9, "metadata.name"),
        "destination-is-url": ("schema", 13, 20, "spec.network.destinations[0]"),
        "empty-optional-field": ("schema", 6, 10, "metadata.labels is empty; give it a value or remove it"),
        "fractional-retention": ("schema", 19, 20, "spec.observability.retentionDays"),
        "huge-cost": ("schema", 17, 20, "spec.cost.monthlyCapUSD is 10000000000; it must be a number from 0 to 1000000000"),
        "huge-retention": ("schema", 20, 20, "spec.observability.retentionDays is too large; it must be a whole number from 0 to 36500"),
        "huge-ttl": ("schema", 16, 14, "spec.lifecycle.ttlDays is 9223372036854775807; it must be a whole number from 1 to 3650"),
        "impossible-date": ("schema", 14, 16, "spec.lifecycle.createdAt"),
        "infinite-cost": ("schema", 17, 20, "spec.cost.monthlyCapUSD is infinite"),
        "integration-typo": ("unknown-field", 13, 7, "did you mean 'access'"),
        "label-not-string": ("schema", 6, 24, "metadata.labels.costCenter"),
        "list-not-mapping": ("schema", 1, 1, "must be a MicroApp manifest"),
        "missing-egress": ("schema", 11, 11, "spec.network is empty"),
        "missing-owner": ("schema", 4, 3, "metadata.owner is missing"),
        "negative-cost": ("schema", 16, 20, "spec.cost.monthlyCapUSD"),
        "quoted-ttl": ("schema", 15, 14, "write it without quotes"),
        "ttl-over-ten-years": ("schema", 16, 14, "from 1 to 3650"),
        "unknown-field": ("unknown-field", 6, 3, "did you mean 'owner'"),
        "wrong-api-version": ("schema", 1, 13, "apiVersion: microapps/v1"),
    ]

    @Test("invalid fixtures give the expected finding at the expected place", arguments: invalidFixtures)
    func invalid(_ fixture: String) throws {
        let name = String(fixture.split(separator: "/").last?.split(separator: ".").first ?? "")
        let want = try #require(Self.expected[name], "add \(name) to the expectations table")
        let findings = shapeFindings(try read(fixture))
        let hit = findings.first { $0.id == want.id && $0.line == want.line && $0.column == want.column }
        #expect(hit != nil, "got \(findings.map { "\($0.id) \($0.line):\($0.column) \($0.message)" })")
        #expect(hit?.message.contains(want.says) == true, "\(hit?.message ?? "")")
        #expect(hit?.path == fixture)
    }

    @Test("a missing required field, a wrong type and a value outside its enum say what was found and what is allowed")
    func messages() {
        let text = manifest().replacingOccurrences(of: "criticality: toy", with: "criticality: 3")
            .replacingOccurrences(of: "runtime: client", with: "runtime: mainframe")
        let file = ManifestReader.read(Array(text.utf8), path: "m.yaml")
        let messages = file.apps.flatMap(\.findings).map(\.message)
        #expect(messages.contains { $0.contains("spec.criticality") && $0.contains("found integer") && $0.contains("toy, productivity, sla-critical") })
        #expect(messages.contains { $0.contains("spec.runtime is 'mainframe'") && $0.contains("client, vendor-platform, company-cloud") })
    }

    @Test("integration and secret names are unique in their lists")
    func uniqueNames() {
        let text = manifest(extraSpec: """
              integrations:
                - {name: crm, access: read}
                - {name: crm, access: write}
              secrets:
                - {name: T, ref: "vault://a"}
                - {name: T, ref: "vault://b"}
            """)
        let file = ManifestReader.read(Array(text.utf8), path: "m.yaml")
        let findings = file.apps.flatMap(\.findings).filter { $0.id == "schema" }
        #expect(findings.contains { $0.message.contains("integration 'crm' is listed twice") && $0.line == 22 })
        #expect(findings.contains { $0.message.contains("secret 'T' is listed twice") && $0.line == 25 })
        #expect(file.apps.first?.app == nil)
    }

    @Test("messages never repeat a value that could be a credential")
    func noEcho() {
        let token = "ghp_" + String(repeating: "A1b2", count: 9)
        let text = manifest().replacingOccurrences(of: "dataClass: internal", with: "dataClass: \(token)")
            .replacingOccurrences(of: "owner: ops", with: "owner: ops\n  name2: \(token)")
        let file = ManifestReader.read(Array(text.utf8), path: "m.yaml")
        let all = file.findings + file.apps.flatMap(\.findings)
        #expect(!all.isEmpty)
        #expect(all.allSatisfy { !$0.message.contains(token) })
    }

    @Test("a multi-document file gives one app per document, and YAML problems land on their app")
    func multiDocument() {
        let text = manifest(name: "one") + "\n---\n" + manifest(name: "two").replacingOccurrences(of: "egress: none", with: "egress: yes")
        let file = ManifestReader.read(Array(text.utf8), path: "m.yaml")
        #expect(file.apps.map(\.name) == ["one", "two"])
        let ambiguous = file.apps[1].findings.first { $0.id == "yaml-ambiguous-scalar" }
        #expect(ambiguous?.app == "two")
        #expect(file.apps[0].findings.isEmpty)
    }

    @Test("an empty manifest file is a schema error, a YAML error makes no app")
    func emptyAndBroken() throws {
        let empty = ManifestReader.read([], path: "e.yaml")
        #expect(empty.findings.map(\.id) == ["schema"])
        let broken = try read("fixtures/hostile/syntax-error.yaml")
        #expect(broken.apps.isEmpty)
        #expect(broken.findings.map(\.id) == ["yaml-syntax"])
    }

    @Test("a Git LFS pointer is not a manifest")
    func lfsPointer() {
        let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
        let file = ManifestReader.read(Array(pointer.utf8), path: "apps/x/microapp.yaml")
        #expect(file.findings.map(\.id) == ["not-a-manifest-file"])
        #expect(file.apps.isEmpty)
    }

    @Test("tiergate and check-jsonschema agree on every fixture")
    func agreesWithJSONSchema() throws {
        let checker = try Project.venvTool("check-jsonschema")
        let schema = Project.path("schemas/microapp.schema.json")
        for fixture in Self.validFixtures + Self.invalidFixtures {
            let tiergateValid = shapeFindings(try read(fixture)).isEmpty
            let r = try run(checker, ["--schemafile", schema, Project.path(fixture)])
            #expect(r.status == 0 || r.status == 1, "check-jsonschema failed to run: \(r.stderr)")
            #expect((r.status == 0) == tiergateValid, "\(fixture): tiergate valid=\(tiergateValid), check-jsonschema: \(r.stdout)")
            #expect(tiergateValid == fixture.contains("/valid/"), "\(fixture)")
        }
    }

    @Test("the schema file is itself a valid JSON Schema 2020-12")
    func schemaIsValid() throws {
        let checker = try Project.venvTool("check-jsonschema")
        let r = try run(checker, ["--check-metaschema", Project.path("schemas/microapp.schema.json")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}

@Suite("Bundled files")
struct BundledFileTests {
    @Test("the tool embeds exactly the files under schemas/ and fixtures/demo/, as they are on disk (run ci/embed-resources.py)")
    func inSync() throws {
        let bundled = BundledFile.all
        let expected = try run("git", ["ls-files", ":(glob)schemas/*.json", "fixtures/demo"], in: Project.root.path)
        #expect(expected.status == 0)
        let paths = expected.stdout.split(separator: "\n").map(String.init)
        #expect(paths.count > 10)
        #expect(Set(bundled.keys) == Set(paths), "the embedded list is out of date: run ci/embed-resources.py")
        for (path, text) in bundled {
            #expect(try Project.bytes(path) == Array(text.utf8), "\(path) differs from the embedded copy: rebuild")
        }
        #expect(BundledFile.text("schemas/policy.schema.json")?.hasPrefix("{") == true)
        #expect(BundledFile.paths(under: "fixtures/demo/base/").contains("fixtures/demo/base/.tiergate/policy.yaml"))
    }
}

@Suite("Globs")
struct GlobTests {
    @Test("** crosses directories, * and ? do not", arguments: [
        ("**/microapp.yaml", "microapp.yaml", true), ("**/microapp.yaml", "a/b/c/microapp.yaml", true),
        ("**/microapp.yaml", "a/notmicroapp.yaml", false), ("**/*.microapp.yaml", "apps/x.microapp.yaml", true),
        ("**/*.microapp.yaml", "x.microapp.yaml", true), ("apps/*/microapp.yaml", "apps/a/microapp.yaml", true),
        ("apps/*/microapp.yaml", "apps/a/b/microapp.yaml", false), ("apps/**/microapp.yaml", "apps/microapp.yaml", true),
        ("apps/**/microapp.yaml", "other/microapp.yaml", false), ("legacy/**", "legacy/a/b.yaml", true),
        ("a?c/*.yml", "abc/x.yml", true), ("a?c/*.yml", "a/c/x.yml", false), ("*.microapp.yaml", "d/x.microapp.yaml", false),
    ])
    func glob(pattern: String, path: String, matches: Bool) {
        #expect(Glob(pattern).matches(path) == matches)
    }

    @Test("exclude wins over include")
    func exclude() {
        let m = PathMatcher(include: PathMatcher.defaultIncludes, exclude: ["archive/**"])
        #expect(m.matches("apps/a/microapp.yaml"))
        #expect(!m.matches("archive/a/microapp.yaml"))
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// The manifest is described once, in `ManifestSchema`'s table; these tests hold everything made from it to the
/// SPEC (section 1) and to the committed files.
@Suite("The manifest schema table")
struct ManifestSchemaTableTests {
    @Test("schemas/microapp.schema.json is the table's JSON Schema (run ci/generate-schemas.py after changing the table)")
    func committedSchemaIsCurrent() throws {
        let onDisk = String(decoding: try Project.bytes("schemas/microapp.schema.json"), as: UTF8.self)
        #expect(onDisk == ManifestSchema.jsonSchema, "schemas/microapp.schema.json is stale: run ci/generate-schemas.py")
        #expect(SchemaName.manifest.text == ManifestSchema.jsonSchema)
    }

    /// SPEC section 1, field by field, written out here rather than read from the table.
    @Test("the JSON Schema says what SPEC section 1 says")
    func schemaMatchesSpec() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(ManifestSchema.jsonSchema.utf8)) as? [String: Any])
        func node(_ path: [String]) -> [String: Any]? {
            var current: [String: Any]? = schema
            for key in path { current = (current?["properties"] as? [String: Any])?[key] as? [String: Any] }
            return current
        }
        #expect(schema["required"] as? [String] == ["apiVersion", "kind", "metadata", "spec"])
        #expect(node(["apiVersion"])?["const"] as? String == "microapps/v1")
        #expect(node(["metadata"])?["required"] as? [String] == ["name", "owner"])
        #expect(node(["spec"])?["required"] as? [String] == ["dataClass", "accessScope", "runtime", "criticality", "network", "lifecycle", "cost", "observability"])
        #expect(node(["spec", "dataClass"])?["enum"] as? [String] == ["public", "internal", "confidential", "restricted", "regulated"])
        #expect(node(["spec", "accessScope"])?["enum"] as? [String] == ["personal", "team", "cross-team", "org-wide"])
        #expect(node(["spec", "runtime"])?["enum"] as? [String] == ["client", "vendor-platform", "company-cloud"])
        #expect(node(["spec", "criticality"])?["enum"] as? [String] == ["toy", "productivity", "sla-critical"])
        #expect(node(["spec", "network", "egress"])?["enum"] as? [String] == ["none", "internal-only", "allowlist", "open"])
        #expect(node(["spec", "state"])?["enum"] as? [String] == ["active", "quarantined", "archived"])
        #expect(node(["spec", "state"])?["default"] as? String == "active")
        #expect(node(["spec", "lifecycle"])?["required"] as? [String] == ["createdAt"])
        #expect(node(["spec", "lifecycle", "ttlDays"])?["minimum"] as? Int == 1)
        #expect(node(["spec", "lifecycle", "ttlDays"])?["maximum"] as? Int == 3650)
        #expect(node(["spec", "observability", "retentionDays"])?["maximum"] as? Int == 36500)
        #expect(node(["spec", "cost", "monthlyCapUSD"])?["maximum"] as? Int == 1_000_000_000)
        #expect(node(["spec", "lifecycle", "createdAt"])?["$ref"] as? String == "#/$defs/date")
        let items = node(["spec", "integrations"])?["items"] as? [String: Any]
        #expect(items?["required"] as? [String] == ["name", "access"])
        #expect((node(["spec", "integrations"])?["description"] as? String)?.contains("Integration names must be unique") == true)
    }

    @Test("the fields the gate reads whatever the policy says are the identity and spec (SPEC section 2)")
    func governedFields() {
        let governed = ManifestSchema.governedFields
        #expect(governed.map(\.path) == ["apiVersion", "kind", "metadata.name", "metadata.owner", "spec"])
        #expect(governed.map(\.reader) == Array(repeating: "the gate's identity checks", count: 4) + ["the built-in checks"])
    }

    @Test("the vocabulary of field paths is the table's", arguments: [
        ("spec.dataClass", true), ("spec.integrations[*].access", true), ("metadata.labels.anything", true),
        ("spec.network.destinations[*]", true), ("spec.lifecycle.attestedAt", true), ("apiVersion", true),
        ("spec.dataClas", false), ("spec.integrations.access", false), ("spec.dataClass[*]", false),
        ("metadata.labels.a.b", false), ("spec.cost.monthlyCapUSD.x", false), ("status", false),
    ])
    func vocabulary(path: String, known: Bool) throws {
        #expect(try #require(FieldPath(path)).isKnownManifestField == known)
    }

    @Test("a field written with no value is a schema finding, whether it is required or not", arguments: [
        ("  owner: ops", "  owner: ops\n  title:", "metadata.title is empty; give it a value or remove it"),
        ("  owner: ops", "  owner: ops\n  labels:", "metadata.labels is empty; give it a value or remove it"),
        ("  dataClass: internal", "  dataClass: internal\n  integrations:", "spec.integrations is empty; give it a value or remove it"),
        ("  dataClass: internal", "  dataClass: internal\n  state: ~", "spec.state is empty; give it a value or remove it"),
        ("  owner: ops", "  owner:", "metadata.owner is empty; it is required"),
    ])
    func nullValues(old: String, new: String, says: String) throws {
        let text = manifest().replacingOccurrences(of: old, with: new)
        #expect(text != manifest())
        let file = ManifestReader.read(Array(text.utf8), path: "m.yaml")
        let app = try #require(file.apps.first)
        #expect(app.app == nil)
        #expect(app.findings.contains { $0.id == "schema" && $0.message == says }, "\(app.findings.map(\.message))")
    }

    @Test("every problem of a manifest is reported, not only the first")
    func everyProblem() throws {
        let text = manifest()
            .replacingOccurrences(of: "dataClass: internal", with: "dataClass: secret")
            .replacingOccurrences(of: "  owner: ops", with: "  ownr: ops")
            .replacingOccurrences(of: "retentionDays: 90", with: "retentionDays: \"90\"")
        let findings = try #require(ManifestReader.read(Array(text.utf8), path: "m.yaml").apps.first).findings
        let messages = findings.map { "\($0.id) \($0.line):\($0.column) \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("unknown-field 5:3 metadata.ownr is not a field of a MicroApp manifest; did you mean 'owner'?") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("schema 4:3 metadata.owner is missing; add 'owner:' to metadata") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("schema 7:14 spec.dataClass is 'secret', which is not allowed") }, "\(messages)")
        #expect(messages.contains { $0.contains("spec.observability.retentionDays must be a whole number from 0 to 36500, found string; write it without quotes") }, "\(messages)")
        #expect(findings.count == 4, "\(messages)")
    }

    /// A field added to the table by one line, with no typed property: the spec table plus `region2`.
    static let specWithRegion2 = RecordSchema<MicroApp.Spec>(ManifestSchema.spec.fields + [.field("region2", .string())])
    static let rootWithRegion2 = RecordSchema<MicroApp>(
        ManifestSchema.root.fields.map { $0.key == "spec" ? .field("spec", \.spec, .record(specWithRegion2), .required, .checked) : $0 })

    func decodeWithRegion2(_ text: String) throws -> (MicroApp?, [ReadProblem]) {
        let parsed = YAMLParser.parse(Array(text.utf8))
        let root = try #require(parsed.documents.first?.root)
        var reader = MappingReader(ManifestSchema.document)
        var app = MicroApp()
        let read = reader.read(root, as: Self.rootWithRegion2, at: FieldName(""), into: &app)
        return (read && reader.invalidCount == 0 ? app : nil, reader.problems)
    }

    @Test("a field added by one line of the table is read, valued, walked, named by paths and in the JSON Schema")
    func oneLineField() throws {
        let text = manifest(extraSpec: "  region2: eu-north-1")
        // The real table does not know it.
        let plain = try #require(ManifestReader.read(Array(text.utf8), path: "m.yaml").apps.first)
        #expect(plain.findings.map(\.id) == ["unknown-field"])
        // With the line: no finding, the value in the tree and in the typed walk.
        let (app, problems) = try decodeWithRegion2(text)
        #expect(problems.isEmpty, "\(problems)")
        let decoded = try #require(app)
        #expect(decoded.spec.otherFields["region2"] == .string("eu-north-1"))
        let tree = Self.rootWithRegion2.value(of: decoded)
        #expect(tree["spec"]?["region2"] == .string("eu-north-1"))
        #expect(tree["spec"]?["dataClass"] == .string("internal"))
        var walked: [ManifestValue] = []
        Self.rootWithRegion2.walk(decoded, try #require(FieldPath("spec.region2")).segments[...], &walked)
        #expect(walked == [.string("eu-north-1")])
        #expect(Self.rootWithRegion2.description.knows(try #require(FieldPath("spec.region2")).segments))
        #expect(!ManifestSchema.root.description.knows(try #require(FieldPath("spec.region2")).segments))
        let schema = JSONSchemaText.document(Self.rootWithRegion2.description, id: "x", title: "t", description: "d")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let spec = ((json["properties"] as? [String: Any])?["spec"] as? [String: Any])?["properties"] as? [String: Any]
        #expect((spec?["region2"] as? [String: Any])?["type"] as? String == "string")
        // Its type is checked like any other field's.
        let (wrong, wrongProblems) = try decodeWithRegion2(manifest(extraSpec: "  region2: [a]"))
        #expect(wrong == nil)
        #expect(wrongProblems.map(\.message) == ["spec.region2 must be a string, found list"])
    }
}

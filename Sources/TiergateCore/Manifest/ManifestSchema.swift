/// The `microapps/v1` `MicroApp` manifest of SPEC section 1, described once: each field's key (its path is the
/// keys of the tables that hold it), type, allowed values or bounds, whether it is required or what it defaults
/// to, and who governs it. From this table come the decoder's checks and messages (`ManifestDecoder`), the
/// vocabulary of field paths a policy may name (`FieldPath.isKnownManifestField`), the value tree
/// (`MicroApp.value`), the typed walk of rule paths (`TypedFields`), the fields the gate itself reads
/// (`Policy.builtInFieldUses`) and `schemas/microapp.schema.json` (`jsonSchema`, written by
/// `ci/generate-schemas.py`). Adding a field is one line here (kept in `otherFields` until code wants it typed).
package enum ManifestSchema {
    package static let document = DocumentKind(
        name: "a MicroApp manifest", shortName: "manifest", nullCollectionsAreEmpty: false, redactsValues: true)

    package static let root = RecordSchema<MicroApp>([
        .constant("apiVersion", MicroApp.apiVersion, .identity),
        .constant("kind", MicroApp.kind, .identity),
        .field("metadata", \.metadata, .record(metadata), .required),
        .field("spec", \.spec, .record(spec), .required, .checked),
    ])

    static let metadata = RecordSchema<MicroApp.Metadata>([
        .field("name", \.name, .string(.appName), .required, .identity),
        .field("owner", \.owner, .string(.nonEmpty(hint: "name the owning group")), .required, .identity, note: "The owning group."),
        .field("title", \.title, .string(), .ungoverned),
        .field("description", \.description, .string(), .ungoverned),
        .field("labels", \.labels, .map(.string()), .defaults([:]), .ungoverned),
    ])

    static let spec = RecordSchema<MicroApp.Spec>([
        .field("template", \.template, .string(), note: "A template named in the policy."),
        .field("dataClass", \.dataClass, .choice, .required),
        .field("accessScope", \.accessScope, .choice, .required),
        .field("runtime", \.runtime, .choice, .required),
        .field("criticality", \.criticality, .choice, .required),
        .field("integrations", \.integrations, .records(integration, unique: "name"), .defaults([])),
        .field("network", \.network, .record(network), .required),
        .field("secrets", \.secrets, .records(secret, unique: "name"), .defaults([])),
        .field("residency", \.residency, .string(), note: "A zone of the policy's residency map."),
        .field("regions", \.regions, .list(.string(.nonEmpty(hint: "write a region name")))),
        .field("lifecycle", \.lifecycle, .record(lifecycle), .required),
        .field("cost", \.cost, .record(cost), .required),
        .field("observability", \.observability, .record(observability), .required),
        .field("state", \.state, .choice, .defaults(.active)),
    ])

    static let integration = RecordSchema<MicroApp.Integration>("integration", [
        .field("name", \.name, .string(.nonEmpty(hint: "name the integration")), .required),
        .field("access", \.access, .choice, .required),
        .field("endpoint", \.endpoint, .string(.hostName)),
    ])

    static let network = RecordSchema<MicroApp.Network>([
        .field("egress", \.egress, .choice, .required),
        .field("destinations", \.destinations, .list(.string(.hostName)), .defaults([])),
    ])

    static let secret = RecordSchema<MicroApp.Secret>("secret", [
        .field("name", \.name, .string(.nonEmpty(hint: "name the secret")), .required),
        .field("ref", \.ref, .string(), .required, note: "A vault reference, <scheme>://..., with a scheme of the policy's secretRefSchemes."),
    ])

    /// Numbers are bounded so that none traps (SPEC section 8): ten years of TTL keep every date computed from it
    /// within four-digit years.
    static let lifecycle = RecordSchema<MicroApp.Lifecycle>([
        .field("createdAt", \.createdAt, .date, .required),
        .field("ttlDays", \.ttlDays, .integer(1...3650)),
        .field("renewedAt", \.renewedAt, .date),
        .field("renewalJustification", \.renewalJustification, .string()),
        .field("retireBy", \.retireBy, .date),
        .field("attestedAt", \.attestedAt, .date),
    ])

    /// At most a billion dollars a month.
    static let cost = RecordSchema<MicroApp.Cost>([
        .field("monthlyCapUSD", \.monthlyCapUSD, .number(0...1e9), .required),
    ])

    /// At most a hundred years.
    static let observability = RecordSchema<MicroApp.Observability>([
        .field("logSink", \.logSink, .string(), .required),
        .field("retentionDays", \.retentionDays, .integer(0...36500), .required),
    ])
}

extension ManifestSchema {
    /// The fields the gate reads whatever the policy says, with who reads them: a mapping whose fields all have
    /// one governance is one entry (`spec`), and ungoverned fields have none.
    package static var governedFields: [(path: String, reader: String)] {
        var out: [(path: String, reader: String)] = []
        collectGoverned(root.description, prefix: "", inherited: .checked, into: &out)
        return out
    }

    /// The recursion follows the schema, whose depth is fixed.
    private static func collectGoverned(
        _ record: RecordDescription, prefix: String, inherited: Governance, into out: inout [(path: String, reader: String)]
    ) {
        for field in record.fields {
            let g = field.governance == .inherited ? inherited : field.governance
            let path = prefix.isEmpty ? field.key : "\(prefix).\(field.key)"
            if case .record(let inner) = field.type, !isUniform(inner, g) {
                collectGoverned(inner, prefix: path, inherited: g, into: &out)
            } else if let reader = g.reader {
                out.append((path, reader))
            }
        }
    }

    private static func isUniform(_ record: RecordDescription, _ g: Governance) -> Bool {
        record.fields.allSatisfy { f in
            guard f.governance == .inherited || f.governance == g else { return false }
            if case .record(let inner) = f.type { return isUniform(inner, g) }
            return true
        }
    }

    /// Every field path of the schema as rules write it (`spec.integrations[*].access`); a mapping of any keys
    /// (labels) is listed without them.
    package static var fieldPaths: [String] {
        var out: [String] = []
        var stack: [(String, FieldType)] = [("", .record(root.description))]
        while let (prefix, type) = stack.popLast() {
            if !prefix.isEmpty { out.append(prefix) }
            switch type {
            case .record(let r): for f in r.fields.reversed() { stack.append((prefix.isEmpty ? f.key : "\(prefix).\(f.key)", f.type)) }
            case .list(let e, _): stack.append(("\(prefix)[*]", e))
            default: break
            }
        }
        return out
    }
}

extension RecordDescription {
    /// Whether a path names a field of this description: keys of its mappings, any key of a mapping of any keys,
    /// `[*]` on a list.
    package func knows(_ segments: [FieldPath.Segment]) -> Bool {
        var type = FieldType.record(self)
        for segment in segments {
            switch (segment, type) {
            case (.key(let k), .record(let r)):
                guard let f = r.field(k) else { return false }
                type = f.type
            case (.key, .map(let e)):
                type = e
            case (.everyElement, .list(let e, _)):
                type = e
            default:
                return false
            }
        }
        return true
    }
}

// MARK: JSON Schema

extension ManifestSchema {
    /// `schemas/microapp.schema.json`: the table as JSON Schema 2020-12, for editors. `ci/generate-schemas.py`
    /// writes it, and a test fails when the committed file differs.
    package static var jsonSchema: String {
        JSONSchemaText.document(
            root.description, id: "https://tiergate.dev/schemas/microapp.schema.json",
            title: "tiergate MicroApp manifest (microapps/v1)",
            description:
                "One micro-app. tiergate's own validation and this schema agree on every fixture; tiergate also reports policy-dependent findings (secret reference schemes, residency, TTL...) that a schema cannot express.")
    }
}

/// Writes a `RecordDescription` as a JSON Schema document.
package enum JSONSchemaText {
    package static func document(_ record: RecordDescription, id: String, title: String, description: String) -> String {
        var w = JSONWriter()
        var defs = Set<String>()
        w.beginObject()
        w.field("$schema", "https://json-schema.org/draft/2020-12/schema")
        w.field("$id", id)
        w.field("title", title)
        w.field("description", description)
        writeRecordKeywords(record, &w, &defs)
        if !defs.isEmpty {
            w.key("$defs")
            w.beginObject()
            for name in defs.sorted() {
                w.key(name)
                w.beginObject()
                for (k, v) in definitions[name] ?? [] {
                    w.key(k)
                    switch v {
                    case .text(let s): w.string(s)
                    case .count(let n): w.int(n)
                    }
                }
                w.endObject()
            }
            w.endObject()
        }
        w.endObject()
        return w.text
    }

    private enum Keyword { case text(String), count(Int) }

    /// The shapes several fields share, referred to by name.
    private static let definitions: [String: [(String, Keyword)]] = [
        "date": [("type", .text("string")), ("pattern", .text("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")), ("format", .text("date"))],
        "hostName": [
            ("type", .text("string")), ("maxLength", .count(253)),
            ("pattern", .text("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$")),
        ],
    ]

    private static func writeRecordKeywords(_ record: RecordDescription, _ w: inout JSONWriter, _ defs: inout Set<String>) {
        w.field("type", "object")
        w.field("additionalProperties", false)
        let required = record.fields.filter(\.required).map(\.key)
        if !required.isEmpty {
            w.key("required")
            w.stringArray(required)
        }
        w.key("properties")
        w.beginObject()
        for field in record.fields {
            w.key(field.key)
            w.beginObject()
            writeTypeKeywords(field.type, &w, &defs)
            var notes = field.note.map { [$0] } ?? []
            if case .custom(let what) = field.type { notes.insert(what, at: 0) }
            if case .list(.record(let item), unique: let key?) = field.type {
                let noun = item.noun.map { $0.prefix(1).uppercased() + $0.dropFirst() } ?? "Item"
                notes.append("\(noun) \(key)s must be unique in the list (tiergate checks this; JSON Schema cannot).")
            }
            if !notes.isEmpty { w.field("description", notes.joined(separator: " ")) }
            if let d = field.defaultValue {
                w.key("default")
                w.value(d)
            }
            w.endObject()
        }
        w.endObject()
    }

    /// The recursion follows the description, whose depth is fixed.
    private static func writeTypeKeywords(_ type: FieldType, _ w: inout JSONWriter, _ defs: inout Set<String>) {
        switch type {
        case .constant(let text):
            w.field("const", text)
        case .string(let format):
            switch format {
            case .any, .check: w.field("type", "string")
            case .nonEmpty:
                w.field("type", "string")
                w.field("minLength", 1)
            case .appName:
                w.field("type", "string")
                w.field("pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
                w.field("maxLength", 63)
            case .hostName:
                defs.insert("hostName")
                w.field("$ref", "#/$defs/hostName")
            }
        case .choice(let values):
            w.key("enum")
            w.stringArray(values)
        case .integer(let bounds):
            w.field("type", "integer")
            w.field("minimum", bounds.lowerBound)
            w.field("maximum", bounds.upperBound)
        case .number(let bounds):
            w.field("type", "number")
            if let bounds {
                w.key("minimum")
                w.number(bounds.lowerBound)
                w.key("maximum")
                w.number(bounds.upperBound)
            }
        case .boolean:
            w.field("type", "boolean")
        case .date:
            defs.insert("date")
            w.field("$ref", "#/$defs/date")
        case .list(let element, _):
            writeContainer("array", of: element, under: "items", &w, &defs)
        case .map(let element):
            writeContainer("object", of: element, under: "additionalProperties", &w, &defs)
        case .record(let record):
            writeRecordKeywords(record, &w, &defs)
        case .custom:
            break  // any value; the field's description says what it holds
        }
    }

    /// A list (`items`) or a mapping of any keys (`additionalProperties`) of one element type.
    private static func writeContainer(
        _ type: String, of element: FieldType, under keyword: String, _ w: inout JSONWriter, _ defs: inout Set<String>
    ) {
        w.field("type", type)
        w.key(keyword)
        w.beginObject()
        writeTypeKeywords(element, &w, &defs)
        w.endObject()
    }
}

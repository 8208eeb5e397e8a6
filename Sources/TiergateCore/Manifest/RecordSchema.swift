/// A Swift value that a `RecordSchema` reads a YAML mapping into.
package protocol SchemaRecord: Sendable {
    /// The record before reading. Its values are placeholders: reading sets every field the schema requires, and
    /// the default of every absent field that has one.
    init()
    /// Called with the position of the mapping the record is read from; a record that keeps it stores it.
    mutating func located(at mark: Mark)
}

extension SchemaRecord {
    package mutating func located(at mark: Mark) {}
}

/// A record that keeps the fields its schema reads without a typed property, so that a field added to a table
/// is read, valued and walked before any code wants it typed.
package protocol OpenRecord: SchemaRecord {
    var otherFields: [String: ManifestValue] { get set }
}

/// Whether a field must be written, and what an absent one holds.
package enum Presence<V> {
    case required
    /// Absent, the property keeps what the record held before reading (nil for an optional).
    case optional
    /// Absent, the property holds this value, and the value tree shows it: writing the default out is no change.
    case defaults(V)

    var isRequired: Bool {
        if case .required = self { return true }
        return false
    }

    var defaultValue: V? {
        if case .defaults(let v) = self { return v }
        return nil
    }
}

/// Who reads a manifest field whatever the policy says (SPEC section 2): `ungovernedFields` may name only fields
/// nothing reads.
package enum Governance: Sendable, Hashable {
    /// As the mapping that holds it (at the top: governed by the built-in checks).
    case inherited
    /// The gate's identity checks read it (`apiVersion`, `kind`, `metadata.name`, `metadata.owner`).
    case identity
    /// The built-in checks read it (everything under `spec`).
    case checked
    /// Nothing of the gate reads it: a change to it alone may need no review when the policy says so.
    case ungoverned

    /// Who reads a field with this governance, for messages; nil when nothing does.
    package var reader: String? {
        switch self {
        case .identity: "the gate's identity checks"
        case .checked, .inherited: "the built-in checks"
        case .ungoverned: nil
        }
    }
}

/// What a field holds, as a description without Swift types: what the vocabulary of field paths, the JSON
/// Schema and the messages are made from.
package indirect enum FieldType: Sendable {
    case constant(String)
    case string(StringFormat)
    case choice([String])
    case integer(ClosedRange<Int>)
    /// A finite number, within the bounds when there are any.
    case number(ClosedRange<Double>?)
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// A list; `unique` names the field of the items (mappings) that no two items may share.
    case list(FieldType, unique: String?)
    /// A mapping of any string key to values of one type (labels).
    case map(FieldType)
    case record(RecordDescription)
    /// Read by code of its own (a policy condition); the text says what it holds.
    case custom(String)

    /// What one value of the type is, in "a mapping of string to string".
    var word: String {
        switch self {
        case .constant, .string, .choice, .date: "string"
        case .integer: "whole number"
        case .number: "number"
        case .boolean: "true or false"
        case .list: "list"
        case .map, .record: "mapping"
        case .custom: "value"
        }
    }

    /// Whether the value is a list or a mapping (which a lenient document lets be written empty as null).
    var isCollection: Bool {
        switch self {
        case .list, .map, .record: true
        default: false
        }
    }
}

/// One field of a mapping, as a description.
package struct FieldDescription: Sendable {
    package let key: String
    package let type: FieldType
    package let required: Bool
    /// The default value of an absent field, as the value tree shows it.
    package let defaultValue: ManifestValue?
    package let governance: Governance
    /// A sentence for the JSON Schema's `description`.
    package let note: String?
}

/// The fields of one mapping, as descriptions.
package struct RecordDescription: Sendable {
    /// What one such mapping is ("integration"), when it is an item of a list.
    package let noun: String?
    package let fields: [FieldDescription]

    package func field(_ key: String) -> FieldDescription? { fields.first { $0.key == key } }
}

/// How the values of one Swift type are read from YAML, shown as plain values, and walked by field paths. A value
/// is shown and walked where it lies (through a pointer), so that walking a path into a record copies no record
/// on the way (lint walks rule paths on every app). Closures rather than subclasses: the table's generic code is
/// specialized where each closure is made, where a generic class's overridden methods would run unspecialized.
package struct Codec<V>: Sendable {
    package let type: FieldType
    /// Reads a node that is present (null only where the document lets a collection be null); nil when it is
    /// invalid, after reporting why.
    package let read: @Sendable (inout MappingReader, YAMLNode, FieldName) -> V?
    /// The value as plain values (the value tree).
    let value: @Sendable (UnsafePointer<V>) -> ManifestValue
    /// Appends every value the remaining segments of a path reach from the value.
    let walk: @Sendable (UnsafePointer<V>, ArraySlice<FieldPath.Segment>, inout [ManifestValue]) -> Void
    /// Reads a record into the property that keeps it, where it lies, rather than into a copy (a record's codec).
    let readInPlace: (@Sendable (inout MappingReader, YAMLNode, FieldName, inout V) -> Void)?

    init(
        type: FieldType, read: @escaping @Sendable (inout MappingReader, YAMLNode, FieldName) -> V?,
        value: @escaping @Sendable (UnsafePointer<V>) -> ManifestValue,
        walk: @escaping @Sendable (UnsafePointer<V>, ArraySlice<FieldPath.Segment>, inout [ManifestValue]) -> Void,
        readInPlace: (@Sendable (inout MappingReader, YAMLNode, FieldName, inout V) -> Void)? = nil
    ) {
        self.type = type
        self.read = read
        self.value = value
        self.walk = walk
        self.readInPlace = readInPlace
    }

    /// A codec of a value with nothing below it for a path to walk into (a scalar, a condition).
    package init(
        type: FieldType, read: @escaping @Sendable (inout MappingReader, YAMLNode, FieldName) -> V?,
        value: @escaping @Sendable (V) -> ManifestValue
    ) {
        self.init(
            type: type, read: read, value: { value($0.pointee) },
            walk: { v, rest, out in if rest.isEmpty { out.append(value(v.pointee)) } })
    }

    /// The value as plain values.
    package func plainValue(_ v: V) -> ManifestValue { withUnsafePointer(to: v) { value($0) } }
}

extension Codec where V == String {
    package static func string(_ format: StringFormat = .any) -> Codec {
        Codec(type: .string(format), read: { r, node, name in r.string(node, at: name, format: format) }, value: { .string($0) })
    }
}

extension Codec where V: RawRepresentable & CaseIterable & Sendable, V.RawValue == String {
    /// One value of an enum whose cases are the allowed values.
    package static var choice: Codec {
        let allowed = V.allCases.map(\.rawValue)
        return Codec(
            type: .choice(allowed), read: { r, node, name in r.choice(node, at: name, allowed: allowed) },
            value: { .string($0.rawValue) })
    }
}

extension Codec where V == Int {
    package static func integer(_ bounds: ClosedRange<Int>) -> Codec {
        Codec(type: .integer(bounds), read: { r, node, name in r.integer(node, at: name, in: bounds) }, value: { .number(Double($0)) })
    }
}

extension Codec where V == Double {
    package static func number(_ bounds: ClosedRange<Double>? = nil) -> Codec {
        Codec(type: .number(bounds), read: { r, node, name in r.number(node, at: name, in: bounds) }, value: { .number($0) })
    }
}

extension Codec where V == Bool {
    package static var boolean: Codec {
        Codec(type: .boolean, read: { r, node, name in r.boolean(node, at: name) }, value: { .bool($0) })
    }
}

extension Codec where V == Day {
    package static var date: Codec {
        Codec(type: .date, read: { r, node, name in r.date(node, at: name) }, value: { .string($0.description) })
    }
}

extension Codec where V == YAMLNode {
    /// The node itself, unread (a manifest inside another document).
    package static func node(_ what: String) -> Codec {
        Codec(type: .custom(what), read: { _, node, _ in node }, value: { ManifestValue(node: $0) })
    }
}

/// Calls `body` with a pointer to each element of an array, in place.
@inline(__always)
private func forEachElement<E>(of array: UnsafePointer<[E]>, _ body: (UnsafePointer<E>) -> Void) {
    array.pointee.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        for i in 0..<buffer.count { body(base + i) }
    }
}

extension Codec {
    /// A list of values; nil when any item is invalid (each is reported).
    package static func list<E>(_ element: Codec<E>) -> Codec where V == [E] {
        let value: @Sendable (UnsafePointer<[E]>) -> ManifestValue = { items in
            var out: [ManifestValue] = []
            out.reserveCapacity(items.pointee.count)
            forEachElement(of: items) { out.append(element.value($0)) }
            return .list(out)
        }
        return Codec(
            type: .list(element.type, unique: nil),
            read: { r, node, name in
                guard let items = r.list(node, at: name) else { return nil }
                var result: [E] = []
                result.reserveCapacity(items.count)
                var ok = true
                for (i, item) in items.enumerated() {
                    if let v = element.read(&r, item, name.item(i)) { result.append(v) } else { ok = false }
                }
                return ok ? result : nil
            },
            value: value,
            walk: { items, rest, out in
                guard let first = rest.first else { return out.append(value(items)) }
                guard first == .everyElement else { return }
                forEachElement(of: items) { element.walk($0, rest.dropFirst(), &out) }
            })
    }

    /// A mapping of any string key (that `keys` accepts) to values of one type; nil when any key or value is
    /// invalid.
    package static func map<E>(_ element: Codec<E>, keys: StringFormat = .any) -> Codec where V == [String: E] {
        let what = "a mapping of string to \(element.type.word)"
        return Codec(
            type: .map(element.type),
            read: { r, node, name in
                let before = r.invalidCount
                guard let entries = r.entries(node, at: name, keys: keys, what: what) else { return nil }
                var result: [String: E] = [:]
                result.reserveCapacity(entries.count)
                for (key, _, value) in entries {
                    if let v = element.read(&r, value, name.child(key)) { result[key] = v }
                }
                return r.invalidCount == before ? result : nil
            },
            value: { entries in .map(entries.pointee.mapValues(element.plainValue)) },
            walk: { entries, rest, out in
                guard let first = rest.first else { return out.append(.map(entries.pointee.mapValues(element.plainValue))) }
                guard case .key(let k) = first, let v = entries.pointee[k] else { return }
                withUnsafePointer(to: v) { element.walk($0, rest.dropFirst(), &out) }
            })
    }

    /// A mapping read into a record of the schema; nil when any of its fields is invalid.
    package static func record(_ schema: RecordSchema<V>) -> Codec where V: SchemaRecord {
        Codec(
            type: .record(schema.description),
            read: { r, node, name in
                var record = V()
                let before = r.invalidCount
                guard r.read(node, as: schema, at: name, into: &record), r.invalidCount == before else { return nil }
                return record
            },
            value: { schema.value(of: $0) },
            walk: { record, rest, out in
                guard !rest.isEmpty else { return out.append(schema.value(of: record)) }
                schema.walk(record, rest, &out)
            },
            readInPlace: { r, node, name, record in _ = r.read(node, as: schema, at: name, into: &record) })
    }

    /// A list of mappings read into records. With `unique`, no two items may have the same string at that key:
    /// the second is reported with the line of the first.
    package static func records<E: SchemaRecord>(_ schema: RecordSchema<E>, unique: String? = nil) -> Codec where V == [E] {
        let item = Codec<E>.record(schema)
        let list = Codec<[E]>.list(item)
        return Codec(
            type: .list(item.type, unique: unique),
            read: { r, node, name in
                let items = list.read(&r, node, name)
                if let unique, let nodes = node.sequence { r.reportDuplicates(nodes, key: unique, noun: schema.noun ?? "item") }
                return items
            },
            value: list.value, walk: list.walk)
    }

    /// These values, checked further: `check` reports what is wrong with a value read (an order, a duplicate);
    /// nil when it reported anything.
    package func checked(_ check: @escaping @Sendable (inout MappingReader, V, YAMLNode, FieldName) -> Void) -> Codec {
        let read = self.read
        return Codec(
            type: type,
            read: { r, node, name in
                guard let v = read(&r, node, name) else { return nil }
                let before = r.invalidCount
                check(&r, v, node, name)
                return r.invalidCount == before ? v : nil
            },
            value: value, walk: walk)
    }
}

/// A property of a record, as a field reaches it. Key paths are resolved by the runtime at each use, which costs
/// more than reading and checking the field; a stored property is reached at its offset in the record instead, as
/// `MemoryLayout.offset(of:)` documents, and only other properties (computed, subscripts) through the key path.
struct Property<R, V>: Sendable {
    let path: WritableKeyPath<R, V> & Sendable
    let offset: Int?

    init(_ path: WritableKeyPath<R, V> & Sendable) {
        self.path = path
        self.offset = MemoryLayout<R>.offset(of: path)
    }

    /// Calls `body` with the property where it lies in the record.
    @inline(__always)
    func with<T>(_ record: UnsafePointer<R>, _ body: (UnsafePointer<V>) -> T) -> T {
        guard let offset else { return withUnsafePointer(to: record.pointee[keyPath: path], body) }
        return body(UnsafeRawPointer(record).advanced(by: offset).assumingMemoryBound(to: V.self))
    }

    @inline(__always)
    func set(_ record: inout R, _ value: V) {
        guard let offset else { return record[keyPath: path] = value }
        withUnsafeMutablePointer(to: &record) {
            UnsafeMutableRawPointer($0).advanced(by: offset).assumingMemoryBound(to: V.self).pointee = value
        }
    }

    /// Changes the property where it lies.
    @inline(__always)
    func modify(_ record: inout R, _ body: (inout V) -> Void) {
        guard let offset else { return body(&record[keyPath: path]) }
        withUnsafeMutablePointer(to: &record) {
            body(&UnsafeMutableRawPointer($0).advanced(by: offset).assumingMemoryBound(to: V.self).pointee)
        }
    }
}

/// One field of a record schema: its description, and how it is read into, valued from and walked in a record.
/// A class, so that going through a schema's fields for every manifest copies one reference per field rather
/// than its closures.
///
/// `Field` and `RecordSchema` put no requirement on `R` at the type: the runtime resolves a generic type's
/// requirements by searching every conformance of the program the first time it makes the type, which would cost
/// more at each start than reading the table (the requirements sit on the functions that need them).
package final class Field<R>: Sendable {
    package let description: FieldDescription
    package let key: String
    /// Sets an absent field's default.
    let setDefault: (@Sendable (inout R) -> Void)?
    /// Reads the field's node into the record.
    let read: @Sendable (inout MappingReader, YAMLNode, FieldName, inout R) -> Void
    /// The field's plain value; nil when absent.
    let value: @Sendable (UnsafePointer<R>) -> ManifestValue?
    /// Appends every value the remaining segments of a path reach below the field.
    let walk: @Sendable (UnsafePointer<R>, ArraySlice<FieldPath.Segment>, inout [ManifestValue]) -> Void

    init(
        description: FieldDescription, setDefault: (@Sendable (inout R) -> Void)?,
        read: @escaping @Sendable (inout MappingReader, YAMLNode, FieldName, inout R) -> Void,
        value: @escaping @Sendable (UnsafePointer<R>) -> ManifestValue?,
        walk: @escaping @Sendable (UnsafePointer<R>, ArraySlice<FieldPath.Segment>, inout [ManifestValue]) -> Void
    ) {
        self.description = description
        self.key = description.key
        self.setDefault = setDefault
        self.read = read
        self.value = value
        self.walk = walk
    }

    /// A field kept in a property.
    package static func field<V: Sendable>(
        _ key: String, _ path: WritableKeyPath<R, V> & Sendable, _ codec: Codec<V>, _ presence: Presence<V>,
        _ governance: Governance = .inherited, note: String? = nil
    ) -> Field {
        let property = Property(path)
        var setDefault: (@Sendable (inout R) -> Void)?
        if let d = presence.defaultValue { setDefault = { property.set(&$0, d) } }
        let read: @Sendable (inout MappingReader, YAMLNode, FieldName, inout R) -> Void
        if let readInPlace = codec.readInPlace {
            // A record is read where it lies in its parent.
            read = { reader, node, name, record in property.modify(&record) { readInPlace(&reader, node, name, &$0) } }
        } else {
            read = { reader, node, name, record in
                if let v = codec.read(&reader, node, name) { property.set(&record, v) }
            }
        }
        return Field(
            description: FieldDescription(
                key: key, type: codec.type, required: presence.isRequired, defaultValue: presence.defaultValue.map(codec.plainValue),
                governance: governance, note: note),
            setDefault: setDefault, read: read,
            value: { record in property.with(record) { codec.value($0) } },
            walk: { record, rest, out in property.with(record) { codec.walk($0, rest, &out) } })
    }

    /// An optional field kept in an optional property: nil when absent.
    package static func field<V: Sendable>(
        _ key: String, _ path: WritableKeyPath<R, V?> & Sendable, _ codec: Codec<V>, _ governance: Governance = .inherited,
        note: String? = nil
    ) -> Field {
        let property = Property(path)
        return Field(
            description: FieldDescription(key: key, type: codec.type, required: false, defaultValue: nil, governance: governance, note: note),
            setDefault: nil,
            read: { reader, node, name, record in
                if let v = codec.read(&reader, node, name) { property.set(&record, v) }
            },
            value: { record in property.with(record) { $0.pointee.map(codec.plainValue) } },
            walk: { record, rest, out in
                property.with(record) { optional in
                    guard let v = optional.pointee else { return }
                    withUnsafePointer(to: v) { codec.walk($0, rest, &out) }
                }
            })
    }

    /// A field that must hold exactly one string (`apiVersion: microapps/v1`); the record keeps nothing.
    package static func constant(_ key: String, _ text: String, _ governance: Governance = .inherited) -> Field {
        Field(
            description: FieldDescription(key: key, type: .constant(text), required: true, defaultValue: nil, governance: governance, note: nil),
            setDefault: nil,
            read: { reader, node, name, _ in
                guard let found = reader.string(node, at: name), found != text else { return }
                reader.invalid("\(name) is '\(reader.shown(found))'; \(reader.document.name) must say \(key): \(text)", at: node.mark)
            },
            value: { _ in .string(text) },
            walk: { _, rest, out in if rest.isEmpty { out.append(.string(text)) } })
    }
}

extension Field where R: OpenRecord {
    /// A field without a typed property: the record keeps its plain value in `otherFields`.
    package static func field<V>(
        _ key: String, _ codec: Codec<V>, _ presence: Presence<V> = .optional, _ governance: Governance = .inherited,
        note: String? = nil
    ) -> Field {
        let defaultValue = presence.defaultValue.map(codec.plainValue)
        var setDefault: (@Sendable (inout R) -> Void)?
        if let d = defaultValue { setDefault = { $0.otherFields[key] = d } }
        return Field(
            description: FieldDescription(
                key: key, type: codec.type, required: presence.isRequired, defaultValue: defaultValue, governance: governance, note: note),
            setDefault: setDefault,
            read: { reader, node, name, record in
                if let v = codec.read(&reader, node, name) { record.otherFields[key] = codec.plainValue(v) }
            },
            value: { $0.pointee.otherFields[key] },
            walk: { record, rest, out in
                if let v = record.pointee.otherFields[key] { FieldPath.collect(rest, in: v, into: &out) }
            })
    }
}

/// The fields of one mapping, each read into a property of a record: the one description of a document's shape,
/// from which its reading, its value tree, the walk of field paths and its JSON Schema all come.
package final class RecordSchema<R>: Sendable {
    package let fields: [Field<R>]
    package let description: RecordDescription
    let keys: [String]
    /// What a mapping of this schema is, in "must be X, found a list".
    let what: String

    var noun: String? { description.noun }

    package convenience init(_ fields: [Field<R>]) { self.init(noun: nil, fields) }

    /// `noun` names one such mapping when it is an item of a list ("integration").
    package convenience init(_ noun: String, _ fields: [Field<R>]) { self.init(noun: noun, fields) }

    private init(noun: String?, _ fields: [Field<R>]) {
        // Reading marks each field found in a 64-bit set; a schema is a constant of the program.
        precondition(fields.count <= 64, "a record schema has at most 64 fields")
        self.fields = fields
        self.keys = fields.map(\.key)
        self.description = RecordDescription(noun: noun, fields: fields.map(\.description))
        let required = fields.filter(\.description.required).map(\.key)
        if let noun, !required.isEmpty {
            let article = "aeiou".contains(noun.first ?? "x") ? "an" : "a"
            let names = required.count == 1 ? required[0] : required.dropLast().joined(separator: ", ") + " and " + (required.last ?? "")
            self.what = "\(article) \(noun) (a mapping with \(names))"
        } else {
            self.what = "a mapping of fields"
        }
    }

    package func field(_ key: String) -> Field<R>? { index(of: key).map { fields[$0] } }

    /// The position of the field named `key`. Mappings are small: a linear search beats hashing.
    func index(of key: String) -> Int? {
        let n = key.utf8.count
        return keys.firstIndex { $0.utf8.count == n && $0 == key }
    }

    /// The record as plain values: every field present, defaults included.
    package func value(of record: R) -> ManifestValue { withUnsafePointer(to: record) { value(of: $0) } }

    func value(of record: UnsafePointer<R>) -> ManifestValue {
        var map = [String: ManifestValue](minimumCapacity: fields.count)
        for field in fields {
            if let v = field.value(record) { map[field.key] = v }
        }
        return .map(map)
    }

    /// Appends every value a path (`rest`, at least one segment) reaches in the record, as
    /// `FieldPath.values(in: value(of: record))` would, without making the value tree. The recursion follows the
    /// path's segments through the schema, whose depth is fixed.
    package func walk(_ record: R, _ rest: ArraySlice<FieldPath.Segment>, _ out: inout [ManifestValue]) {
        withUnsafePointer(to: record) { walk($0, rest, &out) }
    }

    func walk(_ record: UnsafePointer<R>, _ rest: ArraySlice<FieldPath.Segment>, _ out: inout [ManifestValue]) {
        guard case .key(let k) = rest.first, let field = field(k) else { return }
        field.walk(record, rest.dropFirst(), &out)
    }
}

extension MappingReader {
    /// Reads a mapping into a record by its schema: every key checked (one that is not a string, or that the
    /// schema does not know, is reported), every field read, every problem reported. False when the node is no
    /// mapping (reported; nothing read). One pass over the mapping's keys finds each field's value.
    package mutating func read<R: SchemaRecord>(_ node: YAMLNode, as schema: RecordSchema<R>, at name: FieldName, into record: inout R) -> Bool {
        let path = name.description
        guard node.isMapping || (node.isNull && document.nullCollectionsAreEmpty) else {
            let what = path.isEmpty ? "\(document.name) (a mapping of fields)" : schema.what
            invalid("\(name.spoken) must be \(what), found \(node.kindDescription)", at: node.mark)
            return false
        }
        record.located(at: node.mark)
        let fields = schema.fields
        var seen: UInt64 = 0
        for i in 0..<node.count {
            let keyNode = node.key(i)
            guard case .string(let key) = keyNode.scalarValue else {
                invalid("\(name.spoken) has a key that is not a field name", at: keyNode.mark)
                continue
            }
            guard let index = schema.index(of: key) else {
                unknownKey(key, at: keyNode.mark, in: name, known: schema.keys)
                continue
            }
            // A key written twice: the YAML layer reports it, and the first one counts.
            guard seen & (1 << index) == 0 else { continue }
            seen |= 1 << index
            let field = fields[index]
            let fieldName = FieldName(parent: path, key: field.key)
            let value = node.value(i)
            if value.isNull && !(document.nullCollectionsAreEmpty && field.description.type.isCollection) {
                if !field.description.required {
                    invalid("\(fieldName) is empty; give it a value or remove it", at: value.mark)
                } else if case .record(let fields) = field.description.type {
                    invalid("\(fieldName) is empty; fill in its fields (\(fields.fields.map(\.key).joined(separator: ", ")))", at: value.mark)
                } else {
                    invalid("\(fieldName) is empty; it is required", at: value.mark)
                }
                continue
            }
            field.read(&self, value, fieldName, &record)
        }
        for (index, field) in fields.enumerated() where seen & (1 << index) == 0 {
            if field.description.required {
                missing(FieldName(parent: path, key: field.key), in: node)
            } else {
                field.setDefault?(&record)
            }
        }
        return true
    }

    /// Reports each item of a list whose string at `key` an earlier item has already used.
    mutating func reportDuplicates(_ items: [YAMLNode], key: String, noun: String) {
        var seen: [String: Mark] = [:]
        for item in items {
            guard let node = item.field(key), case .string(let value) = node.scalarValue, !value.isEmpty else { continue }
            if let first = seen[value] {
                invalid(
                    "the \(noun) '\(shown(value))' is listed twice (also at line \(first.line)); each \(noun) \(key) must be unique",
                    at: node.mark)
            } else {
                seen[value] = node.mark
            }
        }
    }
}

/// A small streaming JSON writer, pretty-printed with two spaces. Reports of tens of thousands of apps are
/// written with it because Foundation's JSONEncoder costs more than reading and judging the manifests.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// Per open container: whether it has an element yet.
    private var hasElement: [Bool] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) + "\n" }

    private mutating func newline() {
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    /// Separator and indentation before a value in an array, or before a key in an object.
    private mutating func element() {
        guard let last = hasElement.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasElement[hasElement.count - 1] = true
        newline()
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private var pendingKey = false

    private mutating func prefix() {
        if pendingKey { pendingKey = false } else { element() }
    }

    private mutating func open(_ c: UInt8) {
        prefix()
        bytes.append(c)
        depth += 1
        hasElement.append(false)
    }

    private mutating func close(_ c: UInt8) {
        depth -= 1
        let had = hasElement.popLast() ?? false
        if had { newline() }
        bytes.append(c)
    }

    mutating func key(_ k: String) {
        element()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(0x20)
        pendingKey = true
    }

    mutating func string(_ s: String) {
        prefix()
        writeString(s)
    }

    mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    mutating func int(_ i: Int) {
        prefix()
        bytes.append(contentsOf: String(i).utf8)
    }

    mutating func int(_ i: Int?) {
        if let i { int(i) } else { null() }
    }

    mutating func number(_ d: Double) {
        prefix()
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int(d)).utf8)
        } else if d.isFinite {
            bytes.append(contentsOf: String(d).utf8)
        } else {
            writeString(String(d))
        }
    }

    mutating func bool(_ b: Bool) {
        prefix()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    mutating func null() {
        prefix()
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func field(_ k: String, _ s: String?) { key(k); string(s) }
    mutating func field(_ k: String, _ i: Int?) { key(k); int(i) }
    mutating func field(_ k: String, _ b: Bool) { key(k); bool(b) }

    /// An object: `{`, the fields `body` writes, `}`.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        beginObject()
        body(&self)
        endObject()
    }

    /// An array of objects, one per item, each with the fields `body` writes for it.
    mutating func objects<Items: Sequence>(_ items: Items, _ body: (inout JSONWriter, Items.Element) -> Void) {
        beginArray()
        for item in items { object { body(&$0, item) } }
        endArray()
    }

    mutating func stringArray(_ items: [String]) {
        beginArray()
        for i in items { string(i) }
        endArray()
    }

    /// A manifest value; maps with sorted keys. Depth is bounded by the YAML layer.
    mutating func value(_ v: ManifestValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .list(let items):
            beginArray()
            for i in items { value(i) }
            endArray()
        case .map(let m):
            beginObject()
            for k in m.keys.sorted() {
                key(k)
                value(m[k] ?? .null)
            }
            endObject()
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        if s.unicodeScalars.contains(where: { JSONEscaping.needsEscape($0.value) }) {
            // DEL, C1, U+2028/2029 and bidi controls as `\u` escapes (`JSONEscaping`): the same value, inert bytes.
            for u in s.unicodeScalars {
                if JSONEscaping.needsEscape(u.value) {
                    bytes.append(contentsOf: JSONEscaping.utf16Escape(u.value).utf8)
                } else {
                    for c in u.utf8 { append(escaping: c) }
                }
            }
        } else {
            for c in s.utf8 { append(escaping: c) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private mutating func append(escaping c: UInt8) {
        switch c {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
        case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
        case 0..<0x20:
            bytes.append(contentsOf: "\\u00".utf8)
            bytes.append(Self.hex[Int(c >> 4)])
            bytes.append(Self.hex[Int(c & 0xF)])
        default: bytes.append(c)
        }
    }
}

/// A JSON value with exactly one text form, so that a decision record's bytes (and so its SHA-256) follow from
/// its content alone:
/// - object keys sorted by their UTF-16 code units (as RFC 8785 orders them), each key once;
/// - no whitespace outside strings;
/// - UTF-8; in strings only `"`, `\` and the control characters are escaped (`\b \f \n \r \t`, else `\u00xx`),
///   plus the characters a terminal acts on (`JSONEscaping`: DEL, C1 controls, bidi controls, line separators)
///   as `\uxxxx` in lower-case hex, so a record shown by `git notes show` is inert;
/// - numbers: an integral value below 10^15 in magnitude as an integer, any other finite one in Swift's shortest
///   round-trip form (`0.5`, `1e+20`).
package indirect enum CanonicalJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])

    /// The canonical bytes.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    package var text: String { String(decoding: bytes, as: UTF8.self) }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): out.append(contentsOf: Self.numberText(d).utf8)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, key) in Self.sortedKeys(members).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[key]?.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Keys in RFC 8785's order: by UTF-16 code units.
    static func sortedKeys(_ members: [String: CanonicalJSON]) -> [String] {
        members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            for c in s.utf8 { writeASCII(c, into: &out) }
        } else {
            for u in s.unicodeScalars {
                if u.value < 0x80 {
                    writeASCII(UInt8(u.value), into: &out)
                } else if JSONEscaping.needsEscape(u.value) {
                    writeUnicodeEscape(u.value, into: &out)
                } else {
                    out.append(contentsOf: u.utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func writeASCII(_ c: UInt8, into out: inout [UInt8]) {
        switch c {
        case 0x22, 0x5C: out.append(UInt8(ascii: "\\")); out.append(c)
        case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
        case ..<0x20, 0x7F: writeUnicodeEscape(UInt32(c), into: &out)
        default: out.append(c)
        }
    }

    private static func writeUnicodeEscape(_ v: UInt32, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        for shift in [12, 8, 4, 0] { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
    }
}

extension CanonicalJSON {
    /// The deepest nesting a record may have (a record is a few levels; field values add a manifest's depth).
    static let maxDepth = YAMLLimits.maxDepth + 16

    /// Parses JSON text (RFC 8259, strict: no trailing commas, comments, leading zeros or lone surrogates, and
    /// no key twice in an object). Whether the text is canonical is a separate question: compare `bytes` with it.
    package static func parse(_ bytes: [UInt8]) throws(CanonicalJSONError) -> CanonicalJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.at == bytes.count else { throw parser.error("text after the value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        func error(_ message: String) -> CanonicalJSONError { CanonicalJSONError(offset: at, message: message) }

        mutating func skipWhitespace() {
            while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
        }

        mutating func expect(_ word: String, _ value: CanonicalJSON) throws(CanonicalJSONError) -> CanonicalJSON {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else { throw error("expected \(word)") }
            at += w.count
            return value
        }

        mutating func value(depth: Int) throws(CanonicalJSONError) -> CanonicalJSON {
            guard depth <= CanonicalJSON.maxDepth else { throw error("nested deeper than \(CanonicalJSON.maxDepth) levels") }
            skipWhitespace()
            guard at < bytes.count else { throw error("unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                at += 1
                var items: [CanonicalJSON] = []
                skipWhitespace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard at < bytes.count else { throw error("unexpected end in an array") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                    throw error("expected , or ]")
                }
            case UInt8(ascii: "{"):
                at += 1
                var members: [String: CanonicalJSON] = [:]
                skipWhitespace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    let key = try string()
                    skipWhitespace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("expected :") }
                    at += 1
                    guard members.updateValue(try value(depth: depth + 1), forKey: key) == nil else { throw error("the key \(key) twice") }
                    skipWhitespace()
                    guard at < bytes.count else { throw error("unexpected end in an object") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
                    throw error("expected , or }")
                }
            default: return .number(try number())
            }
        }

        mutating func number() throws(CanonicalJSONError) -> Double {
            let start = at
            func digits() -> Int {
                let s = at
                while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
                return at - s
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            let intStart = at
            let n = digits()
            guard n > 0 else { throw error("not a value") }
            guard n == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw error("a number with a leading zero") }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { throw error("a number without digits after the point") }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw error("a number without exponent digits") }
            }
            guard let d = Double(String(decoding: bytes[start..<at], as: UTF8.self)), d.isFinite else { throw error("a number out of range") }
            return d
        }

        mutating func hex4() throws(CanonicalJSONError) -> UInt32 {
            guard at + 4 <= bytes.count else { throw error("a short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("a bad \\u escape")
                }
                v = v << 4 | d
                at += 1
            }
            return v
        }

        mutating func string() throws(CanonicalJSONError) -> String {
            at += 1  // the opening quote
            let start = at
            // Most strings have no escape: one scan, one conversion.
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
                guard bytes[at] >= 0x20 else { throw error("a control character in a string") }
                at += 1
            }
            guard at < bytes.count else { throw error("an unterminated string") }
            if bytes[at] == UInt8(ascii: "\"") {
                at += 1
                return String(decoding: bytes[start..<at - 1], as: UTF8.self)
            }
            var out = Array(bytes[start..<at])
            while at < bytes.count {
                let c = bytes[at]
                if c == UInt8(ascii: "\"") {
                    at += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard c >= 0x20 else { throw error("a control character in a string") }
                at += 1
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    continue
                }
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800...0xDBFF).contains(v) {
                        guard at + 2 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                            throw error("a lone surrogate")
                        }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone surrogate") }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(v) else { throw error("a lone surrogate") }
                    out += Array(String(scalar).utf8)
                default: throw error("a bad escape")
                }
            }
            throw error("an unterminated string")
        }
    }
}

package struct CanonicalJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    package var offset: Int
    package var message: String
    package var description: String { "\(message) at byte \(offset)" }
}

extension CanonicalJSON {
    /// Member access for reading records.
    subscript(_ key: String) -> CanonicalJSON? {
        if case .object(let m) = self { return m[key] }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var intValue: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var arrayValue: [CanonicalJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var isNull: Bool { self == .null }

    /// A string, or `null` for nil.
    static func optional(_ s: String?) -> CanonicalJSON { s.map(CanonicalJSON.string) ?? .null }
    static func optional(_ i: Int?) -> CanonicalJSON { i.map { .number(Double($0)) } ?? .null }
    static func int(_ i: Int) -> CanonicalJSON { .number(Double(i)) }

    /// A manifest value as JSON (field changes).
    init(_ v: ManifestValue, depth: Int = 0) {
        guard depth <= CanonicalJSON.maxDepth - 8 else { self = .null; return }
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let d): self = d.isFinite ? .number(d) : .string(String(d))
        case .string(let s): self = .string(s)
        case .list(let items): self = .array(items.map { CanonicalJSON($0, depth: depth + 1) })
        case .map(let m): self = .object(m.mapValues { CanonicalJSON($0, depth: depth + 1) })
        }
    }
}

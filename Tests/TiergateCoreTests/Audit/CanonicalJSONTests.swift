import Foundation
import Testing

@testable import TiergateCore

@Suite("canonical JSON")
struct CanonicalJSONTests {
    func text(_ v: CanonicalJSON) -> String { v.text }

    @Test("keys sorted by UTF-16 code units (RFC 8785), no whitespace")
    func order() {
        // U+1F600 is D83D DE00 in UTF-16, before U+E000; by scalar value it would come after.
        let v = CanonicalJSON.object(["b": .int(1), "a": .array([.bool(true), .null]), "\u{E000}": .int(2), "\u{1F600}": .int(3), "B": .string("x")])
        #expect(text(v) == "{\"B\":\"x\",\"a\":[true,null],\"b\":1,\"\u{1F600}\":3,\"\u{E000}\":2}")
    }

    @Test("strings: only JSON's escapes, plus \\u escapes for what a terminal acts on")
    func strings() {
        #expect(text(.string("a\"b\\c\n\t\u{08}\u{0C}\r\u{01}/é")) == "\"a\\\"b\\\\c\\n\\t\\b\\f\\r\\u0001/é\"")
        #expect(text(.string("x\u{7F}\u{85}\u{202E}\u{2028}y")) == "\"x\\u007f\\u0085\\u202e\\u2028y\"")
    }

    @Test("numbers: integral values as integers, others in the shortest form that reads back the same")
    func numbers() throws {
        #expect(text(.number(10)) == "10")
        #expect(text(.number(-3)) == "-3")
        #expect(text(.number(0.5)) == "0.5")
        #expect(text(.number(12.25)) == "12.25")
        for d in [0.1, 1e20, 123456.789, -2.5e-8] {
            let parsed = try CanonicalJSON.parse(CanonicalJSON.number(d).bytes)
            #expect(parsed == .number(d))
        }
    }

    @Test("parse then write is the identity on canonical text, and normalises any other text")
    func roundTrip() throws {
        let canonical = "{\"a\":[1,2.5,\"x\",{\"k\":null}],\"b\":{\"c\":false}}"
        #expect(try CanonicalJSON.parse(Array(canonical.utf8)).text == canonical)
        let loose = " { \"b\" : { \"c\" : false } , \"a\" : [ 1 , 2.50 , \"\\u0078\" , { \"k\" : null } ] } "
        #expect(try CanonicalJSON.parse(Array(loose.utf8)).text == canonical)
        #expect(try CanonicalJSON.parse(Array("\"\\ud83d\\ude00\"".utf8)) == .string("\u{1F600}"))
    }

    @Test(
        "attack: malformed or ambiguous text is refused",
        arguments: ["{\"a\":1,\"a\":2}", "[1,]", "01", "{\"a\":1}x", "\"\\ud83d\"", "\"a\nb\"", "[", "nul", "1.", "-", "{a:1}", "\"\\x\""])
    func refused(_ input: String) {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Array(input.utf8)) }
    }

    @Test("attack: nesting is bounded, without recursing past the bound")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect((try? CanonicalJSON.parse(Array(fine.utf8))) != nil)
    }

    @Test("a record read from bytes that are valid JSON but not canonical is refused: they were not written by record")
    func recordNotCanonical() throws {
        let s = try AuditScenario()
        let bytes = try s.noteBytes(1)
        #expect((try? DecisionRecord(bytes: bytes)) != nil)
        let spaced = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\":", with: "\": ").utf8)
        #expect(throws: RecordFormatError.self) { try DecisionRecord(bytes: spaced) }
    }
}

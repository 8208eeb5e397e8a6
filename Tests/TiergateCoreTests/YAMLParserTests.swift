import Foundation
import Testing

@testable import TiergateCore

@Suite("YAML layer")
struct YAMLParserTests {
    func parse(_ text: String) -> YAMLParseResult { YAMLParser.parse(Array(text.utf8)) }

    func parseFixture(_ name: String) throws -> YAMLParseResult {
        YAMLParser.parse(try Project.bytes("fixtures/hostile/\(name)"))
    }

    @Test("every node and key keeps its 1-based line and column")
    func positions() throws {
        let r = parse("a: 1\nb:\n  - x\n  - {c: d}\n")
        let root = try #require(r.documents.first?.root)
        #expect(root.mark == Mark(line: 1, column: 1))
        let pairs = try #require(root.mapping)
        #expect(pairs[1].key.mark == Mark(line: 2, column: 1))
        let list = try #require(pairs[1].value.sequence)
        #expect(list[0].mark == Mark(line: 3, column: 5))
        #expect(list[1].mark == Mark(line: 4, column: 5))
        #expect(list[1].mapping?[0].value.mark == Mark(line: 4, column: 9))
    }

    @Test("YAML 1.2 core schema typing, never 1.1", arguments: [
        ("no", ScalarValue.string("no")), ("on", .string("on")), ("yes", .string("yes")), ("y", .string("y")),
        ("0755", .int(755)), ("2026-01-10", .string("2026-01-10")), ("1:20", .string("1:20")), ("true", .bool(true)),
        ("False", .bool(false)), ("~", .null), ("null", .null), ("0o17", .int(15)), ("0x1F", .int(31)),
        ("-12", .int(-12)), ("+3", .int(3)), ("1.5", .float(1.5)), ("1e3", .float(1000)), (".5", .float(0.5)),
        (".inf", .float(.infinity)), ("1_000", .string("1_000")), ("where2eat", .string("where2eat")),
        ("0b101", .string("0b101")),
    ])
    func coreTyping(text: String, expected: ScalarValue) throws {
        let r = parse("k: \(text)\n")
        #expect(r.documents.first?.root["k"]?.scalar?.value == expected)
    }

    @Test("quoted scalars are strings")
    func quotedAreStrings() {
        let r = parse("a: \"123\"\nb: 'true'\nc: |\n  42\n")
        #expect(r.documents.first?.root["a"]?.scalar?.value == .string("123"))
        #expect(r.documents.first?.root["b"]?.scalar?.value == .string("true"))
        #expect(r.documents.first?.root["c"]?.scalar?.value == .string("42\n"))
        #expect(r.problems.isEmpty)
    }

    @Test("core tags are honoured")
    func coreTags() {
        let r = parse("a: !!str 123\nb: !!int \"7\"\nc: !!float 1\n")
        #expect(r.documents.first?.root["a"]?.scalar?.value == .string("123"))
        #expect(r.documents.first?.root["b"]?.scalar?.value == .int(7))
        #expect(r.documents.first?.root["c"]?.scalar?.value == .float(1))
        #expect(r.problems.isEmpty)
    }

    @Test("yaml-syntax carries libyaml's problem, line and column")
    func syntax() throws {
        let r = try parseFixture("syntax-error.yaml")
        let p = try #require(r.problems.first)
        #expect(p.kind == .syntax)
        #expect(p.message.contains("flow sequence"))  // libyaml's own words
        #expect(p.mark.line == 5)
        #expect(!r.complete)
    }

    @Test("yaml-duplicate-key names both places")
    func duplicateKey() throws {
        let r = try parseFixture("duplicate-key.yaml")
        let p = try #require(r.problems.first { $0.kind == .duplicateKey })
        #expect(p.mark == Mark(line: 6, column: 3))
        #expect(p.message.contains("line 5 column 3"))
        #expect(p.message.contains("line 6 column 3"))
    }

    @Test("duplicate keys compare by value: 1 and 01 are the same integer key")
    func duplicateTypedKey() {
        let r = parse("1: a\n01: b\n")
        #expect(r.problems.contains { $0.kind == .duplicateKey && $0.mark == Mark(line: 2, column: 1) })
    }

    @Test("yaml-unsupported: a custom tag")
    func customTag() throws {
        let r = try parseFixture("custom-tag.yaml")
        let p = try #require(r.problems.first)
        #expect(p.kind == .unsupported)
        #expect(p.mark == Mark(line: 4, column: 9))
        #expect(p.message.contains("!secret"))
        #expect(!p.message.contains("db-password"))
    }

    @Test("yaml-unsupported: a merge key")
    func mergeKey() throws {
        let r = try parseFixture("merge-key.yaml")
        let p = try #require(r.problems.first { $0.kind == .unsupported })
        #expect(p.mark == Mark(line: 4, column: 3))
    }

    @Test("yaml-unsupported: an alias cycle stops reading")
    func aliasCycle() throws {
        let r = try parseFixture("alias-cycle.yaml")
        let p = try #require(r.problems.first)
        #expect(p.kind == .unsupported)
        #expect(p.mark == Mark(line: 3, column: 9))
        #expect(!r.complete)
        #expect(r.documents.isEmpty)
    }

    @Test("yaml-limits: an alias bomb is stopped past 10,000 nodes")
    func aliasBomb() throws {
        let clock = ContinuousClock()
        var r: YAMLParseResult?
        let elapsed = try clock.measure { r = try parseFixture("alias-bomb.yaml") }
        let p = try #require(r?.problems.first)
        #expect(p.kind == .limits)
        #expect(p.mark.line == 4)
        #expect(p.message.contains("10000"))
        #expect(r?.documents.isEmpty == true)
        #expect(elapsed < .seconds(5), "an alias bomb must not hang the parser")
    }

    @Test("yaml-limits: nesting deeper than 64")
    func nestingBomb() throws {
        let r = try parseFixture("nesting-bomb.yaml")
        let p = try #require(r.problems.first)
        #expect(p.kind == .limits)
        // The root mapping is level 1, so the first [ (column 7) is level 2 and the 65th level opens at column 70.
        #expect(p.mark == Mark(line: 1, column: 70))
        #expect(r.documents.isEmpty)
    }

    @Test("nesting of exactly 64 levels is accepted")
    func nesting64() {
        let r = parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "\n")
        #expect(r.problems.isEmpty)
        #expect(r.documents.count == 1)
    }

    @Test("yaml-limits: more than 100 documents")
    func tooManyDocuments() throws {
        let r = try parseFixture("too-many-documents.yaml")
        let p = try #require(r.problems.first)
        #expect(p.kind == .limits)
        #expect(p.mark == Mark(line: 201, column: 1))
        #expect(r.documents.count == 100)
    }

    @Test("yaml-limits: a file over 1 MiB is refused unread")
    func oversized() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLLimits.maxFileBytes + 1)
        let r = YAMLParser.parse(big)
        #expect(r.problems.map(\.kind) == [.limits])
        #expect(r.problems.first?.mark == .start)
    }

    @Test("yaml-encoding: UTF-16 and Latin-1 are refused, a UTF-8 BOM is fine")
    func encodings() throws {
        let utf16 = try parseFixture("utf16.yaml")
        #expect(utf16.problems.map(\.kind) == [.encoding])
        #expect(utf16.problems.first?.mark == .start)
        let latin1 = try parseFixture("latin1.yaml")
        #expect(latin1.problems.map(\.kind) == [.encoding])
        #expect(latin1.problems.first?.mark == Mark(line: 3, column: 13))
        let bom = YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a: b\n".utf8))
        #expect(bom.problems.isEmpty)
        #expect(bom.documents.first?.root["a"]?.scalar?.value == .string("b"))
    }

    @Test("yaml-ambiguous-scalar: values a YAML 1.1 reader types differently")
    func ambiguous() throws {
        let r = try parseFixture("ambiguous-scalars.yaml")
        let flagged = r.problems.filter { $0.kind == .ambiguousScalar }.map(\.mark.line)
        // yes, no, on, 0755, 1:20, y, and an impossible date a 1.1 reader cannot load; not "yes", true, a name or a date.
        #expect(flagged == [1, 2, 3, 4, 5, 6, 11])
        #expect(r.problems.allSatisfy { $0.kind == .ambiguousScalar })
    }

    /// The encoding check reads ASCII eight bytes at a time: a NUL must be caught wherever it falls in a block,
    /// and valid UTF-8 after ASCII blocks must pass.
    @Test("yaml-encoding: a NUL byte anywhere is refused at its position; UTF-8 after ASCII is fine", arguments: Array(0..<26))
    func nulByte(offset: Int) {
        var bytes = Array("title: abcdefghijklmnop\nx: y\n".utf8)
        bytes[offset] = 0
        let r = YAMLParser.parse(bytes)
        #expect(r.problems.map(\.kind) == [.encoding])
        let line = offset < 24 ? 1 : 2
        #expect(r.problems.first?.mark == Mark(line: line, column: line == 1 ? offset + 1 : offset - 23))
        #expect(YAMLParser.parse(Array("title: abcdefghijklmnopé\n".utf8)).problems.isEmpty)
    }

    @Test("ambiguity classifier", arguments: [
        ("yes", true), ("No", true), ("OFF", true), ("n", true), ("0755", true), ("1:20", true), ("1_000", true),
        ("0b11", true), ("0o17", true), ("1e3", true), ("true", false), ("12", false), ("0x1F", false),
        ("1.5", false), ("2026-01-10", false), ("crm", false), ("", false), ("0", false), ("-0", false),
        ("2026-02-30", true), ("2026-13-01T10:00:00Z", true), ("=", true), ("2026-1-1", false),
        ("555555555305555555530:35", true), ("0_", true), ("0x_", true), (".__", false), ("31133113311312311312", false),
    ])
    func classifier(text: String, ambiguous: Bool) {
        #expect(ScalarResolver.isAmbiguous(text, core: ScalarResolver.core(text)) == ambiguous)
    }

    @Test("empty documents are skipped; a multi-document stream keeps every document")
    func multiDocument() {
        let r = parse("a: 1\n---\nb: 2\n---\n")
        #expect(r.documents.count == 2)
        #expect(r.documentCount == 3)
        #expect(r.complete)
    }
}

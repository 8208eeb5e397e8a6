import Foundation
import Testing

@testable import TiergateCore

/// The name scanner against the full parse: it may say "not sure" (and the full parse answers), but when it is
/// sure it must never miss a name the full parse sees, and on well-formed input its names are the full parse's.
@Suite("Name scanner")
struct NameScannerTests {
    static func scan(_ text: String) -> [NameScanner.Name]? { scan(bytes: Array(text.utf8)) }
    static func scan(bytes: [UInt8]) -> [NameScanner.Name]? { bytes.withUnsafeBufferPointer { NameScanner.scan($0) } }
    static func parsed(_ bytes: [UInt8]) -> [NameScanner.Name] {
        bytes.withUnsafeBufferPointer { ManifestNames.parsed($0, path: "m.yaml") }
    }
    static func names(_ bytes: [UInt8]) -> [NameScanner.Name] {
        bytes.withUnsafeBufferPointer { ManifestNames.read($0, path: "m.yaml") }
    }

    /// Every manifest-like file under fixtures/ (manifests, demo apps, hostile YAML, secrets, fuzz regressions).
    static func fixtureFiles() throws -> [String] {
        let root = Project.path("fixtures")
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw TestFailure("cannot list \(root)") }
        var files: [String] = []
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".yaml") || rel.hasSuffix(".yml"), !rel.hasSuffix("policy.yaml"), !rel.contains("/policy/") else { continue }
            files.append("fixtures/" + rel)
        }
        return files.sorted()
    }

    @Test("on every manifest fixture, scan-or-parse gives exactly the full parser's names and lines")
    func fixtures() throws {
        let files = try Self.fixtureFiles()
        #expect(files.count >= 30)
        var sure = 0
        for file in files {
            let bytes = try Project.bytes(file)
            let full = Self.parsed(bytes)
            #expect(Self.names(bytes) == full, "\(file)")
            if let scanned = Self.scan(bytes: bytes) {
                sure += 1
                #expect(scanned == full, "\(file): the scanner is sure of \(scanned), the parser says \(full)")
            }
        }
        // The valid manifests are plain block style: the scanner must read them itself, or it saves nothing.
        for file in try Project.files(under: "fixtures/manifests/valid", suffix: ".yaml") {
            #expect(Self.scan(bytes: try Project.bytes(file)) != nil, "\(file) is plain block style")
        }
        #expect(sure >= 15)
    }

    @Test("the bench generator's manifests and the test manifests are read by the scanner")
    func benchShape() throws {
        let bench = """
            # App 7 of team team-007: generated for the tiergate benchmark.
            apiVersion: microapps/v1
            kind: MicroApp
            metadata:
              name: app-00007
              owner: team-007
              title: Generated app number 7
              description: A synthetic micro-app that the benchmark uses to measure tiergate at monorepo scale
              labels: {team: team-007, costCenter: CC-1007}
            spec:
              dataClass: internal
              integrations:
                - name: crm
                  access: read
                  endpoint: crm.internal.example.com
              network:
                egress: allowlist
                destinations: [crm.internal.example.com]
              secrets:
                - name: API_TOKEN
                  ref: vault://kv/apps/app-00007/api

            """
        #expect(Self.scan(bench) == [NameScanner.Name(name: "app-00007", mark: Mark(line: 5, column: 9))])
        #expect(Self.scan(app("where2eat")) == Self.parsed(Array(app("where2eat").utf8)))
        #expect(Self.scan(manifest(name: "x1")) == Self.parsed(Array(manifest(name: "x1").utf8)))
    }

    /// Hand-written inputs. `sure` is what the scanner must answer itself (nil: it must not be sure).
    static let tricky: [(label: String, text: String, sure: [String]?)] = [
        ("plain", "apiVersion: microapps/v1\nmetadata:\n  name: a\n  owner: o\n", ["a"]),
        ("comment after the name", "metadata:\n  name: a   # the app\n", ["a"]),
        ("comments and blank lines", "# c\n\nmetadata: # m\n  # c\n\n  owner: o\n#c at column 0\n  name: a\nspec: {}\n", ["a"]),
        ("deeper child indent", "metadata:\n    owner: o\n    name: a\n    labels:\n      name: b\n", ["a"]),
        ("two documents", "metadata:\n  name: a\n---\nmetadata:\n  name: b\n", ["a", "b"]),
        ("leading and trailing markers", "---\nmetadata:\n  name: a\n--- # next\nmetadata:\n  name: b\n---\n", ["a", "b"]),
        ("only comments between markers", "---\n# nothing\n---\nmetadata:\n  name: a\n", ["a"]),
        ("empty file", "", []),
        ("BOM at the start", "\u{FEFF}metadata:\n  name: a\n", ["a"]),
        ("block scalar with a fake name inside", "metadata:\n  description: |\n    name: fake\n  name: real\n", ["real"]),
        ("folded scalar with indicators", "metadata:\n  description: >-2\n     text\n  name: real\n", ["real"]),
        ("block scalar at the top level", "notes: |\n  metadata:\n    name: fake\nmetadata:\n  name: real\n", ["real"]),
        ("quoted values closed on their line", "metadata:\n  title: \"a: b # c\"\n  owner: 'it''s'\n  name: a\n", ["a"]),
        ("flow values closed on their line", "metadata:\n  labels: {a: [1, 2], b: x}\n  name: a\nspec:\n  regions: [eu-1, eu-2]\n", ["a"]),
        ("a name YAML 1.1 reads as a boolean is a string in 1.2", "metadata:\n  name: yes\n", ["yes"]),
        ("flow-style metadata", "metadata: {name: a, owner: o}\n", nil),
        ("flow-style document", "{metadata: {name: a}}\n", nil),
        ("quoted name", "metadata:\n  name: \"a\"\n", nil),
        ("single-quoted name", "metadata:\n  name: 'a'\n", nil),
        ("anchored name", "metadata:\n  name: &n a\n", nil),
        ("tagged name", "metadata:\n  name: !!str a\n", nil),
        ("aliased name", "x: &n a\nmetadata:\n  name: *n\n", nil),
        ("anchored metadata", "metadata: &m\n  name: a\n", nil),
        ("merge key", "base: &b {name: a}\nmetadata:\n  <<: *b\n  name: c\n", nil),
        ("merge key at the top", "x: &b\n  metadata:\n    name: a\n<<: *b\nmetadata:\n  name: c\n", nil),
        ("a number as the name", "metadata:\n  name: 123\n", nil),
        ("a float as the name", "metadata:\n  name: 1e3\n", nil),
        ("hex as the name", "metadata:\n  name: 0x1f\n", nil),
        ("null as the name", "metadata:\n  name: null\n", nil),
        ("true as the name", "metadata:\n  name: true\n", nil),
        ("an invalid name", "metadata:\n  name: Big_App\n", nil),
        ("a name with a hash and no space", "metadata:\n  name: a#b\n", nil),
        ("a multi-line plain name", "metadata:\n  name: a\n    b\n", nil),
        ("a multi-line plain name after a blank line", "metadata:\n  name: a\n\n    b\n", nil),
        ("a name on the next line", "metadata:\n  name:\n    a\n", nil),
        ("two name keys", "metadata:\n  name: a\n  name: b\n", nil),
        ("two metadata keys", "metadata:\n  name: a\nmetadata:\n  name: b\n", nil),
        ("no metadata", "apiVersion: microapps/v1\nkind: MicroApp\n", nil),
        ("metadata without a name", "metadata:\n  owner: o\n", nil),
        ("empty metadata", "metadata:\nspec: {}\n", nil),
        ("quoted key", "\"metadata\":\n  name: a\n", nil),
        ("quoted name key", "metadata:\n  \"name\": b\n  owner: o\n", nil),
        ("explicit key", "? metadata\n: name: a\n", nil),
        ("explicit name key", "metadata:\n  ? name\n  : a\n", nil),
        ("space before the colon", "metadata :\n  name: a\n", nil),
        ("indented root", "  metadata:\n    name: a\n", nil),
        ("a line indented less than the children", "metadata:\n    owner: o\n  name: a\n", nil),
        ("a sequence under metadata", "metadata:\n- name: a\n", nil),
        ("tab indentation", "metadata:\n\tname: a\n", nil),
        ("tab after the value", "metadata:\n  name: a\t\n", nil),
        ("CRLF line ends", "metadata:\r\n  name: a\r\n", nil),
        ("NEL as a line break", "metadata:\n  title: x\u{85}name: b\n  name: a\n", nil),
        ("line separator as a line break", "metadata:\n  title: x\u{2028}  name: b\n  name: a\n", nil),
        ("BOM inside", "metadata:\n  name: a\n\u{FEFF}metadata:\n  name: b\n", nil),
        ("YAML directive", "%YAML 1.2\n---\nmetadata:\n  name: a\n", nil),
        ("document end marker", "metadata:\n  name: a\n...\nmetadata:\n  name: b\n", nil),
        ("content on the marker line", "--- {metadata: {name: b}}\n", nil),
        ("tag on the marker line", "--- !!map\nmetadata:\n  name: a\n", nil),
        ("LFS pointer", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n", nil),
        // Multi-line quoted scalars and flow collections could hide the lines the structure relies on.
        ("a quote hides a name and a column-0 line", "metadata:\n  title: \"abc\n  name: fake\nx: y\"\n  name: real\n", nil),
        ("a single quote hides lines", "metadata:\n  title: 'abc\n  name: fake\nx: y'\n  name: real\n", nil),
        ("an escaped line break", "metadata:\n  title: \"abc\\\n  name: fake\nx: y\"\n  name: real\n", nil),
        ("a flow sequence left open", "metadata:\n  labels: [a,\n  name: fake\nx: y]\n  name: real\n", nil),
        ("a comment inside a flow collection", "metadata:\n  labels: [a, #]\n  name: fake\nx: y]\n  name: real\n", nil),
        ("a quote inside a plain flow scalar", "metadata:\n  labels: [a'b, [c', d]\n  name: fake\nx: y]]\n  name: real\n", nil),
        ("an anchor before an open flow", "metadata:\n  labels: &l[x,\n  name: fake\nx: y]\n  name: real\n", nil),
        ("a tag before an open quote", "metadata:\n  title: !!str \"x\n  name: fake\nx: y\"\n  name: real\n", nil),
        ("an open quote deep in a list", "metadata:\n  labels:\n  - k: |\n      text\n    j: \"abc\n  name: fake\nx: y\"\n  name: real\n", nil),
        ("an open quote at the top level", "title: \"abc\nmetadata:\n  name: fake\n\"\nmetadata:\n  name: real\n", nil),
        ("a quoted key then more", "metadata:\n  \"a\" 'b': c\n  name: a\n", nil),
        ("a flow collection as a key", "metadata:\n  [a]: b\n  name: a\n", nil),
        ("a reserved indicator", "metadata:\n  title: @x\n  name: a\n", nil),
        ("an alias followed by more", "metadata:\n  title: *a b\n  name: a\n", nil),
        ("a block scalar header with text after it", "metadata:\n  description: | text\n  name: a\n", nil),
        ("a NUL byte", "metadata:\n  name: a\n\u{0}\n", nil),
        ("a DEL byte", "metadata:\n  title: a\u{7F}\n  name: a\n", nil),
        ("a C1 control", "metadata:\n  name: a\n---\nmetadata:\n  title: \u{80}\n  name: b\n", nil),
        ("U+FFFE", "metadata:\n  name: a\n---\nmetadata:\n  title: \u{FFFE}\n  name: b\n", nil),
    ]

    @Test("hand-written inputs: sure exactly where it should be, and never a name the parser does not give",
          arguments: Self.tricky.indices)
    func trickyInput(_ i: Int) throws {
        let (label, text, sure) = Self.tricky[i]
        let bytes = Array(text.utf8)
        let scanned = Self.scan(bytes: bytes)
        let full = Self.parsed(bytes)
        if let sure {
            #expect(scanned?.map(\.name) == sure, "\(label): scanner says \(String(describing: scanned))")
            #expect(full.map(\.name) == sure, "\(label): the full parse says \(full)")
        } else {
            #expect(scanned == nil, "\(label): the scanner must not be sure; it says \(String(describing: scanned)), the parse says \(full)")
        }
        #expect(Self.names(bytes) == full, "\(label)")
    }

    @Test("more than 100 documents is for the full parse")
    func tooManyDocuments() {
        let one = "metadata:\n  name: a\n"
        #expect(Self.scan(Array(repeating: one, count: 100).joined(separator: "---\n"))?.count == 100)
        #expect(Self.scan(Array(repeating: one, count: 101).joined(separator: "---\n")) == nil)
        // Empty explicit documents count towards the limit too.
        #expect(Self.scan(Array(repeating: one, count: 100).joined(separator: "---\n") + "---\n") == nil)
    }

    @Test("invalid UTF-8 and files over the size limit are for the full parse")
    func encodingAndSize() {
        #expect(Self.scan(bytes: Array("metadata:\n  title: caf".utf8) + [0xE9] + Array("\n  name: a\n".utf8)) == nil)
        #expect(Self.scan("metadata:\n  title: café\n  name: a\n")?.map(\.name) == ["a"])
        let big = "metadata:\n  name: a\n# " + String(repeating: "x", count: YAMLLimits.maxFileBytes) + "\n"
        #expect(Self.scan(big) == nil)
    }

    /// Mutants of the fixtures: random YAML-significant bytes inserted, lines duplicated, removed or re-indented.
    /// Whenever the scanner is sure, every name the full parse gives must be among its names, at the same line.
    @Test("on thousands of mutants, a sure scan never misses a name the full parse gives")
    func mutants() throws {
        var seeds: [[UInt8]] = []
        for file in try Project.files(under: "fixtures/manifests/valid", suffix: ".yaml") { seeds.append(try Project.bytes(file)) }
        seeds.append(Array((app("one") + "---\n" + app("two")).utf8))
        seeds.append(Array("metadata:\n  title: \"t\"\n  labels: {a: b}\n  name: n1\n  description: |\n    name: x\nspec:\n  x: [a, b]\n".utf8))
        seeds.append(Array("metadata:\n  name: real\n".utf8))
        seeds.append(Array("metadata:\n  title: t\n  name: real\n".utf8))
        var rng = SplitMix(seed: 0x5EED)
        let alphabet = Array("\"'[]{}#&*!|>:-?, \n\t\r%@`\\abcname0".utf8) + [0xC2, 0x85]
        var sureCount = 0
        var missed: [String] = []
        for round in 0..<8000 {
            var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(rng.next() % 5)) {
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                guard !lines.isEmpty else { break }
                let l = Int(rng.next() % UInt64(lines.count))
                switch rng.next() % 7 {
                case 0:
                    let pos = Int(rng.next() % UInt64(lines[l].count + 1))
                    lines[l].insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
                case 1: lines.insert(lines[l], at: Int(rng.next() % UInt64(lines.count + 1)))
                case 2: lines.remove(at: l)
                case 3: lines[l] = Array(repeating: 0x20, count: Int(rng.next() % 5)) + lines[l].drop { $0 == 0x20 }
                case 5, 6:
                    // Whole lines of the shapes that could hide or fake the lines the scanner relies on.
                    let attack = [
                        "  name: fake", "x: y\"", "x: y'", "x: y]", "x: y}", "  title: \"abc", "  title: 'abc", "  labels: [a,",
                        "  labels: {a: b,", "  d: |", "    text", "metadata:", "---", "  - k: |", "    j: \"abc", "name: top",
                        "  title: !!str \"x", "  t: &a [x,", "    name: deep", "  # c", "",
                    ]
                    lines.insert(Array(attack[Int(rng.next() % UInt64(attack.count))].utf8), at: Int(rng.next() % UInt64(lines.count + 1)))
                default:
                    let pos = Int(rng.next() % UInt64(lines[l].count + 1))
                    let snippets = ["\"", "'", "[", "{", "#", " #", "|", "&a ", "!!str ", "? ", "- ", "name: z", "metadata:", "---"]
                    lines[l].insert(contentsOf: Array(snippets[Int(rng.next() % UInt64(snippets.count))].utf8), at: pos)
                }
                bytes = Array(lines.joined(separator: [0x0A]))
            }
            let full = Self.parsed(bytes)
            guard let scanned = Self.scan(bytes: bytes) else { continue }
            sureCount += 1
            for name in full where !scanned.contains(name) {
                missed.append("round \(round): the parse sees \(name), the scanner only \(scanned):\n\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(missed.isEmpty, "\(missed.prefix(3).joined(separator: "\n\n"))")
        #expect(sureCount > 500, "the mutants must exercise the sure path (\(sureCount))")
    }
}

extension NameScannerTests {
    /// Random sequences of a few lines, from a small pool of the shapes that could hide a real name or fake
    /// one: opening and closing quotes at the child indent and at column 0, block scalars, flow collections.
    @Test("on random line sequences built to hide names, a sure scan never misses a name the full parse gives")
    func lineSequences() {
        let pool = [
            "metadata:", "  name: real", "  name: fake", "  title: \"abc", "x: y\"", "  title: 'abc", "x: y'", "  d: |",
            "    j: \"abc", "  t: [a,", "x: y]", "  t: t", "---",
        ]
        var rng = SplitMix(seed: 0xC0FFEE)
        var missed: [String] = []
        var sure = 0
        for _ in 0..<40000 {
            var lines = ["metadata:"]
            for _ in 0..<(3 + Int(rng.next() % 5)) { lines.append(pool[Int(rng.next() % UInt64(pool.count))]) }
            let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
            let full = Self.parsed(bytes)
            guard let scanned = Self.scan(bytes: bytes) else { continue }
            sure += 1
            if full.contains(where: { !scanned.contains($0) }) {
                missed.append("parse \(full), scan \(scanned):\n\(lines.joined(separator: "\n"))")
            }
        }
        #expect(missed.isEmpty, "\(missed.count) misses, like:\n\(missed.prefix(2).joined(separator: "\n\n"))")
        #expect(sure > 300, "the sequences must exercise the sure path (\(sure))")
    }
}

/// A small deterministic generator for the mutation test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// tiergate's YAML layer against a second reader, PyYAML's C loader: the same libyaml, YAML 1.1 typing.
@Suite("YAML differential against PyYAML")
struct YAMLDifferentialTests {
    /// Every YAML fixture, plus the fuzz corpus when a fuzzing run has left one.
    static func inputs() throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for dir in ["fixtures", ".build-fuzz/corpus-manifest", ".build-fuzz/corpus-policy"] {
            guard let e = fm.enumerator(atPath: Project.path(dir)) else { continue }
            for case let rel as String in e where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") || dir.hasPrefix(".build-fuzz") {
                let full = Project.path("\(dir)/\(rel)")
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { files.append(full) }
            }
        }
        return files.sorted()
    }

    struct Scalar: Hashable {
        var line: Int
        var column: Int
    }

    @Test("where both readers accept a document, tiergate reads YAML 1.2 and flags every scalar a 1.1 reader types differently")
    func differential() throws {
        let files = try Self.inputs()
        #expect(files.count >= 30)
        let python = try Project.venvTool("python")
        var compared = 0
        var flagged = 0
        // In chunks, so the argument list stays short.
        for chunk in stride(from: 0, to: files.count, by: 200).map({ Array(files[$0..<min($0 + 200, files.count)]) }) {
            let r = try run(python, [Project.path("Tests/helpers/yaml_differential.py")] + chunk)
            #expect(r.status == 0, "\(r.stderr)")
            for line in r.stdout.split(separator: "\n") {
                guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let path = obj["path"] as? String, obj["ok"] as? Bool == true, let scalars = obj["scalars"] as? [[Any]]
                else { continue }
                let ours = YAMLParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                // Only documents both readers read completely are compared.
                guard ours.complete, ours.problems.allSatisfy({ $0.kind == .ambiguousScalar || $0.kind == .duplicateKey }) else { continue }
                var mine: [Scalar: YAMLScalar] = [:]
                var crowded = Set<Scalar>()  // two scalars at one place (a key and an implicit empty value)
                var stack = ours.documents.map(\.root)
                while let n = stack.popLast() {
                    switch n.content {
                    case .scalar(let s):
                        let at = Scalar(line: n.mark.line, column: n.mark.column)
                        if mine[at] != nil && mine[at] != s { crowded.insert(at) }
                        mine[at] = s
                    case .sequence(let items): stack += items
                    case .mapping(let pairs): for p in pairs { stack += [p.key, p.value] }
                    }
                }
                var theirs: [Scalar: Int] = [:]
                for item in scalars { if let l = item[0] as? Int, let c = item[1] as? Int { theirs[Scalar(line: l, column: c), default: 0] += 1 } }
                for (at, n) in theirs where n > 1 { crowded.insert(at) }
                let ambiguous = Set(ours.problems.filter { $0.kind == .ambiguousScalar }.map { Scalar(line: $0.mark.line, column: $0.mark.column) })
                for item in scalars {
                    guard item.count == 5, let l = item[0] as? Int, let c = item[1] as? Int, let plain = item[2] as? Bool, let kind = item[3] as? String,
                        let s = mine[Scalar(line: l, column: c)], !crowded.contains(Scalar(line: l, column: c))
                    else { continue }
                    compared += 1
                    let same = Self.sameValue(s, pyKind: kind, pyValue: item[4])
                    if !plain {
                        #expect(same, "\(path):\(l):\(c): quoted scalar read differently")
                    } else if !same {
                        flagged += 1
                        #expect(ambiguous.contains(Scalar(line: l, column: c)), "\(path):\(l):\(c): '\(s.text)' is \(kind) to PyYAML and \(s.value) here, but not flagged")
                    } else if ambiguous.contains(Scalar(line: l, column: c)) {
                        // The only values flagged that PyYAML reads alike: y/Y/n/N, booleans in the YAML 1.1 spec
                        // that PyYAML's resolver leaves out.
                        #expect(["y", "Y", "n", "N"].contains(s.text), "\(path):\(l):\(c): '\(s.text)' flagged but read alike")
                    }
                }
            }
        }
        #expect(compared > 500, "compared \(compared) scalars")
        #expect(flagged >= 5, "the fixtures hold 1.1-ambiguous scalars; \(flagged) found")
    }

    /// Whether PyYAML's value is tiergate's (1.2) value. A 1.1 date means the same day as the 1.2 string.
    static func sameValue(_ s: YAMLScalar, pyKind: String, pyValue: Any) -> Bool {
        switch (s.value, pyKind) {
        case (.null, "null"): return true
        case (.bool(let b), "bool"): return (pyValue as? Bool) == b
        case (.int(let i), "int"): return (pyValue as? String) == String(i)
        case (.float(let d), "float"):
            guard let text = pyValue as? String else { return false }
            if d.isNaN { return text == "nan" }
            if d.isInfinite { return text == (d > 0 ? "inf" : "-inf") }
            return Double(text) == d
        case (.int(let i), "float"): return Double(pyValue as? String ?? "") == Double(i)
        case (.string(let t), "str"): return (pyValue as? String) == t
        case (.string(let t), "timestamp"): return (pyValue as? String).map { $0.hasPrefix(String(t.prefix(10))) } ?? false
        case (_, "error"): return false  // PyYAML cannot load it: tiergate must flag it
        // The implicit empty value of a complex key (`? key` with no `:`): PyYAML's C composer gives '', YAML 1.2
        // null; both mean nothing there, and manifests never have complex keys.
        case (.null, "str"): return (pyValue as? String) == "" && s.text.isEmpty
        // Integers beyond 64 bits: both readers read an integer; tiergate keeps a non-finite number for it.
        case (.float(let d), "int"):
            guard let text = pyValue as? String, let big = Double(text) else { return false }
            return d == big || (d.isInfinite && abs(big) > 9.2e18)
        default: return false
        }
    }
}

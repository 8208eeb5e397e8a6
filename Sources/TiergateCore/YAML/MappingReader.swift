/// One problem found while reading a document: a key its schema does not know, or a value it does not accept.
package struct ReadProblem: Sendable, Hashable {
    package enum Kind: Sendable, Hashable { case unknownKey, invalid }

    package var kind: Kind
    package var message: String
    package var mark: Mark
}

/// What kind of document a reader reads: the words its messages use, and its one leniency.
package struct DocumentKind: Sendable {
    /// What the document is: "spec.foo is not a field of a MicroApp manifest".
    package var name: String
    /// Its short name: "add 'spec:' to the top level of the manifest".
    package var shortName: String
    /// Whether a list or mapping written with no value (`exceptions:`) is empty rather than missing.
    package var nullCollectionsAreEmpty: Bool
    /// Whether messages leave out values that could be credentials (a manifest's), showing only short plain words.
    package var redactsValues: Bool
}

/// Where a value sits in a document (`spec.integrations[0].name`). The text is made only when a message needs
/// it: reading a valid document spells out no path below the mappings it enters.
package struct FieldName: Sendable, CustomStringConvertible {
    /// The enclosing mapping's path; empty at the top.
    package var parent: String
    package var key: String
    /// The position in a list, for a list item.
    package var index: Int?

    package init(parent: String, key: String, index: Int? = nil) {
        self.parent = parent
        self.key = key
        self.index = index
    }

    /// A path written out (`manifests.include`).
    package init(_ path: String) { self.init(parent: "", key: path) }

    package var description: String {
        var text = parent.isEmpty ? key : key.isEmpty ? parent : parent + "." + key
        if let index { text += "[\(index)]" }
        return text
    }

    /// The name of item `i` of the list named by this name.
    package func item(_ i: Int) -> FieldName {
        index == nil ? FieldName(parent: parent, key: key, index: i) : FieldName(parent: description, key: "", index: i)
    }

    /// The name of the value under `key` in the mapping named by this name.
    package func child(_ key: String) -> FieldName { FieldName(parent: description, key: key) }

    /// How a message names the place: the top of the document has no path.
    var spoken: String {
        let text = description
        return text.isEmpty ? "the document" : text
    }
}

/// A strict reader of YAML mappings: known keys (an unknown one gets a "did you mean"), typed scalars, lists and
/// mappings, each problem with its line and column. It collects every problem rather than stopping at the
/// first, so that one run shows every mistake of a document. Declarative readers (`RecordSchema`) and the
/// loaders built on it use its typed readers, so the same mistake is worded the same way in every document.
package struct MappingReader {
    package let document: DocumentKind
    package private(set) var problems: [ReadProblem] = []
    /// How many problems are `invalid` ones (an unknown key is reported, but makes no value invalid).
    package private(set) var invalidCount = 0

    package init(_ document: DocumentKind) { self.document = document }

    /// A value the document's schema does not accept.
    package mutating func invalid(_ message: String, at mark: Mark) {
        problems.append(ReadProblem(kind: .invalid, message: message, mark: mark))
        invalidCount += 1
    }

    // MARK: Mappings

    /// A key its schema does not know, reported with the known key nearest to it. It makes no value invalid (a
    /// manifest's unknown field is a warning; a policy refuses any problem).
    package mutating func unknownKey(_ key: String, at mark: Mark, in name: FieldName, known: [String]) {
        var message = "\(name.child(key)) is not a field of \(document.name)"
        if let suggestion = Self.closest(key, in: known) { message += "; did you mean '\(suggestion)'?" }
        message += " (known here: \(known.joined(separator: ", ")))"
        problems.append(ReadProblem(kind: .unknownKey, message: message, mark: mark))
    }

    /// A key the schema requires is not there; the problem is at the mapping that should hold it.
    package mutating func missing(_ name: FieldName, in mapping: YAMLNode) {
        let holder = name.parent.isEmpty ? "the top level of the \(document.shortName)" : name.parent
        invalid("\(name) is missing; add '\(name.key):' to \(holder)", at: mapping.mark)
    }

    /// The pairs of a mapping whose keys may be any string (labels, groups): each key, where it is, and its value
    /// node. A key that is not a string, or that `keys` does not accept, is reported and skipped.
    package mutating func entries(
        _ node: YAMLNode, at name: FieldName, keys: StringFormat = .any, what: String = "a mapping"
    ) -> [(key: String, mark: Mark, value: YAMLNode)]? {
        if node.isNull && document.nullCollectionsAreEmpty { return [] }
        guard node.isMapping else {
            invalid("\(name.spoken) must be \(what), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        var result: [(key: String, mark: Mark, value: YAMLNode)] = []
        result.reserveCapacity(node.count)
        for i in 0..<node.count {
            let keyNode = node.key(i)
            guard case .string(let key) = keyNode.scalarValue else {
                invalid("\(name.spoken) has a key that is not a string", at: keyNode.mark)
                continue
            }
            switch keys.problem(with: key) {
            case .empty(let hint)?: invalid("\(name.spoken) has an empty key; \(hint)", at: keyNode.mark)
            case .value(let says)?: invalid("\(name.spoken) has the key '\(shown(key))', which \(says)", at: keyNode.mark)
            case nil: result.append((key, keyNode.mark, node.value(i)))
            }
        }
        return result
    }

    // MARK: Lists

    package mutating func list(_ node: YAMLNode, at name: FieldName) -> [YAMLNode]? {
        if node.isNull && document.nullCollectionsAreEmpty { return [] }
        guard let items = node.sequence else {
            invalid("\(name) must be a list, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return items
    }

    // MARK: Scalars

    package mutating func string(_ node: YAMLNode, at name: FieldName, format: StringFormat = .any) -> String? {
        guard case .string(let text) = node.scalarValue else {
            invalid("\(name) must be a string, found \(node.kindDescription)\(Self.stringHint(node))", at: node.mark)
            return nil
        }
        if let problem = format.problem(with: text) {
            switch problem {
            case .empty(let hint): invalid("\(name) is empty; \(hint)", at: node.mark)
            case .value(let says): invalid("\(name) '\(shown(text))' \(says)", at: node.mark)
            }
            return nil
        }
        return text
    }

    /// A value of a closed vocabulary (an enum's raw values).
    package mutating func choice<E: RawRepresentable>(_ node: YAMLNode, at name: FieldName, allowed: [String]) -> E?
    where E.RawValue == String {
        if case .string(let text) = node.scalarValue, let v = E(rawValue: text) { return v }
        let list = allowed.joined(separator: ", ")
        guard case .string(let text) = node.scalarValue else {
            invalid("\(name) must be one of \(list); found \(node.kindDescription)", at: node.mark)
            return nil
        }
        invalid("\(name) is '\(shown(text))', which is not allowed; use one of \(list)", at: node.mark)
        return nil
    }

    /// A whole number within `bounds` (a number too large for 64 bits is outside them, not a trap).
    package mutating func integer(_ node: YAMLNode, at name: FieldName, in bounds: ClosedRange<Int>) -> Int? {
        let range = "from \(bounds.lowerBound) to \(bounds.upperBound)"
        switch node.scalarValue {
        case .int(let v):
            guard bounds.contains(v) else {
                invalid("\(name) is \(v); it must be a whole number \(range)", at: node.mark)
                return nil
            }
            return v
        case .float(let d) where !d.isFinite || abs(d) >= 9.2e18:
            invalid("\(name) is too large; it must be a whole number \(range)", at: node.mark)
            return nil
        default:
            invalid("\(name) must be a whole number \(range), found \(node.kindDescription)\(Self.numberHint(node))", at: node.mark)
            return nil
        }
    }

    /// A finite number, within `bounds` when there are any.
    package mutating func number(_ node: YAMLNode, at name: FieldName, in bounds: ClosedRange<Double>?) -> Double? {
        let range = bounds.map { " from \(ManifestValue.format($0.lowerBound)) to \(ManifestValue.format($0.upperBound))" } ?? ""
        let v: Double
        switch node.scalarValue {
        case .int(let i): v = Double(i)
        case .float(let d) where d.isFinite: v = d
        case .float(let d) where !d.isNaN:
            invalid("\(name) is \(d < 0 ? "negative and " : "")infinite; it must be a number\(range)", at: node.mark)
            return nil
        default:
            invalid("\(name) must be a number\(range), found \(node.kindDescription)\(Self.numberHint(node))", at: node.mark)
            return nil
        }
        guard let bounds else { return v }
        guard v >= bounds.lowerBound else {
            invalid("\(name) is \(bounds.lowerBound == 0 ? "negative" : ManifestValue.format(v)); it must be a number\(range)", at: node.mark)
            return nil
        }
        guard v <= bounds.upperBound else {
            invalid("\(name) is \(ManifestValue.format(v)); it must be a number\(range)", at: node.mark)
            return nil
        }
        return v
    }

    package mutating func boolean(_ node: YAMLNode, at name: FieldName) -> Bool? {
        guard case .bool(let b) = node.scalarValue else {
            invalid("\(name) must be true or false, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return b
    }

    package mutating func date(_ node: YAMLNode, at name: FieldName) -> Day? {
        if case .string(let text) = node.scalarValue, let d = Day(text) { return d }
        let found: String
        if case .string(let text) = node.scalarValue { found = "'\(shown(text))'" } else { found = node.kindDescription }
        invalid("\(name) must be a date written YYYY-MM-DD (like 2026-01-10), found \(found)", at: node.mark)
        return nil
    }

    // MARK: Wording

    /// For a field that wants a string: YAML typed an unquoted value as something else.
    private static func stringHint(_ node: YAMLNode) -> String {
        guard let s = node.scalar, s.style.isPlain else { return "" }
        if case .string = s.value { return "" }
        return "; put it in quotes"
    }

    /// For a field that wants a number: the value was quoted, which makes it a string.
    private static func numberHint(_ node: YAMLNode) -> String {
        guard let s = node.scalar, !s.style.isPlain else { return "" }
        return "; write it without quotes"
    }

    /// A value as this document's messages show it.
    package func shown(_ text: String) -> String { document.redactsValues ? Self.display(text) : text }

    /// Shows a value in a message only when it is short and plain (an enum-like word); anything that could be
    /// a credential is not repeated.
    package static func display(_ text: String) -> String {
        let shortEnoughForUpperCase = text.utf8.count <= 16
        let plain =
            text.utf8.count <= 32
            && text.utf8.allSatisfy { c in
                (c >= 0x61 && c <= 0x7A) || ScalarResolver.isDigit(c) || (shortEnoughForUpperCase && c >= 0x41 && c <= 0x5A)
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: " ") || c == UInt8(ascii: "_")
                    || c == UInt8(ascii: "/")
            }
        return plain ? text : "(value not shown)"
    }

    /// The known name nearest to a typo, when it is close enough to be a likely fix.
    package static func closest(_ key: String, in known: [String]) -> String? {
        var best: (String, Int)?
        for k in known {
            let d = editDistance(key.lowercased(), k.lowercased())
            if d <= max(1, min(3, k.count / 3)), d < (best?.1 ?? Int.max) { best = (k, d) }
        }
        return best?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

/// What a string field accepts beyond being a string.
package enum StringFormat: Sendable {
    case any
    /// Any string but the empty one; the hint says what to write ("name the owning group").
    case nonEmpty(hint: String)
    /// An app name (`metadata.name`): a lower-case DNS label.
    case appName
    /// A lower-case DNS host name.
    case hostName
    /// A test of the program's own (a finding id the policy knows): nil when the value is fine, else what is wrong
    /// with it, after the value ("is no finding id").
    case check(@Sendable (String) -> String?)

    enum Problem {
        case empty(hint: String)
        case value(String)
    }

    func problem(with text: String) -> Problem? {
        switch self {
        case .any: return nil
        case .nonEmpty(let hint): return text.isEmpty ? .empty(hint: hint) : nil
        case .appName:
            return ManifestDecoder.isAppName(text)
                ? nil
                : .value("is not a valid app name: use at most 63 lower-case letters, digits and inner hyphens (like where2eat or expense-bot)")
        case .hostName:
            return ManifestDecoder.isHostName(text) ? nil : .value("is not a host name; write only the host, like crm.internal.example.com")
        case .check(let test): return test(text).map { .value($0) }
        }
    }
}

extension YAMLNode {
    /// The value of a mapping's field: the first pair whose key is the string `key` (the YAML layer reports a
    /// duplicate). Keys that YAML types otherwise (`true:`, `1:`) never match a field name.
    package func field(_ key: String) -> YAMLNode? {
        pairIndex(of: key, stringKeysOnly: true).map { value($0) }
    }
}

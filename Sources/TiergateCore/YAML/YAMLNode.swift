/// A scalar's value as the YAML 1.2 core schema types it.
package enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// The type's name as error messages show it.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .float: "number"
        case .string: "string"
        }
    }
}

package enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    package var isPlain: Bool { self == .plain }
}

package struct YAMLScalar: Sendable, Hashable {
    /// The scalar's text after YAML unescaping and folding.
    package var text: String
    package var style: ScalarStyle
    package var value: ScalarValue
}

package struct YAMLPair: Sendable {
    package var key: YAMLNode
    package var value: YAMLNode
}

/// The nodes of one parsed stream, in flat arrays: a node is an index into them, so copying a node is one
/// retain, and a document is freed in a handful of deallocations rather than one per node. Immutable once
/// the parser has built it; nodes from aliases share their children with the anchored node.
package final class YAMLTree: Sendable {
    struct Record: Sendable {
        enum Kind: UInt8, Sendable { case scalar, sequence, mapping }
        var kind: Kind
        var line: Int32
        var column: Int32
        /// A scalar's index in `scalars`; a collection's first index in `children`.
        var start: Int32
        /// A collection's number of entries in `children`: its items, or its keys and values alternating.
        var count: Int32

        var mark: Mark { Mark(line: Int(line), column: Int(column)) }
    }

    let records: [Record]
    let children: [Int32]
    let scalars: [YAMLScalar]

    init(records: [Record], children: [Int32], scalars: [YAMLScalar]) {
        self.records = records
        self.children = children
        self.scalars = scalars
    }
}

/// One node of a parsed document. Every node keeps the position of its first character.
/// Trees are at most `YAMLLimits.maxDepth` deep: the parser refuses deeper ones.
package struct YAMLNode: Sendable {
    package enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    let tree: YAMLTree
    let index: Int32

    init(tree: YAMLTree, index: Int32) {
        self.tree = tree
        self.index = index
    }

    /// A lone scalar node (a placeholder, or a value made outside a parse).
    package init(scalar: YAMLScalar, at mark: Mark) {
        let record = YAMLTree.Record(
            kind: .scalar, line: Int32(clamping: mark.line), column: Int32(clamping: mark.column), start: 0, count: 0)
        self.init(tree: YAMLTree(records: [record], children: [], scalars: [scalar]), index: 0)
    }

    private var record: YAMLTree.Record { tree.records[Int(index)] }

    /// The node's content. Collections are materialised as arrays on each call: hot paths use `count`,
    /// `item(_:)`, `key(_:)` and `value(_:)`, which allocate nothing.
    package var content: Content {
        let r = record
        switch r.kind {
        case .scalar: return .scalar(tree.scalars[Int(r.start)])
        case .sequence: return .sequence((0..<Int(r.count)).map { item($0) })
        case .mapping: return .mapping((0..<Int(r.count) / 2).map { YAMLPair(key: key($0), value: value($0)) })
        }
    }

    package var mark: Mark { record.mark }

    package var isScalar: Bool { record.kind == .scalar }
    package var isSequence: Bool { record.kind == .sequence }
    package var isMapping: Bool { record.kind == .mapping }

    /// The items of a sequence, or the pairs of a mapping; 0 for a scalar.
    package var count: Int {
        let r = record
        switch r.kind {
        case .scalar: return 0
        case .sequence: return Int(r.count)
        case .mapping: return Int(r.count) / 2
        }
    }

    /// Item `i` of a sequence.
    package func item(_ i: Int) -> YAMLNode {
        YAMLNode(tree: tree, index: tree.children[Int(record.start) + i])
    }

    /// The key of pair `i` of a mapping.
    package func key(_ i: Int) -> YAMLNode {
        YAMLNode(tree: tree, index: tree.children[Int(record.start) + 2 * i])
    }

    /// The value of pair `i` of a mapping.
    package func value(_ i: Int) -> YAMLNode {
        YAMLNode(tree: tree, index: tree.children[Int(record.start) + 2 * i + 1])
    }

    package var scalar: YAMLScalar? {
        let r = record
        return r.kind == .scalar ? tree.scalars[Int(r.start)] : nil
    }

    /// A scalar's typed value, without copying its text.
    package var scalarValue: ScalarValue? {
        let r = record
        return r.kind == .scalar ? tree.scalars[Int(r.start)].value : nil
    }

    package var sequence: [YAMLNode]? {
        guard isSequence, case .sequence(let items) = content else { return nil }
        return items
    }

    package var mapping: [YAMLPair]? {
        guard isMapping, case .mapping(let pairs) = content else { return nil }
        return pairs
    }

    /// The string key of a mapping entry, when the key is a scalar.
    package var keyText: String? {
        let r = record
        return r.kind == .scalar ? tree.scalars[Int(r.start)].text : nil
    }

    package var isNull: Bool {
        let r = record
        return r.kind == .scalar && tree.scalars[Int(r.start)].value == .null
    }

    /// A short description of what the node is, for "found X" messages. Never includes a scalar's text
    /// so that no message can echo a secret.
    package var kindDescription: String {
        let r = record
        switch r.kind {
        case .scalar: return tree.scalars[Int(r.start)].value.typeName
        case .sequence: return "list"
        case .mapping: return "mapping"
        }
    }

    /// The index of the first pair whose key's text is `key`, in a mapping. With `stringKeysOnly`, only keys
    /// the schema types as strings count, so `true:` or `1:` never match a field name.
    package func pairIndex(of key: String, stringKeysOnly: Bool = false) -> Int? {
        let r = record
        guard r.kind == .mapping else { return nil }
        let n = key.utf8.count
        for i in 0..<(Int(r.count) / 2) {
            let k = tree.records[Int(tree.children[Int(r.start) + 2 * i])]
            guard k.kind == .scalar else { continue }
            if stringKeysOnly {
                guard case .string = tree.scalars[Int(k.start)].value else { continue }
            }
            let text = tree.scalars[Int(k.start)].text
            if text.utf8.count == n && text == key { return i }
        }
        return nil
    }

    /// Looks a key up in a mapping node (first occurrence).
    package subscript(key: String) -> YAMLNode? {
        pairIndex(of: key).map { value($0) }
    }
}

extension YAMLNode {
    /// Calls `body` for every string scalar under this node, depth first in document order, with the text of
    /// the mapping key it sits under (nil at the top or when that key is not a scalar); and for every scalar key
    /// with `isKey` true, as its mapping is entered. Walks the tree's arrays with an explicit stack (the parser
    /// bounds depth at 64) and makes no node values, so a scan of every string costs no reference counting.
    package func forEachString(_ body: (_ text: String, _ key: String?, _ mark: Mark, _ isKey: Bool) -> Void) {
        let records = tree.records
        let children = tree.children
        let scalars = tree.scalars
        // (record, index of the key scalar it sits under or -1)
        var stack: [(Int32, Int32)] = [(index, -1)]
        while let (node, key) = stack.popLast() {
            let r = records[Int(node)]
            switch r.kind {
            case .scalar:
                guard case .string(let text) = scalars[Int(r.start)].value else { continue }
                body(text, key >= 0 ? scalars[Int(key)].text : nil, r.mark, false)
            case .sequence:
                var i = Int(r.start) + Int(r.count) - 1
                while i >= Int(r.start) {
                    stack.append((children[i], key))
                    i -= 1
                }
            case .mapping:
                var i = Int(r.start) + Int(r.count) - 2
                while i >= Int(r.start) {
                    let k = records[Int(children[i])]
                    var keyScalar: Int32 = -1
                    if k.kind == .scalar {
                        keyScalar = k.start
                        body(scalars[Int(k.start)].text, nil, k.mark, true)
                    }
                    stack.append((children[i + 1], keyScalar))
                    i -= 2
                }
            }
        }
    }
}

extension YAMLNode {
    /// The node at a field path (`spec.integrations[0].access`), or the deepest one on the way that exists.
    /// Keys are matched by their text, indices by position; the walk follows the path, never recursion.
    package func nearest(_ fieldPath: String) -> YAMLNode {
        var node = self
        for part in fieldPath.split(separator: ".", omittingEmptySubsequences: true) {
            var rest = Substring(part)
            let key = rest.prefix { $0 != "[" }
            rest = rest.dropFirst(key.count)
            if !key.isEmpty {
                guard let next = node[String(key)] else { return node }
                node = next
            }
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return node }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                guard let i = Int(inside), node.isSequence, i >= 0, i < node.count else { return node }
                node = node.item(i)
            }
        }
        return node
    }
}

package struct YAMLDocument: Sendable {
    package var root: YAMLNode
    /// The document's bytes in the stream (from its start to its end marker), to tell a reformatted document
    /// from an untouched one.
    package var byteRange: Range<Int>

    package init(root: YAMLNode, byteRange: Range<Int> = 0..<0) {
        self.root = root
        self.byteRange = byteRange
    }
}

/// A scalar's value as the YAML 1.2 core schema types it.
public enum ScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// The type's name as error messages show it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .float: "number"
        case .string: "string"
        }
    }
}

public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    public var isPlain: Bool { self == .plain }
}

public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's text after YAML unescaping and folding.
    public var text: String
    public var style: ScalarStyle
    public var value: ScalarValue
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// One node of a parsed document. Every node keeps the position of its first character.
/// Trees are at most `YAMLLimits.maxDepth` deep: the parser refuses deeper ones.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var mark: Mark

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The string key of a mapping entry, when the key is a scalar.
    public var keyText: String? {
        if case .scalar(let s) = content { return s.text }
        return nil
    }

    public var isNull: Bool {
        if case .scalar(let s) = content, s.value == .null { return true }
        return false
    }

    /// A short description of what the node is, for "found X" messages. Never includes a scalar's text
    /// so that no message can echo a secret.
    public var kindDescription: String {
        switch content {
        case .scalar(let s): s.value.typeName
        case .sequence: "list"
        case .mapping: "mapping"
        }
    }

    /// Looks a key up in a mapping node (first occurrence).
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs where pair.key.scalar?.text == key { return pair.value }
        return nil
    }
}

extension YAMLNode {
    /// The node at a field path (`spec.integrations[0].access`), or the deepest one on the way that exists.
    /// Keys are matched by their text, indices by position; the walk follows the path, never recursion.
    public func nearest(_ fieldPath: String) -> YAMLNode {
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
                guard let i = Int(inside), let items = node.sequence, i >= 0, i < items.count else { return node }
                node = items[i]
            }
        }
        return node
    }
}

extension YAMLNode {
    /// The field path (`spec.secrets[0].ref`) of the value node at `mark`, found by an explicit-stack walk.
    public func path(to mark: Mark) -> String? {
        var stack: [(YAMLNode, String)] = [(self, "")]
        while let (node, path) = stack.popLast() {
            if node.mark == mark, node.scalar != nil { return path.isEmpty ? nil : path }
            switch node.content {
            case .scalar: continue
            case .sequence(let items):
                for (i, item) in items.enumerated() { stack.append((item, "\(path)[\(i)]")) }
            case .mapping(let pairs):
                for p in pairs { stack.append((p.value, path.isEmpty ? (p.key.keyText ?? "?") : "\(path).\(p.key.keyText ?? "?")")) }
            }
        }
        return nil
    }
}

public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    /// The document's bytes in the stream (from its start to its end marker), to tell a reformatted document
    /// from an untouched one.
    public var byteRange: Range<Int>

    public init(root: YAMLNode, byteRange: Range<Int> = 0..<0) {
        self.root = root
        self.byteRange = byteRange
    }
}

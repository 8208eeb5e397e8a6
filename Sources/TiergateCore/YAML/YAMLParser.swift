internal import CYAML

/// Reads a byte buffer into documents of typed nodes with libyaml's event API.
/// The tree is built iteratively with an explicit stack whose depth is bounded by `YAMLLimits.maxDepth`,
/// so hostile nesting cannot overflow the call stack.
public enum YAMLParser {
    public static func parse(_ bytes: [UInt8]) -> YAMLParseResult {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> YAMLParseResult {
        if buffer.count > YAMLLimits.maxFileBytes {
            return YAMLParseResult(
                documents: [],
                problems: [.fileTooLarge(buffer.count)],
                complete: false, documentCount: 0)
        }
        if let problem = TextScan.encodingProblem(buffer) {
            return YAMLParseResult(documents: [], problems: [problem], complete: false, documentCount: 0)
        }
        var builder = TreeBuilder(buffer: buffer)
        builder.run()
        return YAMLParseResult(
            documents: builder.documents, problems: builder.problems, complete: !builder.stopped,
            documentCount: builder.documentCount)
    }
}

private let coreTagPrefix = "tag:yaml.org,2002:"

private struct Frame {
    enum Kind { case sequence, mapping }
    var kind: Kind
    var mark: Mark
    var anchor: String?
    var items: [YAMLNode] = []
    var pairs: [YAMLPair] = []
    var pendingKey: YAMLNode?
    /// The typed value of each key so far (nil for a key that is not a scalar), for the duplicate-key check
    /// without copying key nodes.
    var keyValues: [ScalarValue?] = []
    var nodeCount = 1

    init(kind: Kind, mark: Mark, anchor: String?) {
        self.kind = kind
        self.mark = mark
        self.anchor = anchor
        // Manifest mappings and lists are small: one allocation up front instead of growing from one.
        switch kind {
        case .sequence: items.reserveCapacity(4)
        case .mapping:
            pairs.reserveCapacity(8)
            keyValues.reserveCapacity(8)
        }
    }
}

private struct TreeBuilder {
    let buffer: UnsafeBufferPointer<UInt8>
    var documents: [YAMLDocument] = []
    var problems: [YAMLProblem] = []
    var stopped = false
    var documentCount = 0

    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, count: Int)] = [:]
    private var expandedNodes = 0
    private var root: YAMLNode?
    private var documentStart = 0

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            fail(.syntax, "libyaml could not allocate a parser", at: .start)
            return
        }
        defer { yaml_parser_delete(&parser) }
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var event = yaml_event_t()
        while !stopped {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                syntaxError(parser)
                return
            }
            let done = event.type == YAML_STREAM_END_EVENT
            handle(&event)
            yaml_event_delete(&event)
            if done { break }
        }
    }

    private mutating func syntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(context): \(problem)"
        }
        let mark: Mark
        if parser.error == YAML_READER_ERROR {
            mark = TextScan.mark(of: parser.problem_offset, in: buffer)
        } else {
            mark = Mark(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1)
        }
        fail(.syntax, message, at: mark)
    }

    private mutating func fail(_ kind: YAMLProblem.Kind, _ message: String, at mark: Mark) {
        problems.append(YAMLProblem(kind, message, at: mark))
        stopped = true
    }

    private mutating func handle(_ event: inout yaml_event_t) {
        let mark = Mark(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > YAMLLimits.maxDocuments {
                fail(.limits, "the file holds more than \(YAMLLimits.maxDocuments) documents", at: mark)
                return
            }
            documentStart = event.start_mark.index
            stack.removeAll()
            anchors.removeAll()
            expandedNodes = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root, !root.isNull {
                let end = max(documentStart, min(event.end_mark.index, buffer.count))
                documents.append(YAMLDocument(root: root, byteRange: documentStart..<end))
            }
            root = nil
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let anchor = s.anchor.map { String(cString: $0) }
            let tag = s.tag.map { String(cString: $0) }
            let style = scalarStyle(s.style)
            guard let value = scalarValue(text: text, style: style, tag: tag, mark: mark) else { return }
            let node = YAMLNode(content: .scalar(YAMLScalar(text: text, style: style, value: value)), mark: mark)
            complete(node, count: 1, anchor: anchor)
        case YAML_SEQUENCE_START_EVENT:
            let d = event.data.sequence_start
            open(.sequence, mark: mark, anchor: d.anchor.map { String(cString: $0) }, tag: d.tag.map { String(cString: $0) })
        case YAML_MAPPING_START_EVENT:
            let d = event.data.mapping_start
            open(.mapping, mark: mark, anchor: d.anchor.map { String(cString: $0) }, tag: d.tag.map { String(cString: $0) })
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode
            switch frame.kind {
            case .sequence:
                node = YAMLNode(content: .sequence(frame.items), mark: frame.mark)
            case .mapping:
                checkDuplicateKeys(frame)
                node = YAMLNode(content: .mapping(frame.pairs), mark: frame.mark)
            }
            complete(node, count: frame.nodeCount, anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            if stack.contains(where: { $0.anchor == name }) {
                fail(.unsupported, "the alias *\(name) refers to a node that contains it (an alias cycle)", at: mark)
                return
            }
            guard let target = anchors[name] else {
                fail(.syntax, "the alias *\(name) refers to no anchor defined before it", at: mark)
                return
            }
            expandedNodes += target.count
            if expandedNodes > YAMLLimits.maxAliasExpansion {
                fail(
                    .limits, "aliases expand to more than \(YAMLLimits.maxAliasExpansion) nodes (an alias bomb?)",
                    at: mark)
                return
            }
            var node = target.node
            node.mark = mark
            complete(node, count: target.count, anchor: nil)
        default:
            break
        }
    }

    private mutating func open(_ kind: Frame.Kind, mark: Mark, anchor: String?, tag: String?) {
        if stack.count >= YAMLLimits.maxDepth {
            fail(.limits, "the nesting is deeper than \(YAMLLimits.maxDepth) levels", at: mark)
            return
        }
        if let tag {
            let expected = coreTagPrefix + (kind == .sequence ? "seq" : "map")
            if tag != expected && tag != "!" {
                problems.append(YAMLProblem(.unsupported, "the tag \(tag) is not a YAML core tag", at: mark))
            }
        }
        stack.append(Frame(kind: kind, mark: mark, anchor: anchor))
    }

    /// Takes the node by value so that appending it moves it rather than copying it.
    private mutating func complete(_ node: consuming YAMLNode, count: Int, anchor: String?) {
        if let anchor {
            anchors[anchor] = (node, count)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].nodeCount += count
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            var pending: YAMLNode? = nil
            swap(&pending, &stack[top].pendingKey)
            if let key = pending {
                stack[top].pairs.append(YAMLPair(key: key, value: node))
            } else {
                if case .scalar(let s) = node.content {
                    if s.style.isPlain, s.text == "<<" {
                        problems.append(
                            YAMLProblem(.unsupported, "merge keys (<<) are not supported; write the fields out", at: node.mark))
                    }
                    stack[top].keyValues.append(s.value)
                } else {
                    stack[top].keyValues.append(nil)
                }
                stack[top].pendingKey = node
            }
        }
    }

    private mutating func checkDuplicateKeys(_ frame: Frame) {
        let pairs = frame.pairs
        let keys = frame.keyValues
        guard pairs.count > 1, keys.count >= pairs.count else { return }
        // Typical mappings are small: compare pairwise; hash only large ones.
        if pairs.count <= 24 {
            for j in 1..<pairs.count {
                guard let value = keys[j] else { continue }
                for i in 0..<j where keys[i] == value {
                    reportDuplicate(pairs[j].key.keyText ?? "", first: pairs[i].key.mark, again: pairs[j].key.mark)
                    break
                }
            }
            return
        }
        var seen: [ScalarValue: Mark] = [:]
        seen.reserveCapacity(pairs.count)
        for j in pairs.indices {
            guard let value = keys[j] else { continue }
            if let first = seen[value] {
                reportDuplicate(pairs[j].key.keyText ?? "", first: first, again: pairs[j].key.mark)
            } else {
                seen[value] = pairs[j].key.mark
            }
        }
    }

    private mutating func reportDuplicate(_ text: String, first: Mark, again: Mark) {
        let name = text.count <= 64 ? "'\(text)'" : "a key"
        problems.append(
            YAMLProblem(
                .duplicateKey,
                "the key \(name) appears twice in one mapping, at line \(first.line) column \(first.column) and at line \(again.line) column \(again.column); keep one",
                at: again))
    }

    private func scalarStyle(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// Types a scalar by the YAML 1.2 core schema, honouring core tags and refusing others.
    private mutating func scalarValue(text: String, style: ScalarStyle, tag: String?, mark: Mark) -> ScalarValue? {
        guard let tag, tag != "!" else {
            guard style.isPlain, tag == nil else { return .string(text) }
            let value = ScalarResolver.core(text)
            if ScalarResolver.isAmbiguous(text, core: value) {
                problems.append(YAMLProblem(.ambiguousScalar, ambiguityMessage(text, value), at: mark))
            }
            return value
        }
        guard tag.hasPrefix(coreTagPrefix) else {
            problems.append(YAMLProblem(.unsupported, "the tag \(tag) is not a YAML core tag", at: mark))
            return .string(text)
        }
        let core = ScalarResolver.core(text)
        switch tag.dropFirst(coreTagPrefix.count) {
        case "str": return .string(text)
        case "null" where core == .null: return .null
        case "bool": if case .bool = core { return core }
        case "int": if case .int = core { return core }
        case "float":
            if case .float = core { return core }
            if case .int(let i) = core { return .float(Double(i)) }
        case "null": break
        default:
            problems.append(YAMLProblem(.unsupported, "the tag \(tag) is not a YAML core scalar tag", at: mark))
            return .string(text)
        }
        problems.append(YAMLProblem(.unsupported, "the scalar's text does not match its tag \(tag)", at: mark))
        return .string(text)
    }

    private func ambiguityMessage(_ text: String, _ value: ScalarValue) -> String {
        let shown = text.count <= 24 ? text : String(text.prefix(24)) + "…"
        if ScalarResolver.unloadable11(text) {
            return "the unquoted value \(shown) is a string in YAML 1.2, but a YAML 1.1 reader cannot load it (it reads an impossible date or a special key) and refuses the whole file; quote it"
        }
        let old: String
        switch ScalarResolver.yaml11(text) {
        case .bool(let b): old = "the boolean \(b)"
        case .int(let i): old = "the integer \(i)"
        case .float(let d): old = "the number \(d)"
        case .null: old = "null"
        case .string: old = "a string"
        case nil: old = "another value"
        }
        let new: String
        switch value {
        case .string: new = "a string"
        case .int(let i): new = "the integer \(i)"
        case .float(let d): new = "the number \(d)"
        case .bool(let b): new = "the boolean \(b)"
        case .null: new = "null"
        }
        return "the unquoted value \(shown) is \(new) in YAML 1.2 but \(old) to a YAML 1.1 reader; quote it to say which you mean"
    }
}

internal import CYAML

/// Reads a byte buffer into documents of typed nodes with libyaml's event API.
/// The tree is built iteratively with an explicit stack whose depth is bounded by `YAMLLimits.maxDepth`,
/// so hostile nesting cannot overflow the call stack.
package enum YAMLParser {
    package static func parse(_ bytes: [UInt8]) -> YAMLParseResult {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    package static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> YAMLParseResult {
        if buffer.count > YAMLLimits.maxFileBytes {
            return YAMLParseResult(
                documents: [],
                problems: [.fileTooLarge(buffer.count)],
                complete: false, documentCount: 0)
        }
        if let problem = TextScan.encodingProblem(buffer) {
            return YAMLParseResult(documents: [], problems: [problem], complete: false, documentCount: 0)
        }
        // A UTF-8 byte-order mark is allowed (SPEC section 4) and invisible: libyaml, told the encoding, would read
        // it as content, so the parser starts after it, and lines and columns are what an editor shows.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = buffer.starts(with: bom) ? UnsafeBufferPointer(rebasing: buffer[3...]) : buffer
        var builder = TreeBuilder(buffer: body)
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
    /// The collection's own record, filled in when it closes.
    var record: Int32
    var anchor: String?
    /// Where this collection's children start in the builder's shared `pending` stack.
    var firstPending: Int
    var nodeCount = 1
}

/// Builds a `YAMLTree` from libyaml events. Children of the collections still open wait on one shared stack
/// (`pending`) and are copied into the tree's `children` array when their collection closes, so building a
/// document allocates per array growth, not per node.
private struct TreeBuilder {
    let buffer: UnsafeBufferPointer<UInt8>
    var documents: [YAMLDocument] = []
    var problems: [YAMLProblem] = []
    var stopped = false
    var documentCount = 0

    private var records: [YAMLTree.Record] = []
    private var children: [Int32] = []
    private var scalars: [YAMLScalar] = []
    private var pending: [Int32] = []
    private var stack: [Frame] = []
    private var anchors: [String: (node: Int32, count: Int)] = [:]
    private var expandedNodes = 0
    private var root: Int32?
    private var documentStart = 0
    private var roots: [(node: Int32, range: Range<Int>)] = []

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        // About one node per 12 bytes in manifests: one allocation per array for a typical file.
        let estimate = max(16, buffer.count / 12)
        records.reserveCapacity(estimate)
        children.reserveCapacity(estimate)
        scalars.reserveCapacity(estimate)
        pending.reserveCapacity(64)
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
                break
            }
            let done = event.type == YAML_STREAM_END_EVENT
            handle(&event)
            yaml_event_delete(&event)
            if done { break }
        }
        guard !roots.isEmpty else { return }
        let tree = YAMLTree(records: records, children: children, scalars: scalars)
        documents = roots.map { YAMLDocument(root: YAMLNode(tree: tree, index: $0.node), byteRange: $0.range) }
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

    private func isNullScalar(_ node: Int32) -> Bool {
        let r = records[Int(node)]
        return r.kind == .scalar && scalars[Int(r.start)].value == .null
    }

    private mutating func handle(_ event: inout yaml_event_t) {
        let line = Int32(clamping: event.start_mark.line + 1)
        let column = Int32(clamping: event.start_mark.column + 1)
        let mark = Mark(line: Int(line), column: Int(column))
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > YAMLLimits.maxDocuments {
                fail(.limits, "the file holds more than \(YAMLLimits.maxDocuments) documents", at: mark)
                return
            }
            documentStart = event.start_mark.index
            stack.removeAll()
            pending.removeAll(keepingCapacity: true)
            anchors.removeAll()
            expandedNodes = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root, !isNullScalar(root) {
                let end = max(documentStart, min(event.end_mark.index, buffer.count))
                roots.append((root, documentStart..<end))
            }
            root = nil
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let anchor = s.anchor.map { String(cString: $0) }
            let tag = s.tag.map { String(cString: $0) }
            let style = scalarStyle(s.style)
            guard let value = scalarValue(text: text, style: style, tag: tag, mark: mark) else { return }
            let index = Int32(records.count)
            records.append(YAMLTree.Record(kind: .scalar, line: line, column: column, start: Int32(scalars.count), count: 0))
            scalars.append(YAMLScalar(text: text, style: style, value: value))
            complete(index, count: 1, anchor: anchor)
        case YAML_SEQUENCE_START_EVENT:
            let d = event.data.sequence_start
            open(.sequence, line: line, column: column, anchor: d.anchor.map { String(cString: $0) }, tag: d.tag.map { String(cString: $0) })
        case YAML_MAPPING_START_EVENT:
            let d = event.data.mapping_start
            open(.mapping, line: line, column: column, anchor: d.anchor.map { String(cString: $0) }, tag: d.tag.map { String(cString: $0) })
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let first = frame.firstPending
            if frame.kind == .mapping, (pending.count - first) % 2 == 1 {
                pending.removeLast()  // libyaml always pairs keys with values; never trust it blindly
            }
            records[Int(frame.record)].start = Int32(children.count)
            records[Int(frame.record)].count = Int32(pending.count - first)
            children.append(contentsOf: pending[first...])
            pending.removeSubrange(first...)
            if frame.kind == .mapping { checkDuplicateKeys(frame.record) }
            complete(frame.record, count: frame.nodeCount, anchor: frame.anchor)
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
            // A new record at the alias's position that shares the anchored node's content.
            var copy = records[Int(target.node)]
            copy.line = line
            copy.column = column
            let index = Int32(records.count)
            records.append(copy)
            complete(index, count: target.count, anchor: nil)
        default:
            break
        }
    }

    private mutating func open(_ kind: Frame.Kind, line: Int32, column: Int32, anchor: String?, tag: String?) {
        let mark = Mark(line: Int(line), column: Int(column))
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
        let index = Int32(records.count)
        records.append(
            YAMLTree.Record(kind: kind == .sequence ? .sequence : .mapping, line: line, column: column, start: 0, count: 0))
        stack.append(Frame(kind: kind, record: index, anchor: anchor, firstPending: pending.count))
    }

    private mutating func complete(_ node: Int32, count: Int, anchor: String?) {
        if let anchor {
            anchors[anchor] = (node, count)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].nodeCount += count
        if stack[top].kind == .mapping, (pending.count - stack[top].firstPending) % 2 == 0 {
            // This node is a key.
            let r = records[Int(node)]
            if r.kind == .scalar, scalars[Int(r.start)].style.isPlain, scalars[Int(r.start)].text == "<<" {
                problems.append(
                    YAMLProblem(.unsupported, "merge keys (<<) are not supported; write the fields out", at: r.mark))
            }
        }
        pending.append(node)
    }

    /// The typed value of a scalar key; nil for a collection key.
    private func keyValue(_ node: Int32) -> ScalarValue? {
        let r = records[Int(node)]
        return r.kind == .scalar ? scalars[Int(r.start)].value : nil
    }

    private func keyText(_ node: Int32) -> String {
        let r = records[Int(node)]
        return r.kind == .scalar ? scalars[Int(r.start)].text : ""
    }

    private mutating func checkDuplicateKeys(_ mapping: Int32) {
        let r = records[Int(mapping)]
        let start = Int(r.start)
        let pairs = Int(r.count) / 2
        guard pairs > 1 else { return }
        func key(_ i: Int) -> Int32 { children[start + 2 * i] }
        // Typical mappings are small: compare pairwise; hash only large ones. String keys (nearly all) are told
        // apart by length before any text is compared.
        if pairs <= 24 {
            withUnsafeTemporaryAllocation(of: (scalar: Int32, length: Int).self, capacity: pairs) { info in
                for i in 0..<pairs {
                    let r = records[Int(key(i))]
                    if r.kind != .scalar {
                        info[i] = (-1, 0)
                    } else if case .string(let text) = scalars[Int(r.start)].value {
                        info[i] = (r.start, text.utf8.count)
                    } else {
                        info[i] = (r.start, -1)  // a typed key (number, boolean, null): compared by value
                    }
                }
                for j in 1..<pairs where info[j].scalar >= 0 {
                    for i in 0..<j where info[i].scalar >= 0 && info[i].length == info[j].length {
                        let same =
                            info[j].length >= 0
                            ? scalars[Int(info[i].scalar)].text == scalars[Int(info[j].scalar)].text
                            : scalars[Int(info[i].scalar)].value == scalars[Int(info[j].scalar)].value
                        if same {
                            reportDuplicate(keyText(key(j)), first: records[Int(key(i))].mark, again: records[Int(key(j))].mark)
                            break
                        }
                    }
                }
            }
            return
        }
        var seen: [ScalarValue: Mark] = [:]
        seen.reserveCapacity(pairs)
        for j in 0..<pairs {
            guard let value = keyValue(key(j)) else { continue }
            if let first = seen[value] {
                reportDuplicate(keyText(key(j)), first: first, again: records[Int(key(j))].mark)
            } else {
                seen[value] = records[Int(key(j))].mark
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

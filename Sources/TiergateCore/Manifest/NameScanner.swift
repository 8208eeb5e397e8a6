/// Reads the `metadata.name` of every document of a manifest file without building a YAML tree, for the
/// name checks of `check` that must look at every manifest of a revision (SPEC section 5). It reads only the
/// plain block style manifests are written in, and answers nil ("not sure") for anything else, so that the
/// caller parses that file in full. It must never miss a name the full parse (`ManifestReader.read`) sees;
/// an extra name is possible only in a file the full parse rejects (a syntax error later in the document),
/// and callers confirm a name they act on with the full parse.
///
/// What it is sure of, per document (documents are separated by `---` lines):
/// - every content line at column 0 is `---` (alone or with a comment) or a plain key `word:` (a letter, then
///   letters, digits, `_`, `-`), and the first content line of a document is at column 0;
/// - exactly one of those keys is `metadata`, with nothing after the colon but a comment;
/// - the lines after it, up to the next content line at column 0, are its block mapping: the first sets the
///   child indent, no line is indented less than that, every line at the child indent is a plain key, and
///   exactly one of them is `name: <app name>` (a plain app name that the YAML 1.2 core schema reads as a
///   string, then nothing but a comment), and the next content line is not indented deeper (a continuation);
/// - no line leaves a quoted scalar or a flow collection open (so no line the structure relies on can be the
///   inside of one), no line uses `?`/`:` explicit keys or reserved indicators, and a block scalar's lines
///   are those indented deeper than the key or `-` that starts it;
/// - the bytes hold no tab, carriage return, other control character (C0 or C1), DEL, Unicode line or
///   paragraph separator, NEL, U+FFFE/U+FFFF, or byte-order mark after the first bytes, and are valid UTF-8;
/// - the file is at most `YAMLLimits.maxFileBytes`, has at most `YAMLLimits.maxDocuments` documents, and uses
///   no `%` directive or `...` document end.
/// An empty document (only comments between two markers) has no name, as the full parse says too.
enum NameScanner {
    struct Name: Sendable, Equatable, CustomStringConvertible {
        var name: String
        var mark: Mark

        var description: String { "\(name)@\(mark.line):\(mark.column)" }
    }

    private static let space = UInt8(ascii: " ")
    private static let hash = UInt8(ascii: "#")
    private static let colon = UInt8(ascii: ":")
    private static let dash = UInt8(ascii: "-")
    private static let metadataKey = Array("metadata".utf8)
    private static let nameKey = Array("name".utf8)

    /// The state of the document being read.
    private struct Document {
        /// The document began with a `---` marker (an explicit document counts even when it is empty).
        var explicit = false
        var hasContent = false
        var metadataLines = 0
        /// Inside the block mapping under `metadata:`.
        var inMetadata = false
        var childIndent: Int?
        var nameLines = 0
        var name: Name?
        /// The previous content line was the `name:` line: the next may not be a deeper continuation.
        var afterName = false
    }

    /// The names in document order, or nil when the scanner is not sure of them.
    static func scan(_ b: UnsafeBufferPointer<UInt8>) -> [Name]? {
        let n = b.count
        guard n <= YAMLLimits.maxFileBytes else { return nil }
        var i = 0
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        var names: [Name] = []
        var doc = Document()
        var documents = 0
        var nonASCII = false
        var lineNumber = 0
        /// Lines indented deeper than this belong to a block scalar (`|`, `>`).
        var blockParent: Int?

        // Closes the `metadata:` mapping: it must have held exactly one name line.
        func closeMetadata() -> Bool {
            guard doc.inMetadata else { return true }
            doc.inMetadata = false
            return doc.childIndent != nil && doc.nameLines == 1 && doc.name != nil
        }
        // Ends a document: a document with content must have given exactly one name.
        func finishDocument() -> Bool {
            guard closeMetadata() else { return false }
            if doc.hasContent {
                guard doc.metadataLines == 1, let name = doc.name else { return false }
                names.append(name)
            }
            if doc.hasContent || doc.explicit {
                documents += 1
                if documents > YAMLLimits.maxDocuments { return false }
            }
            return true
        }

        while i < n {
            lineNumber += 1
            let start = i
            var j = i
            while j < n {
                let c = b[j]
                if c == 0x0A { break }
                if c < 0x20 || c == 0x7F { return nil }
                if c >= 0x80 {
                    nonASCII = true
                    // NEL, LS and PS are line breaks to libyaml; a BOM at a line's start is skipped by it; C1
                    // controls and U+FFFE/U+FFFF stop it.
                    if c == 0xC2, j + 1 < n, b[j + 1] >= 0x80, b[j + 1] <= 0x9F { return nil }
                    if c == 0xE2, j + 2 < n, b[j + 1] == 0x80, b[j + 2] == 0xA8 || b[j + 2] == 0xA9 { return nil }
                    if c == 0xEF, j + 2 < n, b[j + 1] == 0xBB, b[j + 2] == 0xBF { return nil }
                    if c == 0xEF, j + 2 < n, b[j + 1] == 0xBF, b[j + 2] == 0xBE || b[j + 2] == 0xBF { return nil }
                }
                j += 1
            }
            let end = j
            i = j + 1

            var k = start
            while k < end, b[k] == space { k += 1 }
            if k == end { continue }  // blank
            let indent = k - start
            if let parent = blockParent {
                if indent > parent { continue }  // a block scalar's line
                blockParent = nil
            }
            if b[k] == hash { continue }  // a comment line

            if indent == 0 {
                guard closeMetadata() else { return nil }
                doc.afterName = false
                if end - start >= 3, b[start] == dash, b[start + 1] == dash, b[start + 2] == dash,
                    end - start == 3 || b[start + 3] == space
                {
                    guard restIsEmpty(b, from: start + 3, to: end) else { return nil }
                    guard finishDocument() else { return nil }
                    doc = Document()
                    doc.explicit = true
                    continue
                }
                guard let colonAt = plainKey(b, from: start, to: end) else { return nil }
                doc.hasContent = true
                if equal(b, start, colonAt, metadataKey) {
                    doc.metadataLines += 1
                    guard doc.metadataLines == 1, restIsEmpty(b, from: colonAt + 1, to: end) else { return nil }
                    doc.inMetadata = true
                    doc.childIndent = nil
                    doc.nameLines = 0
                    continue
                }
            } else {
                guard doc.hasContent else { return nil }
                if doc.afterName {
                    doc.afterName = false
                    if let c = doc.childIndent, indent > c { return nil }
                }
                if doc.inMetadata {
                    let c = doc.childIndent ?? indent
                    doc.childIndent = c
                    guard indent >= c else { return nil }
                    if indent == c {
                        guard let colonAt = plainKey(b, from: k, to: end) else { return nil }
                        if equal(b, k, colonAt, nameKey) {
                            doc.nameLines += 1
                            guard doc.nameLines == 1, let value = plainName(b, from: colonAt + 1, to: end) else { return nil }
                            doc.name = Name(name: value.name, mark: Mark(line: lineNumber, column: value.start - start + 1))
                            doc.afterName = true
                            continue
                        }
                    }
                }
            }
            switch lex(b, from: k, to: end) {
            case .closed: break
            case .open: return nil
            case .block(let parent): blockParent = parent - start
            }
        }
        guard finishDocument() else { return nil }
        if nonASCII, TextScan.encodingProblem(b) != nil { return nil }
        return names
    }

    // MARK: Pieces of a line

    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ word: [UInt8]) -> Bool {
        guard to - from == word.count else { return false }
        for (o, c) in word.enumerated() where b[from + o] != c { return false }
        return true
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }

    /// `word:` followed by a space or the line's end, where the word is a letter then letters, digits, `_`, `-`:
    /// the position of the colon.
    private static func plainKey(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard from < end, isLetter(b[from]) else { return nil }
        var p = from + 1
        while p < end {
            let c = b[p]
            guard isLetter(c) || ScalarResolver.isDigit(c) || c == dash || c == UInt8(ascii: "_") else { break }
            p += 1
        }
        guard p < end, b[p] == colon, p + 1 == end || b[p + 1] == space else { return nil }
        return p
    }

    /// Nothing but spaces and a comment from `from` (which follows a space or starts the rest).
    private static func restIsEmpty(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Bool {
        var p = from
        while p < end, b[p] == space { p += 1 }
        return p == end || (b[p] == hash && p > from)
    }

    /// The value of `name:` when it is a plain app name (then only a comment): the name and where it starts.
    private static func plainName(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> (name: String, start: Int)? {
        var p = from
        while p < end, b[p] == space { p += 1 }
        guard p > from, p < end else { return nil }
        let valueStart = p
        while p < end {
            let c = b[p]
            guard (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || ScalarResolver.isDigit(c) || c == dash else { break }
            p += 1
        }
        let valueEnd = p
        guard valueEnd > valueStart, p == end || b[p] == space, restIsEmpty(b, from: p, to: end) else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[valueStart..<valueEnd]), as: UTF8.self)
        guard ManifestDecoder.isAppName(name), case .string = ScalarResolver.core(name) else { return nil }
        return (name, valueStart)
    }

    private enum LineEnd {
        /// Everything the line opens, it closes (or a plain scalar that may go on, indented deeper).
        case closed
        /// A quoted scalar or flow collection may go on past the line, or the line uses a construct the scanner
        /// does not read.
        case open
        /// A block scalar header: the lines indented deeper than this offset are its text.
        case block(Int)
    }

    /// Follows the tokens of one line (from its first non-space byte): sequence dashes, properties, keys, and
    /// the value that ends it.
    private static func lex(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> LineEnd {
        var p = from
        /// Where the current node starts (its properties included): a key there makes the mapping's indent.
        var nodeStart = from
        /// The innermost block collection's indent on this line: a `-`, or a key.
        var parent = from
        func skipSpaces() { while p < end, b[p] == space { p += 1 } }
        /// After a complete scalar or flow collection: a `: ` makes it a key (the value follows); else only a
        /// comment may follow.
        func afterValue() -> Bool? {
            let valueEnd = p
            skipSpaces()
            if p < end, b[p] == colon, p + 1 == end || b[p + 1] == space {
                parent = nodeStart
                p += 1
                skipSpaces()
                nodeStart = p
                return true
            }
            if p == end { return false }
            return b[p] == hash && p > valueEnd ? false : nil
        }
        while p < end {
            let c = b[p]
            let spaceOrEnd = p + 1 == end || b[p + 1] == space
            switch c {
            case dash where spaceOrEnd:
                parent = p
                p += 1
                skipSpaces()
                nodeStart = p
            case UInt8(ascii: "?") where spaceOrEnd, colon where spaceOrEnd:
                return .open  // explicit keys and values
            case UInt8(ascii: "&"), UInt8(ascii: "!"):
                // An anchor or tag of the node that follows.
                guard let after = propertyEnd(b, at: p, to: end), after == end || b[after] == space else { return .open }
                p = after
                skipSpaces()
            case UInt8(ascii: "*"):
                guard let after = propertyEnd(b, at: p, to: end), after == end || b[after] == space else { return .open }
                p = after
                skipSpaces()
                return p == end || b[p] == hash ? .closed : .open
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = quoteEnd(b, at: p, to: end) else { return .open }
                p = close + 1
                guard let more = afterValue() else { return .open }
                if !more { return .closed }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                guard let close = flowEnd(b, at: p, to: end) else { return .open }
                p = close + 1
                guard let more = afterValue() else { return .open }
                if more { return .open }  // a flow collection as a key
                return .closed
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                var q = p + 1
                while q < end, ScalarResolver.isDigit(b[q]) || b[q] == UInt8(ascii: "+") || b[q] == dash { q += 1 }
                let indicatorsEnd = q
                while q < end, b[q] == space { q += 1 }
                guard q == end || (b[q] == hash && q > indicatorsEnd) else { return .open }
                return .block(parent)
            case hash:
                return .closed  // at a token's start, after a space or the indentation
            case UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: ","), UInt8(ascii: "]"),
                UInt8(ascii: "}"):
                return .open  // reserved, or a flow indicator outside a flow collection
            default:
                // A plain scalar: a key when `: ` follows within it; a ` #` starts a comment.
                var q = p
                while q < end {
                    if b[q] == colon, q + 1 == end || b[q + 1] == space { break }
                    if b[q] == hash, q > p, b[q - 1] == space { return .closed }
                    q += 1
                }
                if q == end { return .closed }
                parent = nodeStart
                p = q + 1
                skipSpaces()
                nodeStart = p
            }
        }
        return .closed
    }

    /// The closing quote of a single- or double-quoted scalar that starts at `at`, on the same line.
    private static func quoteEnd(_ b: UnsafeBufferPointer<UInt8>, at: Int, to end: Int) -> Int? {
        let quote = b[at]
        var q = at + 1
        while q < end {
            let c = b[q]
            if quote == UInt8(ascii: "\""), c == UInt8(ascii: "\\") {
                q += 2  // an escape; a backslash at the line's end escapes the line break
                continue
            }
            if c == quote {
                if quote == UInt8(ascii: "'"), q + 1 < end, b[q + 1] == quote {
                    q += 2  // '' is a quote inside a single-quoted scalar
                    continue
                }
                return q
            }
            q += 1
        }
        return nil
    }

    /// Where an anchor (`&a`), alias (`*a`) or tag (`!t`, `!!str`) that starts at `at` ends: anchors and aliases
    /// are letters, digits, `_` and `-` (libyaml's anchor characters); tags are read only in their short forms.
    private static func propertyEnd(_ b: UnsafeBufferPointer<UInt8>, at: Int, to end: Int) -> Int? {
        let isTag = b[at] == UInt8(ascii: "!")
        var q = at + 1
        while q < end {
            let c = b[q]
            let ok =
                isLetter(c) || ScalarResolver.isDigit(c) || c == dash || c == UInt8(ascii: "_")
                || (isTag && (c == UInt8(ascii: "!") || c == UInt8(ascii: ".") || c == colon || c == UInt8(ascii: "/")))
            guard ok else { break }
            q += 1
        }
        return isTag || q > at + 1 ? q : nil
    }

    private static func isFlowIndicator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
    }

    /// The bracket that closes the flow collection starting at `at`, on the same line; nil when it stays open or
    /// holds anything whose reading is not plain: a comment, a quote inside a plain scalar, `a:b`, `?`, a block
    /// indicator.
    private static func flowEnd(_ b: UnsafeBufferPointer<UInt8>, at: Int, to end: Int) -> Int? {
        var depth = 0
        var q = at
        while q < end {
            let c = b[q]
            switch c {
            case space, UInt8(ascii: ","):
                q += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= YAMLLimits.maxDepth else { return nil }
                q += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return q }
                q += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = quoteEnd(b, at: q, to: end) else { return nil }
                q = close + 1
            case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"):
                guard let after = propertyEnd(b, at: q, to: end), after < end, b[after] == space || isFlowIndicator(b[after]) else {
                    return nil
                }
                q = after
            case colon:
                // The value indicator; `:x` reads differently across libyaml versions.
                guard q + 1 < end, b[q + 1] == space || isFlowIndicator(b[q + 1]) else { return nil }
                q += 1
            case hash, UInt8(ascii: "?"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "@"),
                UInt8(ascii: "`"):
                return nil
            case dash where q + 1 == end || b[q + 1] == space:
                return nil
            default:
                // A plain scalar, up to a flow indicator or `: `.
                while q < end {
                    let ch = b[q]
                    if isFlowIndicator(ch) { break }
                    if ch == colon {
                        guard q + 1 < end, b[q + 1] == space || isFlowIndicator(b[q + 1]) else { return nil }
                        break
                    }
                    if ch == UInt8(ascii: "\"") || ch == UInt8(ascii: "'") || ch == UInt8(ascii: "?") { return nil }
                    if ch == hash, b[q - 1] == space { return nil }
                    q += 1
                }
            }
        }
        return nil
    }
}

/// The app names of a manifest file: by the line scanner when it is sure, else by the full parse.
enum ManifestNames {
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, path: String) -> [NameScanner.Name] {
        if let names = NameScanner.scan(buffer) { return names }
        return parsed(buffer, path: path)
    }

    /// The names the full parse gives (what `check` and `lint` report).
    static func parsed(_ buffer: UnsafeBufferPointer<UInt8>, path: String) -> [NameScanner.Name] {
        ManifestReader.read(buffer, path: path).apps.compactMap { app in
            app.name.map { NameScanner.Name(name: $0, mark: app.mark(of: "metadata.name")) }
        }
    }
}

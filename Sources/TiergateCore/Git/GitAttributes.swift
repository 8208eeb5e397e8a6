/// git's `.gitattributes` rules, read and applied as git does (attr.c), for the few attributes tiergate asks about.
///
/// Parsing follows git line by line: blanks are space, tab, CR and LF; `#` starts a comment; a pattern may be
/// C-quoted; `[attr]name …` defines a macro (only in the top-level file); a `!pattern` line is ignored (git refuses
/// negative patterns); a line with an invalid attribute name is ignored whole; the buffer ends at its first NUL.
/// Matching follows git's `path_matches`: a pattern without `/` matches the base name at any depth below its file's
/// directory, one with `/` the path relative to that directory, a trailing `/` only directories (never a file).
/// Precedence follows git's `fill`: deeper files before shallower, later lines before earlier, later attributes
/// of a line before earlier ones, the first value found wins, and a macro set to true expands in place.
///
/// git versions differ in two details, and the deployer's version is unknown, so where a file hits one of them
/// every reading is tried and an attribute counts when any reading sets it:
/// - since 2.39.1 (and the security releases of January 2023) git ignores lines of 2048 bytes or more and files of
///   100 MiB or more; older versions read them;
/// - git skips a UTF-8 byte-order mark at the start of a `.gitattributes` read from the working tree, but (2.39)
///   not at the start of one read from the index, which is what a checkout uses.
enum GitAttributes {
    /// git's `ATTR_MAX_LINE_LENGTH` and `ATTR_MAX_FILE_SIZE`.
    static let maxLineLength = 2048
    static let maxFileSize = 100 * 1024 * 1024

    enum Value: Equatable {
        case set
        case unset
        /// `!name`: back to unspecified, and lower-precedence lines no longer apply.
        case unspecified
        case string([UInt8])
    }

    struct State {
        var attribute: Int
        var value: Value
    }

    /// Which version-dependent lines a rule comes from (see the type's documentation).
    struct Origin: OptionSet {
        let rawValue: UInt8
        /// A line of `maxLineLength` bytes or more, or any line of a file of `maxFileSize` or more.
        static let overLimit = Origin(rawValue: 1)
        /// The first line read with its byte-order mark.
        static let withBOM = Origin(rawValue: 2)
        /// The first line read without its byte-order mark.
        static let withoutBOM = Origin(rawValue: 4)
    }

    /// One reading of the files: which version-dependent lines count.
    struct Reading: Hashable {
        var limits: Bool
        var skipsBOM: Bool

        func includes(_ origin: Origin) -> Bool {
            if limits && origin.contains(.overLimit) { return false }
            if skipsBOM && origin.contains(.withBOM) { return false }
            if !skipsBOM && origin.contains(.withoutBOM) { return false }
            return true
        }

        /// git 2.39 checking out: limits on, the byte-order mark kept.
        static let current = Reading(limits: true, skipsBOM: false)
    }

    struct Pattern {
        var bytes: [UInt8]
        var noWildcardLength: Int
        var mustBeDirectory: Bool
        var noDirectory: Bool
        var endsWith: Bool
        /// For a pattern with a slash: its leading literal part (after a leading `/`), compared as bytes first.
        var literal: [UInt8]
        /// What git hands to `wildmatch`: the whole pattern for a base name, the part after `literal` for a path.
        var glob: AttributeGlob
    }

    struct Rule {
        var pattern: Pattern
        var states: [State]
        var origin: Origin
    }

    struct Macro {
        var attribute: Int
        var states: [State]
        var origin: Origin
    }

    /// One parsed `.gitattributes`.
    struct File {
        /// The directory it applies to, without a trailing slash ("" for the top level).
        var directory: [UInt8]
        var rules: [Rule] = []
        var macros: [Macro] = []
        var origins: Origin = []
    }

    /// Attribute names as small integers, shared by the files of one lookup.
    struct Names {
        private(set) var ids: [[UInt8]: Int] = [:]
        private(set) var names: [[UInt8]] = []

        init(_ first: [String]) {
            for n in first { _ = id(Array(n.utf8)[...]) }
        }

        mutating func id(_ name: ArraySlice<UInt8>) -> Int {
            let key = Array(name)
            if let id = ids[key] { return id }
            ids[key] = names.count
            names.append(key)
            return names.count - 1
        }
    }

    /// git's blanks in attribute lines.
    @inline(__always) static func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// Parses a `.gitattributes` blob that applies to `directory`. Macros count only in the top-level file.
    static func parse(_ content: UnsafeBufferPointer<UInt8>, directory: [UInt8], names: inout Names) -> File {
        var file = File(directory: directory)
        let isTopLevel = directory.isEmpty
        let fileOverLimit: Origin = content.count >= maxFileSize ? .overLimit : []
        // git reads up to the first NUL.
        let end = content.firstIndex(of: 0) ?? content.count
        var start = 0
        var first = true
        while start < end {
            var lineEnd = start
            while lineEnd < end && content[lineEnd] != 0x0A { lineEnd += 1 }
            let line = Array(content[start..<lineEnd])
            if first, line.starts(with: [0xEF, 0xBB, 0xBF]) {
                parseLine(line[...], origin: fileOverLimit.union(.withBOM), isTopLevel, into: &file, names: &names)
                parseLine(line[3...], origin: fileOverLimit.union(.withoutBOM), isTopLevel, into: &file, names: &names)
            } else {
                parseLine(line[...], origin: fileOverLimit, isTopLevel, into: &file, names: &names)
            }
            first = false
            start = lineEnd + 1
        }
        return file
    }

    /// git's `parse_attr_line`.
    static func parseLine(_ line: ArraySlice<UInt8>, origin: Origin, _ isTopLevel: Bool, into file: inout File, names: inout Names) {
        var origin = origin
        var i = line.startIndex
        while i < line.endIndex && blank(line[i]) { i += 1 }
        guard i < line.endIndex, line[i] != UInt8(ascii: "#") else { return }
        if line.count >= maxLineLength { origin.insert(.overLimit) }
        var name: ArraySlice<UInt8>
        var statesStart: Int
        if line[i] == UInt8(ascii: "\""), let (unquoted, after) = unquoteC(line[i...]) {
            name = unquoted[...]
            statesStart = after
        } else {
            var e = i
            while e < line.endIndex && !blank(line[e]) { e += 1 }
            name = line[i..<e]
            statesStart = e
        }
        let macroPrefix = Array("[attr]".utf8)
        var macroAttribute: Int?
        if name.count > macroPrefix.count, name.starts(with: macroPrefix) {
            guard isTopLevel else { return }  // "[attr]… not allowed" below the top level
            var m = name.dropFirst(macroPrefix.count)
            while let c = m.first, blank(c) { m = m.dropFirst() }
            let macroName = m.prefix { !blank($0) }
            guard validName(macroName) else { return }
            macroAttribute = names.id(macroName)
        }
        // First pass: every attribute name must be valid, or git ignores the whole line.
        var spans: [(start: Int, end: Int, equals: Int?)] = []
        var c = statesStart
        while c < line.endIndex && blank(line[c]) { c += 1 }
        while c < line.endIndex {
            var ep = c
            while ep < line.endIndex && !blank(line[ep]) { ep += 1 }
            // git looks for `=` in the rest of the line, and ignores one past this token.
            let equals = line[c..<ep].firstIndex(of: UInt8(ascii: "="))
            var nameStart = c
            let nameEnd = equals ?? ep
            if line[c] == UInt8(ascii: "-") || line[c] == UInt8(ascii: "!") { nameStart += 1 }
            guard nameStart <= nameEnd, validName(line[nameStart..<nameEnd]) else { return }
            spans.append((c, ep, equals))
            c = ep
            while c < line.endIndex && blank(line[c]) { c += 1 }
        }
        var states: [State] = []
        states.reserveCapacity(spans.count)
        for (start, ep, equals) in spans {
            let value: Value
            var nameStart = start
            let nameEnd = equals ?? ep
            if line[start] == UInt8(ascii: "-") {
                value = .unset
                nameStart += 1
            } else if line[start] == UInt8(ascii: "!") {
                value = .unspecified
                nameStart += 1
            } else if let equals {
                value = .string(Array(line[(equals + 1)..<ep]))
            } else {
                value = .set
            }
            states.append(State(attribute: names.id(line[nameStart..<nameEnd]), value: value))
        }
        if let macroAttribute {
            file.macros.append(Macro(attribute: macroAttribute, states: states, origin: origin))
            file.origins.formUnion(origin)
            return
        }
        // git copies the pattern as a C string: it ends at a NUL that quoting put there.
        let patternBytes = name.firstIndex(of: 0).map { name[..<$0] } ?? name
        guard let pattern = parsePattern(Array(patternBytes)) else { return }  // a negative pattern
        file.rules.append(Rule(pattern: pattern, states: states, origin: origin))
        file.origins.formUnion(origin)
    }

    /// git's `attr_name_valid`: `[-._0-9A-Za-z]+`, not starting with `-`.
    static func validName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first, first != UInt8(ascii: "-") else { return false }
        return name.allSatisfy { c in
            c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || (c >= 0x30 && c <= 0x39)
                || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        }
    }

    /// git's `parse_path_pattern`; nil for a negative pattern, which git ignores in attributes.
    static func parsePattern(_ raw: [UInt8]) -> Pattern? {
        if raw.first == UInt8(ascii: "!") { return nil }
        var bytes = raw
        var mustBeDirectory = false
        if bytes.last == UInt8(ascii: "/") {
            bytes.removeLast()
            mustBeDirectory = true
        }
        let noDirectory = !bytes.contains(UInt8(ascii: "/"))
        let simple = simpleLength(raw[...])
        let endsWith = raw.first == UInt8(ascii: "*") && simpleLength(raw.dropFirst()) == raw.count - 1
        let noWildcardLength = min(simple, bytes.count)
        if noDirectory {
            return Pattern(
                bytes: bytes, noWildcardLength: noWildcardLength, mustBeDirectory: mustBeDirectory, noDirectory: true, endsWith: endsWith,
                literal: [], glob: AttributeGlob(bytes[...], pathname: false))
        }
        // git's match_pathname: a leading `/` only anchors, then the literal prefix, then wildmatch on the rest.
        var rest = bytes[...]
        var prefix = noWildcardLength
        if rest.first == UInt8(ascii: "/") {
            rest = rest.dropFirst()
            prefix -= 1
        }
        return Pattern(
            bytes: bytes, noWildcardLength: noWildcardLength, mustBeDirectory: mustBeDirectory, noDirectory: false, endsWith: endsWith,
            literal: Array(rest.prefix(prefix)), glob: AttributeGlob(rest.dropFirst(prefix), pathname: true))
    }

    /// The length of the leading part without glob characters (`*`, `?`, `[`, `\`).
    static func simpleLength(_ s: ArraySlice<UInt8>) -> Int {
        var n = 0
        for c in s {
            if c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") || c == UInt8(ascii: "\\") { break }
            n += 1
        }
        return n
    }

    /// git's `unquote_c_style`: the unquoted bytes and the index after the closing quote, or nil when malformed.
    static func unquoteC(_ s: ArraySlice<UInt8>) -> ([UInt8], Int)? {
        var i = s.startIndex + 1
        var out: [UInt8] = []
        while i < s.endIndex {
            let c = s[i]
            i += 1
            if c == UInt8(ascii: "\"") { return (out, i) }
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard i < s.endIndex else { return nil }
            let e = s[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard i + 1 < s.endIndex, (0x30...0x37).contains(s[i]), (0x30...0x37).contains(s[i + 1]) else { return nil }
                out.append(((e - 0x30) << 6) | ((s[i] - 0x30) << 3) | (s[i + 1] - 0x30))
                i += 2
            default: return nil
            }
        }
        return nil
    }

    /// git's `path_matches` for a file (never a directory) at `path`, against a rule of the file for `directory`.
    static func matches(_ pattern: Pattern, path: [UInt8], baseNameStart: Int, directory: [UInt8]) -> Bool {
        if pattern.mustBeDirectory { return false }
        let p = pattern.bytes
        if pattern.noDirectory {
            let base = path[baseNameStart...]
            if pattern.noWildcardLength == p.count { return base.elementsEqual(p) }
            if pattern.endsWith {
                return p.count - 1 <= base.count && base.suffix(p.count - 1).elementsEqual(p.dropFirst())
            }
            return pattern.glob.matches(base)
        }
        // A pattern with a slash matches the path relative to its file's directory.
        let baseLength = directory.count
        if path.count < baseLength + 1 { return false }
        if baseLength > 0 {
            if path[baseLength] != UInt8(ascii: "/") || !path[..<baseLength].elementsEqual(directory) { return false }
        }
        var name = baseLength > 0 ? path[(baseLength + 1)...] : path[...]
        let literal = pattern.literal
        if !literal.isEmpty {
            if literal.count > name.count || !name.prefix(literal.count).elementsEqual(literal) { return false }
            name = name.dropFirst(literal.count)
        }
        return pattern.glob.matches(name)
    }
}

/// The attribute files on the way down to some paths of one commit, and what they give each path.
struct AttributeStack {
    /// The attributes asked about; their ids (in `names` and in trimmed files) are 0..<asked.count.
    let asked: [String]
    var names: GitAttributes.Names
    /// Attributes whose value can change an asked one (the asked ones, and the macros that reach them), by
    /// name id, with the compact index that trimmed files use for them (the asked ones keep 0..<asked.count).
    private(set) var relevant: [Int: Int] = [:]
    /// Relevant macros by compact index, per reading (the last definition in the top-level file wins over
    /// git's built-in `binary`); nil for an attribute that is not a macro in that reading.
    private var macros: [GitAttributes.Reading: [[GitAttributes.State]?]] = [:]
    /// The version-dependent details the relevant macro definitions hit.
    private var macroOrigins: GitAttributes.Origin = []

    private static let currentOnly: [GitAttributes.Reading] = [.current]

    init(asked: [String]) {
        self.asked = asked
        names = GitAttributes.Names(asked)
    }

    /// Takes the top-level file (or none): it holds the only macros, which decide what is relevant.
    mutating func setTopLevel(_ file: GitAttributes.File?) {
        let binary = names.id(Array("binary".utf8)[...])
        let builtIn = ["diff", "merge", "text"].map { GitAttributes.State(attribute: names.id(Array($0.utf8)[...]), value: .unset) }
        var all: [(Int, [GitAttributes.State], GitAttributes.Origin)] = [(binary, builtIn, [])]
        for m in file?.macros ?? [] { all.append((m.attribute, m.states, m.origin)) }
        // Relevance: from the asked attributes back through every macro that mentions a relevant one (a macro
        // that only unsets one still counts: setting it fixes that attribute before lower lines are seen).
        var mentionedBy: [Int: [Int]] = [:]
        for (attribute, states, _) in all {
            for s in states { mentionedBy[s.attribute, default: []].append(attribute) }
        }
        relevant = [:]
        var work: [Int] = []
        for a in 0..<asked.count {
            relevant[a] = a
            work.append(a)
        }
        while let a = work.popLast() {
            for m in mentionedBy[a] ?? [] where relevant[m] == nil {
                relevant[m] = relevant.count
                work.append(m)
            }
        }
        macroOrigins = []
        for (attribute, _, origin) in all where relevant[attribute] != nil { macroOrigins.formUnion(origin) }
        macros = [:]
        for reading in readings(for: [.overLimit, .withBOM]) {
            var table = [[GitAttributes.State]?](repeating: nil, count: relevant.count)
            for (attribute, states, origin) in all where reading.includes(origin) {
                guard let index = relevant[attribute] else { continue }
                table[index] = compact(states)
            }
            macros[reading] = table
        }
    }

    /// The readings a stack with these origins needs (one unless a file hits a version-dependent detail).
    func readings(for origins: GitAttributes.Origin) -> [GitAttributes.Reading] {
        let o = origins.union(macroOrigins)
        if o.isEmpty { return Self.currentOnly }
        let limits = o.contains(.overLimit) ? [true, false] : [true]
        let bom = o.contains(.withBOM) || o.contains(.withoutBOM) ? [false, true] : [false]
        return limits.flatMap { l in bom.map { GitAttributes.Reading(limits: l, skipsBOM: $0) } }
    }

    /// The states that can matter to the asked attributes, with their compact indices.
    private func compact(_ states: [GitAttributes.State]) -> [GitAttributes.State] {
        states.compactMap { s in relevant[s.attribute].map { GitAttributes.State(attribute: $0, value: s.value) } }
    }

    /// Keeps only the states that can matter to the asked attributes (renumbered compactly), and only the rules
    /// left with some; nil when no rule is left.
    func trimmed(_ file: GitAttributes.File) -> GitAttributes.File? {
        var out = GitAttributes.File(directory: file.directory)
        for var rule in file.rules where !rule.pattern.mustBeDirectory {
            rule.states = compact(rule.states)
            guard !rule.states.isEmpty else { continue }
            out.rules.append(rule)
            out.origins.formUnion(rule.origin)
        }
        return out.rules.isEmpty ? nil : out
    }

    /// The asked attributes that some reading sets (to true or to a string) for the file at `path`, given the
    /// trimmed files that apply to it, deepest first: (index in `asked`, value), in the order of `asked`.
    func evaluate(path: [UInt8], files: [GitAttributes.File]) -> [(Int, GitAttributes.Value)] {
        var origins: GitAttributes.Origin = []
        for f in files { origins.formUnion(f.origins) }
        let baseNameStart = (path.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        var found = [GitAttributes.Value?](repeating: nil, count: asked.count)
        for reading in readings(for: origins) {
            let values = fill(path: path, baseNameStart: baseNameStart, files: files, reading: reading)
            for a in 0..<asked.count where found[a] == nil {
                guard let v = values[a], v != .unset, v != .unspecified else { continue }
                found[a] = v
            }
        }
        return found.enumerated().compactMap { a, v in v.map { (a, $0) } }
    }

    /// git's `fill`: walks the rules from the highest precedence down, the first value of each attribute wins,
    /// and a macro set to true expands where it is set (kept on an explicit stack: macros may chain deeply).
    /// Stops once every asked attribute has a value.
    private func fill(path: [UInt8], baseNameStart: Int, files: [GitAttributes.File], reading: GitAttributes.Reading) -> [GitAttributes.Value?] {
        var values = [GitAttributes.Value?](repeating: nil, count: relevant.count)
        let table = macros[reading] ?? []
        var askedLeft = asked.count
        var pending: [(states: [GitAttributes.State], next: Int)] = []
        for file in files {
            for rule in file.rules.reversed() where reading.includes(rule.origin) {
                guard GitAttributes.matches(rule.pattern, path: path, baseNameStart: baseNameStart, directory: file.directory) else { continue }
                pending.append((rule.states, rule.states.count))
                while let top = pending.last {
                    guard top.next > 0 else {
                        pending.removeLast()
                        continue
                    }
                    pending[pending.count - 1].next -= 1
                    let state = top.states[top.next - 1]
                    guard values[state.attribute] == nil else { continue }
                    values[state.attribute] = state.value
                    if state.attribute < asked.count { askedLeft -= 1 }
                    if state.value == .set, state.attribute < table.count, let expansion = table[state.attribute] {
                        pending.append((expansion, expansion.count))
                    }
                }
                if askedLeft == 0 { return values }
            }
        }
        return values
    }
}

/// A regular expression in RE2 syntax (what Go's `regexp` and OPA's `regex.match` take), matched in time linear
/// in the text whatever the pattern: a Thompson NFA simulation that keeps each instruction at most once per text
/// position, so the work is at most text length × program size, and the program size is capped.
///
/// The text is read as Unicode scalars: `.`, `[^a]` and `\W` take one scalar, as Go takes one rune.
/// `matches` says whether some part of the text matches (Go's `MatchString`), so `^` and `$` anchor explicitly.
///
/// Supported syntax:
/// - literals; `\` before any ASCII punctuation or space; `\t \n \r \f \v \a`; octal `\0`, `\012`, `\12` (a
///   lone `\1`…`\9` is a backreference: an error); `\xHH` and `\x{H…}`; `\Q…\E`
/// - `.` (not `\n` unless `(?s)`); classes `[a-z0-9_-]`, `[^…]`, with escapes and `[:alpha:]`-style names
///   (`[:^alpha:]` negated); `\d \D \s \S \w \W` (ASCII, as in RE2)
/// - anchors `^ $` (text start and end; line start and end under `(?m)`), `\A \z`, `\b \B` (ASCII word boundary)
/// - groups `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`, nested at most `maxNesting` deep
/// - alternation `|`; quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms (laziness does not change whether
///   there is a match), counts at most `maxRepeat`, no stacked quantifiers (`a**`, `a++` are errors, as in RE2)
/// - flags `(?i)` (simple case folding), `(?m)`, `(?s)`, `(?U)`, `(?-i)`, `(?i:…)`, scoped to their group
///
/// Anything else is an error: backreferences, lookahead and lookbehind, atomic groups, possessive quantifiers,
/// recursion, conditionals, comments, `\p{…}` classes, `\C`, `\Z` and other escapes RE2 does not know.
package struct LinearRegex: Sendable {
    /// A pattern that compiles to more instructions than this is refused (counted repetition copies its operand).
    package static let maxProgramSize = 10_000
    /// RE2's bound on `{n,m}`.
    package static let maxRepeat = 1000
    /// Groups nest at most this deep: the parser and compiler recurse once per level.
    package static let maxNesting = 100

    let program: [RegexInstruction]
    let classes: [ScalarClass]
    /// Every match starts at the start of the text (`^a|^b`, `\A…`): the search stops when no thread is left.
    let anchoredAtStart: Bool
    let foldsCase: Bool

    package init(_ pattern: String) throws(RegexSyntaxError) {
        var parser = RegexParser(Array(pattern.unicodeScalars))
        let tree = try parser.parse()
        var compiler = RegexCompiler()
        try compiler.compile(tree)
        try compiler.emit(.match)
        program = compiler.program
        classes = compiler.classes
        anchoredAtStart = tree.isAnchoredAtStart
        foldsCase = compiler.foldsCase
    }

    /// Whether some part of `text` matches.
    package func matches(_ text: String) -> Bool {
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        var stack: [Int] = []
        stack.reserveCapacity(2 * program.count + 1)
        var scalars = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar? = nil
        var here = scalars.next()
        var atStart = true
        while true {
            if atStart || !anchoredAtStart {
                let at = Position(previous: previous, next: here)
                if addClosure(from: 0, to: &current, at: at, stack: &stack) { return true }
            }
            guard let c = here, current.count > 0 || !anchoredAtStart else { return false }
            let after = scalars.next()
            let at = Position(previous: c, next: after)
            let input = FoldedScalar(c, folding: foldsCase)
            for k in 0..<current.count {
                let pc = current.at(k)
                if step(program[pc], input), addClosure(from: pc + 1, to: &next, at: at, stack: &stack) { return true }
            }
            swap(&current, &next)
            next.clear()
            previous = c
            here = after
            atStart = false
        }
    }

    /// Adds `pc` and everything reachable from it without reading a scalar; true when that reaches `match`.
    private func addClosure(from pc: Int, to list: inout ThreadList, at position: Position, stack: inout [Int]) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(pc)
        while let pc = stack.popLast() {
            if list.contains(pc) { continue }
            list.insert(pc)
            switch program[pc] {
            case .match: return true
            case .jump(let x): stack.append(x)
            case .split(let x, let y):
                stack.append(y)
                stack.append(x)
            case .assert(let a): if a.holds(at: position) { stack.append(pc + 1) }
            case .scalar, .foldedScalar, .anyScalar, .anyButNewline, .set: break
            }
        }
        return false
    }

    private func step(_ instruction: RegexInstruction, _ c: FoldedScalar) -> Bool {
        switch instruction {
        case .scalar(let x): return c.scalar.value == x
        case .foldedScalar(let x): return c.folded == x
        case .anyScalar: return true
        case .anyButNewline: return c.scalar != "\n"
        case .set(let i): return classes[i].matches(c)
        case .match, .jump, .split, .assert: return false
        }
    }
}

/// Why a pattern is not a regular expression tiergate can evaluate.
package struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    package let message: String
    /// Where in the pattern, counted in Unicode scalars from 0; nil for a property of the whole pattern.
    package let offset: Int?

    init(_ message: String, at offset: Int?) {
        self.message = message
        self.offset = offset
    }

    package var description: String { offset.map { "\(message) (at character \($0 + 1) of the pattern)" } ?? message }
}

// MARK: - Program

enum RegexInstruction: Sendable {
    case scalar(UInt32)
    /// A scalar under `(?i)`: compared after folding (`FoldedScalar.folded`).
    case foldedScalar(UInt32)
    case anyScalar
    case anyButNewline
    /// An index into `LinearRegex.classes`.
    case set(Int)
    case split(Int, Int)
    case jump(Int)
    case assert(RegexAssertion)
    case match
}

enum RegexAssertion: Sendable {
    case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary

    func holds(at p: Position) -> Bool {
        switch self {
        case .textStart: return p.previous == nil
        case .textEnd: return p.next == nil
        case .lineStart: return p.previous == nil || p.previous == "\n"
        case .lineEnd: return p.next == nil || p.next == "\n"
        case .wordBoundary: return Self.isWord(p.previous) != Self.isWord(p.next)
        case .notWordBoundary: return Self.isWord(p.previous) == Self.isWord(p.next)
        }
    }

    private static func isWord(_ c: Unicode.Scalar?) -> Bool {
        guard let v = c?.value else { return false }
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
    }
}

/// The scalars on either side of a position in the text (nil at either end).
struct Position {
    let previous: Unicode.Scalar?
    let next: Unicode.Scalar?
}

/// A sparse set of program counters: insertion, membership and clearing in constant time.
private struct ThreadList {
    private var dense: [Int32]
    private var sparse: [Int32]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    func contains(_ pc: Int) -> Bool {
        let s = Int(sparse[pc])
        return s < count && Int(dense[s]) == pc
    }

    mutating func insert(_ pc: Int) {
        sparse[pc] = Int32(count)
        dense[count] = Int32(pc)
        count += 1
    }

    func at(_ k: Int) -> Int { Int(dense[k]) }
    mutating func clear() { count = 0 }
}

// MARK: - Case folding

/// Simple (one scalar to one scalar) case mappings; a scalar whose mapping is several scalars maps to itself.
enum CaseFold {
    static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.isASCII { return c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(UInt8(c.value + 32)) : c }
        return single(c.properties.lowercaseMapping) ?? c
    }

    static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.isASCII { return c.value >= 0x61 && c.value <= 0x7A ? Unicode.Scalar(UInt8(c.value - 32)) : c }
        return single(c.properties.uppercaseMapping) ?? c
    }

    /// The representative of the scalar's case class: `k`, `K` and the Kelvin sign all fold to `k`.
    static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar { lower(upper(c)) }

    /// Whether the scalar has another case at all (a literal without one needs no folding).
    static func hasOtherCase(_ c: Unicode.Scalar) -> Bool { lower(c) != c || upper(c) != c || fold(c) != c }

    private static func single(_ s: String) -> Unicode.Scalar? {
        var it = s.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }
}

/// One scalar of the text with its case variants, worked out once per position when the pattern folds case.
struct FoldedScalar {
    let scalar: Unicode.Scalar
    let lower: Unicode.Scalar
    let upper: Unicode.Scalar
    let folded: UInt32

    init(_ c: Unicode.Scalar, folding: Bool) {
        scalar = c
        if folding {
            lower = CaseFold.lower(c)
            upper = CaseFold.upper(c)
            folded = CaseFold.lower(upper).value
        } else {
            lower = c
            upper = c
            folded = c.value
        }
    }
}

/// A set of scalars as sorted, disjoint, non-adjacent ranges.
struct ScalarClass: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false
    var foldCase = false

    static let maxScalar: UInt32 = 0x10FFFF

    func matches(_ c: FoldedScalar) -> Bool {
        var hit = contains(c.scalar.value)
        if !hit && foldCase { hit = contains(c.lower.value) || contains(c.upper.value) || contains(c.folded) }
        return hit != negated
    }

    func contains(_ v: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < v {
                lo = mid + 1
            } else if ranges[mid].lowerBound > v {
                hi = mid
            } else {
                return true
            }
        }
        return false
    }

    static func normalized(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in rs.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// Every scalar value outside `rs` (which must be normalized).
    static func complement(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in rs {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= maxScalar { out.append(next...maxScalar) }
        return out
    }

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// The ASCII classes RE2 names inside brackets, `[[:alpha:]]`.
    static let posix: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A], "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20], "cntrl": [0x00...0x1F, 0x7F...0x7F], "digit": digit, "graph": [0x21...0x7E],
        "lower": [0x61...0x7A], "print": [0x20...0x7E], "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20], "upper": [0x41...0x5A], "word": word, "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]
}

// MARK: - Syntax tree

/// A parsed pattern. Its depth is bounded by `LinearRegex.maxNesting` (groups) and the ban on stacked
/// quantifiers, so walking it recursively is bounded too.
indirect enum RegexNode {
    case empty
    case scalar(Unicode.Scalar, foldCase: Bool)
    case anyScalar(matchesNewline: Bool)
    case set(ScalarClass)
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max` nil: unbounded.
    case repetition(RegexNode, min: Int, max: Int?)

    var isAnchoredAtStart: Bool {
        switch self {
        case .assertion(.textStart): return true
        case .concatenation(let xs):
            for x in xs {
                if case .empty = x { continue }
                return x.isAnchoredAtStart
            }
            return false
        case .alternation(let xs): return xs.allSatisfy(\.isAnchoredAtStart)
        case .repetition(let x, let min, _): return min >= 1 && x.isAnchoredAtStart
        default: return false
        }
    }
}

// MARK: - Parser

struct RegexFlags {
    var caseInsensitive = false
    var multiLine = false
    var dotMatchesNewline = false
}

/// Recursive descent over the pattern's scalars; the recursion goes one level deeper per group only.
struct RegexParser {
    private let p: [Unicode.Scalar]
    private var i = 0
    private var depth = 0
    private var flags = RegexFlags()
    private var groupNames: Set<String> = []

    init(_ pattern: [Unicode.Scalar]) { p = pattern }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let tree = try alternation()
        if i < p.count { throw RegexSyntaxError("unmatched ')'", at: i) }
        return tree
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < p.count ? p[i + k] : nil }

    private mutating func alternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try concatenation()]
        while peek() == "|" {
            i += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            let start = i
            let atom: RegexNode?
            if c == "\\", peek(1) == "Q" {
                // \Q…\E: every scalar literal; a quantifier after it applies to the last one, as in RE2.
                var literals = quoted()
                atom = literals.popLast()
                items += literals
            } else {
                atom = try self.atom()
            }
            guard let atom else {
                // A flag group `(?i)` or an empty `\Q\E`: nothing to repeat.
                if try quantifier() != nil { throw RegexSyntaxError("missing argument to repetition operator", at: start) }
                continue
            }
            items.append(try quantified(atom))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// `atom` with the quantifier that follows it, if any.
    private mutating func quantified(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        let at = i
        guard let (min, max, end) = try quantifier() else { return atom }
        i = end
        if peek() == "?" { i += 1 }  // lazy: the same set of matches
        if try quantifier() != nil {
            if peek() == "+" {
                throw RegexSyntaxError("possessive quantifiers (like a++) are not RE2 syntax", at: at)
            }
            throw RegexSyntaxError("a quantifier cannot follow another quantifier (like a**)", at: i)
        }
        return .repetition(atom, min: min, max: max)
    }

    /// The quantifier at the current position, without consuming it: (min, max, index after it). A `{` that
    /// does not start `{n}`, `{n,}` or `{n,m}` is no quantifier (it is a literal, as in RE2).
    private func quantifier() throws(RegexSyntaxError) -> (Int, Int?, Int)? {
        guard let c = peek() else { return nil }
        switch c {
        case "*": return (0, nil, i + 1)
        case "+": return (1, nil, i + 1)
        case "?": return (0, 1, i + 1)
        case "{": break
        default: return nil
        }
        var j = i + 1
        guard let min = number(&j) else { return nil }
        var max: Int? = min
        if j < p.count, p[j] == "," {
            j += 1
            if j < p.count, p[j] == "}" {
                max = nil
            } else {
                guard let m = number(&j) else { return nil }
                max = m
            }
        }
        guard j < p.count, p[j] == "}" else { return nil }
        if min > LinearRegex.maxRepeat || (max ?? 0) > LinearRegex.maxRepeat {
            throw RegexSyntaxError("a repetition count above \(LinearRegex.maxRepeat)", at: i)
        }
        if let max, max < min { throw RegexSyntaxError("a repetition {n,m} with m below n", at: i) }
        return (min, max, j + 1)
    }

    /// Decimal digits at `j` (at most 4 are kept: anything longer is above the bound anyway).
    private func number(_ j: inout Int) -> Int? {
        let start = j
        var value = 0
        while j < p.count, let d = Self.digit(p[j]) {
            value = Swift.min(value * 10 + d, 10_000)
            j += 1
        }
        return j > start ? value : nil
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    /// One atom; nil for a group that only sets flags.
    private mutating func atom() throws(RegexSyntaxError) -> RegexNode? {
        guard let c = peek() else { return .empty }
        switch c {
        case "(": return try group()
        case "[": return try bracket()
        case ".":
            i += 1
            return .anyScalar(matchesNewline: flags.dotMatchesNewline)
        case "^":
            i += 1
            return .assertion(flags.multiLine ? .lineStart : .textStart)
        case "$":
            i += 1
            return .assertion(flags.multiLine ? .lineEnd : .textEnd)
        case "\\": return try escape()
        case "*", "+", "?": throw RegexSyntaxError("missing argument to repetition operator", at: i)
        case "{":
            if try quantifier() != nil { throw RegexSyntaxError("missing argument to repetition operator", at: i) }
            i += 1
            return literal(c)
        default:
            i += 1
            return literal(c)
        }
    }

    private func literal(_ c: Unicode.Scalar) -> RegexNode {
        .scalar(c, foldCase: flags.caseInsensitive && CaseFold.hasOtherCase(c))
    }

    private mutating func quoted() -> [RegexNode] {
        i += 2
        var out: [RegexNode] = []
        while let c = peek() {
            if c == "\\", peek(1) == "E" {
                i += 2
                break
            }
            out.append(literal(c))
            i += 1
        }
        return out
    }

    private mutating func group() throws(RegexSyntaxError) -> RegexNode? {
        let open = i
        i += 1
        var groupFlags = flags
        if peek() == "?" {
            i += 1
            switch peek() ?? "\0" {
            case ":": i += 1
            case "=", "!": throw RegexSyntaxError("lookahead (?= or (?! is not RE2 syntax", at: open)
            case "<" where peek(1) == "=" || peek(1) == "!":
                throw RegexSyntaxError("lookbehind (?<= or (?<! is not RE2 syntax", at: open)
            case "<":
                i += 1
                try groupName(open)
            case "P":
                switch peek(1) ?? "\0" {
                case "<":
                    i += 2
                    try groupName(open)
                case "=": throw RegexSyntaxError("backreferences (?P=name) are not RE2 syntax", at: open)
                case ">": throw RegexSyntaxError("recursion (?P>name) is not RE2 syntax", at: open)
                default: throw RegexSyntaxError("an unknown group (?P", at: open)
                }
            case ">": throw RegexSyntaxError("atomic groups (?>…) are not RE2 syntax", at: open)
            case "#": throw RegexSyntaxError("comments (?#…) are not RE2 syntax", at: open)
            case "(": throw RegexSyntaxError("conditionals (?(…)…) are not RE2 syntax", at: open)
            case "|": throw RegexSyntaxError("branch reset groups (?|…) are not RE2 syntax", at: open)
            default:
                if try flagGroup(&groupFlags, open) {
                    flags = groupFlags  // until the end of the enclosing group, as in RE2
                    return nil
                }
            }
        }
        depth += 1
        guard depth <= LinearRegex.maxNesting else {
            throw RegexSyntaxError("groups nested more than \(LinearRegex.maxNesting) deep", at: open)
        }
        let outer = flags
        flags = groupFlags
        let inner = try alternation()
        guard peek() == ")" else { throw RegexSyntaxError("missing ')' for the group opened here", at: open) }
        i += 1
        flags = outer
        depth -= 1
        return inner
    }

    /// A capture group's name up to `>`: letters, digits and `_`.
    private mutating func groupName(_ open: Int) throws(RegexSyntaxError) {
        var name = ""
        while let c = peek(), c.isASCII, c.properties.isAlphabetic || Self.digit(c) != nil || c == "_" {
            name.unicodeScalars.append(c)
            i += 1
        }
        guard !name.isEmpty, peek() == ">" else { throw RegexSyntaxError("an invalid group name", at: open) }
        guard groupNames.insert(name).inserted else { throw RegexSyntaxError("a second group named \(name)", at: open) }
        i += 1
    }

    /// `(?flags)` or `(?flags:`, after `(?`: updates `flags`; true when the group only sets flags, false when a
    /// group follows the `:`.
    private mutating func flagGroup(_ flags: inout RegexFlags, _ open: Int) throws(RegexSyntaxError) -> Bool {
        var negate = false
        var sawFlag = false
        while let c = peek() {
            i += 1
            switch c {
            case "i": flags.caseInsensitive = !negate
            case "m": flags.multiLine = !negate
            case "s": flags.dotMatchesNewline = !negate
            case "U": break  // ungreedy: the same set of matches
            case "-":
                guard !negate else { throw RegexSyntaxError("an invalid flag group", at: open) }
                negate = true
                sawFlag = false
                continue
            case ")", ":":
                guard sawFlag else { throw RegexSyntaxError("an invalid flag group", at: open) }
                return c == ")"
            default:
                if Self.digit(c) != nil || c == "R" || c == "&" || c == "+" {
                    throw RegexSyntaxError("recursion and subroutine calls are not RE2 syntax", at: open)
                }
                throw RegexSyntaxError("the flag '\(c)' is not RE2 syntax (flags are i, m, s and U)", at: open)
            }
            sawFlag = true
        }
        throw RegexSyntaxError("missing ')' for the group opened here", at: open)
    }

    // MARK: Escapes

    /// What a backslash sequence stands for.
    private enum Escaped {
        case scalar(Unicode.Scalar)
        case set([ClosedRange<UInt32>], negated: Bool)
        case assertion(RegexAssertion)
    }

    private mutating func escape() throws(RegexSyntaxError) -> RegexNode {
        switch try escaped(inClass: false) {
        case .scalar(let c): return literal(c)
        case .set(let ranges, let negated): return .set(ScalarClass(ranges: ranges, negated: negated, foldCase: false))
        case .assertion(let a): return .assertion(a)
        }
    }

    /// Reads `\…` at the current position.
    private mutating func escaped(inClass: Bool) throws(RegexSyntaxError) -> Escaped {
        let at = i
        guard let e = peek(1) else { throw RegexSyntaxError("a trailing backslash", at: at) }
        i += 2
        switch e {
        case "1"..."9" where e.value > 0x37 || !(peek().map(Self.isOctal) ?? false):
            throw RegexSyntaxError("backreferences (\\\(e)) are not RE2 syntax", at: at)
        case "0"..."7":
            // Octal, as in RE2: \0 and up to two more digits, or a digit 1-7 followed by one or two more.
            var value = e.value - 0x30
            var k = 0
            while k < 2, let c = peek(), Self.isOctal(c) {
                value = value * 8 + c.value - 0x30
                i += 1
                k += 1
            }
            guard let scalar = Unicode.Scalar(value) else { throw RegexSyntaxError("an invalid octal escape", at: at) }  // at most 0o777
            return .scalar(scalar)
        case "a": return .scalar("\u{07}")
        case "f": return .scalar("\u{0C}")
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "v": return .scalar("\u{0B}")
        case "x": return .scalar(try hexEscape(at))
        case "d": return .set(ScalarClass.digit, negated: false)
        case "D": return .set(ScalarClass.digit, negated: true)
        case "s": return .set(ScalarClass.space, negated: false)
        case "S": return .set(ScalarClass.space, negated: true)
        case "w": return .set(ScalarClass.word, negated: false)
        case "W": return .set(ScalarClass.word, negated: true)
        case "A" where !inClass: return .assertion(.textStart)
        case "z" where !inClass: return .assertion(.textEnd)
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "k", "g": throw RegexSyntaxError("backreferences (\\\(e)) are not RE2 syntax", at: at)
        case "p", "P": throw RegexSyntaxError("Unicode classes (\\\(e){…}) are not supported; write the class out", at: at)
        default:
            if e.isASCII, !e.properties.isAlphabetic, Self.digit(e) == nil { return .scalar(e) }
            throw RegexSyntaxError("the escape \\\(e) is not RE2 syntax\(inClass ? " inside a class" : "")", at: at)
        }
    }

    /// `\xHH` or `\x{H…}`, after the `x`.
    private mutating func hexEscape(_ at: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        var value: UInt32 = 0
        if peek() == "{" {
            i += 1
            var digits = 0
            while let c = peek(), c != "}" {
                guard let d = Self.hexDigit(c) else { throw RegexSyntaxError("an invalid \\x{…} escape", at: at) }
                value = Swift.min(value * 16 + d, 0x110000)
                digits += 1
                i += 1
            }
            guard peek() == "}", digits > 0 else { throw RegexSyntaxError("an invalid \\x{…} escape", at: at) }
            i += 1
        } else {
            for _ in 0..<2 {
                guard let c = peek(), let d = Self.hexDigit(c) else { throw RegexSyntaxError("an invalid \\x escape", at: at) }
                value = value * 16 + d
                i += 1
            }
        }
        guard let scalar = Unicode.Scalar(value) else { throw RegexSyntaxError("\\x names no Unicode scalar", at: at) }
        return scalar
    }

    private static func isOctal(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x37 }

    private static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    // MARK: Classes

    /// `[…]` or `[^…]`. A `]` right after the opening (or after `^`) is literal, and so is a `-` that cannot
    /// make a range.
    private mutating func bracket() throws(RegexSyntaxError) -> RegexNode {
        let open = i
        i += 1
        var negated = false
        if peek() == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek() else { throw RegexSyntaxError("missing ']' for the class opened here", at: open) }
            if c == "]" && !first {
                i += 1
                break
            }
            first = false
            if c == "[", peek(1) == ":", let named = try posixClass() {
                ranges += named
                continue
            }
            let at = i
            let lo: UInt32
            switch try classMember() {
            case .scalar(let s): lo = s.value
            case .set(let rs, let neg):
                ranges += neg ? ScalarClass.complement(rs) : rs
                continue
            case .assertion: throw RegexSyntaxError("an assertion inside a class", at: at)
            }
            if peek() == "-", let after = peek(1), after != "]" {
                i += 1
                guard case .scalar(let s) = try classMember() else {
                    throw RegexSyntaxError("a class cannot end a range", at: at)
                }
                guard s.value >= lo else { throw RegexSyntaxError("a range whose end is before its start", at: at) }
                ranges.append(lo...s.value)
            } else {
                ranges.append(lo...lo)
            }
        }
        return .set(ScalarClass(ranges: ScalarClass.normalized(ranges), negated: negated, foldCase: flags.caseInsensitive))
    }

    private mutating func classMember() throws(RegexSyntaxError) -> Escaped {
        guard let c = peek() else { throw RegexSyntaxError("missing ']'", at: i) }
        if c == "\\" { return try escaped(inClass: true) }
        i += 1
        return .scalar(c)
    }

    /// `[:name:]` or `[:^name:]` at the current position; nil (and nothing consumed) when it is not one, so the
    /// `[` is a literal.
    private mutating func posixClass() throws(RegexSyntaxError) -> [ClosedRange<UInt32>]? {
        var j = i + 2
        var negated = false
        if j < p.count, p[j] == "^" {
            negated = true
            j += 1
        }
        var name = ""
        while j < p.count, p[j] != ":", p[j] != "]" {
            name.unicodeScalars.append(p[j])
            j += 1
        }
        guard j + 1 < p.count, p[j] == ":", p[j + 1] == "]" else { return nil }
        guard let ranges = ScalarClass.posix[name] else {
            throw RegexSyntaxError("an unknown class name [:\(name):]", at: i)
        }
        i = j + 2
        return negated ? ScalarClass.complement(ranges) : ranges
    }
}

// MARK: - Compiler

/// Turns the tree into a program for `LinearRegex.matches`, refusing one above `LinearRegex.maxProgramSize`.
struct RegexCompiler {
    private(set) var program: [RegexInstruction] = []
    private(set) var classes: [ScalarClass] = []
    private(set) var foldsCase = false

    @discardableResult
    mutating func emit(_ instruction: RegexInstruction) throws(RegexSyntaxError) -> Int {
        guard program.count < LinearRegex.maxProgramSize else {
            throw RegexSyntaxError(
                "the pattern is too large: it needs more than \(LinearRegex.maxProgramSize) instructions (counted repetitions multiply)",
                at: nil)
        }
        program.append(instruction)
        return program.count - 1
    }

    mutating func compile(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty: break
        case .scalar(let c, let fold):
            if fold {
                foldsCase = true
                try emit(.foldedScalar(CaseFold.fold(c).value))
            } else {
                try emit(.scalar(c.value))
            }
        case .anyScalar(let newline): try emit(newline ? .anyScalar : .anyButNewline)
        case .set(let set):
            foldsCase = foldsCase || set.foldCase
            classes.append(set)
            try emit(.set(classes.count - 1))
        case .assertion(let a): try emit(.assert(a))
        case .concatenation(let xs):
            for x in xs { try compile(x) }
        case .alternation(let xs):
            // split(L1, next); L1: x1; jump end; next: split(L2, …) … xn; end:
            var jumps: [Int] = []
            for (k, x) in xs.enumerated() {
                if k == xs.count - 1 {
                    try compile(x)
                } else {
                    let split = try emit(.split(0, 0))
                    try compile(x)
                    jumps.append(try emit(.jump(0)))
                    program[split] = .split(split + 1, program.count)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .repetition(let x, let min, let max):
            if let max {
                for _ in 0..<min { try compile(x) }
                // Each optional copy may be skipped to the end: x{2,4} is x x (x (x)?)?.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(try emit(.split(0, 0)))
                    try compile(x)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else if min == 0 {
                // L: split(L+1, end); x; jump L; end:
                let loop = try emit(.split(0, 0))
                try compile(x)
                try emit(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            } else {
                for _ in 0..<(min - 1) { try compile(x) }
                // L: x; split(L, end)
                let loop = program.count
                try compile(x)
                let split = try emit(.split(0, 0))
                program[split] = .split(loop, split + 1)
            }
        }
    }
}

/// git's glob matcher (`wildmatch`, used for `.gitattributes` patterns), on bytes, with git's results but not
/// git's running time.
///
/// The language is git's: with `pathname` set, `?`, `*` and bracket expressions never match `/`; `**` between
/// slashes (or at the start or end of the pattern) matches across them, and `**/` may also match no directory
/// at all; `[...]` takes ranges, `!` or `^` negation, `\` escapes and the POSIX classes as git defines them
/// (ASCII only); `\` escapes the next byte; a malformed bracket expression or a trailing `\` matches nothing.
/// git decides a match by backtracking, which takes exponential time on patterns such as `*a*a*a…/b` (a
/// `.gitattributes` line can make `git check-attr` run for minutes). Here the pattern is compiled once into a
/// sequence of steps and run as a set of positions over the text, so a match costs at most the product of the
/// two lengths, whatever the pattern.
struct AttributeGlob: Sendable {
    enum Step: Sendable {
        case byte(UInt8)
        /// `?`: any byte (but `/` with pathname semantics).
        case any
        /// A bracket expression: the bytes it matches.
        case set(ByteSet)
        /// A run of `*`: any number of bytes; across `/` when `crossesSlash`.
        case star(crossesSlash: Bool)
        /// Before a `**/`: go on either with it or with the step after its `/` (git's probe that lets `a/**/b`
        /// match `a/b`). Matches no byte itself, so it is only taken on the way in, before the run matched any.
        case orSkipTo(Int)
        /// Something git never matches (a malformed bracket, a trailing `\`).
        case never
    }

    let steps: [Step]
    let pathname: Bool

    /// Compiles `pattern` as git's `wildmatch` reads it, with or without pathname semantics (`WM_PATHNAME`).
    init(_ pattern: ArraySlice<UInt8>, pathname: Bool) {
        self.pathname = pathname
        var steps: [Step] = []
        let slash = UInt8(ascii: "/")
        let star = UInt8(ascii: "*")
        let backslash = UInt8(ascii: "\\")
        func at(_ i: Int) -> UInt8 { i < pattern.endIndex ? pattern[i] : 0 }
        var i = pattern.startIndex
        scan: while i < pattern.endIndex {
            let c = pattern[i]
            switch c {
            case backslash:
                i += 1
                guard i < pattern.endIndex else {
                    steps.append(.never)
                    break scan
                }
                steps.append(.byte(pattern[i]))
                i += 1
            case UInt8(ascii: "?"):
                steps.append(.any)
                i += 1
            case UInt8(ascii: "["):
                guard let (members, end) = AttributeGlob.bracket(pattern, from: i) else {
                    steps.append(.never)
                    break scan
                }
                steps.append(.set(members))
                i = end + 1
            case star:
                i += 1
                var crossesSlash = !pathname
                var probe = false
                if at(i) == star {
                    // git looks at the byte before the run and the one after it (`**` only spans directories
                    // when it stands for whole path components).
                    let before = i - 2
                    while at(i) == star { i += 1 }
                    if !pathname {
                        crossesSlash = true
                    } else if before < pattern.startIndex || pattern[before] == slash,
                        i >= pattern.endIndex || pattern[i] == slash || (pattern[i] == backslash && at(i + 1) == slash)
                    {
                        crossesSlash = true
                        probe = i < pattern.endIndex && pattern[i] == slash
                    } else {
                        crossesSlash = false
                    }
                }
                // With a probe: this choice, the run, its `/` (a plain byte), then the skip's target.
                if probe { steps.append(.orSkipTo(steps.count + 3)) }
                steps.append(.star(crossesSlash: crossesSlash))
            default:
                steps.append(.byte(c))
                i += 1
            }
        }
        self.steps = steps
    }

    /// Whether the whole of `text` matches: the set of steps reached, advanced byte by byte.
    func matches(_ text: ArraySlice<UInt8>) -> Bool {
        let n = steps.count
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * (n + 1)) { buffer in
            var current = UnsafeMutableBufferPointer(rebasing: buffer[0...n])
            var next = UnsafeMutableBufferPointer(rebasing: buffer[(n + 1)...])
            current.initialize(repeating: false)
            next.initialize(repeating: false)
            current[0] = true
            close(current)
            let slash = UInt8(ascii: "/")
            for c in text {
                next.update(repeating: false)
                var any = false
                for k in 0..<n where current[k] {
                    switch steps[k] {
                    case .byte(let b):
                        if b == c {
                            next[k + 1] = true
                            any = true
                        }
                    case .any:
                        if !(pathname && c == slash) {
                            next[k + 1] = true
                            any = true
                        }
                    case .set(let members):
                        if members.contains(c) && !(pathname && c == slash) {
                            next[k + 1] = true
                            any = true
                        }
                    case .star(let crossesSlash):
                        if crossesSlash || c != slash {
                            next[k] = true
                            any = true
                        }
                    case .never, .orSkipTo:
                        break
                    }
                }
                guard any else { return false }
                close(next)
                swap(&current, &next)
            }
            return current[n]
        }
    }

    /// Adds what a `*` run matching nothing and a `**/` skip reach. Both only go forward.
    private func close(_ active: UnsafeMutableBufferPointer<Bool>) {
        for k in 0..<steps.count where active[k] {
            switch steps[k] {
            case .star:
                active[k + 1] = true
            case .orSkipTo(let target):
                active[k + 1] = true
                if target <= steps.count { active[target] = true }
            default:
                break
            }
        }
    }

    /// A bracket expression starting at `start` (its `[`), read as git's `wildmatch` reads it: the members by
    /// byte value and the index of its closing `]`, or nil when it is malformed (git then matches nothing).
    static func bracket(_ pattern: ArraySlice<UInt8>, from start: Int) -> (ByteSet, Int)? {
        func at(_ i: Int) -> UInt8 { i < pattern.endIndex ? pattern[i] : 0 }
        var members = ByteSet()
        var p = start + 1
        var pc = at(p)
        if pc == UInt8(ascii: "^") { pc = UInt8(ascii: "!") }
        let negated = pc == UInt8(ascii: "!")
        if negated {
            p += 1
            pc = at(p)
        }
        var prev: UInt8 = 0
        while true {
            if pc == 0 { return nil }
            if pc == UInt8(ascii: "\\") {
                p += 1
                pc = at(p)
                if pc == 0 { return nil }
                members.insert(pc)
            } else if pc == UInt8(ascii: "-") && prev != 0 && at(p + 1) != 0 && at(p + 1) != UInt8(ascii: "]") {
                p += 1
                pc = at(p)
                if pc == UInt8(ascii: "\\") {
                    p += 1
                    pc = at(p)
                    if pc == 0 { return nil }
                }
                if prev <= pc { for b in prev...pc { members.insert(b) } }
                pc = 0  // a range does not start another one
            } else if pc == UInt8(ascii: "[") && at(p + 1) == UInt8(ascii: ":") {
                p += 2
                let s = p
                while at(p) != 0 && at(p) != UInt8(ascii: "]") { p += 1 }
                if at(p) == 0 { return nil }
                let length = p - s - 1
                if length < 0 || pattern[p - 1] != UInt8(ascii: ":") {
                    // No `:]`: the `[` is an ordinary member, and reading goes on after it.
                    p = s - 2
                    pc = UInt8(ascii: "[")
                    members.insert(pc)
                } else {
                    guard let inClass = classMembership(pattern[s..<(s + length)]) else { return nil }
                    for b in 0...255 where inClass(UInt8(b)) { members.insert(UInt8(b)) }
                    pc = 0
                }
            } else {
                members.insert(pc)
            }
            prev = pc
            p += 1
            pc = at(p)
            if pc == UInt8(ascii: "]") { break }
        }
        if negated { members.invert() }
        return (members, p)
    }

    /// The POSIX class `name` as git defines it (ASCII only; git's `isspace` leaves out `\v` and `\f`), or nil
    /// for a class git does not know.
    static func classMembership(_ name: ArraySlice<UInt8>) -> ((UInt8) -> Bool)? {
        func upper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        func lower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        switch String(decoding: name, as: UTF8.self) {
        case "alnum": return { upper($0) || lower($0) || digit($0) }
        case "alpha": return { upper($0) || lower($0) }
        case "blank": return { $0 == 0x20 || $0 == 0x09 }
        case "cntrl": return { $0 < 0x20 || $0 == 0x7F }
        case "digit": return { digit($0) }
        case "graph": return { $0 > 0x20 && $0 < 0x7F }
        case "lower": return { lower($0) }
        case "print": return { $0 >= 0x20 && $0 < 0x7F }
        case "punct": return { $0 > 0x20 && $0 < 0x7F && !(upper($0) || lower($0) || digit($0)) }
        case "space": return { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        case "upper": return { upper($0) }
        case "xdigit": return { digit($0) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }
        default: return nil
        }
    }
}

/// A set of byte values, in 32 bytes.
struct ByteSet: Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func invert() { words = (~words.0, ~words.1, ~words.2, ~words.3) }

    static func == (a: ByteSet, b: ByteSet) -> Bool { a.words == b.words }
}

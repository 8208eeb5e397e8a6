@testable import TiergateCore

/// A port of git's `dowild` (wildmatch.c), its recursion kept on an explicit stack: the reference `AttributeGlob` is checked against;
/// it has git's backtracking and so git's exponential worst case, which is why tiergate does not use it.
enum ReferenceWildmatch {
    enum Outcome: Equatable { case match, noMatch, abortAll, abortToStarStar }

    static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>, pathname: Bool) -> Bool {
        Matcher(pattern: pattern, text: text, pathname: pathname).run() == .match
    }

    private struct Frame {
        var p: Int
        var t: Int
        var matchSlash: Bool
        /// The `**/` probe (`foo/**/bar` also matching `foo/bar`) rather than one position of a `*` loop.
        var probing: Bool
    }

    private enum Step {
        case result(Outcome)
        /// Match the pattern from `p` against the text from `t`, then resume `frame` with the outcome.
        case call(Frame, p: Int, t: Int)
    }

    private struct Matcher {
        let pattern: ArraySlice<UInt8>
        let text: ArraySlice<UInt8>
        let pathname: Bool

        private static let slash = UInt8(ascii: "/")
        private static let star = UInt8(ascii: "*")
        private static let backslash = UInt8(ascii: "\\")

        /// The pattern byte at `i`, or 0 past the end (git's patterns are C strings).
        @inline(__always) func pat(_ i: Int) -> UInt8 { i < pattern.endIndex ? pattern[i] : 0 }
        @inline(__always) func txt(_ i: Int) -> UInt8 { i < text.endIndex ? text[i] : 0 }

        func run() -> Outcome {
            var frames: [Frame] = []
            var step = scan(pattern.startIndex, text.startIndex)
            while true {
                switch step {
                case .call(let frame, let p, let t):
                    frames.append(frame)
                    step = scan(p, t)
                case .result(let outcome):
                    guard let f = frames.popLast() else { return outcome }
                    if f.probing {
                        step = outcome == .match ? .result(.match) : starLoop(f.p, f.t, matchSlash: true)
                    } else if outcome != .noMatch, !f.matchSlash || outcome != .abortToStarStar {
                        step = .result(outcome)
                    } else if outcome == .noMatch, !f.matchSlash, txt(f.t) == Self.slash {
                        step = .result(.abortToStarStar)
                    } else {
                        step = starLoop(f.p, f.t + 1, matchSlash: f.matchSlash)
                    }
                }
            }
        }

        /// Tries each text position for the `*` that precedes pattern position `p`.
        func starLoop(_ p: Int, _ start: Int, matchSlash: Bool) -> Step {
            var t = start
            guard t < text.endIndex else { return .result(.abortAll) }
            let literal = pat(p)
            if !isGlobSpecial(literal) {
                // What precedes the literal belongs to the `*`: skip to it (not past a `/` unless `**`).
                while t < text.endIndex, matchSlash || text[t] != Self.slash {
                    if text[t] == literal { break }
                    t += 1
                }
                if txt(t) != literal || t >= text.endIndex { return .result(.noMatch) }
            }
            return .call(Frame(p: p, t: t, matchSlash: matchSlash, probing: false), p: p, t: t)
        }

        /// Matches from `p`/`t` until the end, a mismatch, or a `*` that needs trying positions.
        func scan(_ p0: Int, _ t0: Int) -> Step {
            var p = p0
            var t = t0
            while p < pattern.endIndex {
                var pc = pattern[p]
                let tc = txt(t)
                if t >= text.endIndex && pc != Self.star { return .result(.abortAll) }
                switch pc {
                case Self.star:
                    p += 1
                    var matchSlash: Bool
                    if pat(p) == Self.star {
                        let before = p - 2
                        while pat(p) == Self.star { p += 1 }
                        let startsSegment = before < pattern.startIndex || pattern[before] == Self.slash
                        let endsSegment =
                            p >= pattern.endIndex || pattern[p] == Self.slash || (pattern[p] == Self.backslash && pat(p + 1) == Self.slash)
                        if !pathname {
                            matchSlash = true  // without pathname semantics `*` and `**` are the same
                        } else if startsSegment && endsSegment {
                            if pat(p) == Self.slash && p < pattern.endIndex {
                                // `**/` may match no directory at all: try the rest right here first.
                                return .call(Frame(p: p, t: t, matchSlash: true, probing: true), p: p + 1, t: t)
                            }
                            matchSlash = true
                        } else {
                            matchSlash = false
                        }
                    } else {
                        matchSlash = !pathname
                    }
                    if p >= pattern.endIndex {
                        // A trailing `**` matches everything; a trailing `*` only what has no more `/`.
                        if !matchSlash, text[t...].contains(Self.slash) { return .result(.noMatch) }
                        return .result(.match)
                    }
                    if !matchSlash && pattern[p] == Self.slash {
                        // One `*` then `/`: the rest of this directory name.
                        guard let slash = text[t...].firstIndex(of: Self.slash) else { return .result(.noMatch) }
                        t = slash
                        break  // the `/` of both is consumed below
                    }
                    return starLoop(p, t, matchSlash: matchSlash)
                case Self.backslash:
                    p += 1
                    pc = pat(p)
                    if tc != pc { return .result(.noMatch) }
                case UInt8(ascii: "?"):
                    if pathname && tc == Self.slash { return .result(.noMatch) }
                case UInt8(ascii: "["):
                    guard let end = bracket(&p, tc) else { return .result(.abortAll) }
                    if !end { return .result(.noMatch) }
                default:
                    if tc != pc { return .result(.noMatch) }
                }
                p += 1
                t += 1
            }
            return .result(t >= text.endIndex ? .match : .noMatch)
        }

        /// A bracket expression starting at `p` (the `[`), against text byte `tc`. Leaves `p` on its closing `]`.
        /// Returns whether it matched, or nil for a malformed expression (git gives up on the whole pattern).
        func bracket(_ p: inout Int, _ tc: UInt8) -> Bool? {
            p += 1
            var pc = pat(p)
            if pc == UInt8(ascii: "^") { pc = UInt8(ascii: "!") }
            let negated = pc == UInt8(ascii: "!")
            if negated {
                p += 1
                pc = pat(p)
            }
            var prev: UInt8 = 0
            var matched = false
            while true {
                if pc == 0 { return nil }
                if pc == Self.backslash {
                    p += 1
                    pc = pat(p)
                    if pc == 0 { return nil }
                    if tc == pc { matched = true }
                } else if pc == UInt8(ascii: "-") && prev != 0 && pat(p + 1) != 0 && pat(p + 1) != UInt8(ascii: "]") {
                    p += 1
                    pc = pat(p)
                    if pc == Self.backslash {
                        p += 1
                        pc = pat(p)
                        if pc == 0 { return nil }
                    }
                    if tc <= pc && tc >= prev { matched = true }
                    pc = 0  // a range is not the start of another
                } else if pc == UInt8(ascii: "[") && pat(p + 1) == UInt8(ascii: ":") {
                    p += 2
                    let s = p
                    while pat(p) != 0 && pat(p) != UInt8(ascii: "]") { p += 1 }
                    if pat(p) == 0 { return nil }
                    let length = p - s - 1
                    if length < 0 || pattern[p - 1] != UInt8(ascii: ":") {
                        // No `:]`: the `[` is an ordinary member.
                        p = s - 2
                        pc = UInt8(ascii: "[")
                        if tc == pc { matched = true }
                    } else {
                        guard let inClass = Self.classMember(pattern[s..<(s + length)], tc) else { return nil }
                        if inClass { matched = true }
                        pc = 0
                    }
                } else if tc == pc {
                    matched = true
                }
                prev = pc
                p += 1
                pc = pat(p)
                if pc == UInt8(ascii: "]") { break }
            }
            if matched == negated || (pathname && tc == Self.slash) { return false }
            return true
        }

        /// Whether `c` is in the POSIX class `name` as git defines it (ASCII only); nil for an unknown class.
        static func classMember(_ name: ArraySlice<UInt8>, _ c: UInt8) -> Bool? {
            let upper = c >= 0x41 && c <= 0x5A
            let lower = c >= 0x61 && c <= 0x7A
            let digit = c >= 0x30 && c <= 0x39
            switch String(decoding: name, as: UTF8.self) {
            case "alnum": return upper || lower || digit
            case "alpha": return upper || lower
            case "blank": return c == 0x20 || c == 0x09
            case "cntrl": return c < 0x20 || c == 0x7F
            case "digit": return digit
            case "graph": return c > 0x20 && c < 0x7F
            case "lower": return lower
            case "print": return c >= 0x20 && c < 0x7F
            case "punct": return c > 0x20 && c < 0x7F && !(upper || lower || digit)
            case "space": return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
            case "upper": return upper
            case "xdigit": return digit || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
            default: return nil
            }
        }

        @inline(__always) func isGlobSpecial(_ c: UInt8) -> Bool {
            c == Self.star || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") || c == Self.backslash
        }
    }
}

/// Which paths are manifests: include and exclude globs where `**` crosses directories and `*`, `?` do not;
/// and, when the policy declares one, the layout that ties each manifest's path to its app's name.
package struct PathMatcher: Sendable {
    package let include: [Glob]
    package let exclude: [Glob]
    /// `manifests.layout` (SPEC section 5); nil in the built-in default.
    package let layout: ManifestLayout?

    package static let defaultIncludes = ["**/microapp.yaml", "**/microapp.yml", "**/*.microapp.yaml", "**/*.microapp.yml"]
    package static let `default` = PathMatcher(include: defaultIncludes, exclude: [])

    package init(include: [String], exclude: [String], layout: ManifestLayout? = nil) {
        self.include = include.map(Glob.init)
        self.exclude = exclude.map(Glob.init)
        self.layout = layout
    }

    package func matches(_ path: String) -> Bool {
        include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
    }
}

package struct Glob: Sendable, Hashable {
    package let pattern: String
    private let segments: [[UInt8]]
    /// `**/NAME` with no wildcard in NAME: the common case, matched by comparing the last path segment.
    private let basenameOnly: [UInt8]?

    package init(_ pattern: String) {
        self.pattern = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        if segments.count == 2, segments[0] == Array("**".utf8),
            !segments[1].contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") })
        {
            basenameOnly = segments[1]
        } else {
            basenameOnly = nil
        }
    }

    package func matches(_ path: String) -> Bool {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if let basenameOnly {
            guard let last = parts.last else { return false }
            return last.elementsEqual(basenameOnly)
        }
        // reachable[j]: pattern segments consumed so far can end right before path segment j. Iterative
        // dynamic programming over segments, so no recursion and no exponential backtracking.
        let n = parts.count
        var reachable = [Bool](repeating: false, count: n + 1)
        reachable[0] = true
        for seg in segments {
            var next = [Bool](repeating: false, count: n + 1)
            if seg == Array("**".utf8) {
                var any = false
                for j in 0...n {
                    any = any || reachable[j]
                    next[j] = any
                }
            } else {
                for j in 0..<n where reachable[j] {
                    if Glob.segmentMatches(seg[...], Array(parts[j])[...]) { next[j + 1] = true }
                }
            }
            reachable = next
        }
        return reachable[n]
    }

    /// `*` and `?` within one path segment; iterative with a single backtrack point.
    static func segmentMatches(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        let p = Array(p)
        let s = Array(s)
        var pi = 0
        var si = 0
        var star = -1
        var mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == s[si] {
                pi += 1
                si += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = si
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

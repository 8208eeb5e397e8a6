/// A `matches` pattern: RE2 syntax, true when some part of the value matches, in time linear in the value
/// whatever the pattern (`LinearRegex`): the value is written by the pull request's author.
package struct Pattern: Sendable, Hashable {
    package let source: String
    private let regex: LinearRegex

    package init(_ source: String) throws(RegexSyntaxError) {
        self.source = source
        self.regex = try LinearRegex(source)
    }

    package func matches(_ s: String) -> Bool { regex.matches(s) }

    package static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source }
    package func hash(into h: inout Hasher) { h.combine(source) }
}

/// One test on the values a field path reaches.
package enum FieldTest: Sendable, Hashable {
    case equals(ManifestValue)
    case notEquals(ManifestValue)
    case isIn([ManifestValue])
    case notIn([ManifestValue])
    case exists(Bool)
    case matches(Pattern)
    case greaterThan(Double)
    case lessThan(Double)
    case atLeast(Double)
    case atMost(Double)

    package static let operators = [
        "equals", "notEquals", "in", "notIn", "exists", "matches", "greaterThan", "lessThan", "atLeast", "atMost",
    ]
}

/// The rules language of SPEC section 2. Conditions nest only as deep as the policy's YAML, which the YAML
/// layer bounds at 64 levels, so evaluating them recursively is bounded too.
package indirect enum Condition: Sendable, Hashable {
    case field(FieldPath, FieldTest)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    package func holds(on app: some FieldSource) -> Bool {
        switch self {
        case .all(let cs): return cs.allSatisfy { $0.holds(on: app) }
        case .any(let cs): return cs.contains { $0.holds(on: app) }
        case .not(let c): return !c.holds(on: app)
        case .field(let path, let test):
            let values = app.values(at: path)
            // A missing field satisfies only `exists: false`, `notEquals` and `notIn`.
            if values.isEmpty {
                switch test {
                case .exists(let want): return !want
                case .notEquals, .notIn: return true
                default: return false
                }
            }
            // With `[*]` the condition holds when any element satisfies it.
            return values.contains { Condition.test(test, $0) }
        }
    }

    /// Every field path the condition reads, in the order written (`all`, `any` and `not` included).
    package var fieldsRead: [FieldPath] {
        switch self {
        case .field(let path, _): return [path]
        case .all(let cs), .any(let cs): return cs.flatMap(\.fieldsRead)
        case .not(let c): return c.fieldsRead
        }
    }

    private static func test(_ test: FieldTest, _ v: ManifestValue) -> Bool {
        switch test {
        case .equals(let x): return v == x
        case .notEquals(let x): return v != x
        case .isIn(let xs): return xs.contains(v)
        case .notIn(let xs): return !xs.contains(v)
        case .exists(let want): return want
        case .matches(let p): return v.stringValue.map(p.matches) ?? false
        case .greaterThan(let x): return v.numberValue.map { $0 > x } ?? false
        case .lessThan(let x): return v.numberValue.map { $0 < x } ?? false
        case .atLeast(let x): return v.numberValue.map { $0 >= x } ?? false
        case .atMost(let x): return v.numberValue.map { $0 <= x } ?? false
        }
    }
}

import Testing

@testable import TiergateCore

/// `ManifestValue.lay` lays the typed model over the document in place (for speed): it must give what the plain
/// way gives, written here independently: a merge into a new value.
@Suite("Value trees, merged in place")
struct ValueTreeTests {
    static let base: ManifestValue = .map([
        "metadata": .map([
            "name": .string("app"), "title": .string("A"),
            "labels": .map(["team": .string("t1"), "costCenter": .string("CC-1")]),
        ]),
        "spec": .map(["runtime": .string("client"), "template": .string("web"), "list": .list([.map(["b": .number(1)])])]),
    ])

    /// Documents that differ from `base` in one place each, or in several: what the typed values are laid over.
    static let variants: [ManifestValue] = [
        edit(base, ["metadata", "title"], .string("B")),
        edit(base, ["metadata", "title"], nil),
        edit(base, ["metadata", "subtitle"], .string("new")),
        edit(base, ["metadata", "labels", "team"], .string("t2")),
        edit(base, ["metadata", "labels", "costCenter"], .string("CC-2")),
        edit(base, ["metadata", "labels"], .string("not a mapping")),
        edit(edit(base, ["metadata", "labels", "team"], .string("t2")), ["metadata", "title"], .string("B")),
        edit(base, ["spec", "runtime"], .string("vendor-platform")),
        edit(base, ["spec", "template"], .map(["x": .string("y")])),
        edit(base, ["spec", "list"], .list([.map(["b": .number(2)])])),
        // An item with a key the typed item lacks (an unknown field of an integration): kept by the merge.
        edit(base, ["spec", "list"], .list([.map(["b": .number(1), "unknown": .string("kept")])])),
        edit(base, ["metadata"], .string("flat")),
        edit(base, ["metadata"], nil),
        .string("no mapping at all"),
    ]

    /// `value` with the field at `keys` set to `new` (removed when nil); mappings on the way are made.
    static func edit(_ value: ManifestValue, _ keys: [String], _ new: ManifestValue?) -> ManifestValue {
        guard let k = keys.first else { return new ?? .null }
        var m: [String: ManifestValue] = [:]
        if case .map(let existing) = value { m = existing }
        if keys.count == 1 {
            m[k] = new
        } else {
            m[k] = edit(m[k] ?? .map([:]), Array(keys.dropFirst()), new)
        }
        return .map(m)
    }

    /// The plain merge, into a new value.
    static func overlay(_ typed: ManifestValue, on raw: ManifestValue) -> ManifestValue {
        switch (typed, raw) {
        case (.map(let t), .map(let r)):
            var out = r
            for (k, v) in t { out[k] = r[k].map { overlay(v, on: $0) } ?? v }
            return .map(out)
        case (.list(let t), .list(let r)) where t.count == r.count:
            return .list(zip(t, r).map { overlay($0, on: $1) })
        default:
            return typed
        }
    }

    @Test("laying the typed values over the document in place agrees with the plain merge")
    func layAgrees() {
        let typedOnes: [ManifestValue] = [
            Self.base,
            Self.edit(Self.base, ["spec", "state"], .string("active")),
            Self.edit(Self.base, ["spec", "list"], .list([.map(["b": .number(1), "c": .bool(false)])])),
            Self.edit(Self.base, ["spec", "list"], .list([])),
            Self.edit(Self.base, ["metadata"], .string("typed")),
            .list([.null]),
        ]
        for typed in typedOnes {
            for raw in [Self.base] + Self.variants {
                var laid = raw
                ManifestValue.lay(typed, over: &laid)
                #expect(laid == Self.overlay(typed, on: raw), "\(typed) over \(raw)")
            }
        }
        // The raw value a caller still holds is not changed by laying over its copy.
        let raw = Self.base
        var copy = raw
        ManifestValue.lay(Self.edit(Self.base, ["spec", "state"], .string("active")), over: &copy)
        #expect(raw == Self.base)
        #expect(copy["spec"]?["state"] == .string("active"))
    }
}

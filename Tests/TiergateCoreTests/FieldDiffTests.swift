import Testing

@testable import TiergateCore

/// `FieldDiff.onlyUnder` compares two documents with the ungoverned fields taken out, where they lie, and
/// `ManifestValue.lay` lays the typed model over the document in place (both for speed): each must give what the
/// plain way gives, written here independently: copies with the fields removed, and a merge into a new value.
@Suite("Field diff, compared in place")
struct FieldDiffTests {
    /// The plain way: each path's field removed from a copy, one path after another, where every segment up to
    /// the last is a key of a mapping.
    static func removing(_ paths: [FieldPath], from value: ManifestValue) -> ManifestValue {
        var v = value
        for p in paths { v = removing(p.segments[...], from: v) }
        return v
    }

    static func removing(_ segments: ArraySlice<FieldPath.Segment>, from v: ManifestValue) -> ManifestValue {
        guard case .key(let k)? = segments.first, case .map(var m) = v, let child = m[k] else { return v }
        m[k] = segments.count == 1 ? nil : removing(segments.dropFirst(), from: child)
        return .map(m)
    }

    static let base: ManifestValue = .map([
        "metadata": .map([
            "name": .string("app"), "title": .string("A"),
            "labels": .map(["team": .string("t1"), "costCenter": .string("CC-1")]),
        ]),
        "spec": .map(["runtime": .string("client"), "template": .string("web"), "list": .list([.map(["b": .number(1)])])]),
    ])

    /// Documents that differ from `base` in one place each, or in several.
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
        edit(base, ["metadata"], .string("flat")),
        edit(base, ["metadata"], nil),
        .string("no mapping at all"),
    ]

    static let ignored: [[String]] = [
        [],
        ["metadata.title"],
        ["metadata.labels"],
        ["metadata.labels.team"],
        ["metadata.title", "metadata.labels.team"],
        ["metadata.labels.team", "metadata"],
        ["metadata", "metadata.labels.team"],
        ["spec.template.x"],
        ["spec.runtime.deeper"],
        ["spec.list[*].b"],
        ["metadata.subtitle", "metadata.title", "metadata.labels.costCenter"],
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

    @Test("taking ungoverned fields out in place agrees with comparing copies without them")
    func onlyUnderAgrees() {
        var compared = 0
        var equalOnes = 0
        for fields in Self.ignored {
            let paths = fields.compactMap(FieldPath.init)
            #expect(paths.count == fields.count)
            for a in [Self.base] + Self.variants {
                for b in [Self.base] + Self.variants {
                    let plain = Self.removing(paths, from: a) == Self.removing(paths, from: b)
                    let inPlace = FieldDiff.equal(a, b, ignoring: paths.map { $0.segments[...] })
                    #expect(inPlace == plain, "\(fields): \(a) against \(b)")
                    #expect(FieldDiff.onlyUnder(fields, from: a, to: b) == (a != b && plain))
                    compared += 1
                    if plain && a != b { equalOnes += 1 }
                }
            }
        }
        // Both answers occur, so the agreement says something.
        #expect(compared == Self.ignored.count * 14 * 14)
        #expect(equalOnes > 0)
        #expect(FieldDiff.onlyUnder(["metadata.title"], from: nil, to: Self.base) == false)
        #expect(FieldDiff.onlyUnder(["metadata.title"], from: Self.base, to: Self.base) == false)
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

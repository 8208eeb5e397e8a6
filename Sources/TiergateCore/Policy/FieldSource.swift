/// What a rule's field paths are read from: a manifest as values, or a typed app read in place.
package protocol FieldSource {
    /// Every value `path` reaches; empty when the field is missing (`FieldPath.values(in:)` semantics).
    func values(at path: FieldPath) -> [ManifestValue]
}

extension ManifestValue: FieldSource {
    package func values(at path: FieldPath) -> [ManifestValue] { path.values(in: self) }
}

/// A typed app as a field source: walks the fields a path names through `ManifestSchema`'s table, straight from
/// `MicroApp`, giving exactly what `path.values(in: app.value)` gives without building the whole value tree (lint
/// evaluates every rule on every app). A test checks that both agree on every path of the schema.
package struct TypedFields: FieldSource, Sendable {
    package let app: MicroApp

    package init(_ app: MicroApp) { self.app = app }

    package func values(at path: FieldPath) -> [ManifestValue] {
        var out: [ManifestValue] = []
        ManifestSchema.root.walk(app, path.segments[...], &out)
        return out
    }
}

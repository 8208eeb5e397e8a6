/// A manifest as plain values (like JSON), the form that policy conditions read and that changes are
/// computed on. Maps keep their keys sorted so that two equal manifests give equal values.
package enum ManifestValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([ManifestValue])
    case map([String: ManifestValue])

    package subscript(key: String) -> ManifestValue? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    package var isScalar: Bool {
        switch self {
        case .list, .map: false
        default: true
        }
    }

    /// Short text for reports: numbers without a needless `.0`.
    package var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .number(let d): ManifestValue.format(d)
        case .string(let s): s
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.keys.sorted().map { "\($0): \(m[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }

    package static func format(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}

extension ManifestValue {
    /// A policy literal (a YAML scalar) as a value.
    package init(_ scalar: ScalarValue) {
        switch scalar {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .float(let d): self = .number(d)
        case .string(let s): self = .string(s)
        }
    }
}

extension MicroApp {
    /// The app as values, with the schema's defaults filled in (`state: active`, empty lists), so that writing
    /// a default out explicitly is not a change.
    package var value: ManifestValue { ManifestSchema.root.value(of: self) }
}

extension DecodedManifest {
    /// The whole document as values, as `check` compares it: every field the document holds, unknown ones
    /// included (some deployer may read them), with the typed model's values and defaults laid over them, so
    /// that writing a default out is not a change but adding `privileged: true` is.
    package var documentValue: ManifestValue {
        var value = ManifestValue(node: root)
        guard let typed = app?.value else { return value }
        ManifestValue.lay(typed, over: &value)
        return value
    }
}

extension ManifestValue {
    /// Lays `typed` over `raw`, in place: maps merge key by key, lists of equal length element by element,
    /// anything else takes the typed value. Recursion follows `typed`, whose depth the schema fixes.
    static func lay(_ typed: ManifestValue, over raw: inout ManifestValue) {
        switch typed {
        case .map(let t):
            guard case .map(var r) = raw else { return raw = typed }
            raw = .null  // the map has one owner now, so it changes where it lies
            for (k, v) in t {
                if let i = r.index(forKey: k) { lay(v, over: &r.values[i]) } else { r[k] = v }
            }
            raw = .map(r)
        case .list(let t):
            guard case .list(var r) = raw, r.count == t.count else { return raw = typed }
            raw = .null
            for i in t.indices { lay(t[i], over: &r[i]) }
            raw = .list(r)
        default:
            raw = typed
        }
    }
}

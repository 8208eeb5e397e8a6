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
    package var value: ManifestValue {
        // Each map is made at its final size: growing a dictionary re-hashes every key, and this runs once per
        // app of every lint.
        var metadataMap = [String: ManifestValue](minimumCapacity: 5)
        metadataMap["name"] = .string(metadata.name)
        metadataMap["owner"] = .string(metadata.owner)
        metadataMap["labels"] = .map(metadata.labels.mapValues { .string($0) })
        if let t = metadata.title { metadataMap["title"] = .string(t) }
        if let d = metadata.description { metadataMap["description"] = .string(d) }

        let l = spec.lifecycle
        var lifecycleMap = [String: ManifestValue](minimumCapacity: 6)
        lifecycleMap["createdAt"] = .string(l.createdAt.description)
        if let v = l.ttlDays { lifecycleMap["ttlDays"] = .number(Double(v)) }
        if let v = l.renewedAt { lifecycleMap["renewedAt"] = .string(v.description) }
        if let v = l.renewalJustification { lifecycleMap["renewalJustification"] = .string(v) }
        if let v = l.retireBy { lifecycleMap["retireBy"] = .string(v.description) }
        if let v = l.attestedAt { lifecycleMap["attestedAt"] = .string(v.description) }

        var specMap = [String: ManifestValue](minimumCapacity: 17)
        specMap["dataClass"] = .string(spec.dataClass.rawValue)
        specMap["accessScope"] = .string(spec.accessScope.rawValue)
        specMap["runtime"] = .string(spec.runtime.rawValue)
        specMap["criticality"] = .string(spec.criticality.rawValue)
        specMap["integrations"] = .list(
            spec.integrations.map { i in
                var m = [String: ManifestValue](minimumCapacity: 3)
                m["name"] = .string(i.name)
                m["access"] = .string(i.access.rawValue)
                if let e = i.endpoint { m["endpoint"] = .string(e) }
                return .map(m)
            })
        specMap["network"] = .map([
            "egress": .string(spec.network.egress.rawValue),
            "destinations": .list(spec.network.destinations.map { .string($0) }),
        ])
        specMap["secrets"] = .list(spec.secrets.map { .map(["name": .string($0.name), "ref": .string($0.ref)]) })
        specMap["lifecycle"] = .map(lifecycleMap)
        specMap["cost"] = .map(["monthlyCapUSD": .number(spec.cost.monthlyCapUSD)])
        specMap["observability"] = .map([
            "logSink": .string(spec.observability.logSink),
            "retentionDays": .number(Double(spec.observability.retentionDays)),
        ])
        specMap["state"] = .string(spec.state.rawValue)
        if let t = spec.template { specMap["template"] = .string(t) }
        if let r = spec.residency { specMap["residency"] = .string(r) }
        if let r = spec.regions { specMap["regions"] = .list(r.map { .string($0) }) }
        return .map([
            "apiVersion": .string(MicroApp.apiVersion), "kind": .string(MicroApp.kind),
            "metadata": .map(metadataMap), "spec": .map(specMap),
        ])
    }
}

extension DecodedManifest {
    /// The whole document as values, as `check` compares it: every field the document holds, unknown ones
    /// included (some deployer may read them), with the typed model's values and defaults laid over them, so
    /// that writing a default out is not a change but adding `privileged: true` is.
    package var documentValue: ManifestValue {
        let raw = ManifestValue(node: root)
        guard let typed = app?.value else { return raw }
        return ManifestValue.overlay(typed, on: raw)
    }
}

extension ManifestValue {
    /// `typed` laid over `raw`: maps merge key by key, lists of equal length element by element, anything else
    /// takes the typed value. Recursion follows `typed`, whose depth the schema fixes.
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
}

/// A manifest as plain values (like JSON), the form that policy conditions read and that changes are
/// computed on. Maps keep their keys sorted so that two equal manifests give equal values.
public indirect enum ManifestValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([ManifestValue])
    case map([String: ManifestValue])

    public subscript(key: String) -> ManifestValue? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    public var isScalar: Bool {
        switch self {
        case .list, .map: false
        default: true
        }
    }

    /// Short text for reports: numbers without a needless `.0`.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .number(let d): ManifestValue.format(d)
        case .string(let s): s
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.keys.sorted().map { "\($0): \(m[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }

    public static func format(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}

extension ManifestValue {
    /// A policy literal (a YAML scalar) as a value.
    public init(_ scalar: ScalarValue) {
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
    public var value: ManifestValue {
        var metadataMap: [String: ManifestValue] = [
            "name": .string(metadata.name), "owner": .string(metadata.owner),
            "labels": .map(metadata.labels.mapValues { .string($0) }),
        ]
        if let t = metadata.title { metadataMap["title"] = .string(t) }
        if let d = metadata.description { metadataMap["description"] = .string(d) }

        var lifecycleMap: [String: ManifestValue] = ["createdAt": .string(spec.lifecycle.createdAt.description)]
        if let v = spec.lifecycle.ttlDays { lifecycleMap["ttlDays"] = .number(Double(v)) }
        if let v = spec.lifecycle.renewedAt { lifecycleMap["renewedAt"] = .string(v.description) }
        if let v = spec.lifecycle.renewalJustification { lifecycleMap["renewalJustification"] = .string(v) }
        if let v = spec.lifecycle.retireBy { lifecycleMap["retireBy"] = .string(v.description) }
        if let v = spec.lifecycle.attestedAt { lifecycleMap["attestedAt"] = .string(v.description) }

        var specMap: [String: ManifestValue] = [
            "dataClass": .string(spec.dataClass.rawValue),
            "accessScope": .string(spec.accessScope.rawValue),
            "runtime": .string(spec.runtime.rawValue),
            "criticality": .string(spec.criticality.rawValue),
            "integrations": .list(
                spec.integrations.map { i in
                    var m: [String: ManifestValue] = ["name": .string(i.name), "access": .string(i.access.rawValue)]
                    if let e = i.endpoint { m["endpoint"] = .string(e) }
                    return .map(m)
                }),
            "network": .map([
                "egress": .string(spec.network.egress.rawValue),
                "destinations": .list(spec.network.destinations.map { .string($0) }),
            ]),
            "secrets": .list(spec.secrets.map { .map(["name": .string($0.name), "ref": .string($0.ref)]) }),
            "lifecycle": .map(lifecycleMap),
            "cost": .map(["monthlyCapUSD": .number(spec.cost.monthlyCapUSD)]),
            "observability": .map([
                "logSink": .string(spec.observability.logSink),
                "retentionDays": .number(Double(spec.observability.retentionDays)),
            ]),
            "state": .string(spec.state.rawValue),
        ]
        if let t = spec.template { specMap["template"] = .string(t) }
        if let r = spec.residency { specMap["residency"] = .string(r) }
        if let r = spec.regions { specMap["regions"] = .list(r.map { .string($0) }) }
        return .map([
            "apiVersion": .string(MicroApp.apiVersion), "kind": .string(MicroApp.kind),
            "metadata": .map(metadataMap), "spec": .map(specMap),
        ])
    }
}

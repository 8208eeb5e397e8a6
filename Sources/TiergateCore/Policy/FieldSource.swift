/// What a rule's field paths are read from: a manifest as values, or a typed app read in place.
package protocol FieldSource {
    /// Every value `path` reaches; empty when the field is missing (`FieldPath.values(in:)` semantics).
    func values(at path: FieldPath) -> [ManifestValue]
}

extension ManifestValue: FieldSource {
    package func values(at path: FieldPath) -> [ManifestValue] { path.values(in: self) }
}

/// A typed app as a field source: reads the fields a path names straight from `MicroApp`, giving exactly what
/// `path.values(in: app.value)` gives without building the whole value tree (lint evaluates every rule on every
/// app). A path that ends on a mapping or a list falls back to the value tree; a test checks that both agree on
/// every path of the schema.
package struct TypedFields: FieldSource, Sendable {
    package let app: MicroApp

    package init(_ app: MicroApp) { self.app = app }

    /// Where a path has got to: a part of the typed app, or a plain value.
    private enum Cursor {
        case root, metadata, labels, spec, integrations, integration(Int), network, destinations, secrets, secret(Int)
        case regions, lifecycle, cost, observability
        case value(ManifestValue)
    }

    package func values(at path: FieldPath) -> [ManifestValue] {
        var current: [Cursor] = [.root]
        for segment in path.segments {
            var next: [Cursor] = []
            for c in current {
                switch segment {
                case .key(let k): if let child = child(c, k) { next.append(child) }
                case .everyElement: elements(c, into: &next)
                }
            }
            current = next
            if current.isEmpty { return [] }
        }
        var out: [ManifestValue] = []
        out.reserveCapacity(current.count)
        for c in current {
            guard case .value(let v) = c else { return path.values(in: app.value) }
            out.append(v)
        }
        return out
    }

    private func child(_ c: Cursor, _ k: String) -> Cursor? {
        let m = app.metadata
        let s = app.spec
        switch c {
        case .root:
            switch k {
            case "apiVersion": return .value(.string(MicroApp.apiVersion))
            case "kind": return .value(.string(MicroApp.kind))
            case "metadata": return .metadata
            case "spec": return .spec
            default: return nil
            }
        case .metadata:
            switch k {
            case "name": return .value(.string(m.name))
            case "owner": return .value(.string(m.owner))
            case "title": return m.title.map { .value(.string($0)) }
            case "description": return m.description.map { .value(.string($0)) }
            case "labels": return .labels
            default: return nil
            }
        case .labels:
            return m.labels[k].map { .value(.string($0)) }
        case .spec:
            switch k {
            case "template": return s.template.map { .value(.string($0)) }
            case "dataClass": return .value(.string(s.dataClass.rawValue))
            case "accessScope": return .value(.string(s.accessScope.rawValue))
            case "runtime": return .value(.string(s.runtime.rawValue))
            case "criticality": return .value(.string(s.criticality.rawValue))
            case "integrations": return .integrations
            case "network": return .network
            case "secrets": return .secrets
            case "residency": return s.residency.map { .value(.string($0)) }
            case "regions": return s.regions == nil ? nil : .regions
            case "lifecycle": return .lifecycle
            case "cost": return .cost
            case "observability": return .observability
            case "state": return .value(.string(s.state.rawValue))
            default: return nil
            }
        case .integration(let i):
            let x = s.integrations[i]
            switch k {
            case "name": return .value(.string(x.name))
            case "access": return .value(.string(x.access.rawValue))
            case "endpoint": return x.endpoint.map { .value(.string($0)) }
            default: return nil
            }
        case .network:
            switch k {
            case "egress": return .value(.string(s.network.egress.rawValue))
            case "destinations": return .destinations
            default: return nil
            }
        case .secret(let i):
            let x = s.secrets[i]
            switch k {
            case "name": return .value(.string(x.name))
            case "ref": return .value(.string(x.ref))
            default: return nil
            }
        case .lifecycle:
            let l = s.lifecycle
            switch k {
            case "createdAt": return .value(.string(l.createdAt.description))
            case "ttlDays": return l.ttlDays.map { .value(.number(Double($0))) }
            case "renewedAt": return l.renewedAt.map { .value(.string($0.description)) }
            case "renewalJustification": return l.renewalJustification.map { .value(.string($0)) }
            case "retireBy": return l.retireBy.map { .value(.string($0.description)) }
            case "attestedAt": return l.attestedAt.map { .value(.string($0.description)) }
            default: return nil
            }
        case .cost:
            return k == "monthlyCapUSD" ? .value(.number(s.cost.monthlyCapUSD)) : nil
        case .observability:
            switch k {
            case "logSink": return .value(.string(s.observability.logSink))
            case "retentionDays": return .value(.number(Double(s.observability.retentionDays)))
            default: return nil
            }
        case .integrations, .destinations, .secrets, .regions:
            return nil  // a list has no keys
        case .value(let v):
            guard let child = v[k], child != .null else { return nil }
            return .value(child)
        }
    }

    private func elements(_ c: Cursor, into out: inout [Cursor]) {
        let s = app.spec
        switch c {
        case .integrations: out += s.integrations.indices.map { .integration($0) }
        case .secrets: out += s.secrets.indices.map { .secret($0) }
        case .destinations: out += s.network.destinations.map { .value(.string($0)) }
        case .regions: out += (s.regions ?? []).map { .value(.string($0)) }
        case .value(.list(let items)): out += items.map { .value($0) }
        default: break
        }
    }
}

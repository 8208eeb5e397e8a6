/// One changed value: `{path, from, to}`; nil means absent on that side.
package struct FieldChange: Sendable, Hashable {
    package var path: String
    package var from: ManifestValue?
    package var to: ManifestValue?
}

/// Compares two manifests as values. Lists of objects are keyed by `name` (`spec.integrations[crm].access`);
/// the schema's lists of scalars (`destinations`, `regions`) are compared as sets, any other list in order.
package enum FieldDiff {
    package static func changes(from old: ManifestValue?, to new: ManifestValue?) -> [FieldChange] {
        guard old != new else { return [] }
        var out: [FieldChange] = []
        // Explicit work list; manifest values are at most as deep as the YAML layer allows. Only values that
        // differ are pushed, so a path is spelled out only for them.
        var pending: [(String, ManifestValue?, ManifestValue?)] = [("", old, new)]
        while let (path, a, b) = pending.popLast() {
            switch (a, b) {
            case (.map(let x)?, .map(let y)?):
                for key in keys(x, y) {
                    let (xv, yv) = (x[key], y[key])
                    if xv != yv { pending.append((join(path, key), xv, yv)) }
                }
            case (.list(let x)?, .list(let y)?):
                if let xs = keyedByName(x), let ys = keyedByName(y) {
                    for key in keys(xs, ys) {
                        let (xv, yv) = (xs[key], ys[key])
                        if xv != yv { pending.append(("\(path)[\(key)]", xv, yv)) }
                    }
                } else if x.allSatisfy(\.isScalar) && y.allSatisfy(\.isScalar) {
                    // The schema's lists of scalars are sets; any other list (an unknown field: `args`) may
                    // mean something by its order and repeats, so a reorder there is a change.
                    let changed = setValuedLists.contains(path) ? Set(x) != Set(y) : x != y
                    if changed { out.append(FieldChange(path: path, from: a, to: b)) }
                } else {
                    out.append(FieldChange(path: path, from: a, to: b))
                }
            default:
                out.append(FieldChange(path: path, from: a, to: b))
            }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// The lists of scalars that SPEC section 1 defines, compared as sets (order and repeats mean nothing).
    static let setValuedLists: Set<String> = ["spec.network.destinations", "spec.regions"]

    /// Whether every change lies under one of the given fields (the policy's `ungovernedFields`).
    /// Compares the documents structurally: a change path is text, and a key that holds a dot or a bracket
    /// (`metadata: {"description.image": ...}`) would read as if it lay under an ungoverned field.
    package static func onlyUnder(_ fields: [String], from old: ManifestValue?, to new: ManifestValue?) -> Bool {
        guard old != new else { return false }
        let paths = fields.compactMap(FieldPath.init)
        return removing(paths, from: old) == removing(paths, from: new)
    }

    /// A value without the fields at the given paths (key segments only, as `ungovernedFields` are).
    static func removing(_ paths: [FieldPath], from value: ManifestValue?) -> ManifestValue? {
        guard var v = value else { return nil }
        for p in paths { v = removing(p.segments[...], from: v) }
        return v
    }

    private static func removing(_ segments: ArraySlice<FieldPath.Segment>, from v: ManifestValue) -> ManifestValue {
        guard case .key(let k)? = segments.first, case .map(var m) = v, let child = m[k] else { return v }
        m[k] = segments.count == 1 ? nil : removing(segments.dropFirst(), from: child)
        return .map(m)
    }

    /// The keys of either mapping, last first (the work list takes them from its end).
    private static func keys(_ x: [String: ManifestValue], _ y: [String: ManifestValue]) -> [String] {
        var keys = Array(x.keys)
        keys.reserveCapacity(x.count + y.count)
        for k in y.keys where x[k] == nil { keys.append(k) }
        return keys.sorted(by: >)
    }

    private static func join(_ p: String, _ k: String) -> String { p.isEmpty ? k : "\(p).\(k)" }

    /// A list of maps that all have a distinct string `name`, by name.
    private static func keyedByName(_ items: [ManifestValue]) -> [String: ManifestValue]? {
        guard !items.isEmpty else { return [:] }
        var out: [String: ManifestValue] = [:]
        for item in items {
            guard let name = item["name"]?.stringValue, out[name] == nil else { return nil }
            out[name] = item
        }
        return out
    }
}

extension ManifestValue {
    /// Any YAML node as values (for manifests that did not decode into the typed model). The YAML layer bounds
    /// depth at 64; `depth` guards the recursion regardless.
    package init(node: YAMLNode, depth: Int = 0) {
        guard depth <= YAMLLimits.maxDepth else {
            self = .null
            return
        }
        let count = node.count
        if node.isSequence {
            var items: [ManifestValue] = []
            items.reserveCapacity(count)
            for i in 0..<count { items.append(ManifestValue(node: node.item(i), depth: depth + 1)) }
            self = .list(items)
        } else if node.isMapping {
            var m = [String: ManifestValue](minimumCapacity: count)
            for i in 0..<count {
                let key = node.key(i).scalarValue.map { ManifestValue($0).description } ?? "?"
                if m[key] == nil { m[key] = ManifestValue(node: node.value(i), depth: depth + 1) }
            }
            self = .map(m)
        } else {
            self = node.scalarValue.map(ManifestValue.init) ?? .null
        }
    }
}

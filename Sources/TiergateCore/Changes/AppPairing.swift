package enum ChangeKind: String, Sendable, Codable {
    case added, removed, modified, moved, reformatted, renamed
}

package enum TierChange: String, Sendable, Codable {
    case new, retired, escalated, deescalated, unchanged
}

/// One side of an app: where it was read and how it was judged.
package struct AppVersion: Sendable {
    package var path: String
    package var evaluated: EvaluatedApp
    /// Whether the file it was read from has a YAML-layer finding (or another reason another reader could see
    /// other values, such as checkout attributes): such a version is never `moved` or `reformatted`.
    package var readersMayDisagree: Bool

    package init(path: String, evaluated: EvaluatedApp, readersMayDisagree: Bool = false) {
        self.path = path
        self.evaluated = evaluated
        self.readersMayDisagree = readersMayDisagree
    }

    package var manifest: DecodedManifest { evaluated.manifest }
    package var tier: Int? { evaluated.tier }
    /// The whole document, unknown fields included, with the schema's defaults filled in.
    package var value: ManifestValue { manifest.documentValue }
}

/// How the change moves one app (SPEC section 5).
package struct AppChange: Sendable {
    package var name: String
    package var change: ChangeKind
    package var base: AppVersion?
    package var head: AppVersion?
    package var fieldChanges: [FieldChange]
    package var onlyUngoverned: Bool
    /// The policy's highest tier: what a head version whose tier cannot be computed costs (fail closed).
    package var highestTier: Int

    package var path: String { head?.path ?? base?.path ?? "" }
    package var previousPath: String? {
        guard let b = base?.path, let h = head?.path, b != h else { return nil }
        return b
    }
    /// With `renamed`: the name at base.
    package var previousName: String? {
        guard change == .renamed, let b = base?.evaluated.name, b != name else { return nil }
        return b
    }

    package var baseTier: Int? { base?.tier }
    package var headTier: Int? { head?.tier }

    /// Whether the head version exists but its tier could not be computed: the gate cannot pass it.
    package var headUntiered: Bool { head != nil && headTier == nil }

    /// The tier whose approvals the change needs. A de-escalation needs the old, higher tier's approvals; a head
    /// whose tier cannot be computed costs the highest tier; a change of ungoverned fields alone costs nothing
    /// only while the tier stays what it was.
    package var requiredTier: Int? {
        switch change {
        case .removed, .moved, .reformatted: return nil
        case .added: return headTier ?? highestTier
        case .modified, .renamed:
            if onlyUngoverned, let b = baseTier, let h = headTier, b == h { return nil }
            guard let h = headTier else { return highestTier }
            return max(baseTier ?? h, h)
        }
    }

    package var tierChange: TierChange {
        switch change {
        case .added: return .new
        case .removed: return .retired
        default:
            guard let b = baseTier, let h = headTier else { return .unchanged }
            return h > b ? .escalated : h < b ? .deescalated : .unchanged
        }
    }

    /// Whether the head version is reviewed: it needs its tier's approvals and the rules' approvals.
    package var isReviewed: Bool { change == .added || change == .modified || change == .renamed }
}

/// Pairs apps by `metadata.name` across base and head, so moves, splits and merges of files are classified by
/// identity; then an app that left a path where another app arrived is `renamed` (path-keyed deployers treat it
/// as the same app). "Same values" is strict: whole documents are compared, unknown fields included, and a
/// version another reader could read differently is always `modified`.
package enum AppPairing {
    package static func pair(base: [AppVersion], head: [AppVersion], policy: Policy) -> [AppChange] {
        let highest = policy.tiers.map(\.tier).max() ?? 3
        let baseByName = firstByName(base)
        let headByName = firstByName(head)
        var changes: [AppChange] = []
        var removed: [AppVersion] = []
        var added: [AppVersion] = []
        for name in Set(baseByName.keys).union(headByName.keys).sorted() {
            switch (baseByName[name], headByName[name]) {
            case (nil, let h?): added.append(h)
            case (let b?, nil): removed.append(b)
            case (let b?, let h?):
                // Each side's value tree is built once: the diff and the ungoverned-fields test both read it.
                let values = (b.value, h.value)
                let diff = FieldDiff.changes(from: values.0, to: values.1)
                let kind: ChangeKind
                if !diff.isEmpty || (h.readersMayDisagree && (b.path != h.path || b.manifest.textDigest != h.manifest.textDigest)) {
                    kind = .modified
                } else if b.path != h.path {
                    kind = .moved
                } else if b.manifest.textDigest != h.manifest.textDigest {
                    kind = .reformatted
                } else {
                    continue  // the same document, untouched
                }
                changes.append(change(name, kind, b, h, diff, values, policy, highest))
            case (nil, nil):
                continue
            }
        }
        // A rename in place: at one path, the apps that left it and the apps that arrived at it, in document
        // order. An app that left may have been removed or have moved elsewhere, and one that arrived may be new or
        // have moved in from elsewhere: a path-keyed deployer sees the app at that path take other values either
        // way. A pair with an app that also moved keeps that app's own change besides the `renamed` one.
        let addedNames = Set(added.compactMap(\.evaluated.name))
        let removedNames = Set(removed.compactMap(\.evaluated.name))
        func namesByPath(_ versions: [String: AppVersion]) -> [String: Set<String>] {
            var out: [String: Set<String>] = [:]
            for (name, v) in versions { out[v.path, default: []].insert(name) }
            return out
        }
        let baseNamesAt = namesByPath(baseByName)
        let headNamesAt = namesByPath(headByName)
        let byMark: (AppVersion, AppVersion) -> Bool = { $0.manifest.root.mark < $1.manifest.root.mark }
        let leftAt = Dictionary(grouping: baseByName.values.filter { !(headNamesAt[$0.path]?.contains($0.evaluated.name ?? "") ?? false) }, by: \.path)
        let arrivedAt = Dictionary(grouping: headByName.values.filter { !(baseNamesAt[$0.path]?.contains($0.evaluated.name ?? "") ?? false) }, by: \.path)
            .mapValues { $0.sorted(by: byMark) }
        var renamedHeads = Set<String>()
        var pairedBases = Set<String>()
        for (path, left) in leftAt {
            let arrived = arrivedAt[path] ?? []
            for (i, b) in left.sorted(by: byMark).enumerated() where i < arrived.count {
                let h = arrived[i]
                guard let name = h.evaluated.name, let old = b.evaluated.name else { continue }
                if addedNames.contains(name) { renamedHeads.insert(name) }
                if removedNames.contains(old) { pairedBases.insert(old) }
                let values = (b.value, h.value)
                changes.append(change(name, .renamed, b, h, FieldDiff.changes(from: values.0, to: values.1), values, policy, highest))
            }
        }
        for b in removed where !pairedBases.contains(b.evaluated.name ?? "") {
            changes.append(change(b.evaluated.name ?? "", .removed, b, nil, [], (nil, nil), policy, highest))
        }
        for h in added where !renamedHeads.contains(h.evaluated.name ?? "") {
            changes.append(change(h.evaluated.name ?? "", .added, nil, h, [], (nil, nil), policy, highest))
        }
        return changes.sorted { ($0.name, $0.path, $0.change.rawValue) < ($1.name, $1.path, $1.change.rawValue) }
    }

    private static func change(
        _ name: String, _ kind: ChangeKind, _ b: AppVersion?, _ h: AppVersion?, _ diff: [FieldChange],
        _ values: (base: ManifestValue?, head: ManifestValue?), _ policy: Policy, _ highest: Int
    ) -> AppChange {
        let ungoverned = kind == .modified || kind == .renamed ? FieldDiff.onlyUnder(policy.ungovernedFields, from: values.base, to: values.head) : false
        return AppChange(
            name: name, change: kind, base: b, head: h, fieldChanges: diff,
            onlyUngoverned: ungoverned && !(h?.readersMayDisagree ?? false), highestTier: highest)
    }

    private static func firstByName(_ versions: [AppVersion]) -> [String: AppVersion] {
        var out: [String: AppVersion] = [:]
        for v in versions {
            guard let name = v.evaluated.name, out[name] == nil else { continue }
            out[name] = v
        }
        return out
    }
}

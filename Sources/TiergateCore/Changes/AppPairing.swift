public enum ChangeKind: String, Sendable, Codable {
    case added, removed, modified, moved, reformatted
}

public enum TierChange: String, Sendable, Codable {
    case new, retired, escalated, deescalated, unchanged
}

/// One side of an app: where it was read and how it was judged.
public struct AppVersion: Sendable {
    public var path: String
    public var evaluated: EvaluatedApp

    public var manifest: DecodedManifest { evaluated.manifest }
    public var tier: Int? { evaluated.tier }
    public var value: ManifestValue { manifest.app?.value ?? ManifestValue(node: manifest.root) }
}

/// How the change moves one app (SPEC section 5).
public struct AppChange: Sendable {
    public var name: String
    public var change: ChangeKind
    public var base: AppVersion?
    public var head: AppVersion?
    public var fieldChanges: [FieldChange]
    public var onlyUngoverned: Bool

    public var path: String { head?.path ?? base?.path ?? "" }
    public var previousPath: String? {
        guard let b = base?.path, let h = head?.path, b != h else { return nil }
        return b
    }

    public var baseTier: Int? { base?.tier }
    public var headTier: Int? { head?.tier }

    /// The tier whose approvals the change needs. A de-escalation needs the old, higher tier's approvals.
    public var requiredTier: Int? {
        switch change {
        case .added: return headTier
        case .removed, .moved, .reformatted: return nil
        case .modified:
            if onlyUngoverned { return nil }
            switch (baseTier, headTier) {
            case (let b?, let h?): return max(b, h)
            case (let b?, nil): return b
            case (nil, let h?): return h
            default: return nil
            }
        }
    }

    public var tierChange: TierChange {
        switch change {
        case .added: return .new
        case .removed: return .retired
        default:
            guard let b = baseTier, let h = headTier else { return .unchanged }
            return h > b ? .escalated : h < b ? .deescalated : .unchanged
        }
    }

    /// Whether the head version is reviewed (linted, and asked rule approvals for).
    public var isReviewed: Bool { change == .added || change == .modified }
}

/// Pairs apps by `metadata.name` across base and head, so moves, renames, splits and merges of files are
/// classified by identity rather than by path.
public enum AppPairing {
    public static func pair(base: [AppVersion], head: [AppVersion], ungovernedFields: [String]) -> [AppChange] {
        let baseByName = firstByName(base)
        let headByName = firstByName(head)
        var changes: [AppChange] = []
        for name in Set(baseByName.keys).union(headByName.keys).sorted() {
            let b = baseByName[name]
            let h = headByName[name]
            switch (b, h) {
            case (nil, let h?):
                changes.append(AppChange(name: name, change: .added, base: nil, head: h, fieldChanges: [], onlyUngoverned: false))
            case (let b?, nil):
                changes.append(AppChange(name: name, change: .removed, base: b, head: nil, fieldChanges: [], onlyUngoverned: false))
            case (let b?, let h?):
                let diff = FieldDiff.changes(from: b.value, to: h.value)
                let kind: ChangeKind
                if !diff.isEmpty {
                    kind = .modified
                } else if b.path != h.path {
                    kind = .moved
                } else if b.manifest.textDigest != h.manifest.textDigest {
                    kind = .reformatted
                } else {
                    continue  // the same document, untouched
                }
                changes.append(
                    AppChange(name: name, change: kind, base: b, head: h, fieldChanges: diff, onlyUngoverned: FieldDiff.onlyUnder(ungovernedFields, diff)))
            case (nil, nil):
                continue
            }
        }
        return changes
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

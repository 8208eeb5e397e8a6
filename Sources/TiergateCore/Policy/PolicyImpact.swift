/// An app whose tier or required approvals differ between two policies (`policyImpact`, SPEC section 10).
package struct PolicyImpactRow: Sendable, Hashable {
    package var name: String
    package var path: String
    /// The tier under the old and the new policy; nil where that policy does not judge the file (outside its
    /// manifest globs) or the manifest has no tier (schema errors).
    package var tierBefore: Int?
    package var tierAfter: Int?
    /// What a new app of this shape needs under each policy: its tier's approvals and those of the rules that
    /// fire on it.
    package var approvalsBefore: [ApprovalRequirement]
    package var approvalsAfter: [ApprovalRequirement]

    /// Whether the new policy asks less of a change to this app: a lower tier, no tier where there was one (no
    /// longer judged), or a group asked less.
    package var asksLess: Bool {
        if let b = tierBefore, (tierAfter.map { $0 < b } ?? true) { return true }
        return approvalsAfter.count < approvalsBefore.count
            || approvalsBefore.contains { r in !approvalsAfter.contains { $0.group == r.group && $0.count >= r.count } }
    }
}

/// What a change of the policy does: its semantic differences and every app it re-tiers.
package struct PolicyImpact: Sendable, Equatable {
    /// Apps that ask less first, then by path.
    package var rows: [PolicyImpactRow]
    /// How many apps of the revision were tiered under both policies.
    package var appsCompared: Int
    package var differences: [PolicyDifference]

    /// Markdown and text show at most this many rows; JSON lists them all.
    package static let shownRows = 50
}

/// Tiers every app of a revision under two policies. Each manifest is read and decoded once; each app is tiered
/// under both policies from the same decoded value, on every core (`ParallelEvaluator.map`).
package enum PolicyImpactAnalysis {
    /// The apps found and the rows of those that differ; `names` are the apps the new policy judges (for
    /// `exception-unknown-app`).
    package struct Outcome: Sendable {
        package var rows: [PolicyImpactRow]
        package var appsCompared: Int
        package var names: Set<String>
    }

    /// `commit` nil: the index (`check --staged`).
    package static func run(
        at commit: ObjectID?, in repo: Repository, before: Policy, after: Policy, workers: Int? = nil
    ) throws(TiergateError) -> Outcome {
        let judged: @Sendable (String) -> Bool = { before.manifests.matches($0) || after.manifests.matches($0) }
        let walk: ((TreeEntry) -> Void) throws(GitError) -> Void = { body throws(GitError) in
            if let commit {
                try repo.forEachEntry(at: commit, where: judged, body)
            } else {
                for entry in try repo.indexEntries(where: judged) { body(entry) }
            }
        }
        let files = try ParallelEvaluator.map(
            in: repo, workers: workers, walk: walk, walkFailed: { .reading("the manifests at \(commit.map { String($0.hex.prefix(12)) } ?? "the index")", $0) }
        ) { entry, own throws(TiergateError) -> FileImpact? in
            let file: ManifestFile
            do { file = try ManifestLoader.load(entry, from: own) } catch { throw .reading(entry.path, error) }
            return compare(file, before: before, after: after)
        }
        var rows: [PolicyImpactRow] = []
        var names = Set<String>()
        var apps = 0
        for f in files {
            rows += f.rows
            names.formUnion(f.names)
            apps += f.apps
        }
        return Outcome(rows: ordered(rows), appsCompared: apps, names: names)
    }

    /// Apps that ask less first (what the approvers must see), then by path and name.
    package static func ordered(_ rows: [PolicyImpactRow]) -> [PolicyImpactRow] {
        rows.enumerated().sorted { a, b in
            if a.element.asksLess != b.element.asksLess { return a.element.asksLess }
            return a.offset < b.offset
        }.map(\.element)
    }

    struct FileImpact: Sendable {
        var rows: [PolicyImpactRow]
        var names: [String]
        var apps: Int
    }

    static func compare(_ file: ManifestFile, before: Policy, after: Policy) -> FileImpact {
        let (inBefore, inAfter) = (before.manifests.matches(file.path), after.manifests.matches(file.path))
        var out = FileImpact(rows: [], names: [], apps: 0)
        for manifest in file.apps {
            guard let name = manifest.name else { continue }
            out.apps += 1
            if inAfter { out.names.append(name) }
            let fields = manifest.app.map(TypedFields.init)
            func judge(_ policy: Policy, _ judged: Bool) -> (Int?, [ApprovalRequirement]) {
                guard judged, let app = manifest.app, let fields else { return (nil, []) }
                let tier = TierCalculator(policy: policy).tier(of: app)
                return (tier, approvals(fields, tier: tier, policy: policy))
            }
            let (tb, ab) = judge(before, inBefore)
            let (ta, aa) = judge(after, inAfter)
            guard tb != ta || Set(ab) != Set(aa) else { continue }
            out.rows.append(PolicyImpactRow(name: name, path: file.path, tierBefore: tb, tierAfter: ta, approvalsBefore: ab, approvalsAfter: aa))
        }
        return out
    }

    /// What a new app of this shape needs under a policy: its tier's approvals and those of every rule whose
    /// `when` holds, one requirement per group (the highest count), in the order the policy names them.
    package static func approvals(_ app: some FieldSource, tier: Int, policy: Policy) -> [ApprovalRequirement] {
        var all = policy.tier(tier)?.approvals ?? []
        for rule in policy.rules where !rule.approvals.isEmpty && rule.when.holds(on: app) { all += rule.approvals }
        return ApprovalRequirement.union(all)
    }
}

extension PolicyImpactRow: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> PolicyImpactRow {
        var x = self
        x.name = f(name)
        x.path = f(path)
        x.approvalsBefore = approvalsBefore.map { ApprovalRequirement(group: f($0.group), count: $0.count) }
        x.approvalsAfter = approvalsAfter.map { ApprovalRequirement(group: f($0.group), count: $0.count) }
        return x
    }
}

extension PolicyImpact: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> PolicyImpact {
        var x = self
        x.rows = rows.map { $0.mappingStrings(f) }
        x.differences = differences.map { var d = $0; d.section = f(d.section); d.description = f(d.description); return d }
        return x
    }
}

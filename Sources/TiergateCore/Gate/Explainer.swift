/// `tiergate explain`: every term of the tier formula for one app.
package struct AppExplanation: Sendable {
    package var name: String
    package var path: String
    package var revision: RevisionInfo
    package var policy: PolicyInfo
    package var explanation: TierExplanation
    /// Rules whose `when` holds on the app, with their effects.
    package var firedRules: [FiredRule]
    /// The approvals a change to this app needs: its tier's and the fired rules'.
    package var approvals: [ApprovalRequirement]
    package var tierName: String?

    package struct FiredRule: Sendable, Hashable {
        package var id: String
        package var raiseTier: Int?
        package var approvals: [ApprovalRequirement]
        /// For a rule with `require`: whether the requirement holds.
        package var requirementMet: Bool?
    }
}

package enum Explainer {
    /// Finds the app by name, or by the path of its manifest file.
    package static func run(target: String, repository: String?, revision: String, policyFile: String?, cwd: String) throws(TiergateError) -> AppExplanation {
        let all = try RevisionApps.load(repository: repository, revision: revision, policyFile: policyFile, today: .todayUTC(), cwd: cwd)
        var matches = all.apps.filter { $0.name == target }
        if matches.isEmpty {
            let path = target.hasPrefix("./") ? String(target.dropFirst(2)) : target
            matches = all.apps.filter { $0.path == path }
        }
        guard !matches.isEmpty else {
            if all.unreadable.contains(where: { $0.path == target }) {
                throw TiergateError(.usage, "\(target) could not be read as a manifest", fix: "run tiergate lint \(target) to see why")
            }
            throw TiergateError(.usage, "no app named or at '\(target)' at \(revision)", fix: "use an app's metadata.name or its manifest path (tiergate inventory lists them)")
        }
        guard matches.count == 1, let app = matches.first else {
            throw TiergateError(.usage, "\(target) holds several apps (\(matches.compactMap(\.name).joined(separator: ", ")))", fix: "name one of them")
        }
        guard let typed = app.manifest.app else {
            throw TiergateError(.usage, "the manifest of \(target) has schema errors, so it has no tier", fix: "run tiergate lint \(app.path) and fix them")
        }
        let policy = all.policy.policy
        let fields = TypedFields(typed)
        let explanation = TierCalculator(policy: policy).explain(typed)
        let fired = policy.rules.filter { $0.when.holds(on: fields) }.map {
            AppExplanation.FiredRule(id: $0.id, raiseTier: $0.raiseTier, approvals: $0.approvals, requirementMet: $0.require.map { $0.holds(on: fields) })
        }
        let approvals = ApprovalRequirement.union((policy.tier(explanation.tier)?.approvals ?? []) + fired.flatMap(\.approvals))
        return AppExplanation(
            name: app.name ?? target, path: app.path, revision: all.revision, policy: all.policy.info, explanation: explanation,
            firedRules: fired, approvals: approvals, tierName: policy.tier(explanation.tier)?.name)
    }
}

extension ApprovalRequirement {
    /// The union per group, keeping the highest count asked, in first-seen order.
    package static func union(_ all: [ApprovalRequirement]) -> [ApprovalRequirement] {
        var order: [String] = []
        var count: [String: Int] = [:]
        for r in all {
            if count[r.group] == nil { order.append(r.group) }
            count[r.group] = max(count[r.group] ?? 0, r.count)
        }
        return order.map { ApprovalRequirement(group: $0, count: count[$0] ?? 1) }
    }
}

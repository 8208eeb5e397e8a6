/// One row of `tiergate inventory`.
package struct InventoryRow: Sendable, Hashable, Encodable {
    package var name: String
    package var path: String
    package var owner: String
    package var tier: Int
    package var dataClass: String
    package var state: String
    package var expiresAt: String
    package var daysLeft: Int
    package var expired: Bool
    package var attestationDue: Bool
    package var monthlyCapUSD: Double
    package var integrations: [String]
    /// Past `retireBy` and not archived.
    package var pastRetirement: Bool
    /// The policy template the app is built from (`spec.template`, when the policy has it); the HTML page only.
    package var template: String? = nil

    enum CodingKeys: String, CodingKey {
        case name, path, owner, tier, dataClass, state, expiresAt, daysLeft, expired, attestationDue, monthlyCapUSD, integrations
    }

    /// What a scheduled job should drive to zero: expired or past retirement, and not archived.
    package var needsAction: Bool { state != AppState.archived.rawValue && (expired || pastRetirement) }
}

package struct InventoryResult: Sendable {
    package var rows: [InventoryRow]
    /// Manifests that could not be read into an app with a tier (see `tiergate lint`).
    package var unreadablePaths: [String]
    /// The policy's cost bands and the day and commit the rows are judged at (the HTML page's charts and title).
    package var costBands: [CostBand] = []
    package var today: Day? = nil
    package var commit: String? = nil
}

package enum Inventory {
    package static func run(repository: String?, revision: String, policyFile: String?, today: Day, onlyExpired: Bool, cwd: String) throws(TiergateError) -> InventoryResult {
        let all = try RevisionApps.load(repository: repository, revision: revision, policyFile: policyFile, today: today, cwd: cwd)
        let limits = all.policy.policy.limits
        var rows: [InventoryRow] = []
        var unreadable = Set(all.unreadable.map(\.path))
        for app in all.apps {
            guard let typed = app.manifest.app, let tier = app.tier, let name = app.name else {
                unreadable.insert(app.path)
                continue
            }
            let l = typed.spec.lifecycle
            let expires = l.expiresAt(defaultTtlDays: limits.defaultTtlDays)
            let attestationDue = l.attestedAt.map { $0.adding(days: limits.attestationDays) < today } ?? true
            rows.append(
                InventoryRow(
                    name: name, path: app.path, owner: typed.metadata.owner, tier: tier, dataClass: typed.spec.dataClass.rawValue,
                    state: typed.spec.state.rawValue, expiresAt: expires.description, daysLeft: today.days(until: expires),
                    expired: expires < today, attestationDue: attestationDue, monthlyCapUSD: typed.spec.cost.monthlyCapUSD,
                    integrations: typed.spec.integrations.map(\.name), pastRetirement: l.retireBy.map { $0 < today } ?? false,
                    template: typed.spec.template.flatMap { all.policy.policy.template(named: $0)?.name }))
        }
        rows.sort { ($0.name, $0.path) < ($1.name, $1.path) }
        if onlyExpired { rows = rows.filter(\.needsAction) }
        return InventoryResult(
            rows: rows, unreadablePaths: unreadable.sorted(), costBands: all.policy.policy.dimensions.monthlyCostUSD, today: today,
            commit: all.revision.commit)
    }
}

/// What an approver weighs about one app, from the manifest as the change leaves it (the base version for a
/// removed app): the data it holds, who reaches it, what it connects to, where it sends data, who owns it, how
/// long it keeps logs and what it may cost.
package struct AppRisk: Sendable, Equatable, StringCarrying {
    package struct IntegrationAccess: Sendable, Equatable {
        package var name: String
        package var access: String
    }

    package var owner: String
    package var dataClass: String
    package var accessScope: String
    package var integrations: [IntegrationAccess]
    package var egress: String
    package var destinations: [String]
    package var retentionDays: Int
    package var monthlyCapUSD: Double

    package func mappingStrings(_ f: (String) -> String) -> AppRisk {
        var x = self
        x.owner = f(owner)
        x.dataClass = f(dataClass)
        x.accessScope = f(accessScope)
        x.integrations = integrations.map { IntegrationAccess(name: f($0.name), access: f($0.access)) }
        x.egress = f(egress)
        x.destinations = destinations.map(f)
        return x
    }
}

extension AppRisk {
    package init(_ app: MicroApp) {
        owner = app.metadata.owner
        dataClass = app.spec.dataClass.rawValue
        accessScope = app.spec.accessScope.rawValue
        integrations = app.spec.integrations.map { IntegrationAccess(name: $0.name, access: $0.access.rawValue) }
        egress = app.spec.network.egress.rawValue
        destinations = app.spec.network.destinations
        retentionDays = app.spec.observability.retentionDays
        monthlyCapUSD = app.spec.cost.monthlyCapUSD
    }
}

extension ManifestCheck {
    /// `egress-allowlist-empty`: egress is `allowlist` but nothing is on the list.
    static let egressAllowlistEmpty = ManifestCheck(
        .egressAllowlistEmpty, triggering: .edit("destinations: [crm.internal.example.com]", to: "destinations: []", at: 16, 13)
    ) { app, c in
        guard app.spec.network.egress == .allowlist, app.spec.network.destinations.isEmpty else { return [] }
        return [c.hit("egress is allowlist but spec.network.destinations is empty; list the host names the app may reach, or set egress to none", at: "spec.network.egress")]
    }

    /// `endpoint-undeclared`: an integration's endpoint is not an allowed destination.
    static let endpointUndeclared = ManifestCheck(
        .endpointUndeclared, triggering: .edit("destinations: [crm.internal.example.com]", to: "destinations: [other.example.com]", at: 14, 17)
    ) { app, c in
        guard app.spec.network.egress == .allowlist else { return [] }
        let allowed = Set(app.spec.network.destinations)
        return app.spec.integrations.enumerated().compactMap { i, integration in
            guard let endpoint = integration.endpoint, !allowed.contains(endpoint) else { return nil }
            return c.hit(
                "the endpoint \(endpoint) of the integration '\(integration.name)' is not in spec.network.destinations, so the allowlist would block it; add it there",
                at: "spec.integrations[\(i)].endpoint")
        }
    }

    /// `residency-region`: regions must lie within the residency zone.
    static let residencyRegion = ManifestCheck(
        .residencyRegion, triggering: .edit("regions: [eu-central-1]", to: "regions: [us-east-1]", at: 22, 13)
    ) { app, c in
        guard let zone = app.spec.residency else { return [] }
        guard let zoneRegions = c.policy.residency[zone] else {
            let known = c.policy.residency.keys.sorted().joined(separator: ", ")
            return [c.hit("the residency zone '\(zone)' is not defined by the policy; use one of \(known)", at: "spec.residency")]
        }
        let listed = { zoneRegions.joined(separator: ", ") }
        guard let regions = app.spec.regions, !regions.isEmpty else {
            return [c.hit("residency is \(zone) but spec.regions is empty; list where the app runs (\(listed()))", at: "spec.residency")]
        }
        return regions.enumerated().compactMap { i, region in
            zoneRegions.contains(region)
                ? nil : c.hit("the region \(region) is outside the residency zone \(zone) (\(listed())); data must stay in the zone", at: "spec.regions[\(i)]")
        }
    }
}

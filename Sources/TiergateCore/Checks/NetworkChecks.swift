/// `egress-allowlist-empty`: egress is `allowlist` but nothing is on the list.
package struct EgressAllowlistEmptyCheck: ManifestCheck {
    package let id = "egress-allowlist-empty"
    package let defaultSeverity = Severity.error
    package let summary = "network.egress is allowlist with no destinations"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("destinations: [crm.internal.example.com]", with: "destinations: []"), line: 16, column: 13)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, app.spec.network.egress == .allowlist, app.spec.network.destinations.isEmpty else { return [] }
        return [
            CheckHit(
                "egress is allowlist but spec.network.destinations is empty; list the host names the app may reach, or set egress to none",
                at: c.mark("spec.network.egress"))
        ]
    }
}

/// `endpoint-undeclared`: an integration's endpoint is not an allowed destination.
package struct EndpointUndeclaredCheck: ManifestCheck {
    package let id = "endpoint-undeclared"
    package let defaultSeverity = Severity.warning
    package let summary = "An integration's endpoint is missing from network.destinations while egress is allowlist"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("destinations: [crm.internal.example.com]", with: "destinations: [other.example.com]"), line: 14, column: 17)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, app.spec.network.egress == .allowlist else { return [] }
        let allowed = Set(app.spec.network.destinations)
        return app.spec.integrations.enumerated().compactMap { i, integration in
            guard let endpoint = integration.endpoint, !allowed.contains(endpoint) else { return nil }
            return CheckHit(
                "the endpoint \(endpoint) of the integration '\(integration.name)' is not in spec.network.destinations, so the allowlist would block it; add it there",
                at: c.mark("spec.integrations[\(i)].endpoint"))
        }
    }
}

/// `residency-region`: regions must lie within the residency zone.
package struct ResidencyRegionCheck: ManifestCheck {
    package let id = "residency-region"
    package let defaultSeverity = Severity.error
    package let summary = "A region outside the residency zone, residency without regions, or an unknown zone"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("regions: [eu-central-1]", with: "regions: [us-east-1]"), line: 22, column: 13)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, let zone = app.spec.residency else { return [] }
        guard let zoneRegions = c.policy.residency[zone] else {
            return [
                CheckHit(
                    "the residency zone '\(zone)' is not defined by the policy; use one of \(c.policy.residency.keys.sorted().joined(separator: ", "))",
                    at: c.mark("spec.residency"))
            ]
        }
        guard let regions = app.spec.regions, !regions.isEmpty else {
            return [CheckHit("residency is \(zone) but spec.regions is empty; list where the app runs (\(zoneRegions.joined(separator: ", ")))", at: c.mark("spec.residency"))]
        }
        return regions.enumerated().compactMap { i, region in
            zoneRegions.contains(region)
                ? nil
                : CheckHit(
                    "the region \(region) is outside the residency zone \(zone) (\(zoneRegions.joined(separator: ", "))); data must stay in the zone",
                    at: c.mark("spec.regions[\(i)]"))
        }
    }
}

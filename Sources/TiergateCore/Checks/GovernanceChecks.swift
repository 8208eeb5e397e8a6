extension ManifestCheck {
    static let groupsPolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        groups: {coe: [ana], security: [sam], privacy: [pia], platform: [pat, paul], legal: [lee], ops: [oz]}
        """

    /// `owner-unknown`: the owner is not a group of the policy (only when the policy defines groups).
    static let ownerUnknown = ManifestCheck(
        .ownerUnknown, triggering: .edit("owner: ops", to: "owner: growth", policy: groupsPolicy, at: 5, 10), passing: .base(policy: groupsPolicy)
    ) { app, c in
        let groups = c.policy.groups
        guard !groups.isEmpty, groups[app.metadata.owner] == nil else { return [] }
        return [
            c.hit(
                "the owner '\(app.metadata.owner)' is not a group of the policy; use one of \(groups.keys.sorted().joined(separator: ", ")) or ask the platform team to add the group",
                at: "metadata.owner")
        ]
    }

    /// `connector-custom`: an integration that is not a pre-approved connector (lifts the tier to at least 1).
    static let connectorCustom = ManifestCheck(.connectorCustom, triggering: .edit("- name: crm", to: "- name: salesforce", at: 12, 13)) { app, c in
        app.spec.integrations.enumerated().compactMap { i, integration in
            c.policy.connectors.contains(integration.name)
                ? nil
                : c.hit(
                    "the integration '\(integration.name)' is not a pre-approved connector (\(c.policy.connectors.joined(separator: ", "))); a custom integration needs at least a tier 1 review",
                    at: "spec.integrations[\(i)].name")
        }
    }

    /// `template-unknown`: `spec.template` names no template of the policy.
    static let templateUnknown = ManifestCheck(
        .templateUnknown, triggering: .edit("  dataClass: internal", to: "  template: kiosk\n  dataClass: internal", at: 7, 13)
    ) { app, c in
        guard let name = app.spec.template, c.policy.template(named: name) == nil else { return [] }
        let known = c.policy.templates.map(\.name)
        let use = known.isEmpty ? " (it defines none); remove spec.template" : "; use one of \(known.joined(separator: ", "))"
        return [c.hit("the template '\(name)' is not defined by the policy" + use, at: "spec.template")]
    }

    static let templatePolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        templates:
          - {name: dashboard, tier: 0, bounds: {dataClass: [public, internal], accessScope: [personal, team], monthlyCostUSD: 50}}
        """

    /// `template-deviation`: the app names a template but lies outside its bounds, so it is tiered normally.
    static let templateDeviation = ManifestCheck(
        .templateDeviation,
        triggering: .edit("  dataClass: internal", to: "  template: dashboard\n  dataClass: restricted", policy: templatePolicy, at: 7, 13),
        passing: CheckExample(manifest: CheckExample.replacing("  dataClass: internal", with: "  template: dashboard\n  dataClass: internal"), policy: templatePolicy)
    ) { app, c in
        guard let name = app.spec.template, let t = c.policy.template(named: name) else { return [] }
        let out = t.deviations(of: app)
        guard !out.isEmpty else { return [] }
        return [
            c.hit(
                "the app is outside the bounds of the template '\(name)' (\(out.joined(separator: "; "))), so it does not get the template's tier \(t.tier) and is tiered by its own values",
                at: "spec.template")
        ]
    }

    /// `logging-siem`: logs must go to the SIEM and be kept long enough.
    static let loggingSIEM = ManifestCheck(.loggingSIEM, triggering: .edit("logSink: siem", to: "logSink: splunk", at: 30, 14)) { app, c in
        let o = app.spec.observability
        let min = c.policy.limits.minLogRetentionDays
        var hits: [CheckHit] = []
        if o.logSink != "siem" {
            hits.append(c.hit("logs must go to the SIEM: set spec.observability.logSink to siem", at: "spec.observability.logSink"))
        }
        if o.retentionDays < min {
            hits.append(
                c.hit("logs are kept \(o.retentionDays) days; keep them at least \(min) days (spec.observability.retentionDays)", at: "spec.observability.retentionDays"))
        }
        return hits
    }
}

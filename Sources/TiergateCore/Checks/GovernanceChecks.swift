/// `owner-unknown`: the owner is not a group of the policy (only when the policy defines groups).
package struct OwnerUnknownCheck: ManifestCheck {
    package let id = "owner-unknown"
    package let defaultSeverity = Severity.error
    package let summary = "metadata.owner is not a group of the policy"
    static let groupsPolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        groups: {coe: [ana], security: [sam], privacy: [pia], platform: [pat, paul], legal: [lee], ops: [oz]}
        """
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("owner: ops", with: "owner: growth"), policy: Self.groupsPolicy, line: 5, column: 10)
    }
    package var passing: CheckExample { CheckExample(manifest: CheckExample.baseManifest, policy: Self.groupsPolicy) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, !c.policy.groups.isEmpty, c.policy.groups[app.metadata.owner] == nil else { return [] }
        return [
            CheckHit(
                "the owner '\(app.metadata.owner)' is not a group of the policy; use one of \(c.policy.groups.keys.sorted().joined(separator: ", ")) or ask the platform team to add the group",
                at: c.mark("metadata.owner"))
        ]
    }
}

/// `connector-custom`: an integration that is not a pre-approved connector (lifts the tier to at least 1).
package struct ConnectorCustomCheck: ManifestCheck {
    package let id = "connector-custom"
    package let defaultSeverity = Severity.info
    package let summary = "An integration is not one of the policy's pre-approved connectors"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("- name: crm", with: "- name: salesforce"), line: 12, column: 13)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app else { return [] }
        return app.spec.integrations.enumerated().compactMap { i, integration in
            c.policy.connectors.contains(integration.name)
                ? nil
                : CheckHit(
                    "the integration '\(integration.name)' is not a pre-approved connector (\(c.policy.connectors.joined(separator: ", "))); a custom integration needs at least a tier 1 review",
                    at: c.mark("spec.integrations[\(i)].name"))
        }
    }
}

/// `template-unknown`: `spec.template` names no template of the policy.
package struct TemplateUnknownCheck: ManifestCheck {
    package let id = "template-unknown"
    package let defaultSeverity = Severity.error
    package let summary = "spec.template names a template the policy does not define"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("  dataClass: internal", with: "  template: kiosk\n  dataClass: internal"), line: 7, column: 13)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, let name = app.spec.template, c.policy.template(named: name) == nil else { return [] }
        let known = c.policy.templates.map(\.name)
        return [
            CheckHit(
                "the template '\(name)' is not defined by the policy" + (known.isEmpty ? " (it defines none); remove spec.template" : "; use one of \(known.joined(separator: ", "))"),
                at: c.mark("spec.template"))
        ]
    }
}

/// `template-deviation`: the app names a template but lies outside its bounds, so it is tiered normally.
package struct TemplateDeviationCheck: ManifestCheck {
    package let id = "template-deviation"
    package let defaultSeverity = Severity.warning
    package let summary = "The app names a template but its values lie outside the template's bounds"
    static let templatePolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        templates:
          - {name: dashboard, tier: 0, bounds: {dataClass: [public, internal], accessScope: [personal, team], monthlyCostUSD: 50}}
        """
    package var triggering: CheckExample {
        CheckExample(
            manifest: CheckExample.replacing("  dataClass: internal", with: "  template: dashboard\n  dataClass: restricted"),
            policy: Self.templatePolicy, line: 7, column: 13)
    }
    package var passing: CheckExample {
        CheckExample(manifest: CheckExample.replacing("  dataClass: internal", with: "  template: dashboard\n  dataClass: internal"), policy: Self.templatePolicy)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, let name = app.spec.template, let t = c.policy.template(named: name) else { return [] }
        let out = TierCalculator.deviations(app, from: t)
        guard !out.isEmpty else { return [] }
        return [
            CheckHit(
                "the app is outside the bounds of the template '\(name)' (\(out.joined(separator: "; "))), so it does not get the template's tier \(t.tier) and is tiered by its own values",
                at: c.mark("spec.template"))
        ]
    }
}

/// `logging-siem`: logs must go to the SIEM and be kept long enough.
package struct LoggingSIEMCheck: ManifestCheck {
    package let id = "logging-siem"
    package let defaultSeverity = Severity.error
    package let summary = "observability.logSink is not siem, or logs are kept for less than limits.minLogRetentionDays"
    package var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("logSink: siem", with: "logSink: splunk"), line: 30, column: 14)
    }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app else { return [] }
        var hits: [CheckHit] = []
        let o = app.spec.observability
        if o.logSink != "siem" {
            hits.append(CheckHit("logs must go to the SIEM: set spec.observability.logSink to siem", at: c.mark("spec.observability.logSink")))
        }
        let min = c.policy.limits.minLogRetentionDays
        if o.retentionDays < min {
            hits.append(
                CheckHit("logs are kept \(o.retentionDays) days; keep them at least \(min) days (spec.observability.retentionDays)", at: c.mark("spec.observability.retentionDays")))
        }
        return hits
    }
}

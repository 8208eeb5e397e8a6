/// `owner-unknown`: the owner is not a group of the policy (only when the policy defines groups).
public struct OwnerUnknownCheck: ManifestCheck {
    public let id = "owner-unknown"
    public let defaultSeverity = Severity.error
    public let summary = "metadata.owner is not a group of the policy"
    static let groupsPolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        groups: {coe: [ana], security: [sam], privacy: [pia], platform: [pat, paul], legal: [lee], ops: [oz]}
        """
    public var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("owner: ops", with: "owner: growth"), policy: Self.groupsPolicy, line: 5, column: 10)
    }
    public var passing: CheckExample { CheckExample(manifest: CheckExample.baseManifest, policy: Self.groupsPolicy) }

    public func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, !c.policy.groups.isEmpty, c.policy.groups[app.metadata.owner] == nil else { return [] }
        return [
            CheckHit(
                "the owner '\(app.metadata.owner)' is not a group of the policy; use one of \(c.policy.groups.keys.sorted().joined(separator: ", ")) or ask the platform team to add the group",
                at: c.mark("metadata.owner"))
        ]
    }
}

/// `connector-custom`: an integration that is not a pre-approved connector (lifts the tier to at least 1).
public struct ConnectorCustomCheck: ManifestCheck {
    public let id = "connector-custom"
    public let defaultSeverity = Severity.info
    public let summary = "An integration is not one of the policy's pre-approved connectors"
    public var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("- name: crm", with: "- name: salesforce"), line: 12, column: 13)
    }

    public func evaluate(_ c: CheckContext) -> [CheckHit] {
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
public struct TemplateUnknownCheck: ManifestCheck {
    public let id = "template-unknown"
    public let defaultSeverity = Severity.error
    public let summary = "spec.template names a template the policy does not define"
    public var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("  dataClass: internal", with: "  template: kiosk\n  dataClass: internal"), line: 7, column: 13)
    }

    public func evaluate(_ c: CheckContext) -> [CheckHit] {
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
public struct TemplateDeviationCheck: ManifestCheck {
    public let id = "template-deviation"
    public let defaultSeverity = Severity.warning
    public let summary = "The app names a template but its values lie outside the template's bounds"
    static let templatePolicy = """
        apiVersion: tiergate/v1
        kind: Policy
        templates:
          - {name: dashboard, tier: 0, bounds: {dataClass: [public, internal], accessScope: [personal, team], monthlyCostUSD: 50}}
        """
    public var triggering: CheckExample {
        CheckExample(
            manifest: CheckExample.replacing("  dataClass: internal", with: "  template: dashboard\n  dataClass: restricted"),
            policy: Self.templatePolicy, line: 7, column: 13)
    }
    public var passing: CheckExample {
        CheckExample(manifest: CheckExample.replacing("  dataClass: internal", with: "  template: dashboard\n  dataClass: internal"), policy: Self.templatePolicy)
    }

    public func evaluate(_ c: CheckContext) -> [CheckHit] {
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
public struct LoggingSIEMCheck: ManifestCheck {
    public let id = "logging-siem"
    public let defaultSeverity = Severity.error
    public let summary = "observability.logSink is not siem, or logs are kept for less than limits.minLogRetentionDays"
    public var triggering: CheckExample {
        CheckExample(manifest: CheckExample.replacing("logSink: siem", with: "logSink: splunk"), line: 30, column: 14)
    }

    public func evaluate(_ c: CheckContext) -> [CheckHit] {
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

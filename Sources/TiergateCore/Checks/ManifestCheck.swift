import Foundation

/// What a check sees of one app.
package struct CheckContext: Sendable {
    package let manifest: DecodedManifest
    package let policy: Policy
    package let today: Day
    package let path: String
    /// The typed app as the field source rules read (no value tree is built for it).
    package let fields: TypedFields?
    /// The typed app, when the manifest decoded (kept once here rather than copied out for every check).
    package let app: MicroApp?

    package init(manifest: DecodedManifest, policy: Policy, today: Day, path: String) {
        self.manifest = manifest
        self.policy = policy
        self.today = today
        self.path = path
        self.app = manifest.app
        self.fields = manifest.app.map(TypedFields.init)
    }

    package func mark(_ field: String) -> Mark { manifest.mark(of: field) }
}

/// One problem a check found: its message and where.
package struct CheckHit: Sendable, Hashable {
    package var message: String
    package var mark: Mark

    package init(_ message: String, at mark: Mark) {
        self.message = message
        self.mark = mark
    }
}

/// A manifest and the policy it is judged by, for a check's own examples.
package struct CheckExample: Sendable {
    package var manifest: String
    /// Policy YAML; nil means the built-in default.
    package var policy: String?
    /// Where the finding must be, for a triggering example.
    package var line: Int
    package var column: Int

    package init(manifest: String, policy: String? = nil, line: Int = 0, column: Int = 0) {
        self.manifest = manifest
        self.policy = policy
        self.line = line
        self.column = column
    }

    /// The date examples are judged on.
    package static let today = Day(year: 2026, month: 11, day: 22) ?? Day(daysSinceEpoch: 0)

    /// A manifest that passes every check under the default policy on `today`; examples change one line of it.
    package static let baseManifest = """
        apiVersion: microapps/v1
        kind: MicroApp
        metadata:
          name: example
          owner: ops
        spec:
          dataClass: internal
          accessScope: team
          runtime: client
          criticality: toy
          integrations:
            - name: crm
              access: read
              endpoint: crm.internal.example.com
          network:
            egress: allowlist
            destinations: [crm.internal.example.com]
          secrets:
            - name: CRM_TOKEN
              ref: vault://kv/apps/example/crm
          residency: eu
          regions: [eu-central-1]
          lifecycle:
            createdAt: 2026-11-01
            ttlDays: 30
            attestedAt: 2026-11-01
          cost:
            monthlyCapUSD: 10
          observability:
            logSink: siem
            retentionDays: 90

        """

    /// The base manifest with one line replaced (`old` must be a whole line's text after its indentation).
    package static func replacing(_ old: String, with new: String) -> String {
        baseManifest.replacingOccurrences(of: old, with: new)
    }
}

/// A manifest-level check of SPEC section 4. Each knows its id, default severity, description and examples; the
/// generic test runs every check's examples, so adding a check adds its tests.
package protocol ManifestCheck: Sendable {
    var id: String { get }
    var defaultSeverity: Severity { get }
    var summary: String { get }
    /// A manifest (and policy) that triggers the check, with the position of the finding.
    var triggering: CheckExample { get }
    /// A manifest that does not.
    var passing: CheckExample { get }
    func evaluate(_ context: CheckContext) -> [CheckHit]
}

extension ManifestCheck {
    package var passing: CheckExample { CheckExample(manifest: CheckExample.baseManifest) }
}

/// The registry of manifest checks.
package enum ManifestChecks {
    package static let all: [any ManifestCheck] = [
        OwnerUnknownCheck(), SecretRefSchemeCheck(), SecretLiteralCheck(), ConnectorCustomCheck(),
        EgressAllowlistEmptyCheck(), EndpointUndeclaredCheck(), ResidencyRegionCheck(), TTLMaxCheck(), TTLExpiredCheck(),
        RenewalJustificationCheck(), RetireByPassedCheck(), AttestationOverdueCheck(), LoggingSIEMCheck(),
        TemplateUnknownCheck(), TemplateDeviationCheck(), LifecycleDateRangeCheck(),
    ]

    /// Runs every check and every rule `require` on one app; the raw findings, before the policy's `checks` map
    /// and exceptions apply.
    package static func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let name = context.manifest.name
        for check in all {
            for hit in check.evaluate(context) {
                findings.append(
                    Finding(id: check.id, severity: check.defaultSeverity, message: hit.message, path: context.path, mark: hit.mark, app: name))
            }
        }
        if let fields = context.fields {
            for rule in context.policy.rules {
                guard let require = rule.require, rule.when.holds(on: fields), !require.holds(on: fields) else { continue }
                findings.append(
                    Finding(
                        id: rule.id, severity: rule.severity, message: rule.message, path: context.path,
                        mark: context.mark(require.firstField ?? "spec"), app: name))
            }
        }
        return findings
    }
}

extension Condition {
    /// The first field a condition reads, as a plain dotted path (for pointing a finding at it).
    var firstField: String? {
        switch self {
        case .field(let p, _):
            return p.segments.prefix { if case .key = $0 { true } else { false } }
                .compactMap { if case .key(let k) = $0 { k } else { nil } }.joined(separator: ".")
        case .all(let cs), .any(let cs): return cs.lazy.compactMap(\.firstField).first
        case .not(let c): return c.firstField
        }
    }
}

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

    /// A hit about a field: its message, the field's dotted path and where the field is (or the nearest node
    /// that exists, for a missing one).
    package func hit(_ message: String, at field: String) -> CheckHit {
        CheckHit(message, field: field, mark: manifest.mark(of: field))
    }
}

/// One problem a check found: its message, the field it is about, and where.
package struct CheckHit: Sendable, Hashable {
    package var message: String
    package var field: String?
    package var mark: Mark

    package init(_ message: String, field: String?, mark: Mark) {
        self.message = message
        self.field = field
        self.mark = mark
    }
}

/// A manifest and the policy it is judged by, for a check's own examples.
package struct CheckExample: Sendable {
    package var manifest: String
    /// Policy YAML; nil means the built-in default.
    package var policy: String?
    /// Where the finding must be, for a triggering example.
    package var finding: Mark?

    package init(manifest: String, policy: String? = nil, finding: Mark? = nil) {
        self.manifest = manifest
        self.policy = policy
        self.finding = finding
    }

    /// The base manifest, clean, under `policy`.
    package static func base(policy: String? = nil) -> CheckExample { CheckExample(manifest: baseManifest, policy: policy) }

    /// The base manifest with one line edited (`replacing(_:with:)`), under `policy`, whose finding is at
    /// `line`:`column`.
    package static func edit(_ old: String, to new: String, policy: String? = nil, at line: Int, _ column: Int) -> CheckExample {
        CheckExample(manifest: replacing(old, with: new), policy: policy, finding: Mark(line: line, column: column))
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

/// A manifest-level check of SPEC section 4, described rather than written out: the finding id it reports
/// under (which gives its severity and description), an example manifest that triggers it and one that does
/// not, and what it looks for. The generic test runs every check's examples, so adding a check adds its tests.
/// A class, so that running the checks on an app passes references rather than copies of the examples, and
/// the examples are built only when asked for (a run never asks).
package final class ManifestCheck: Sendable {
    package let id: FindingID
    private let examples: @Sendable () -> (triggering: CheckExample, passing: CheckExample)
    private let look: @Sendable (CheckContext) -> [CheckHit]

    /// A check of the typed app: it runs when the manifest decoded (a broken one has `schema` findings instead).
    convenience init(
        _ id: FindingID, triggering: @autoclosure @escaping @Sendable () -> CheckExample,
        passing: @autoclosure @escaping @Sendable () -> CheckExample = .base(),
        _ look: @escaping @Sendable (_ app: MicroApp, _ context: CheckContext) -> [CheckHit]
    ) {
        self.init(id, triggering: triggering(), passing: passing(), tree: { c in c.app.map { look($0, c) } ?? [] })
    }

    /// A check of the YAML tree itself: it runs on every document, decoded or not.
    init(
        _ id: FindingID, triggering: @autoclosure @escaping @Sendable () -> CheckExample,
        passing: @autoclosure @escaping @Sendable () -> CheckExample = .base(), tree look: @escaping @Sendable (CheckContext) -> [CheckHit]
    ) {
        self.id = id
        self.examples = { (triggering(), passing()) }
        self.look = look
    }

    /// A manifest (and policy) that triggers the check, with the position of the finding.
    package var triggering: CheckExample { examples().triggering }
    /// A manifest that does not.
    package var passing: CheckExample { examples().passing }

    package func evaluate(_ context: CheckContext) -> [CheckHit] { look(context) }
}

/// The registry of manifest checks.
package enum ManifestChecks {
    package static let all: [ManifestCheck] = [
        .ownerUnknown, .secretRefScheme, .secretLiteral, .connectorCustom, .egressAllowlistEmpty, .endpointUndeclared,
        .residencyRegion, .ttlMax, .ttlExpired, .renewalJustification, .retireByPassed, .attestationOverdue, .loggingSIEM,
        .templateUnknown, .templateDeviation, .lifecycleDateRange,
    ]

    /// Runs every check and every rule `require` on one app; the raw findings, before the policy's `checks` map
    /// and exceptions apply.
    package static func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let name = context.manifest.name
        for check in all {
            for hit in check.evaluate(context) {
                findings.append(Finding(check.id, message: hit.message, path: context.path, mark: hit.mark, field: hit.field, app: name))
            }
        }
        if let fields = context.fields {
            for rule in context.policy.rules {
                guard let require = rule.require, rule.when.holds(on: fields), !require.holds(on: fields) else { continue }
                let field = require.firstField ?? "spec"
                findings.append(Finding(rule: rule, path: context.path, mark: context.manifest.mark(of: field), field: field, app: name))
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

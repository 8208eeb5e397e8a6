extension MicroApp.Lifecycle {
    /// The last day the app may run: (renewedAt or createdAt) + ttlDays (or the policy's default TTL).
    package func expiresAt(defaultTtlDays: Int) -> Day {
        (renewedAt ?? createdAt).adding(days: ttlDays ?? defaultTtlDays)
    }
}

/// `ttl-max`: the TTL is longer than the policy allows.
package struct TTLMaxCheck: ManifestCheck {
    package let id = "ttl-max"
    package let defaultSeverity = Severity.error
    package let summary = "lifecycle.ttlDays is above limits.maxTtlDays"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("ttlDays: 30", with: "ttlDays: 120"), line: 25, column: 14) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, let ttl = app.spec.lifecycle.ttlDays, ttl > c.policy.limits.maxTtlDays else { return [] }
        return [CheckHit("ttlDays is \(ttl); the policy allows at most \(c.policy.limits.maxTtlDays) days, after which the app is renewed", at: c.mark("spec.lifecycle.ttlDays"))]
    }
}

/// `ttl-expired`: the app has outlived its TTL (archived apps are retired and not judged).
package struct TTLExpiredCheck: ManifestCheck {
    package let id = "ttl-expired"
    package let defaultSeverity = Severity.error
    package let summary = "(renewedAt or createdAt) + ttlDays is before today"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("createdAt: 2026-11-01", with: "createdAt: 2026-10-01"), line: 24, column: 16) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, app.spec.state != .archived else { return [] }
        let l = app.spec.lifecycle
        let expires = l.expiresAt(defaultTtlDays: c.policy.limits.defaultTtlDays)
        guard expires < c.today else { return [] }
        let from = l.renewedAt != nil ? "spec.lifecycle.renewedAt" : "spec.lifecycle.createdAt"
        return [
            CheckHit(
                "the app expired on \(expires) (\(c.today.daysSinceEpoch - expires.daysSinceEpoch) days ago); renew it (renewedAt with a renewalJustification) or archive it",
                at: c.mark(from))
        ]
    }
}

/// `renewal-justification`: a renewal must say why.
package struct RenewalJustificationCheck: ManifestCheck {
    package let id = "renewal-justification"
    package let defaultSeverity = Severity.error
    package let summary = "renewedAt is set without renewalJustification"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("ttlDays: 30", with: "renewedAt: 2026-11-10"), line: 25, column: 16) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, app.spec.lifecycle.renewedAt != nil else { return [] }
        let j = app.spec.lifecycle.renewalJustification?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard j.isEmpty else { return [] }
        return [CheckHit("the app was renewed without a reason: add spec.lifecycle.renewalJustification saying why it is still needed", at: c.mark("spec.lifecycle.renewedAt"))]
    }
}

/// `retire-by-passed`: the planned retirement date has passed but the app is not archived.
package struct RetireByPassedCheck: ManifestCheck {
    package let id = "retire-by-passed"
    package let defaultSeverity = Severity.error
    package let summary = "retireBy is before today and the app is not archived"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("ttlDays: 30", with: "retireBy: 2026-11-21"), line: 25, column: 15) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, let retireBy = app.spec.lifecycle.retireBy, retireBy < c.today, app.spec.state != .archived else { return [] }
        return [CheckHit("the app was due to retire on \(retireBy); set spec.state to archived, or move retireBy with the owner's agreement", at: c.mark("spec.lifecycle.retireBy"))]
    }
}

/// `attestation-overdue`: the owner has not confirmed the app recently.
package struct AttestationOverdueCheck: ManifestCheck {
    package let id = "attestation-overdue"
    package let defaultSeverity = Severity.warning
    package let summary = "attestedAt is missing or older than limits.attestationDays"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("attestedAt: 2026-11-01", with: "attestedAt: 2026-01-01"), line: 26, column: 17) }

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let app = c.app, app.spec.state != .archived else { return [] }
        let days = c.policy.limits.attestationDays
        guard let attested = app.spec.lifecycle.attestedAt else {
            return [CheckHit("the owner has never attested this app; set spec.lifecycle.attestedAt when they confirm it is still needed and correct", at: c.mark("spec.lifecycle"))]
        }
        let due = attested.adding(days: days)
        guard due < c.today else { return [] }
        return [CheckHit("the last attestation (\(attested)) is older than \(days) days; the owner should confirm the app again and update attestedAt", at: c.mark("spec.lifecycle.attestedAt"))]
    }
}

import Foundation

/// Lifecycle dates lie between 2000-01-01 and the judging day (SPEC section 8). A `createdAt`, `renewedAt` or
/// `attestedAt` in the future would switch `ttl-expired` and `attestation-overdue` off, so it is a `schema`
/// error; `retireBy` is a plan and may lie ahead, but not before 2000 either.
package struct LifecycleDateRangeCheck: ManifestCheck {
    package let id = "schema"
    package let defaultSeverity = Severity.error
    package let summary = "A lifecycle date before 2000-01-01, or a createdAt, renewedAt or attestedAt after today"
    package var triggering: CheckExample { CheckExample(manifest: CheckExample.replacing("createdAt: 2026-11-01", with: "createdAt: 9999-12-31"), line: 24, column: 16) }

    package static let earliest = Day(year: 2000, month: 1, day: 1) ?? Day(daysSinceEpoch: 10957)

    package func evaluate(_ c: CheckContext) -> [CheckHit] {
        guard let l = c.app?.spec.lifecycle else { return [] }
        var hits: [CheckHit] = []
        let dated: [(String, Day?, Bool)] = [
            ("createdAt", l.createdAt, true), ("renewedAt", l.renewedAt, true), ("attestedAt", l.attestedAt, true),
            ("retireBy", l.retireBy, false),
        ]
        for (key, day, past) in dated {
            guard let day else { continue }
            let field = "spec.lifecycle.\(key)"
            if day < Self.earliest {
                hits.append(CheckHit("\(field) is \(day); lifecycle dates start at \(Self.earliest)", at: c.mark(field)))
            } else if past && day > c.today {
                hits.append(
                    CheckHit(
                        "\(field) is \(day), after today (\(c.today)); a date in the future would switch the expiry and attestation checks off",
                        at: c.mark(field)))
            }
        }
        return hits
    }
}

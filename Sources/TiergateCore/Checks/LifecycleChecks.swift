import Foundation

extension MicroApp.Lifecycle {
    /// The last day the app may run: (renewedAt or createdAt) + ttlDays (or the policy's default TTL).
    package func expiresAt(defaultTtlDays: Int) -> Day {
        (renewedAt ?? createdAt).adding(days: ttlDays ?? defaultTtlDays)
    }
}

extension ManifestCheck {
    /// `ttl-max`: the TTL is longer than the policy allows.
    static let ttlMax = ManifestCheck(.ttlMax, triggering: .edit("ttlDays: 30", to: "ttlDays: 120", at: 25, 14)) { app, c in
        let max = c.policy.limits.maxTtlDays
        guard let ttl = app.spec.lifecycle.ttlDays, ttl > max else { return [] }
        return [c.hit("ttlDays is \(ttl); the policy allows at most \(max) days, after which the app is renewed", at: "spec.lifecycle.ttlDays")]
    }

    /// `ttl-expired`: the app has outlived its TTL (archived apps are retired and not judged).
    static let ttlExpired = ManifestCheck(.ttlExpired, triggering: .edit("createdAt: 2026-11-01", to: "createdAt: 2026-10-01", at: 24, 16)) { app, c in
        let l = app.spec.lifecycle
        let expires = l.expiresAt(defaultTtlDays: c.policy.limits.defaultTtlDays)
        guard app.spec.state != .archived, expires < c.today else { return [] }
        return [
            c.hit(
                "the app expired on \(expires) (\(c.today.daysSinceEpoch - expires.daysSinceEpoch) days ago); renew it (renewedAt with a renewalJustification) or archive it",
                at: l.renewedAt != nil ? "spec.lifecycle.renewedAt" : "spec.lifecycle.createdAt")
        ]
    }

    /// `renewal-justification`: a renewal must say why.
    static let renewalJustification = ManifestCheck(
        .renewalJustification, triggering: .edit("ttlDays: 30", to: "renewedAt: 2026-11-10", at: 25, 16)
    ) { app, c in
        let l = app.spec.lifecycle
        guard l.renewedAt != nil, (l.renewalJustification ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        return [c.hit("the app was renewed without a reason: add spec.lifecycle.renewalJustification saying why it is still needed", at: "spec.lifecycle.renewedAt")]
    }

    /// `retire-by-passed`: the planned retirement date has passed but the app is not archived.
    static let retireByPassed = ManifestCheck(.retireByPassed, triggering: .edit("ttlDays: 30", to: "retireBy: 2026-11-21", at: 25, 15)) { app, c in
        guard let retireBy = app.spec.lifecycle.retireBy, retireBy < c.today, app.spec.state != .archived else { return [] }
        return [c.hit("the app was due to retire on \(retireBy); set spec.state to archived, or move retireBy with the owner's agreement", at: "spec.lifecycle.retireBy")]
    }

    /// `attestation-overdue`: the owner has not confirmed the app recently.
    static let attestationOverdue = ManifestCheck(
        .attestationOverdue, triggering: .edit("attestedAt: 2026-11-01", to: "attestedAt: 2026-01-01", at: 26, 17)
    ) { app, c in
        guard app.spec.state != .archived else { return [] }
        let days = c.policy.limits.attestationDays
        guard let attested = app.spec.lifecycle.attestedAt else {
            return [c.hit("the owner has never attested this app; set spec.lifecycle.attestedAt when they confirm it is still needed and correct", at: "spec.lifecycle.attestedAt")]
        }
        guard attested.adding(days: days) < c.today else { return [] }
        return [c.hit("the last attestation (\(attested)) is older than \(days) days; the owner should confirm the app again and update attestedAt", at: "spec.lifecycle.attestedAt")]
    }

    static let earliestLifecycleDay = Day(year: 2000, month: 1, day: 1) ?? Day(daysSinceEpoch: 10957)

    /// Lifecycle dates lie between 2000-01-01 and the judging day (SPEC section 8). A `createdAt`, `renewedAt` or
    /// `attestedAt` in the future would switch `ttl-expired` and `attestation-overdue` off, so it is a `schema`
    /// error; `retireBy` is a plan and may lie ahead, but not before 2000 either.
    static let lifecycleDateRange = ManifestCheck(.schema, triggering: .edit("createdAt: 2026-11-01", to: "createdAt: 9999-12-31", at: 24, 16)) { app, c in
        let l = app.spec.lifecycle
        let dated: [(key: String, day: Day?, past: Bool)] = [
            ("createdAt", l.createdAt, true), ("renewedAt", l.renewedAt, true), ("attestedAt", l.attestedAt, true), ("retireBy", l.retireBy, false),
        ]
        var hits: [CheckHit] = []
        for (key, day, past) in dated {
            guard let day, day < earliestLifecycleDay || (past && day > c.today) else { continue }
            let field = "spec.lifecycle.\(key)"
            hits.append(
                day < earliestLifecycleDay
                    ? c.hit("\(field) is \(day); lifecycle dates start at \(earliestLifecycleDay)", at: field)
                    : c.hit("\(field) is \(day), after today (\(c.today)); a date in the future would switch the expiry and attestation checks off", at: field))
        }
        return hits
    }
}

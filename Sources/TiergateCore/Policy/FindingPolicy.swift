/// Applies the policy's `checks` map (change a finding's severity or turn it off) and its exceptions
/// (suppress a check for an app until a date) to findings.
package struct FindingPolicy: Sendable {
    package let policy: Policy
    package let today: Day
    /// Where the policy came from, for `exception-expired` findings.
    package let policyPath: String

    /// The findings as the policy wants them. The integrity checks (`FindingID.isIntegrity`) pass through
    /// untouched: the loader already refuses a policy that lowers, turns off or excepts one, and this keeps them
    /// standing for any `Policy` value built some other way.
    package func apply(_ findings: [Finding]) -> [Finding] {
        findings.compactMap { f in
            if f.builtIn?.isIntegrity == true { return f }
            var f = f
            if let level = policy.checks[f.id] {
                guard let severity = level.severity else { return nil }
                f.severity = severity
            }
            if let app = f.app,
                let e = policy.exceptions.first(where: { $0.check == f.id && $0.app == app && $0.expires >= today })
            {
                f.suppressed = Suppression(reason: e.reason, expires: e.expires.description)
            }
            return f
        }
    }

    /// `exception-expired` for every exception past its date: the finding it covered counts again.
    package func expiredExceptions() -> [Finding] {
        let raw = policy.exceptions.filter { $0.expires < today }.map { e in
            Finding(
                .exceptionExpired,
                message: "the exception for \(e.check) on \(e.app) expired on \(e.expires) (\(e.reason)); the finding counts again: fix it, or renew the exception with a new date",
                path: policyPath, mark: e.mark, app: e.app)
        }
        return apply(raw)
    }
}

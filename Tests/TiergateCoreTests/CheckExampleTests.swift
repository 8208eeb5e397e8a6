import Testing

@testable import TiergateCore

/// One generic test over every check's own examples: adding a check adds its tests.
@Suite("Manifest checks, from their own examples")
struct CheckExampleTests {
    static let checks = ManifestChecks.all.map { CheckCase($0) }
    /// The checks a policy may lower, turn off or except: all but those that add to an integrity id (`schema`).
    static let adjustable = checks.filter { !$0.check.id.isIntegrity }
    static let integrity = checks.filter { $0.check.id.isIntegrity }

    struct CheckCase: CustomTestStringConvertible, Sendable {
        let check: ManifestCheck
        init(_ c: ManifestCheck) { check = c }
        var id: String { check.id.rawValue }
        var testDescription: String { id }
    }

    @Test("the registry holds a check for every manifest-level id of SPEC section 4, each id once")
    func registry() {
        let ids = Self.checks.map(\.id)
        #expect(ids.count == Set(ids).count, "\(ids)")
        #expect(Set(ids) == [
            "owner-unknown", "secret-ref-scheme", "secret-literal", "connector-custom", "egress-allowlist-empty", "endpoint-undeclared",
            "residency-region", "ttl-max", "ttl-expired", "renewal-justification", "retire-by-passed", "attestation-overdue",
            "logging-siem", "template-unknown", "template-deviation", "schema",
        ])
        // Only the lifecycle date range reports under an integrity id (it adds to `schema`).
        #expect(Self.integrity.map(\.id) == ["schema"])
    }

    @Test("the triggering example gives the finding at its line and column, about a field", arguments: checks)
    func triggers(_ c: CheckCase) throws {
        let ex = c.check.triggering
        let at = try #require(ex.finding, "a triggering example says where its finding is")
        let all = try findings(manifest: ex.manifest, policy: ex.policy)
        let hits = all.filter { $0.id == c.id }
        #expect(!hits.isEmpty, "\(c.id) did not fire; got \(all.map(\.id))")
        #expect(hits.contains { $0.mark == at }, "\(hits.map { "\($0.line):\($0.column)" })")
        #expect(hits.allSatisfy { $0.severity == c.check.id.defaultSeverity && $0.app == "example" && !$0.message.isEmpty })
        #expect(hits.allSatisfy { $0.field?.hasPrefix("spec.") == true || $0.field?.hasPrefix("metadata.") == true }, "\(hits.map(\.field))")
    }

    @Test("the passing example gives no such finding", arguments: checks)
    func passes(_ c: CheckCase) throws {
        let ex = c.check.passing
        #expect(ex.finding == nil)
        let all = try findings(manifest: ex.manifest, policy: ex.policy)
        #expect(!all.contains { $0.id == c.id }, "\(all.filter { $0.id == c.id }.map(\.message))")
    }

    @Test("the base manifest is clean under the default policy")
    func baseIsClean() throws {
        #expect(try findings(manifest: CheckExample.baseManifest).isEmpty)
    }

    /// The example's policy (or an empty one), ready for more sections to be appended.
    static func basePolicy(_ ex: CheckExample) -> String {
        ex.policy.map { $0 + "\n" } ?? "apiVersion: tiergate/v1\nkind: Policy\n"
    }

    @Test("checks: {id: off} silences the check", arguments: adjustable)
    func off(_ c: CheckCase) throws {
        let ex = c.check.triggering
        let p = Self.basePolicy(ex) + "checks: {\(c.id): off}\n"
        #expect(!(try findings(manifest: ex.manifest, policy: p)).contains { $0.id == c.id })
    }

    @Test("checks: {id: LEVEL} changes the severity", arguments: adjustable)
    func level(_ c: CheckCase) throws {
        let ex = c.check.triggering
        let target: Severity = c.check.id.defaultSeverity == .error ? .info : .error
        let p = Self.basePolicy(ex) + "checks: {\(c.id): \(target.rawValue)}\n"
        let hits = try findings(manifest: ex.manifest, policy: p).filter { $0.id == c.id }
        #expect(!hits.isEmpty && hits.allSatisfy { $0.severity == target })
    }

    @Test("an unexpired exception suppresses the check for the app; an expired one brings it back", arguments: adjustable)
    func exceptions(_ c: CheckCase) throws {
        let ex = c.check.triggering
        func withException(expires: String) -> String {
            Self.basePolicy(ex) + "exceptions:\n  - {check: \(c.id), app: example, reason: pilot until launch, expires: \(expires)}\n"
        }
        let live = try findings(manifest: ex.manifest, policy: withException(expires: "2026-12-31")).filter { $0.id == c.id }
        #expect(!live.isEmpty && live.allSatisfy { $0.suppressed == Suppression(reason: "pilot until launch", expires: "2026-12-31") })
        #expect(!live.contains { $0.counts })
        let lastDay = try findings(manifest: ex.manifest, policy: withException(expires: "2026-11-22")).filter { $0.id == c.id }
        #expect(lastDay.allSatisfy { $0.suppressed != nil }, "an exception holds through its expiry date")
        let expired = try findings(manifest: ex.manifest, policy: withException(expires: "2026-11-21"))
        #expect(expired.contains { $0.id == c.id && $0.suppressed == nil })
        let notice = try #require(expired.first { $0.id == "exception-expired" })
        #expect(notice.severity == .warning && notice.app == "example" && notice.path == ".tiergate/policy.yaml")
        // The exception entry is on the line after `exceptions:`, which follows the base policy's lines.
        #expect(notice.line == Self.basePolicy(ex).count { $0 == "\n" } + 2)
        #expect(notice.column == 5)
    }

    @Test("a check under an integrity id cannot be lowered, turned off or excepted", arguments: integrity)
    func integrityStays(_ c: CheckCase) throws {
        let ex = c.check.triggering
        for level in ["off", "warning", "info"] {
            #expect(!policyProblems(Self.basePolicy(ex) + "checks: {\(c.id): \(level)}\n").isEmpty, "\(level) was accepted")
        }
        let excepted = Self.basePolicy(ex) + "exceptions:\n  - {check: \(c.id), app: example, reason: pilot, expires: 2099-01-01}\n"
        #expect(!policyProblems(excepted).isEmpty, "the exception was accepted")
        let hits = try findings(manifest: ex.manifest, policy: ex.policy).filter { $0.id == c.id }
        #expect(!hits.isEmpty && hits.allSatisfy { $0.severity == .error && $0.counts })
    }

    @Test("an exception is for one app only")
    func exceptionScope() throws {
        let ex = ManifestCheck.ttlMax.triggering
        let p = policy("exceptions: [{check: ttl-max, app: someone-else, reason: r, expires: 2027-01-01}]")
        #expect(try findings(manifest: ex.manifest, policy: p).contains { $0.id == "ttl-max" && $0.counts })
    }
}

@Suite("Finding details")
struct FindingDetailTests {
    @Test("a rule's require: regulated data with open egress is a finding with the rule's id, severity and message")
    func ruleRequire() throws {
        let m = CheckExample.replacing("dataClass: internal", with: "dataClass: regulated")
            .replacingOccurrences(of: "egress: allowlist", with: "egress: open")
        let hit = try #require(try findings(manifest: m).first { $0.id == "regulated-egress" })
        #expect(hit.severity == .error)
        #expect(hit.line == 16 && hit.column == 13)
        #expect(hit.message.hasPrefix("Regulated data may not leave"))
        let ok = CheckExample.replacing("dataClass: internal", with: "dataClass: regulated")
            .replacingOccurrences(of: "egress: allowlist", with: "egress: internal-only")
        #expect(!(try findings(manifest: ok)).contains { $0.id == "regulated-egress" })
        let off = policy("checks: {regulated-egress: off}")
        #expect(!(try findings(manifest: m, policy: off)).contains { $0.id == "regulated-egress" })
        let excepted = policy("exceptions: [{check: regulated-egress, app: example, reason: r, expires: 2027-01-01}]")
        #expect(try findings(manifest: m, policy: excepted).first { $0.id == "regulated-egress" }?.suppressed != nil)
    }

    @Test("secret-literal recognises each kind of credential and never repeats it", arguments: [
        ("AKIAIOSFODNN7EXAMPLE", "AWS"), ("ghp_" + String(repeating: "aB3d", count: 9), "GitHub"),
        ("github_pat_" + String(repeating: "x1Y2", count: 7), "GitHub"), ("glpat-" + String(repeating: "Zq9-", count: 5), "GitLab"),
        ("xoxb-123456789012-abcdefABCDEF", "Slack"), ("https://hooks.slack.com/services/T000/B000/XXXX", "Slack webhook"),
        ("-----BEGIN RSA PRIVATE KEY-----\\nMIIEow==\\n-----END RSA PRIVATE KEY-----", "private key"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JSON Web Token"),
        ("postgres://admin:hunter2hunter2@db.internal.example.com/app", "password"),
    ])
    func secretKinds(secret: String, kind: String) throws {
        let withSecret = CheckExample.baseManifest.replacingOccurrences(of: "  owner: ops", with: "  owner: ops\n  description: \"\(secret)\"")
        let all = try findings(manifest: withSecret)
        let hit = try #require(all.first { $0.id == "secret-literal" })
        #expect(hit.message.contains(kind))
        #expect(hit.line == 6 && hit.column == 16)
        #expect(all.allSatisfy { !$0.message.contains(secret) })
    }

    @Test("a random value under a secret-like key is a secret; an ordinary value is not")
    func highEntropy() throws {
        let m = CheckExample.baseManifest.replacingOccurrences(of: "  owner: ops", with: "  owner: ops\n  labels: {apiToken: Zx8vQ2mK9pL4rT7wY1bN3cD5, team: growth-analytics-platform}")
        let hits = try findings(manifest: m).filter { $0.id == "secret-literal" }
        #expect(hits.count == 1)
        #expect(hits.first?.line == 6 && hits.first?.column == 22)
        #expect(!SecretScanner.isSecretKeyName("name") && SecretScanner.isSecretKeyName("db_password"))
        #expect(SecretScanner.scan("vault://kv/apps/x/token", key: "token") == nil)
    }

    @Test("secret-literal also fires in a manifest whose shape is broken")
    func secretInBrokenManifest() throws {
        let m = "apiVersion: microapps/v1\nkind: MicroApp\nmetadata:\n  name: broken\nspec:\n  password: AKIAIOSFODNN7EXAMPLE\n"
        #expect(try findings(manifest: m).contains { $0.id == "secret-literal" && $0.line == 6 })
    }

    @Test("residency: an unknown zone and residency without regions")
    func residencyVariants() throws {
        let unknown = CheckExample.replacing("residency: eu", with: "residency: mars")
        #expect(try findings(manifest: unknown).contains { $0.id == "residency-region" && $0.line == 21 && $0.message.contains("mars") })
        let noRegions = CheckExample.replacing("regions: [eu-central-1]", with: "regions: []")
        #expect(try findings(manifest: noRegions).contains { $0.id == "residency-region" && $0.line == 21 })
    }

    @Test("ttl-expired counts from renewedAt when set, and from the policy's default TTL")
    func ttlFromRenewal() throws {
        let renewed = CheckExample.replacing("createdAt: 2026-11-01", with: "createdAt: 2026-01-01\n    renewedAt: 2026-11-01\n    renewalJustification: still used")
        #expect(!(try findings(manifest: renewed)).contains { $0.id == "ttl-expired" })
        let defaultTTL = CheckExample.replacing("ttlDays: 30", with: "attestedAt: 2026-11-01")
            .replacingOccurrences(of: "createdAt: 2026-11-01", with: "createdAt: 2026-10-22")
        // 2026-10-22 + 30 days (default) = 2026-11-21, before 2026-11-22.
        #expect(try findings(manifest: defaultTTL).contains { $0.id == "ttl-expired" })
        #expect(!(try findings(manifest: defaultTTL, policy: policy("limits: {defaultTtlDays: 31}"))).contains { $0.id == "ttl-expired" })
    }

    @Test("logging-siem: too short a retention")
    func retention() throws {
        let m = CheckExample.replacing("retentionDays: 90", with: "retentionDays: 30")
        #expect(try findings(manifest: m).contains { $0.id == "logging-siem" && $0.line == 31 && $0.column == 20 })
    }

    @Test("archived apps are not judged for expiry or retirement")
    func archived() throws {
        let m = CheckExample.replacing("createdAt: 2026-11-01", with: "createdAt: 2025-01-01\n    retireBy: 2025-06-01") + "  state: archived\n"
        let ids = try findings(manifest: m).map(\.id)
        #expect(!ids.contains("ttl-expired") && !ids.contains("retire-by-passed"))
    }
}

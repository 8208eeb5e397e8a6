/// Every built-in finding id of SPEC section 4, with its default severity.
public enum BuiltInFindings {
    public static let severities: [String: Severity] = [
        "yaml-syntax": .error, "yaml-duplicate-key": .error, "yaml-unsupported": .error, "yaml-limits": .error,
        "yaml-encoding": .error, "yaml-ambiguous-scalar": .warning, "schema": .error, "unknown-field": .warning,
        "not-a-manifest-file": .error, "duplicate-app-name": .error, "owner-unknown": .error,
        "secret-ref-scheme": .error, "secret-literal": .error, "connector-custom": .info,
        "egress-allowlist-empty": .error, "endpoint-undeclared": .warning, "residency-region": .error,
        "ttl-max": .error, "ttl-expired": .error, "renewal-justification": .error, "retire-by-passed": .error,
        "attestation-overdue": .warning, "logging-siem": .error, "template-unknown": .error,
        "template-deviation": .warning, "policy-invalid": .error, "exception-expired": .warning,
    ]

    public static let ids: Set<String> = Set(severities.keys)
}

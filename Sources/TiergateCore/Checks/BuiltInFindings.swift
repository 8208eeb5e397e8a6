/// Every built-in finding id of SPEC section 4, with its default severity.
package enum BuiltInFindings {
    package static let severities: [String: Severity] = [
        "yaml-syntax": .error, "yaml-duplicate-key": .error, "yaml-unsupported": .error, "yaml-limits": .error,
        "yaml-encoding": .error, "yaml-ambiguous-scalar": .warning, "schema": .error, "unknown-field": .warning,
        "not-a-manifest-file": .error, "manifest-outside-include": .error, "path-name-mismatch": .error,
        "duplicate-app-name": .error, "owner-unknown": .error,
        "secret-ref-scheme": .error, "secret-literal": .error, "connector-custom": .info,
        "egress-allowlist-empty": .error, "endpoint-undeclared": .warning, "residency-region": .error,
        "ttl-max": .error, "ttl-expired": .error, "renewal-justification": .error, "retire-by-passed": .error,
        "attestation-overdue": .warning, "logging-siem": .error, "template-unknown": .error,
        "template-deviation": .warning, "policy-invalid": .error, "exception-expired": .warning,
        "exception-unknown-app": .warning, "policy-weakened": .warning,
    ]

    package static let ids: Set<String> = Set(severities.keys)

    /// The gate's own integrity checks (SPEC section 2): what it cannot read, cannot see or cannot tell apart.
    /// A policy cannot lower them, turn them off in `checks` or except them (`PolicyLoader` refuses such a
    /// policy, and `FindingPolicy.apply` leaves their findings alone whatever the policy says): a gate that a
    /// policy can blind passes whatever it was blinded to. All are errors in `severities`.
    package static let integrityIDs: [String] = [
        "yaml-syntax", "yaml-duplicate-key", "yaml-unsupported", "yaml-limits", "yaml-encoding", "schema",
        "not-a-manifest-file", "manifest-outside-include", "path-name-mismatch", "duplicate-app-name", "policy-invalid",
    ]

    /// Whether a finding id is one of `integrityIDs`.
    package static func isIntegrity(_ id: String) -> Bool { integrityIDs.contains(id) }

    /// One line per finding id, for SARIF rules, JUnit and documentation. Manifest checks describe themselves.
    package static let descriptions: [String: String] = {
        var d: [String: String] = [
            "yaml-syntax": "The file is not well-formed YAML",
            "yaml-duplicate-key": "A mapping repeats a key",
            "yaml-unsupported": "A tag other than the YAML core ones, a merge key (<<), or a cycle of aliases",
            "yaml-limits": "Alias expansion over 10,000 nodes, nesting deeper than 64, a file over 1 MiB, or more than 100 documents",
            "yaml-encoding": "The file is not UTF-8",
            "yaml-ambiguous-scalar": "An unquoted value that a YAML 1.1 reader types differently (yes, no, on, 0755, 1:20...)",
            "schema": "The manifest's shape is broken: a missing field, a wrong type, a value outside its enum, a bad date or name",
            "unknown-field": "A field the MicroApp schema does not define (a typo?)",
            "not-a-manifest-file": "A manifest path is a symlink, a submodule or a Git LFS pointer",
            "manifest-outside-include": "A changed file outside the manifest globs holds a microapps/ document",
            "duplicate-app-name": "Two documents of one revision share metadata.name",
            "path-name-mismatch": "Under manifests.layout, a manifest is not at its layout path (the path that names its app), or a file holds more than one app",
            "policy-invalid": "The changed .tiergate/policy.yaml does not validate",
            "exception-expired": "A policy exception is past its expiry date; the finding it covered counts again",
            "exception-unknown-app": "A policy exception names an app that does not exist at the revision (a misspelled name excepts nothing)",
            "policy-weakened": "A change to the policy makes the gate ask less: fewer approvals, a lower tier, a check lowered, a new exception...",
        ]
        // A check that adds to a built-in id (the lifecycle date range adds to `schema`) keeps the id's own line.
        for check in ManifestChecks.all where d[check.id] == nil { d[check.id] = check.summary }
        return d
    }()

    /// The description of any finding id under a policy (rule ids take the rule's message).
    package static func description(of id: String, policy: Policy?) -> String {
        descriptions[id] ?? policy?.rules.first { $0.id == id }?.message ?? "Policy rule \(id)"
    }
}

/// One app read from a file and judged by the policy.
package struct EvaluatedApp: Sendable {
    package var path: String
    package var manifest: DecodedManifest
    /// The app's tier; nil when the manifest did not decode. (`TierCalculator.explain` gives the reasons.)
    package var tier: Int?
    package var findings: [Finding]

    package var name: String? { manifest.name }
}

/// Reads files into judged apps: YAML and schema findings, every manifest check, rule requirements, tiers,
/// and the policy's `checks` map and exceptions. Shared by `lint`, `check`, `explain` and `inventory`.
package struct AppEvaluator: Sendable {
    /// The policy, the day and where the policy came from: the apps are judged by what the findings are judged by.
    package let findingPolicy: FindingPolicy
    package var policy: Policy { findingPolicy.policy }
    package var today: Day { findingPolicy.today }

    package init(policy: Policy, today: Day, policyPath: String) {
        findingPolicy = FindingPolicy(policy: policy, today: today, policyPath: policyPath)
    }

    /// With `runChecks: false` only the shape and the tier are worked out (the base side of a change needs no
    /// findings).
    package func evaluate(_ file: ManifestFile, runChecks: Bool = true) -> (apps: [EvaluatedApp], fileFindings: [Finding]) {
        let calculator = TierCalculator(policy: policy)
        var apps: [EvaluatedApp] = []
        var fileFindings = findingPolicy.apply(file.findings)
        for manifest in file.apps {
            let context = CheckContext(manifest: manifest, policy: policy, today: today, path: file.path)
            let raw = runChecks ? manifest.findings + ManifestChecks.run(context) : manifest.findings
            let findings = findingPolicy.apply(raw)
            let tier = manifest.app.map { calculator.tier(of: $0) }
            if manifest.name == nil {
                // An app without a readable name cannot be reported as an app; its findings belong to the file.
                fileFindings += findings
                continue
            }
            apps.append(EvaluatedApp(path: file.path, manifest: manifest, tier: tier, findings: findings))
        }
        return (apps, fileFindings)
    }
}

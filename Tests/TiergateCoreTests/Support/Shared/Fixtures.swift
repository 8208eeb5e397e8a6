// Shared by both test targets (see Project.swift): the policy and manifest texts most tests start from.

/// A policy with groups, used by most tests that gate a change.
let groupsPolicy = """
    apiVersion: tiergate/v1
    kind: Policy
    groups:
      coe: [cora]
      security: [sam, sasha]
      privacy: [priya]
      platform: [pat, paul]
      legal: [lee]
      ops: [oz]
      growth: [gina]

    """

/// A valid manifest for tests. `metadata` and `extraSpec` are more lines of those mappings, indented by the caller;
/// an empty one adds no line, so the lines of the others stay where they are.
func manifest(
    name: String = "app", owner: String = "ops", dataClass: String = "internal", metadata: String = "", extraSpec: String = ""
) -> String {
    """
    apiVersion: microapps/v1
    kind: MicroApp
    metadata:
      name: \(name)
      owner: \(owner)

    """ + (metadata.isEmpty ? "" : metadata + "\n") + """
    spec:
      dataClass: \(dataClass)
      accessScope: team
      runtime: client
      criticality: toy
      network:
        egress: none
      lifecycle:
        createdAt: 2026-11-01
      cost:
        monthlyCapUSD: 10
      observability:
        logSink: siem
        retentionDays: 90
    \(extraSpec)
    """
}

/// Rules with `matches` patterns that take a backtracking engine exponential or quadratic time on long values.
let hostileMatchRules = """
    ungovernedFields: [metadata.title]
    rules:
      - id: pii-description
        message: An app that says it holds PII needs privacy's review
        when: {field: metadata.description, matches: ".*pii"}
        raiseTier: 2
      - id: team-label
        message: The team label is lower-case words joined by single hyphens
        when: {field: metadata.labels.team, exists: true}
        require: {field: metadata.labels.team, matches: "^([a-z0-9]+-?)+$"}

    """

/// The built-in default policy, exactly as SPEC section 2 gives it (`tiergate policy show --default`).
package enum DefaultPolicy {
    package static let text = #"""
apiVersion: tiergate/v1
kind: Policy
manifests:
  include: ["**/microapp.yaml", "**/microapp.yml", "**/*.microapp.yaml", "**/*.microapp.yml"]
  exclude: []
dimensions:                       # value -> tier; an app's tier is the highest of them all
  dataClass: {public: 0, internal: 0, confidential: 1, restricted: 2, regulated: 3}
  accessScope: {personal: 0, team: 0, cross-team: 1, org-wide: 2}
  integrationAccess: {read: 0, write: 1, admin: 2}      # highest over spec.integrations
  runtime: {client: 0, vendor-platform: 0, company-cloud: 1}
  criticality: {toy: 0, productivity: 0, sla-critical: 2}
  monthlyCostUSD:                 # first band whose upTo >= the cap; the last band has no upTo
    - {upTo: 50, tier: 0}
    - {upTo: 200, tier: 1}
    - {upTo: 1000, tier: 2}
    - {tier: 3}
tiers:
  - {tier: 0, name: self-service, approvals: []}
  - {tier: 1, name: lightweight-review, approvals: [{group: coe, count: 1}]}
  - {tier: 2, name: formal-approval, approvals: [{group: security, count: 1}, {group: privacy, count: 1}, {group: platform, count: 1}]}
  - {tier: 3, name: executive-signoff, approvals: [{group: security, count: 1}, {group: privacy, count: 1}, {group: platform, count: 1}, {group: legal, count: 1}]}
policyChange:
  approvals: [{group: platform, count: 2}]
approvals:
  allowStale: false               # a review counts only for the head commit it was given on
  distinctApprovers: true         # one person satisfies at most one group requirement
groups: {}                        # group -> [login, ...]
connectors: [crm, jira, github, slack, hr, ticketing]   # pre-approved integrations
secretRefSchemes: [vault, aws-sm, azure-kv]
residency:
  eu: [eu-central-1, eu-west-1, eu-sovereign-1]
  us: [us-east-1, us-east-2, us-west-2]
limits:
  defaultTtlDays: 30
  maxTtlDays: 90
  attestationDays: 90
  minLogRetentionDays: 90
ungovernedFields: [metadata.title, metadata.description]
templates: []                     # [{name, tier, bounds: {dimension: [allowed values], monthlyCostUSD: max}}]
checks: {}                        # finding id -> error | warning | info | off
rules:
  - id: regulated-egress
    message: Regulated data may not leave approved environments; egress must be none or internal-only
    when: {field: spec.dataClass, equals: regulated}
    require: {field: spec.network.egress, in: [none, internal-only]}
    severity: error
  - id: sla-critical-org-wide
    message: An SLA-critical app used org-wide needs executive sign-off
    when: {all: [{field: spec.criticality, equals: sla-critical}, {field: spec.accessScope, equals: org-wide}]}
    raiseTier: 3
  - id: cross-team-write
    message: Writing through an integration for users beyond one team needs a formal review
    when: {all: [{field: spec.accessScope, in: [cross-team, org-wide]}, {field: "spec.integrations[*].access", in: [write, admin]}]}
    raiseTier: 2
  - id: open-egress
    message: Unrestricted egress needs a formal review
    when: {field: spec.network.egress, equals: open}
    raiseTier: 2
exceptions: []                    # [{check, app, reason, expires: YYYY-MM-DD}]

"""#
}

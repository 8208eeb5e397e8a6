/// Every built-in finding id of SPEC section 4, and all that is said about one: its default severity, a one-line
/// description, whether it is an integrity check, what it guards against and how to fix it (SARIF's `help`, the
/// README's section), and for the security checks a SARIF `security-severity`. This is the one table: checks,
/// the YAML layer, the decoder, the gate, the policy and every reporter take an id's facts from here. The
/// README's "Checks" section is this table written out; a test keeps the two equal.
package enum FindingID: String, Sendable, Hashable, CaseIterable {
    case yamlSyntax = "yaml-syntax"
    case yamlDuplicateKey = "yaml-duplicate-key"
    case yamlUnsupported = "yaml-unsupported"
    case yamlLimits = "yaml-limits"
    case yamlEncoding = "yaml-encoding"
    case yamlAmbiguousScalar = "yaml-ambiguous-scalar"
    case schema
    case unknownField = "unknown-field"
    case notAManifestFile = "not-a-manifest-file"
    case manifestOutsideInclude = "manifest-outside-include"
    case pathNameMismatch = "path-name-mismatch"
    case duplicateAppName = "duplicate-app-name"
    case ownerUnknown = "owner-unknown"
    case secretRefScheme = "secret-ref-scheme"
    case secretLiteral = "secret-literal"
    case connectorCustom = "connector-custom"
    case egressAllowlistEmpty = "egress-allowlist-empty"
    case endpointUndeclared = "endpoint-undeclared"
    case residencyRegion = "residency-region"
    case ttlMax = "ttl-max"
    case ttlExpired = "ttl-expired"
    case renewalJustification = "renewal-justification"
    case retireByPassed = "retire-by-passed"
    case attestationOverdue = "attestation-overdue"
    case loggingSIEM = "logging-siem"
    case templateUnknown = "template-unknown"
    case templateDeviation = "template-deviation"
    case policyInvalid = "policy-invalid"
    case exceptionExpired = "exception-expired"
    case exceptionUnknownApp = "exception-unknown-app"
    case policyWeakened = "policy-weakened"

    /// What is said about one id. Help texts are Markdown-light: `code` in backticks, nothing else.
    struct Facts {
        var severity: Severity
        var summary: String
        /// One of the gate's own integrity checks (SPEC section 2): what it cannot read, cannot see or cannot tell
        /// apart. A policy cannot lower them, turn them off in `checks` or except them (`PolicyLoader` refuses
        /// such a policy, and `FindingPolicy.apply` leaves their findings alone whatever the policy says): a gate
        /// that a policy can blind passes whatever it was blinded to. All are errors.
        var integrity = false
        /// What goes wrong if the finding is ignored.
        var guards: String
        /// What the author does about it.
        var fix: String
        /// SARIF `properties.security-severity` (GitHub's scale: 9.0 and up critical, 7.0 high, 4.0 medium).
        /// Set only where the finding is itself a security exposure, not a hygiene or review matter:
        /// - a credential in the manifest (9.0): it is readable by everyone who can read the repository and stays
        ///   in git history after the fix, so it is exploitable as it stands, with no other step;
        /// - a secret `ref` that is no vault reference (8.0): often a pasted credential the scanner did not
        ///   recognise, but not proven to be one;
        /// - data leaving its network bounds or its residency zone (7.0): an exposure that needs the app to run
        ///   and to be reached first, and a legal one for residency;
        /// - an integration talking to a host off the allowlist (5.0): either blocked at run time or an
        ///   undeclared data flow, a warning by default.
        var securitySeverity: String? = nil
    }

    /// The table itself.
    var facts: Facts {
        switch self {
        case .yamlSyntax:
            Facts(
                severity: .error, summary: "The file is not well-formed YAML", integrity: true,
                guards: "A file that is not well-formed YAML has no values anyone can rely on: the gate cannot see what a deployer would apply, so it refuses the file rather than guess.",
                fix: "Correct the YAML at the line and column given (the message says what the parser expected): an unclosed bracket or quote, a tab in the indentation, a key without a value.")
        case .yamlDuplicateKey:
            Facts(
                severity: .error, summary: "A mapping repeats a key", integrity: true,
                guards: "YAML readers disagree on a repeated key: one keeps the first value, another the last, so the gate could judge one value while the deployer applies the other.",
                fix: "Keep one of the two keys (the message names both places) and delete the other.")
        case .yamlUnsupported:
            Facts(
                severity: .error, summary: "A tag other than the YAML core ones, a merge key (<<), or a cycle of aliases", integrity: true,
                guards: "Custom tags, merge keys and alias cycles are read differently by different YAML libraries, or not at all: the gate only judges what every reader reads the same way.",
                fix: "Write the values out: drop the tag, replace the merge key `<<` by the keys it would merge, and break the cycle of aliases.")
        case .yamlLimits:
            Facts(
                severity: .error,
                summary: "Alias expansion over 10,000 nodes, nesting deeper than 64, a file over 1 MiB, or more than 100 documents",
                integrity: true,
                guards: "Alias bombs, deep nesting, huge files and long document streams are ways to make the gate, or the deployer, run out of time or memory; past a limit the file is refused, never half-read.",
                fix: "Split or simplify the file: at most 1 MiB, 100 documents, 64 levels of nesting and 10,000 nodes from expanding aliases.")
        case .yamlEncoding:
            Facts(
                severity: .error, summary: "The file is not UTF-8", integrity: true,
                guards: "A file in another encoding may be read as other characters by the deployer than by the gate.",
                fix: "Save the file as UTF-8 (with or without a byte-order mark).")
        case .yamlAmbiguousScalar:
            Facts(
                severity: .warning, summary: "An unquoted value that a YAML 1.1 reader types differently (yes, no, on, 0755, 1:20...)",
                guards: "A YAML 1.1 reader turns unquoted `yes`, `no`, `on`, `off`, `0755` or `1:20` into booleans or other numbers, while the gate reads YAML 1.2: the deployer could apply another value than the one judged.",
                fix: "Quote the value (`'yes'`, `'0755'`), or write the value you mean (`true`, `493`).")
        case .schema:
            Facts(
                severity: .error,
                summary: "The manifest's shape is broken: a missing field, a wrong type, a value outside its enum, a bad date or name",
                integrity: true,
                guards: "A manifest whose shape is broken has no reliable values, so it has no tier and cannot be judged; a lifecycle date in the future would switch the expiry and attestation checks off.",
                fix: "Correct the field the message names: add it if it is missing, give it the right type, use one of its allowed values, a date `YYYY-MM-DD` between 2000-01-01 and today, or a valid app name.")
        case .unknownField:
            Facts(
                severity: .warning, summary: "A field the MicroApp schema does not define (a typo?)",
                guards: "A misspelt field (`ttlDay` for `ttlDays`) is ignored, so the value you meant is not the one judged.",
                fix: "Rename the field to the one the message suggests, or remove it.")
        case .notAManifestFile:
            Facts(
                severity: .error, summary: "A manifest path is a symlink, a submodule or a Git LFS pointer", integrity: true,
                guards: "The gate reads what git stores: behind a symbolic link, a submodule or a Git LFS pointer lies content the gate cannot see but a deployer may apply.",
                fix: "Commit the manifest itself as a regular file and keep manifests out of Git LFS; name a path that holds no manifests in `manifests.exclude`.")
        case .manifestOutsideInclude:
            Facts(
                severity: .error, summary: "A changed file outside the manifest globs holds a microapps/ document", integrity: true,
                guards: "A MicroApp document outside the manifest globs would escape the gate while a deployer that reads every YAML file applies it.",
                fix: "Move the document to a path that `manifests.include` matches, or remove it (and any symbolic link to it).")
        case .pathNameMismatch:
            Facts(
                severity: .error,
                summary: "Under manifests.layout, a manifest is not at its layout path (the path that names its app), or a file holds more than one app",
                integrity: true,
                guards: "Under `manifests.layout` the path names the app: an app at another app's path, or two apps in one file, lets a change to one app pass as a change to another, with that app's reviews.",
                fix: "Move the manifest to its layout path (the message names it) or rename the app to match its path; keep one app per file.")
        case .duplicateAppName:
            Facts(
                severity: .error, summary: "Two documents of one revision share metadata.name", integrity: true,
                guards: "Two documents with one `metadata.name` leave open which one the deployer applies and which one the gate judged.",
                fix: "Give every app its own `metadata.name`.")
        case .ownerUnknown:
            Facts(
                severity: .error, summary: "metadata.owner is not a group of the policy",
                guards: "An owner that is not a group of the policy cannot be asked for approvals, attestations or renewals.",
                fix: "Set `metadata.owner` to a group of the policy, or ask the platform team to add the group.")
        case .secretRefScheme:
            Facts(
                severity: .error, summary: "A secret reference does not use a vault scheme of the policy's secretRefSchemes",
                guards: "A secret's `ref` that is not a vault reference is a value or an address the platform cannot resolve safely, often a pasted credential.",
                fix: "Store the secret in the vault and reference it as `scheme://path` with a scheme of the policy's `secretRefSchemes`, for example `vault://kv/apps/NAME/KEY`.",
                securitySeverity: "8.0")
        case .secretLiteral:
            Facts(
                severity: .error,
                summary: "A string looks like a credential (cloud key, token, private key, JWT, URL password, random value under a secret-like key)",
                guards: "A credential in a manifest can be read by everyone who can read the repository, and stays in git history after it is removed.",
                fix: "Remove it, store it in the vault and reference it under `spec.secrets`, and rotate the credential: it is already in git history.",
                securitySeverity: "9.0")
        case .connectorCustom:
            Facts(
                severity: .info, summary: "An integration is not one of the policy's pre-approved connectors",
                guards: "Pre-approved connectors were reviewed once for everyone; any other integration needs its own review, so the app is at least tier 1.",
                fix: "Use a connector of the policy if one fits; otherwise there is nothing to fix: the tier 1 review is the point.")
        case .egressAllowlistEmpty:
            Facts(
                severity: .error, summary: "network.egress is allowlist with no destinations",
                guards: "An allowlist without destinations says nothing about where data may go, and a platform may read it as no restriction at all.",
                fix: "List the hosts the app may reach under `spec.network.destinations`, or set `spec.network.egress` to `none`.",
                securitySeverity: "7.0")
        case .endpointUndeclared:
            Facts(
                severity: .warning, summary: "An integration's endpoint is missing from network.destinations while egress is allowlist",
                guards: "An integration whose endpoint is not on the allowlist is either blocked at run time or talks to a host nobody declared.",
                fix: "Add the endpoint to `spec.network.destinations`.",
                securitySeverity: "5.0")
        case .residencyRegion:
            Facts(
                severity: .error, summary: "A region outside the residency zone, residency without regions, or an unknown zone",
                guards: "Data must stay in its residency zone, a legal obligation: a region outside the zone, a zone without regions or a zone the policy does not know cannot be shown to comply.",
                fix: "Use a zone the policy defines, and list under `spec.regions` only regions of that zone (the message names them).",
                securitySeverity: "7.0")
        case .ttlMax:
            Facts(
                severity: .error, summary: "lifecycle.ttlDays is above limits.maxTtlDays",
                guards: "Apps are meant to be short-lived and renewed on purpose; a long TTL puts off the next look at whether the app is still needed.",
                fix: "Lower `spec.lifecycle.ttlDays` to at most the policy's `limits.maxTtlDays`, and renew the app when it runs out.")
        case .ttlExpired:
            Facts(
                severity: .error, summary: "(renewedAt or createdAt) + ttlDays is before today",
                guards: "An app past its TTL has not been confirmed as still needed; forgotten apps keep their data and access.",
                fix: "Renew it (`renewedAt` set to the day, with a `renewalJustification`) or archive it (`spec.state: archived`).")
        case .renewalJustification:
            Facts(
                severity: .error, summary: "renewedAt is set without renewalJustification",
                guards: "A renewal without a reason is a rubber stamp.",
                fix: "Add `spec.lifecycle.renewalJustification` saying why the app is still needed.")
        case .retireByPassed:
            Facts(
                severity: .error, summary: "retireBy is before today and the app is not archived",
                guards: "The owner planned to retire the app by this date; an app still running after it has outlived its plan.",
                fix: "Archive the app (`spec.state: archived`), or move `spec.lifecycle.retireBy` with the owner's agreement.")
        case .attestationOverdue:
            Facts(
                severity: .warning, summary: "attestedAt is missing or older than limits.attestationDays",
                guards: "The owner confirms now and then that the app is still needed and its manifest still true; without that, the manifest may be stale.",
                fix: "Have the owner review the app, then set `spec.lifecycle.attestedAt` to the day they did.")
        case .loggingSIEM:
            Facts(
                severity: .error, summary: "observability.logSink is not siem, or logs are kept for less than limits.minLogRetentionDays",
                guards: "Without its logs in the SIEM, kept long enough, an incident involving the app cannot be investigated.",
                fix: "Set `spec.observability.logSink` to `siem` and `spec.observability.retentionDays` to at least the policy's `limits.minLogRetentionDays`.")
        case .templateUnknown:
            Facts(
                severity: .error, summary: "spec.template names a template the policy does not define",
                guards: "A template the policy does not define vouches for nothing, and the name may be a typo for one it does.",
                fix: "Use a template of the policy (the message lists them), or remove `spec.template`.")
        case .templateDeviation:
            Facts(
                severity: .warning, summary: "The app names a template but its values lie outside the template's bounds",
                guards: "An app outside its template's bounds does not get the template's tier: it is tiered by its own values and may need more reviews than its author expects.",
                fix: "Bring the values within the template's bounds (the message lists the ones outside), or remove `spec.template`.")
        case .policyInvalid:
            Facts(
                severity: .error, summary: "The changed .tiergate/policy.yaml does not validate", integrity: true,
                guards: "The changed policy judges the next change; an invalid one would leave the gate without a policy.",
                fix: "Correct `.tiergate/policy.yaml` where the messages say; `tiergate lint --policy .tiergate/policy.yaml` lists every problem.")
        case .exceptionExpired:
            Facts(
                severity: .warning, summary: "A policy exception is past its expiry date; the finding it covered counts again",
                guards: "An exception is temporary: once it expires, the finding it covered counts again.",
                fix: "Fix what the exception covered, or renew the exception in the policy with a new `expires` date and reason.")
        case .exceptionUnknownApp:
            Facts(
                severity: .warning, summary: "A policy exception names an app that does not exist at the revision",
                guards: "An exception for an app that does not exist covers nothing today, but would quietly cover a future app of that name.",
                fix: "Remove the exception from the policy, or correct its `app`.")
        case .policyWeakened:
            Facts(
                severity: .warning, summary: "A change to the policy makes the gate ask less of some change",
                guards: "One policy change can empty every tier's approvals or except an app from a check; the `policyChange` approvers must see each weakening, not only that the policy changed.",
                fix: "Nothing, if the weakening is meant: the `policyChange` approvers read it and approve. Otherwise restore what the message names.")
        }
    }

    package var defaultSeverity: Severity { facts.severity }
    /// One line: what the finding says is wrong (SARIF's `shortDescription`, JUnit, the README).
    package var summary: String { facts.summary }
    package var isIntegrity: Bool { facts.integrity }
    package var securitySeverity: String? { facts.securitySeverity }
    /// What the check guards against and how to fix it, as plain text and as Markdown (SARIF's `help`).
    package var helpText: String { Self.plain(facts.guards) + " " + Self.plain(facts.fix) }
    package var helpMarkdown: String { "**What it guards against.** \(facts.guards)\n\n**How to fix it.** \(facts.fix)" }
    /// The README section of the id: its heading is the id in backticks, which GitHub's anchors turn into the id.
    package var readmeAnchor: String { rawValue }
    /// An absolute URL of the README section (SARIF's `helpUri` must be absolute), from `TiergateVersion.readme`.
    package var helpURI: String { "\(TiergateVersion.readme)#\(readmeAnchor)" }

    /// The integrity ids, in SPEC order.
    package static let integrity: [FindingID] = allCases.filter(\.isIntegrity)

    private static func plain(_ s: String) -> String { String(s.filter { $0 != "`" }) }

    /// Every built-in id as written (a policy's `checks`, `exceptions` and rule ids are checked against it).
    package static let allNames: Set<String> = Set(allCases.map(\.rawValue))

    /// Whether `id` names a built-in integrity check (false for a rule's id).
    package static func isIntegrity(_ id: String) -> Bool { FindingID(rawValue: id)?.isIntegrity ?? false }

    /// The description of any finding id under a policy: a built-in id's summary, else the rule's message.
    package static func description(of id: String, policy: Policy?) -> String {
        FindingID(rawValue: id)?.summary ?? policy?.rules.first { $0.id == id }?.message ?? "Policy rule \(id)"
    }
}

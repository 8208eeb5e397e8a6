/// What a run decided. Reports render it; the CLI maps it to the exit status.
package enum Decision: String, Sendable {
    case pass
    case blocked
    case approvalRequired = "approval-required"

    package var exitCode: Int32 {
        switch self {
        case .pass: 0
        case .blocked: 1
        case .approvalRequired: 3
        }
    }
}

/// The lowest severity that blocks (`--fail-on`).
package enum FailOn: String, Sendable, CaseIterable {
    case error, warning, never

    package func blocks(_ severity: Severity) -> Bool {
        switch self {
        case .error: severity == .error
        case .warning: severity >= .warning
        case .never: false
        }
    }
}

package struct RevisionInfo: Sendable, Equatable {
    package var rev: String
    package var commit: String?
}

/// Where the policy in force came from.
package struct PolicyInfo: Sendable, Equatable {
    package enum Source: String, Sendable {
        case base, `default`, file, rev
        /// The base's policy is invalid; the newest valid one of its first-parent history judges (SPEC section 2).
        case lastValid = "last-valid"
    }
    package var source: Source
    package var path: String?
    package var blob: String?
    /// The commit the policy was read from; nil for the built-in default and `--policy FILE`.
    package var commit: String?
    package var changed = false
}

/// What `check` says of one app: how the change moves it and what it needs.
package struct AppCheckInfo: Sendable, Equatable {
    package var previousPath: String?
    /// With `renamed`: the name the app had at base.
    package var previousName: String? = nil
    package var change: ChangeKind
    package var baseTier: Int?
    package var headTier: Int?
    package var requiredTier: Int?
    package var tierChange: TierChange
    package var fieldChanges: [FieldChange]
    package var requiredApprovals: [RequiredApproval]
    /// The head version's risk as an approver weighs it (the base's for a removed app); nil when it did not decode.
    package var risk: AppRisk? = nil
}

/// One app in a report.
package struct AppReport: Sendable, Equatable {
    package var name: String
    package var path: String
    package var tier: Int?
    package var findings: [Finding]
    /// Present in `check` reports. Kept out of line: a lint report has an app per manifest of the revision, none
    /// with this part, and held in place it would make every `AppReport` four times as large.
    package var check: AppCheckInfo? {
        get { checkStorage?.info }
        set { checkStorage = newValue.map(CheckInfoStorage.init) }
    }
    private var checkStorage: CheckInfoStorage?

    package init(name: String, path: String, tier: Int?, findings: [Finding], check: AppCheckInfo? = nil) {
        self.name = name
        self.path = path
        self.tier = tier
        self.findings = findings
        self.checkStorage = check.map(CheckInfoStorage.init)
    }
}

/// An `AppCheckInfo` behind a reference; never changed once made, so `AppReport` keeps its value semantics.
private final class CheckInfoStorage: Sendable, Equatable {
    let info: AppCheckInfo

    init(_ info: AppCheckInfo) { self.info = info }

    static func == (a: CheckInfoStorage, b: CheckInfoStorage) -> Bool { a.info == b.info }
}

/// The approvals part of a `check` report.
package struct ApprovalsReport: Sendable, Equatable {
    /// `--ignore-approvals`: nothing is required of the evidence.
    package var ignored: Bool
    /// `--staged`: approvals are shown but do not decide.
    package var advisory: Bool
    package var author: String?
    package var outcome: ApprovalOutcome
}

package struct Summary: Sendable, Equatable {
    package var apps: Int
    package var errors: Int
    package var warnings: Int
    package var infos: Int
    package var suppressed: Int
    /// Approvals still missing (check).
    package var approvalsMissing: Int = 0

    package init(findings: [Finding], apps: Int, approvalsMissing: Int = 0) {
        self.approvalsMissing = approvalsMissing
        self.apps = apps
        errors = findings.count { $0.counts && $0.severity == .error }
        warnings = findings.count { $0.counts && $0.severity == .warning }
        infos = findings.count { $0.counts && $0.severity == .info }
        suppressed = findings.count { !$0.counts }
    }
}

/// The one value every reporter renders. Built by the `lint` and `check` use cases; nothing downstream re-reads
/// git or YAML.
package struct Report: Sendable, Equatable {
    package enum Command: String, Sendable { case lint, check }

    package var command: Command
    package var toolVersion: String
    /// `check`: the base revision as given and the merge-base commit compared against.
    package var base: RevisionInfo?
    package var head: RevisionInfo?
    package var policy: PolicyInfo
    package var decision: Decision
    package var apps: [AppReport]
    /// Findings about no single app (a file that is not well-formed YAML, a symlink at a manifest path…).
    package var findings: [Finding]
    package var summary: Summary
    /// `check` only.
    package var approvals: ApprovalsReport?
    /// The `--fail-on` the decision was made with: which findings block.
    package var failOn: FailOn = .error
    /// What each finding id in the report means (rules take their policy message), for SARIF and JUnit.
    package var descriptions: [String: String] = [:]
    /// `check` of a change that edits the policy file: the apps it re-tiers (SPEC section 10).
    package var policyImpact: PolicyImpact?

    /// Fills `descriptions` for every finding id in the report.
    mutating func describeFindings(policy: Policy) {
        for f in allFindings where descriptions[f.id] == nil {
            descriptions[f.id] = FindingID.description(of: f.id, policy: policy)
        }
    }

    package var exitCode: Int32 { decision.exitCode }

    /// Whether a finding is one that blocks under this run's `--fail-on`.
    package func blocks(_ f: Finding) -> Bool { f.counts && failOn.blocks(f.severity) }

    /// Every finding of the run, app findings and file findings, in report order.
    package var allFindings: [Finding] {
        (apps.flatMap(\.findings) + findings).sorted(by: Finding.reportOrder)
    }
}

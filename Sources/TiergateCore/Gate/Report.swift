/// What a run decided. Reports render it; the CLI maps it to the exit status.
public enum Decision: String, Sendable, Codable {
    case pass
    case blocked
    case approvalRequired = "approval-required"

    public var exitCode: Int32 {
        switch self {
        case .pass: 0
        case .blocked: 1
        case .approvalRequired: 3
        }
    }
}

/// The lowest severity that blocks (`--fail-on`).
public enum FailOn: String, Sendable, CaseIterable {
    case error, warning, never

    public func blocks(_ severity: Severity) -> Bool {
        switch self {
        case .error: severity == .error
        case .warning: severity >= .warning
        case .never: false
        }
    }
}

public struct RevisionInfo: Sendable, Codable, Equatable {
    public var rev: String
    public var commit: String?

    public init(rev: String, commit: String?) {
        self.rev = rev
        self.commit = commit
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rev, forKey: .rev)
        try c.encode(commit, forKey: .commit)
    }
}

/// Where the policy in force came from.
public struct PolicyInfo: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable {
        case base, `default`, file, rev
        /// The base's policy is invalid; the newest valid one of its first-parent history judges (SPEC section 2).
        case lastValid = "last-valid"
    }
    public var source: Source
    public var path: String?
    public var blob: String?
    /// The commit the policy was read from; nil for the built-in default and `--policy FILE`.
    public var commit: String?
    public var changed: Bool

    public init(source: Source, path: String?, blob: String?, commit: String? = nil, changed: Bool = false) {
        self.source = source
        self.path = path
        self.blob = blob
        self.commit = commit
        self.changed = changed
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(path, forKey: .path)
        try c.encode(blob, forKey: .blob)
        try c.encodeIfPresent(commit, forKey: .commit)
        try c.encode(changed, forKey: .changed)
    }
}

/// What `check` says of one app: how the change moves it and what it needs.
public struct AppCheckInfo: Sendable, Equatable {
    public var previousPath: String?
    /// With `renamed`: the name the app had at base.
    public var previousName: String? = nil
    public var change: ChangeKind
    public var baseTier: Int?
    public var headTier: Int?
    public var requiredTier: Int?
    public var tierChange: TierChange
    public var fieldChanges: [FieldChange]
    public var requiredApprovals: [RequiredApproval]
}

/// One app in a report.
public struct AppReport: Sendable, Equatable {
    public var name: String
    public var path: String
    public var tier: Int?
    public var findings: [Finding]
    /// Present in `check` reports.
    public var check: AppCheckInfo?

    public init(name: String, path: String, tier: Int?, findings: [Finding], check: AppCheckInfo? = nil) {
        self.name = name
        self.path = path
        self.tier = tier
        self.findings = findings
        self.check = check
    }
}

/// The approvals part of a `check` report.
public struct ApprovalsReport: Sendable, Equatable {
    /// `--ignore-approvals`: nothing is required of the evidence.
    public var ignored: Bool
    /// `--staged`: approvals are shown but do not decide.
    public var advisory: Bool
    public var author: String?
    public var outcome: ApprovalOutcome
}

public struct Summary: Sendable, Codable, Equatable {
    public var apps: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    public var suppressed: Int
    /// Approvals still missing (check).
    public var approvalsMissing: Int = 0

    public init(findings: [Finding], apps: Int, approvalsMissing: Int = 0) {
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
public struct Report: Sendable, Equatable {
    public enum Command: String, Sendable, Codable { case lint, check }

    public var command: Command
    public var toolVersion: String
    /// `check`: the base revision as given and the merge-base commit compared against.
    public var base: RevisionInfo?
    public var head: RevisionInfo?
    public var policy: PolicyInfo
    public var decision: Decision
    public var apps: [AppReport]
    /// Findings about no single app (a file that is not well-formed YAML, a symlink at a manifest path…).
    public var findings: [Finding]
    public var summary: Summary
    /// `check` only.
    public var approvals: ApprovalsReport?
    /// The `--fail-on` the decision was made with: which findings block.
    public var failOn: FailOn = .error
    /// What each finding id in the report means (rules take their policy message), for SARIF and JUnit.
    public var descriptions: [String: String] = [:]

    /// Fills `descriptions` for every finding id in the report.
    mutating func describeFindings(policy: Policy) {
        for f in allFindings where descriptions[f.id] == nil {
            descriptions[f.id] = BuiltInFindings.description(of: f.id, policy: policy)
        }
    }

    public var exitCode: Int32 { decision.exitCode }

    /// Whether a finding is one that blocks under this run's `--fail-on`.
    public func blocks(_ f: Finding) -> Bool { f.counts && failOn.blocks(f.severity) }

    /// Every finding of the run, app findings and file findings, in report order.
    public var allFindings: [Finding] {
        (apps.flatMap(\.findings) + findings).sorted(by: Finding.reportOrder)
    }
}

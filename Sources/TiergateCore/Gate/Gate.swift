import Foundation

/// What `tiergate check` is asked to do.
package struct GateRequest: Sendable {
    package var repository: String?
    /// `--base`; nil means the CI defaults of SPEC section 6.
    package var base: String?
    package var head: String = "HEAD"
    package var staged = false
    /// With `staged`: the index git hands a pre-commit hook (`GIT_INDEX_FILE`), as git sets it (relative to the
    /// working tree, or absolute); nil reads the repository's own (see `StagedIndex`).
    package var indexFile: String?
    package var policyFile: String?
    package var approvalsFile: String?
    package var approvedBy: [String] = []
    package var author: String?
    /// `--members`: a JSON file `{"@org/team": ["login", ...]}` for the team entries of the policy's groups.
    package var membersFile: String?
    /// `--pr-head`: the commit reviewers saw, when `head` is not it (CI judging the merge result). A review is
    /// fresh when its `commit_id` is this commit; nil means the head.
    package var prHead: String?
    package var ignoreApprovals = false
    package var today: Day
    package var failOn: FailOn = .error
    package var workingDirectory: String
    /// The process environment, for the base defaults (`TIERGATE_BASE`, `GITHUB_BASE_REF`, …).
    package var environment: [String: String]

    package init(workingDirectory: String, environment: [String: String] = [:], today: Day = .todayUTC()) {
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.today = today
    }
}

/// The `check` use case: compare the head of a change with its merge base, judge the apps it touches by the
/// base policy, work out the approvals it needs, weigh the evidence, decide. Never prints, never exits.
package enum Gate {
    /// The gate as a pipeline. Each step is a function of its own: `resolve` and `changedEntries` in
    /// GateRevisions.swift, `evaluate` and `nameFindings` in ChangeEvaluation.swift, `require` in
    /// RequiredApprovals.swift, `weighEvidence` in Evidence.swift, `decide` below.
    package static func run(_ request: GateRequest) throws(TiergateError) -> Report {
        // 1. The repository, the base, the merge base and the head.
        let revisions = try resolve(request)
        // 2. The policy of the base itself (the target branch as it is now, not the merge base): a change cannot
        // weaken the gate that judges it, and a branch cut before the policy was tightened is judged by the
        // tightened one.
        var policy = try revisions.reader.policy(PolicyChoice(file: request.policyFile, otherwise: .atBase), at: revisions.baseTip)
        // 3. Every path that differs, whatever the globs say.
        let changed = try changedEntries(revisions)
        // 4. Both sides of every changed file read and judged; what the globs cannot see.
        let evaluator = AppEvaluator(policy: policy.policy, today: request.today, policyPath: policy.displayPath)
        var judged = try evaluate(changed, revisions, evaluator: evaluator)
        policy.info.changed = judged.policyChanged
        // 5. Apps paired across base and head by name: how the change moves each one.
        let appChanges = AppPairing.pair(base: judged.base, head: judged.head, policy: policy.policy)
        // 6. The approvals each app's change, the policy change and a fallback policy need.
        let requirements = require(appChanges, judged: judged, policy: policy)
        // 7. Names against the whole head revision; exceptions of the apps the change touches that have expired.
        judged.findings += try nameFindings(judged, changed, revisions, evaluator: evaluator)
        judged.findings += evaluator.findingPolicy.expiredExceptions().filter { e in appChanges.contains { $0.name == e.app } }
        // A change to the policy file: how it weakens the gate and which apps it re-tiers (SPEC section 10).
        let policyChange = try PolicyChangeReview.ofCheck(changed, base: policy.policy, head: revisions.head, in: revisions.repository, today: request.today)
        judged.findings += evaluator.findingPolicy.apply(policyChange?.findings ?? [])
        // 8. The approvals given, weighed against those needed.
        let outcome = try weighEvidence(request, required: requirements.approvals, policy: policy.policy, revisions: revisions)
        // 9. The decision and the report.
        return decide(request, revisions: revisions, policy: policy, appChanges: appChanges, requirements: requirements, findings: judged.findings, outcome: outcome, policyImpact: policyChange?.impact)
    }

    /// Blocked by a finding at or above `--fail-on` (or an app whose tier cannot be computed), else waiting for
    /// approvals when they decide, else pass; and the report that says so.
    static func decide(
        _ request: GateRequest, revisions: Revisions, policy: LoadedPolicy, appChanges: [AppChange], requirements: Requirements,
        findings: [Finding], outcome: ApprovalOutcome, policyImpact: PolicyImpact?
    ) -> Report {
        let topFindings = (findings + requirements.findings).sorted(by: Finding.reportOrder)
        let apps = requirements.apps
        let all = apps.flatMap(\.findings) + topFindings
        // An app whose head tier cannot be computed is never passed, whatever --fail-on says.
        let blocked = all.contains { $0.counts && request.failOn.blocks($0.severity) } || appChanges.contains(where: \.headUntiered)
        let approvalsDecide = !request.ignoreApprovals && !request.staged
        let decision: Decision = blocked ? .blocked : (approvalsDecide && !outcome.satisfied ? .approvalRequired : .pass)
        var report = Report(
            command: .check, toolVersion: TiergateVersion.current,
            base: RevisionInfo(rev: revisions.baseRev, commit: revisions.mergeBase?.hex),
            head: RevisionInfo(rev: request.staged ? "(index)" : request.head, commit: revisions.head?.hex),
            policy: policy.info, decision: decision, apps: apps, findings: topFindings,
            summary: Summary(findings: all, apps: apps.count, approvalsMissing: request.ignoreApprovals ? 0 : outcome.missing),
            approvals: ApprovalsReport(ignored: request.ignoreApprovals, advisory: request.staged, author: request.author, outcome: outcome))
        report.failOn = request.failOn
        report.policyImpact = policyImpact
        report.describeFindings(policy: policy.policy)
        return report
    }
}

/// What the `policyChange` approvers need to see of a change that edits the policy file (SPEC section 10):
/// every way it weakens the gate (`policy-weakened`), the apps it re-tiers (`policyImpact`), and exceptions of
/// the new policy that name no app (`exception-unknown-app`). One step of `check`, and all of `policy diff`.
package struct PolicyChangeReview: Sendable {
    package var impact: PolicyImpact
    /// `policy-weakened` first, then `exception-unknown-app`, all pointing into the new policy file.
    package var findings: [Finding]

    /// The step of `check`, given every path the change touches: nil when the policy file is not one of them.
    /// `base` judges the change; the head version of the policy file (the built-in default when the change
    /// deletes it) is what the change proposes; the apps are those of the head (`head`, nil for the index). Nil
    /// too when the head version is invalid or not a regular file: `policy-invalid` already blocks the change,
    /// and there is no new policy to compare.
    package static func ofCheck(
        _ changes: [PathChange], base: Policy, head: ObjectID?, in repo: Repository, today: Day
    ) throws(TiergateError) -> PolicyChangeReview? {
        guard let change = changes.first(where: { $0.path == Policy.path }) else { return nil }
        var proposed = Proposed(policy: .builtIn, root: nil)
        if let entry = change.head {
            guard entry.kind == .blob || entry.kind == .executable else { return nil }
            let bytes: [UInt8]
            do { bytes = try repo.readBlob(entry.id) } catch { throw .reading(Policy.path, error) }
            guard let p = Proposed(bytes) else { return nil }
            proposed = p
        }
        return try review(base: base, proposed: proposed, head: head, in: repo, today: today)
    }

    /// `policy diff`: the policies at two revisions (each the built-in default where the file is missing) and the
    /// apps of the second. An invalid policy at either is a tool failure, as in `lint`.
    package static func between(_ base: ObjectID, _ head: ObjectID, in repo: Repository, today: Day) throws(TiergateError) -> (
        review: PolicyChangeReview, base: LoadedPolicy, head: LoadedPolicy
    ) {
        let old = try PolicySource.atCommit(repo, base, source: .rev)
        let new = try PolicySource.atCommit(repo, head, source: .rev)
        var proposed = Proposed(policy: new.policy, root: nil)
        if let file = try PolicySource.read(repo, head) {
            proposed.root = YAMLParser.parse(file.bytes).documents.first?.root
        }
        return (try review(base: old.policy, proposed: proposed, head: head, in: repo, today: today), old, new)
    }

    /// The new policy and its YAML, for the places of its differences.
    struct Proposed {
        var policy: Policy
        var root: YAMLNode?
    }

    static func review(base: Policy, proposed: Proposed, head: ObjectID?, in repo: Repository, today: Day) throws(TiergateError) -> PolicyChangeReview {
        let differences = PolicyDiff.compare(base, proposed.policy, afterRoot: proposed.root, today: today)
        let outcome = try PolicyImpactAnalysis.run(at: head, in: repo, before: base, after: proposed.policy)
        let findings = PolicyDiff.weakenedFindings(differences, path: Policy.path)
            + PolicyWarnings.unknownExceptionApps(proposed.policy, names: outcome.names, path: Policy.path)
        return PolicyChangeReview(
            impact: PolicyImpact(rows: outcome.rows, appsCompared: outcome.appsCompared, differences: differences), findings: findings)
    }
}

extension PolicyChangeReview.Proposed {
    /// The policy in `bytes`; nil when it is invalid.
    init?(_ bytes: [UInt8]) {
        guard case .success(let p) = PolicyLoader.load(bytes) else { return nil }
        self.init(policy: p, root: YAMLParser.parse(bytes).documents.first?.root)
    }
}

/// What `tiergate policy diff` is asked to compare.
package struct PolicyDiffRequest: Sendable {
    package var repository: String?
    /// nil: the CI defaults `check` uses (`Gate.baseRevision`).
    package var base: String?
    package var head = "HEAD"
    package var today: Day
    package var workingDirectory: String
    package var environment: [String: String]
}

extension PolicyDiffRequest {
    /// The CLI's request, the revisions then set one by one (as `GateRequest`'s): the memberwise initialiser,
    /// which the tests use, is internal.
    package init(workingDirectory: String, environment: [String: String], today: Day) {
        self.init(today: today, workingDirectory: workingDirectory, environment: environment)
    }

    /// The policies of both revisions compared, and every app of the head re-tiered.
    package static func run(_ request: PolicyDiffRequest) throws(TiergateError) -> PolicyDiffReport {
        let repo = try RevisionReader(repository: request.repository, workingDirectory: request.workingDirectory).repository
        let baseRev = Gate.baseRevision(explicit: request.base, environment: request.environment)
        let base = try RevisionReader.resolve(repo, baseRev)
        let head = try RevisionReader.resolve(repo, request.head)
        let (review, old, new) = try PolicyChangeReview.between(base, head, in: repo, today: request.today)
        return PolicyDiffReport(
            base: RevisionInfo(rev: baseRev, commit: base.hex), head: RevisionInfo(rev: request.head, commit: head.hex),
            basePolicy: old.info, headPolicy: new.info, impact: review.impact, findings: review.findings)
    }
}

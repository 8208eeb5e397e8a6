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
    /// `--base` when given, else `$TIERGATE_BASE`, else `refs/remotes/origin/$GITHUB_BASE_REF`, else
    /// `$CI_MERGE_REQUEST_DIFF_BASE_SHA`, else `HEAD~1`. Empty variables count as unset.
    package static func baseRevision(explicit: String?, environment env: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let v = env["TIERGATE_BASE"], !v.isEmpty { return v }
        if let v = env["GITHUB_BASE_REF"], !v.isEmpty { return "refs/remotes/origin/\(v)" }
        if let v = env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !v.isEmpty { return v }
        return "HEAD~1"
    }

    /// The gate as a pipeline: resolve the revisions, take the policy from the base, find what changed (and what
    /// the globs cannot see), judge both sides, pair the apps, check names against the whole head, work out the
    /// approvals, weigh the evidence, decide.
    package static func run(_ request: GateRequest) throws(TiergateError) -> Report {
        let repo = try RevisionReader.open(request.repository, cwd: request.workingDirectory)
        let revisions = try resolveRevisions(request, repo)
        var loaded = try policy(request, repo, revisions)
        let policy = loaded.policy
        if request.staged { try StagedIndex.use(given: request.indexFile, in: repo) }
        let changed = try changedPaths(repo, revisions)
        // With a layout, the directories a name lookup needs are read on another core meanwhile (HeadNames).
        let namesAhead = HeadNames.prefetch(policy: policy, changes: changed, at: revisions.head, in: repo)
        let evaluator = AppEvaluator(policy: policy, today: request.today, policyPath: loaded.displayPath)

        var topFindings: [Finding] = []
        var baseVersions: [AppVersion] = []
        var headVersions: [AppVersion] = []
        var headFiles: [ManifestFile] = []
        let rewritten = try CheckoutRewrites.find(changed, in: repo, at: revisions.head, policy: policy)
        topFindings += rewritten.findings
        for change in changed {
            if change.path == Policy.path {
                loaded.info.changed = true
                if let head = change.head { topFindings += try headPolicyFindings(repo, head) }
                continue
            }
            guard policy.manifests.matches(change.path) else {
                topFindings += try UnseenManifests.findings(for: change, in: repo, at: revisions.head, policy: policy)
                continue
            }
            if let b = change.base {
                let file = try load(b, repo)
                baseVersions += evaluator.evaluate(file, runChecks: false).apps.map { AppVersion(path: file.path, evaluated: $0) }
            }
            if let h = change.head {
                let file = try load(h, repo)
                headFiles.append(file)
                let (apps, fileFindings) = evaluator.evaluate(file)
                topFindings += fileFindings
                let disagree = file.hasYAMLFindings || rewritten.paths.contains(file.path)
                headVersions += apps.map { AppVersion(path: file.path, evaluated: $0, readersMayDisagree: disagree) }
            }
        }
        topFindings = evaluator.findingPolicy.apply(topFindings)

        let appChanges = AppPairing.pair(base: baseVersions, head: headVersions, policy: policy)
        topFindings += evaluator.findingPolicy.apply(Linter.duplicateNames(headFiles))
        // Names against the whole head revision, and paths against `manifests.layout` (SPEC section 5).
        topFindings += evaluator.findingPolicy.apply(
            try HeadNames.checkFindings(
                headFiles: headFiles, baseNames: Set(baseVersions.compactMap(\.evaluated.name)), touched: changed,
                at: revisions.head, in: repo, policy: policy, prefetched: namesAhead))
        topFindings += evaluator.findingPolicy.expiredExceptions().filter { e in appChanges.contains { $0.name == e.app } }
        // A change to the policy file: how it weakens the gate and which apps it re-tiers (SPEC section 10).
        let policyChange = try PolicyChangeReview.ofCheck(changed, base: policy, head: revisions.head, in: repo, today: request.today)
        topFindings += evaluator.findingPolicy.apply(policyChange?.findings ?? [])

        // Every touched file's findings are reported, whatever its change kind: an app's own in its entry,
        // those of an app the change leaves as it was (another document of a touched file) at the top.
        var apps: [AppReport] = []
        var required: [RequiredApproval] = []
        var reported = Set<String>()
        for c in appChanges {
            let needs = RequiredApprovals.forApp(c, policy: policy)
            required += needs
            // An app that moved onto another's path has two entries (moved, renamed): its findings count once.
            let firstEntry = c.head.map { reported.insert($0.path + "\u{0}" + c.name).inserted } ?? false
            apps.append(
                AppReport(
                    name: c.name, path: c.path, tier: c.headTier,
                    findings: firstEntry ? (c.head?.evaluated.findings ?? []).sorted(by: Finding.reportOrder) : [],
                    check: AppCheckInfo(
                        previousPath: c.previousPath, previousName: c.previousName, change: c.change, baseTier: c.baseTier,
                        headTier: c.headTier, requiredTier: c.requiredTier, tierChange: c.tierChange,
                        fieldChanges: Redactor.fieldChanges(c.fieldChanges), requiredApprovals: needs,
                        risk: (c.head ?? c.base)?.manifest.app.map(AppRisk.init))))
        }
        for v in headVersions where !reported.contains(v.path + "\u{0}" + (v.evaluated.name ?? "")) {
            topFindings += v.evaluated.findings
        }
        topFindings.sort(by: Finding.reportOrder)
        if loaded.info.changed {
            required += policy.policyChangeApprovals.map { RequiredApproval(group: $0.group, count: $0.count, reason: "policy change") }
        }
        if loaded.info.source == .lastValid {
            let reason = "the base's policy is invalid; the last valid one (\(loaded.info.commit.map { String($0.prefix(12)) } ?? "?")) judges"
            required += policy.policyChangeApprovals.map { RequiredApproval(group: $0.group, count: $0.count, reason: reason) }
        }

        let outcome = try weighEvidence(request, required: required, policy: policy, head: revisions.head, repo: repo)
        let all = apps.flatMap(\.findings) + topFindings
        // An app whose head tier cannot be computed is never passed, whatever --fail-on says.
        let blocked = all.contains { $0.counts && request.failOn.blocks($0.severity) } || appChanges.contains(where: \.headUntiered)
        let approvalsDecide = !request.ignoreApprovals && !request.staged
        let decision: Decision = blocked ? .blocked : (approvalsDecide && !outcome.satisfied ? .approvalRequired : .pass)
        var report = Report(
            command: .check, toolVersion: TiergateVersion.current,
            base: RevisionInfo(rev: revisions.baseRev, commit: revisions.mergeBase?.hex),
            head: RevisionInfo(rev: request.staged ? "(index)" : request.head, commit: revisions.head?.hex),
            policy: loaded.info, decision: decision, apps: apps, findings: topFindings,
            summary: Summary(findings: all, apps: apps.count, approvalsMissing: request.ignoreApprovals ? 0 : outcome.missing),
            approvals: ApprovalsReport(ignored: request.ignoreApprovals, advisory: request.staged, author: request.author, outcome: outcome))
        report.failOn = request.failOn
        report.policyImpact = policyChange?.impact
        report.describeFindings(policy: policy)
        return report
    }

    /// The revisions a check compares: the base as named and its tip, the merge base of base and head (what the
    /// change is compared with), and the head; with `--staged`, `HEAD` and the index (nil head).
    struct Revisions {
        var baseRev: String
        var baseTip: ObjectID?
        var mergeBase: ObjectID?
        var head: ObjectID?
    }

    static func resolveRevisions(_ request: GateRequest, _ repo: Repository) throws(TiergateError) -> Revisions {
        if request.staged {
            let tip = try? repo.resolveCommit("HEAD")  // nil before the first commit: everything is added
            return Revisions(baseRev: "HEAD", baseTip: tip, mergeBase: tip, head: nil)
        }
        let baseRev = baseRevision(explicit: request.base, environment: request.environment)
        let head = try RevisionReader.resolve(repo, request.head)
        let base = try RevisionReader.resolve(repo, baseRev)
        let mergeBase = try mergeBase(repo, base, head, baseRev: baseRev, headRev: request.head)
        return Revisions(baseRev: baseRev, baseTip: base, mergeBase: mergeBase, head: head)
    }

    /// `--policy FILE`, else the policy of the base itself (the target branch as it is now, not the merge base):
    /// a change cannot weaken the gate that judges it, and a branch cut before the policy was tightened is judged
    /// by the tightened one.
    static func policy(_ request: GateRequest, _ repo: Repository, _ revisions: Revisions) throws(TiergateError) -> LoadedPolicy {
        if let file = request.policyFile { return try PolicySource.file(Linter.absolute(file, from: request.workingDirectory)) }
        guard let tip = revisions.baseTip else { return .builtIn }
        return try PolicySource.forBase(repo, tip)
    }

    /// Every path whose entry differs between the merge base and the head (or HEAD and the index), whatever the
    /// globs say: what lies outside them is looked at too.
    static func changedPaths(_ repo: Repository, _ revisions: Revisions) throws(TiergateError) -> [PathChange] {
        do {
            if let head = revisions.head, let base = revisions.mergeBase {
                return try repo.changedEntries(from: base, to: head, where: { _ in true })
            }
            return try repo.stagedChanges(against: revisions.mergeBase, where: { _ in true })
        } catch { throw .comparing(error) }
    }

    /// The merge base; a shallow history or unrelated histories are tool failures with a fix.
    static func mergeBase(_ repo: Repository, _ base: ObjectID, _ head: ObjectID, baseRev: String, headRev: String) throws(TiergateError) -> ObjectID {
        let found: ObjectID?
        do { found = try repo.mergeBase(base, head) } catch {
            if repo.isShallow { throw shallow(baseRev) }
            throw TiergateError(.revision, "cannot find the merge base of \(baseRev) and \(headRev): \(error.message)")
        }
        guard let found else {
            if repo.isShallow { throw shallow(baseRev) }
            throw TiergateError(
                .revision, "\(baseRev) and \(headRev) have no common ancestor", fix: "compare against a base the change was made from (--base)")
        }
        return found
    }

    static func shallow(_ baseRev: String) -> TiergateError {
        TiergateError(
            .shallowHistory, "this shallow clone lacks the history that joins \(baseRev) and the head, so the merge base cannot be found",
            fix: "fetch more history: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)")
    }

    static func load(_ entry: TreeEntry, _ repo: Repository) throws(TiergateError) -> ManifestFile {
        do { return try ManifestLoader.load(entry, from: repo) } catch { throw .reading(entry.path, error) }
    }

    /// `policy-invalid`: the head version of a changed policy must validate (it will judge the next change).
    static func headPolicyFindings(_ repo: Repository, _ entry: TreeEntry) throws(TiergateError) -> [Finding] {
        guard entry.kind == .blob || entry.kind == .executable else {
            return [Finding(.policyInvalid, message: "\(Policy.path) must be a regular file, not a link or submodule", path: Policy.path, mark: .start)]
        }
        let bytes: [UInt8]
        do { bytes = try repo.readBlob(entry.id) } catch { throw .reading(Policy.path, error) }
        guard case .failure(let invalid) = PolicyLoader.load(bytes) else { return [] }
        return invalid.problems.map {
            Finding(.policyInvalid, message: "the changed policy is invalid: \($0.message)", path: Policy.path, mark: $0.mark)
        }
    }

    static func weighEvidence(
        _ request: GateRequest, required: [RequiredApproval], policy: Policy, head: ObjectID?, repo: Repository
    ) throws(TiergateError) -> ApprovalOutcome {
        // The commit reviewers saw: `--pr-head` when CI judges a merge result, else the head itself.
        var reviewed = head
        if let prHead = request.prHead {
            guard !request.staged else {
                throw TiergateError(.usage, "--pr-head names the commit reviewers saw; --staged has no reviews", fix: "drop --pr-head")
            }
            guard !prHead.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TiergateError(.usage, "--pr-head is empty", fix: "pass the pull request's head commit (in GitHub Actions, github.event.pull_request.head.sha)")
            }
            reviewed = try RevisionReader.resolve(repo, prHead)
        }
        var given = request.approvedBy.map { GivenApproval(login: $0, source: "--approved-by") }
        var discarded: [DiscardedApproval] = []
        if let path = request.approvalsFile {
            let full = Linter.absolute(path, from: request.workingDirectory)
            guard let data = FileManager.default.contents(atPath: full) else {
                throw TiergateError(.approvals, "cannot read the approvals file \(path)", fix: "check the --approvals path")
            }
            let doc = try ApprovalsDocument.read(data, path: path, reviewedCommit: reviewed?.hex, allowStale: policy.allowStale)
            given += doc.given
            discarded += doc.discarded
        }
        var teams: TeamMembers?
        if let path = request.membersFile {
            let full = Linter.absolute(path, from: request.workingDirectory)
            guard let data = FileManager.default.contents(atPath: full) else {
                throw TiergateError(.approvals, "cannot read the members file \(path)", fix: "check the --members path")
            }
            teams = try TeamMembers.read(data, path: path)
        }
        return ApprovalMatcher.match(
            required: required, given: given, discarded: discarded, author: request.author, groups: policy.groups,
            distinctApprovers: policy.distinctApprovers, teams: teams)
    }
}

/// The approvals one app's change asks for (SPEC section 5).
package enum RequiredApprovals {
    package static func forApp(_ c: AppChange, policy: Policy) -> [RequiredApproval] {
        var out: [RequiredApproval] = []
        if let t = c.requiredTier, let def = policy.tier(t) {
            let why = c.tierChange == .deescalated ? "tier \(t) (\(def.name)): de-escalation needs the old tier's approvals" : "tier \(t) (\(def.name))"
            out += def.approvals.map { RequiredApproval(group: $0.group, count: $0.count, reason: why) }
        }
        if c.change == .modified || c.change == .renamed, let b = c.base?.manifest.app?.metadata.owner, let h = c.head?.manifest.app?.metadata.owner, b != h {
            out.append(RequiredApproval(group: h, count: 1, reason: "owner change: \(h) accepts \(c.name) from \(b)"))
        }
        if c.change != .added, c.base?.manifest.app?.spec.state == .quarantined {
            out.append(RequiredApproval(group: "security", count: 1, reason: "\(c.name) is quarantined at base"))
        }
        if c.isReviewed, c.requiredTier != nil, let head = c.head?.manifest.app {
            let value = head.value
            for rule in policy.rules where !rule.approvals.isEmpty && rule.when.holds(on: value) {
                out += rule.approvals.map { RequiredApproval(group: $0.group, count: $0.count, reason: "rule \(rule.id)") }
            }
        }
        return out
    }
}

/// Step 4 of the gate: both sides of every changed file read and judged by the base policy, and the findings about
/// the change as a whole (step 7 adds those about names).
struct JudgedChange {
    /// The apps of the changed manifests at the merge base (shape and tier only) and at the head (every check).
    var base: [AppVersion] = []
    var head: [AppVersion] = []
    /// The changed manifests as they are at the head.
    var headFiles: [ManifestFile] = []
    /// Findings that are not an app's own: files that give no app, what the globs cannot see, checkout rewrites,
    /// a changed policy that is invalid, names against the whole head. Unsorted.
    var findings: [Finding] = []
    /// Whether the change touches the policy file.
    var policyChanged = false
    /// With a layout, the directories a name lookup needs, being read on another core meanwhile (`HeadNames`);
    /// step 7 joins it.
    var namesAhead: LayoutPrefetch?
}

extension Gate {
    static func evaluate(_ changed: [PathChange], _ revisions: Revisions, evaluator: AppEvaluator) throws(TiergateError) -> JudgedChange {
        let repo = revisions.repository
        let policy = evaluator.policy
        var judged = JudgedChange()
        judged.namesAhead = HeadNames.prefetch(policy: policy, changes: changed, at: revisions.head, in: repo)
        let rewritten = try CheckoutRewrites.find(changed, in: repo, at: revisions.head, policy: policy)
        judged.findings += rewritten.findings
        for change in changed {
            if change.path == Policy.path {
                judged.policyChanged = true
                if let head = change.head { judged.findings += try headPolicyFindings(repo, head) }
                continue
            }
            guard policy.manifests.matches(change.path) else {
                judged.findings += try UnseenManifests.findings(for: change, in: repo, at: revisions.head, policy: policy)
                continue
            }
            if let b = change.base {
                let file = try load(b, repo)
                judged.base += evaluator.evaluate(file, runChecks: false).apps.map { AppVersion(path: file.path, evaluated: $0) }
            }
            if let h = change.head {
                let file = try load(h, repo)
                judged.headFiles.append(file)
                let (apps, fileFindings) = evaluator.evaluate(file)
                judged.findings += fileFindings
                let disagree = file.hasYAMLFindings || rewritten.paths.contains(file.path)
                judged.head += apps.map { AppVersion(path: file.path, evaluated: $0, readersMayDisagree: disagree) }
            }
        }
        judged.findings = evaluator.findingPolicy.apply(judged.findings)
        return judged
    }

    /// Step 7 of the gate: names against the whole head revision, and paths against `manifests.layout` (SPEC
    /// section 5). It comes after pairing and the approvals so that the directories read ahead have had the time
    /// those steps take.
    static func nameFindings(_ judged: JudgedChange, _ changed: [PathChange], _ revisions: Revisions, evaluator: AppEvaluator) throws(TiergateError) -> [Finding] {
        evaluator.findingPolicy.apply(Linter.duplicateNames(judged.headFiles))
            + evaluator.findingPolicy.apply(
                try HeadNames.checkFindings(
                    headFiles: judged.headFiles, baseNames: Set(judged.base.compactMap(\.evaluated.name)), touched: changed,
                    at: revisions.head, in: revisions.repository, policy: evaluator.policy, prefetched: judged.namesAhead))
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
            Finding(
                .policyInvalid, message: "the changed policy is invalid: \($0.message)", path: Policy.path, mark: $0.mark)
        }
    }
}

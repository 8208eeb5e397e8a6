import Foundation

/// `tiergate explain`: every term of the tier formula for one app.
package struct AppExplanation: Sendable {
    /// Where the manifest was read.
    package enum Source: Sendable, Equatable {
        /// A file on disk (`explain PATH`), as the command line named it.
        case workingTree(path: String)
        /// A revision's object database (`explain NAME`, `explain NAME --rev REV`).
        case revision(RevisionInfo)
    }

    package var name: String
    package var path: String
    package var source: Source
    package var policy: PolicyInfo
    package var explanation: TierExplanation
    /// Rules whose `when` holds on the app, with their effects.
    package var firedRules: [FiredRule]
    /// The approvals a change to this app needs: its tier's and the fired rules'.
    package var approvals: [ApprovalRequirement]
    package var tierName: String?

    package struct FiredRule: Sendable, Hashable {
        package var id: String
        package var raiseTier: Int?
        package var approvals: [ApprovalRequirement]
        /// For a rule with `require`: whether the requirement holds.
        package var requirementMet: Bool?
    }
}

/// What `tiergate explain` is asked.
package struct ExplainRequest: Sendable {
    /// An app's `metadata.name`, or a manifest path (relative to the current directory).
    package var target: String
    package var repository: String?
    /// `--rev`: read the app from this revision. Nil: a path that names a file on disk is read from the working
    /// tree (what `lint PATH` reads), anything else from `HEAD`.
    package var revision: String?
    package var policyFile: String?
    package var workingDirectory: String

    package init(target: String, repository: String? = nil, revision: String? = nil, policyFile: String? = nil, workingDirectory: String) {
        self.target = target
        self.repository = repository
        self.revision = revision
        self.policyFile = policyFile
        self.workingDirectory = workingDirectory
    }

    /// Whether the target reads as a path rather than a name (a name never holds `/` nor ends in `.yaml`).
    var looksLikePath: Bool {
        target.contains("/") || target.hasSuffix(".yaml") || target.hasSuffix(".yml")
    }
}

package enum Explainer {
    /// The app named by the request, from the working tree or a revision (see `ExplainRequest.revision`).
    package static func run(_ request: ExplainRequest) throws(TiergateError) -> AppExplanation {
        let onDisk = Paths.absolute(request.target, from: request.workingDirectory)
        var isDirectory: ObjCBool = false
        if request.revision == nil, request.looksLikePath, FileManager.default.fileExists(atPath: onDisk, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try workingTree(request, file: onDisk)
        }
        return try revision(request)
    }

    /// `explain PATH`: the file as it is on disk now, judged by the policy `lint PATH` uses (`--policy`, else the
    /// one at `HEAD` of the repository around, else the built-in default).
    static func workingTree(_ request: ExplainRequest, file: String) throws(TiergateError) -> AppExplanation {
        let lint = LintRequest(
            repository: request.repository, revision: "HEAD", files: [request.target], policyFile: request.policyFile,
            workingDirectory: request.workingDirectory)
        let loaded = try Linter.policyForFiles(lint)
        let manifest = try WorkingTreeReader.read(file, reportedAs: request.target)
        let evaluator = AppEvaluator(policy: loaded.policy, today: .todayUTC(), policyPath: loaded.displayPath)
        let apps = evaluator.evaluate(manifest).apps
        guard !apps.isEmpty else {
            throw TiergateError(.usage, "\(request.target) holds no readable app", fix: "run tiergate lint \(request.target) to see why")
        }
        return try explain(pick(apps, request.target), target: request.target, policy: loaded, source: .workingTree(path: request.target))
    }

    /// `explain NAME [--rev REV]`, or a path missing on disk: the app at the revision (default `HEAD`), by name or
    /// by its path (from the repository's root, or from the current directory inside the working tree).
    static func revision(_ request: ExplainRequest) throws(TiergateError) -> AppExplanation {
        let target = request.target
        let rev = request.revision ?? "HEAD"
        let all = try RevisionApps.load(
            repository: request.repository, revision: rev, policyFile: request.policyFile, today: .todayUTC(), cwd: request.workingDirectory)
        var matches = all.apps.filter { $0.name == target }
        if matches.isEmpty {
            let paths = try candidatePaths(request)
            matches = all.apps.filter { paths.contains($0.path) }
        }
        guard !matches.isEmpty else {
            if all.unreadable.contains(where: { $0.path == target }) {
                throw TiergateError(.usage, "\(target) could not be read as a manifest", fix: "run tiergate lint \(target) to see why")
            }
            throw TiergateError(.usage, "no app named or at '\(target)' at \(rev)", fix: "use an app's metadata.name or its manifest path (tiergate inventory lists them)")
        }
        return try explain(pick(matches, target), target: target, policy: all.policy, source: .revision(all.revision))
    }

    /// The repository paths a path target may mean: as written from the root (`./` dropped), and as written from
    /// the current directory when that lies inside the working tree.
    static func candidatePaths(_ request: ExplainRequest) throws(TiergateError) -> Set<String> {
        let target = request.target
        var paths: Set<String> = [target.hasPrefix("./") ? String(target.dropFirst(2)) : target]
        let repo = try RevisionReader(repository: request.repository, workingDirectory: request.workingDirectory).repository
        if let workdir = repo.workdir {
            let root = URL(fileURLWithPath: workdir).resolvingSymlinksInPath().standardizedFileURL.path
            let full = URL(fileURLWithPath: Paths.absolute(target, from: request.workingDirectory)).standardizedFileURL
            // The directory part may not exist at all (a file deleted from the working tree): resolve what exists.
            let resolved = full.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(full.lastPathComponent).path
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if resolved.hasPrefix(prefix) { paths.insert(String(resolved.dropFirst(prefix.count))) }
        }
        return paths
    }

    static func pick(_ matches: [EvaluatedApp], _ target: String) throws(TiergateError) -> EvaluatedApp {
        guard matches.count == 1, let app = matches.first else {
            throw TiergateError(.usage, "\(target) holds several apps (\(matches.compactMap(\.name).joined(separator: ", ")))", fix: "name one of them")
        }
        return app
    }

    static func explain(_ app: EvaluatedApp, target: String, policy loaded: LoadedPolicy, source: AppExplanation.Source) throws(TiergateError) -> AppExplanation {
        guard let typed = app.manifest.app else {
            throw TiergateError(.usage, "the manifest of \(target) has schema errors, so it has no tier", fix: "run tiergate lint \(app.path) and fix them")
        }
        let policy = loaded.policy
        let value = typed.value
        let fields = TypedFields(typed)
        let explanation = TierCalculator(policy: policy).explain(typed)
        let fired = policy.rules.filter { $0.when.holds(on: fields) }.map {
            AppExplanation.FiredRule(id: $0.id, raiseTier: $0.raiseTier, approvals: $0.approvals, requirementMet: $0.require.map { $0.holds(on: fields) })
        }
        let approvals = PolicyImpactAnalysis.approvals(value, tier: explanation.tier, policy: policy)
        return AppExplanation(
            name: app.name ?? target, path: app.path, source: source, policy: loaded.info, explanation: explanation,
            firedRules: fired, approvals: approvals, tierName: policy.tier(explanation.tier)?.name)
    }
}

extension ApprovalRequirement {
    /// The union per group, keeping the highest count asked, in first-seen order.
    package static func union(_ all: [ApprovalRequirement]) -> [ApprovalRequirement] {
        var order: [String] = []
        var count: [String: Int] = [:]
        for r in all {
            if count[r.group] == nil { order.append(r.group) }
            count[r.group] = max(count[r.group] ?? 0, r.count)
        }
        return order.map { ApprovalRequirement(group: $0, count: count[$0] ?? 1) }
    }
}

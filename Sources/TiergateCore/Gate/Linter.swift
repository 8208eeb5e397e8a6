/// What `tiergate lint` is asked to do.
package struct LintRequest: Sendable {
    /// `--repo`: where to look for the repository; nil means the current directory.
    package var repository: String?
    /// `--rev`: the revision whose manifests are linted when no paths are given.
    package var revision = "HEAD"
    /// Working-tree files to lint instead of a revision (a pre-commit hook passes the changed files).
    package var files: [String] = []
    /// `--policy FILE`: a policy file instead of the one in the repository.
    package var policyFile: String?
    package var today: Day = .todayUTC()
    package var failOn: FailOn = .error
    /// The process's current directory, where relative paths start.
    package var workingDirectory: String
    /// Threads that read and judge manifests; nil means one per core.
    package var parallelism: Int?
}

extension LintRequest {
    /// The CLI's request, the options then set one by one (as `GateRequest`'s): the memberwise initialiser,
    /// which the library and its tests use, is internal.
    package init(workingDirectory: String, today: Day) {
        self.init(today: today, workingDirectory: workingDirectory)
    }
}

/// The `lint` use case: manifests in, report out. Never prints, never exits.
package enum Linter {
    package static func run(_ request: LintRequest) throws(TiergateError) -> Report {
        if request.files.isEmpty {
            return try lintRevision(request)
        }
        return try lintFiles(request)
    }

    private static func lintRevision(_ request: LintRequest) throws(TiergateError) -> Report {
        let scope = try RevisionScope(
            repository: request.repository, revision: request.revision, policyFile: request.policyFile, workingDirectory: request.workingDirectory)
        let evaluator = AppEvaluator(policy: scope.policy.policy, today: request.today, policyPath: scope.policy.displayPath)
        let outcomes = try ParallelEvaluator.evaluate(
            commit: scope.commit, in: scope.repository, where: scope.policy.policy.manifests.matches, evaluator: evaluator,
            workers: request.parallelism, walkFailed: { .reading("the manifests at \(request.revision)", $0) })
        return report(outcomes, evaluator: evaluator, policy: scope.policy, head: scope.info, request: request, wholeRevision: true)
    }

    private static func lintFiles(_ request: LintRequest) throws(TiergateError) -> Report {
        let loaded = try policyForFiles(request)
        var files: [ManifestFile] = []
        for given in request.files {
            let full = Paths.absolute(given, from: request.workingDirectory)
            files.append(try WorkingTreeReader.read(full, reportedAs: given))
        }
        let evaluator = AppEvaluator(policy: loaded.policy, today: request.today, policyPath: loaded.displayPath)
        return report(files.map { ParallelEvaluator.outcome($0, evaluator) }, evaluator: evaluator, policy: loaded, head: nil, request: request)
    }

    /// For working-tree files: `--policy`, else the policy at `--rev` of the repository around us, else (outside any
    /// repository, or before its first commit) the default. A policy file needs no repository, so none is opened.
    static func policyForFiles(_ request: LintRequest) throws(TiergateError) -> LoadedPolicy {
        if let file = request.policyFile { return try PolicySource.file(Paths.absolute(file, from: request.workingDirectory)) }
        guard let reader = try RevisionReader.ifAny(repository: request.repository, workingDirectory: request.workingDirectory) else { return .builtIn }
        return try reader.policy(.atRevision, at: reader.commitIfAny(request.revision))
    }

    /// `wholeRevision`: the outcomes are every manifest of a revision, so an exception naming none of their apps
    /// names an app that does not exist (`exception-unknown-app`).
    static func report(
        _ outcomes: [FileOutcome], evaluator: AppEvaluator, policy loaded: LoadedPolicy, head: RevisionInfo?, request: LintRequest,
        wholeRevision: Bool = false
    ) -> Report {
        // A revision's report holds an app per manifest: its list is made at its size, not grown by doubling.
        var apps: [AppReport] = []
        apps.reserveCapacity(outcomes.reduce(0) { $0 + $1.apps.count })
        var fileFindings: [Finding] = []
        for o in outcomes {
            for app in o.apps { apps.append(AppReport(name: app.name, path: o.path, tier: app.tier, findings: app.findings)) }
            fileFindings += o.findings
        }
        let names = outcomes.lazy.flatMap { o in o.apps.lazy.map { (name: $0.name, path: o.path, mark: $0.nameMark) } }
        fileFindings += evaluator.findingPolicy.apply(duplicateNames(names))
        fileFindings += evaluator.findingPolicy.expiredExceptions()
        if wholeRevision {
            var known = Set<String>(minimumCapacity: apps.count)
            for app in apps { known.insert(app.name) }
            fileFindings += evaluator.findingPolicy.apply(PolicyWarnings.unknownExceptionApps(loaded.policy, names: known, path: loaded.displayPath))
        }
        fileFindings.sort(by: Finding.reportOrder)
        let all = apps.flatMap(\.findings) + fileFindings
        let blocked = all.contains { $0.counts && request.failOn.blocks($0.severity) }
        var report = Report(
            command: .lint, toolVersion: TiergateVersion.current, base: nil, head: head, policy: loaded.info,
            decision: blocked ? .blocked : .pass, apps: apps, findings: fileFindings,
            summary: Summary(findings: all, apps: apps.count))
        report.failOn = request.failOn
        report.describeFindings(policy: loaded.policy)
        return report
    }

    /// `duplicate-app-name`: two documents of one revision share `metadata.name`.
    static func duplicateNames<Names: Sequence>(_ names: Names) -> [Finding] where Names.Element == (name: String, path: String, mark: Mark) {
        var first: [String: (path: String, mark: Mark)] = [:]
        var findings: [Finding] = []
        for (name, path, mark) in names {
            if let earlier = first[name] {
                findings.append(
                    Finding(
                        .duplicateAppName,
                        message: "the app name '\(name)' is already used by \(earlier.path):\(earlier.mark.line); every app needs its own metadata.name",
                        path: path, mark: mark, app: name))
            } else {
                first[name] = (path, mark)
            }
        }
        return findings
    }

    static func duplicateNames(_ files: [ManifestFile]) -> [Finding] {
        duplicateNames(files.lazy.flatMap { f in f.apps.lazy.compactMap { a in a.name.map { (name: $0, path: f.path, mark: a.mark(of: "metadata.name")) } } })
    }
}

/// Every app at a revision, judged by the policy in force there (shared by `explain` and `inventory`).
package struct RevisionApps: Sendable {
    package var revision: RevisionInfo
    package var policy: LoadedPolicy
    package var apps: [EvaluatedApp]
    /// Files at manifest paths that gave no readable app (YAML errors, symlinks…).
    package var unreadable: [Finding]

    package static func load(repository: String?, revision: String, policyFile: String?, today: Day, cwd: String) throws(TiergateError) -> RevisionApps {
        let scope = try RevisionScope(repository: repository, revision: revision, policyFile: policyFile, workingDirectory: cwd)
        let entries: [TreeEntry]
        do { entries = try scope.repository.entries(at: scope.commit, where: scope.policy.policy.manifests.matches) } catch {
            throw .reading("the manifests at \(revision)", error)
        }
        let evaluator = AppEvaluator(policy: scope.policy.policy, today: today, policyPath: scope.policy.displayPath)
        var apps: [EvaluatedApp] = []
        var unreadable: [Finding] = []
        for entry in entries {
            let file: ManifestFile
            do { file = try ManifestLoader.load(entry, from: scope.repository) } catch { throw .reading(entry.path, error) }
            let (a, f) = evaluator.evaluate(file)
            apps += a
            unreadable += f
        }
        return RevisionApps(revision: scope.info, policy: scope.policy, apps: apps, unreadable: unreadable)
    }
}

/// Every app at a revision, judged by the policy in force there (shared by `explain` and `inventory`).
package struct RevisionApps: Sendable {
    package var revision: RevisionInfo
    package var policy: LoadedPolicy
    package var apps: [EvaluatedApp]
    /// Files at manifest paths that gave no readable app (YAML errors, symlinks…).
    package var unreadable: [Finding]

    package static func load(repository: String?, revision: String, policyFile: String?, today: Day, cwd: String) throws(TiergateError) -> RevisionApps {
        let (repo, commit) = try RevisionReader.open(repository, revision: revision, cwd: cwd)
        let loaded: LoadedPolicy
        if let policyFile {
            loaded = try PolicySource.file(Linter.absolute(policyFile, from: cwd))
        } else {
            loaded = try PolicySource.atCommit(repo, commit, source: .rev)
        }
        let entries: [TreeEntry]
        do { entries = try repo.entries(at: commit, where: loaded.policy.manifests.matches) } catch {
            throw .reading("the manifests at \(revision)", error)
        }
        let evaluator = AppEvaluator(policy: loaded.policy, today: today, policyPath: loaded.displayPath)
        var apps: [EvaluatedApp] = []
        var unreadable: [Finding] = []
        for entry in entries {
            let file: ManifestFile
            do { file = try ManifestLoader.load(entry, from: repo) } catch { throw .reading(entry.path, error) }
            let (a, f) = evaluator.evaluate(file)
            apps += a
            unreadable += f
        }
        return RevisionApps(revision: RevisionInfo(rev: revision, commit: commit.hex), policy: loaded, apps: apps, unreadable: unreadable)
    }
}

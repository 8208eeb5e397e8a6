/// The one resolver every use case starts from (`check`, `lint`, `explain`, `inventory`, `init`, `demo`, the policy
/// commands): it opens the repository a command names, resolves the revisions it asks for and loads the policy in
/// force (`PolicyChoice`), turning libgit2 failures into tool failures (exit 2) with a fix.
package struct RevisionReader {
    package let repository: Repository
    /// Where the relative paths of the command line (`--repo`, `--policy`, `--approvals`…) start.
    package let workingDirectory: String

    /// `--repo` when given, else the repository at or above the working directory.
    package init(repository: String?, workingDirectory: String) throws(TiergateError) {
        let start = repository.map { Paths.absolute($0, from: workingDirectory) } ?? workingDirectory
        do { self.repository = try Repository(discoverFrom: start) } catch { throw .opening(start, error) }
        self.workingDirectory = workingDirectory
    }

    private init(opened repository: Repository, workingDirectory: String) {
        self.repository = repository
        self.workingDirectory = workingDirectory
    }

    /// As `init`, or nil when no `--repo` is given and no repository is at or above the working directory (files
    /// linted outside any repository). A repository that is there but cannot be opened (another user's, an
    /// unreadable one) is the tool's failure, never a quiet fall back to the built-in policy.
    package static func ifAny(repository: String?, workingDirectory: String) throws(TiergateError) -> RevisionReader? {
        guard repository == nil else { return try RevisionReader(repository: repository, workingDirectory: workingDirectory) }
        do { return RevisionReader(opened: try Repository(discoverFrom: workingDirectory), workingDirectory: workingDirectory) } catch {
            guard error.kind == .notFound else { throw .opening(workingDirectory, error) }
            return nil
        }
    }

    /// The commit `revision` names.
    package func commit(_ revision: String) throws(TiergateError) -> ObjectID {
        try Self.resolve(repository, revision)
    }

    /// The commit `revision` names, or nil when it names nothing yet (before the first commit); any other failure
    /// (an ambiguous name) is the tool's.
    package func commitIfAny(_ revision: String) throws(TiergateError) -> ObjectID? {
        do { return try repository.resolveCommit(revision) } catch {
            guard error.kind == .notFound || error.kind == .unbornBranch else {
                throw .resolving(revision, error, shallow: repository.isShallow)
            }
            return nil
        }
    }

    package static func resolve(_ repo: Repository, _ revision: String) throws(TiergateError) -> ObjectID {
        do { return try repo.resolveCommit(revision) } catch {
            throw .resolving(revision, error, shallow: repo.isShallow)
        }
    }

    /// The policy that judges what is read at `commit`: the file `--policy` names, else the repository's as `choice`
    /// says, else (no commit yet, or no policy file in it) the built-in default.
    package func policy(_ choice: PolicyChoice, at commit: ObjectID?) throws(TiergateError) -> LoadedPolicy {
        switch choice {
        case .file(let path):
            return try PolicySource.file(Paths.absolute(path, from: workingDirectory))
        case .atRevision:
            guard let commit else { return .builtIn }
            return try PolicySource.atCommit(repository, commit, source: .rev)
        case .atBase:
            guard let commit else { return .builtIn }
            return try PolicySource.forBase(repository, commit)
        }
    }
}

/// One revision and the policy in force there: what `lint --rev`, `explain` and `inventory` read.
package struct RevisionScope {
    package let reader: RevisionReader
    /// The revision as given.
    package let rev: String
    package let commit: ObjectID
    package let policy: LoadedPolicy

    /// Opens the repository, resolves `revision`, then loads `--policy FILE` or the policy at that revision.
    package init(repository: String?, revision: String, policyFile: String?, workingDirectory: String) throws(TiergateError) {
        reader = try RevisionReader(repository: repository, workingDirectory: workingDirectory)
        rev = revision
        commit = try reader.commit(revision)
        policy = try reader.policy(PolicyChoice(file: policyFile, otherwise: .atRevision), at: commit)
    }

    package var repository: Repository { reader.repository }
    package var info: RevisionInfo { RevisionInfo(rev: rev, commit: commit.hex) }
}

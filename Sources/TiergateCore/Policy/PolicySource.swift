import Foundation

/// The policy in force and where it came from.
package struct LoadedPolicy: Sendable {
    package var policy: Policy
    package var info: PolicyInfo

    /// The path findings about the policy (exception-expired) point at.
    package var displayPath: String { info.path ?? "(built-in default policy)" }

    package static let builtIn = LoadedPolicy(policy: .builtIn, info: PolicyInfo(source: .default, path: nil, blob: nil))
}

/// Which policy judges a run (`RevisionReader.policy` loads it).
package enum PolicyChoice: Sendable, Equatable {
    /// `--policy FILE`: a file instead of the repository's, for local experiments (relative to the working directory).
    case file(String)
    /// `.tiergate/policy.yaml` at the revision read (`lint`, `explain`, `inventory`); an invalid one is a tool failure.
    case atRevision
    /// The gate's: `.tiergate/policy.yaml` at the base tip, the target branch as it is now, so that a change cannot
    /// weaken the gate that judges it; when that one is invalid, the newest valid version of the base's first-parent
    /// history (`last-valid`, see `PolicySource.forBase`).
    case atBase

    /// `--policy FILE` when given, else `otherwise`.
    package init(file: String?, otherwise: PolicyChoice) {
        self = file.map(PolicyChoice.file) ?? otherwise
    }
}

/// Finds and loads the policy: a file (`--policy`), the one at a commit, or the built-in default.
package enum PolicySource {
    /// `--policy FILE`.
    package static func file(_ path: String) throws(TiergateError) -> LoadedPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TiergateError(.policy, "cannot read the policy file \(path)", fix: "check the --policy path")
        }
        let bytes = Array(data)
        let policy = try parse(bytes, shownAs: path)
        return LoadedPolicy(policy: policy, info: PolicyInfo(source: .file, path: path, blob: gitBlobID(bytes)))
    }

    /// `.tiergate/policy.yaml` at a commit, or the built-in default when the commit has none.
    package static func atCommit(_ repo: Repository, _ commit: ObjectID, source: PolicyInfo.Source) throws(TiergateError) -> LoadedPolicy {
        guard let blob = try read(repo, commit) else { return .builtIn }
        let policy = try parse(blob.bytes, shownAs: Policy.path)
        return LoadedPolicy(policy: policy, info: PolicyInfo(source: source, path: Policy.path, blob: blob.id.hex))
    }

    /// The policy that judges a change: the one at the base tip (the target branch as it is now). When that one
    /// is invalid (say a tiergate upgrade made validation stricter), the newest valid version of the file in the
    /// base's first-parent history judges instead (`last-valid`), so the change that repairs the policy can pass
    /// the gate; only when no version is valid is it a tool failure.
    package static func forBase(_ repo: Repository, _ base: ObjectID) throws(TiergateError) -> LoadedPolicy {
        guard let blob = try read(repo, base) else { return .builtIn }
        let firstError: TiergateError
        switch PolicyLoader.load(blob.bytes) {
        case .success(let p): return LoadedPolicy(policy: p, info: PolicyInfo(source: .base, path: Policy.path, blob: blob.id.hex, commit: base.hex))
        case .failure: firstError = failure(blob.bytes, shownAs: Policy.path)
        }
        var rejected: Set<ObjectID> = [blob.id]
        var commit = base
        while true {
            let parent: ObjectID?
            do { parent = try repo.firstParent(of: commit) } catch {
                throw TiergateError(.repository, "cannot read the history of the base to find its last valid policy: \(error.message)")
            }
            guard let parent else { throw firstError }
            commit = parent
            // A commit without the file, or with a version already rejected, says nothing new.
            guard let older = try read(repo, commit), rejected.insert(older.id).inserted else { continue }
            if case .success(let p) = PolicyLoader.load(older.bytes) {
                return LoadedPolicy(policy: p, info: PolicyInfo(source: .lastValid, path: Policy.path, blob: older.id.hex, commit: commit.hex))
            }
        }
    }

    /// The policy file's bytes and blob id at a commit; nil when there is none.
    package static func read(_ repo: Repository, _ commit: ObjectID) throws(TiergateError) -> (id: ObjectID, bytes: [UInt8])? {
        let entry: TreeEntry?
        do { entry = try repo.entry(at: commit, path: Policy.path) } catch {
            throw TiergateError(.repository, "cannot read \(Policy.path) at \(commit.hex.prefix(12)): \(error.message)")
        }
        guard let entry else { return nil }
        guard entry.kind == .blob || entry.kind == .executable else {
            throw TiergateError(.policy, "\(Policy.path) is not a regular file (a symlink or submodule)", fix: "commit the policy file itself")
        }
        do { return (entry.id, try repo.readBlob(entry.id)) } catch {
            throw TiergateError(.repository, "cannot read \(Policy.path): \(error)")
        }
    }

    package static func parse(_ bytes: [UInt8], shownAs path: String) throws(TiergateError) -> Policy {
        switch PolicyLoader.load(bytes) {
        case .success(let p): return p
        case .failure: throw failure(bytes, shownAs: path)
        }
    }

    /// The tool failure for an invalid policy: every problem, each as `path:line:col: message` on a line of its own.
    static func failure(_ bytes: [UInt8], shownAs path: String) -> TiergateError {
        guard case .failure(let invalid) = PolicyLoader.load(bytes) else {
            return TiergateError(.policy, "invalid policy: \(path)")
        }
        let n = invalid.problems.count
        return TiergateError(
            .policy, "invalid policy \(path) (\(n) problem\(n == 1 ? "" : "s"))",
            fix: "fix the policy file; `tiergate policy show --default` prints a valid one",
            details: invalid.problems.map { "\(path):\($0.mark.line):\($0.mark.column): \($0.message)" })
    }

    /// The id git would give these bytes as a blob.
    static func gitBlobID(_ bytes: [UInt8]) -> String {
        ObjectID.blob(hashing: bytes).hex
    }
}

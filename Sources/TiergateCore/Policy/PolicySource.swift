import Foundation

/// The policy in force and where it came from.
public struct LoadedPolicy: Sendable {
    public var policy: Policy
    public var info: PolicyInfo

    /// The path findings about the policy (exception-expired) point at.
    public var displayPath: String { info.path ?? "(built-in default policy)" }

    public static let builtIn = LoadedPolicy(policy: .builtIn, info: PolicyInfo(source: .default, path: nil, blob: nil))
}

/// Finds and loads the policy: a file (`--policy`), the one at a commit, or the built-in default.
public enum PolicySource {
    /// `--policy FILE`.
    public static func file(_ path: String) throws(TiergateError) -> LoadedPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TiergateError(.policy, "cannot read the policy file \(path)", fix: "check the --policy path")
        }
        let bytes = Array(data)
        let policy = try parse(bytes, shownAs: path)
        return LoadedPolicy(policy: policy, info: PolicyInfo(source: .file, path: path, blob: gitBlobID(bytes)))
    }

    /// `.tiergate/policy.yaml` at a commit, or the built-in default when the commit has none.
    public static func atCommit(_ repo: Repository, _ commit: ObjectID, source: PolicyInfo.Source) throws(TiergateError) -> LoadedPolicy {
        guard let blob = try read(repo, commit) else { return .builtIn }
        let policy = try parse(blob.bytes, shownAs: Policy.path)
        return LoadedPolicy(policy: policy, info: PolicyInfo(source: source, path: Policy.path, blob: blob.id.hex))
    }

    /// The policy file's bytes and blob id at a commit; nil when there is none.
    public static func read(_ repo: Repository, _ commit: ObjectID) throws(TiergateError) -> (id: ObjectID, bytes: [UInt8])? {
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

    public static func parse(_ bytes: [UInt8], shownAs path: String) throws(TiergateError) -> Policy {
        switch PolicyLoader.load(bytes) {
        case .success(let p): return p
        case .failure(let invalid):
            let first = invalid.problems.first.map { "\(path):\($0.mark.line):\($0.mark.column): \($0.message)" } ?? path
            let more = invalid.problems.count > 1 ? " (and \(invalid.problems.count - 1) more problem\(invalid.problems.count == 2 ? "" : "s"))" : ""
            throw TiergateError(.policy, "invalid policy: \(first)\(more)", fix: "fix the policy file; `tiergate policy show --default` prints a valid one")
        }
    }

    /// The id git would give these bytes as a blob.
    static func gitBlobID(_ bytes: [UInt8]) -> String {
        ObjectID.blob(hashing: bytes).hex
    }
}

import Foundation

/// Which index `check --staged` reads. A pre-commit hook is handed the index the commit is made from in
/// `GIT_INDEX_FILE` (the CLI passes it as `GateRequest.indexFile`): the repository's own for `git commit`, but a
/// temporary one for `git commit -a` (`.git/index.lock`) and `git commit PATH` (`.git/next-index-*.lock`). Reading
/// `.git/index` there would judge what the user staged before, not what is being committed, and let a secret
/// through. Git sets the variable relative to the working tree (where hooks run), or absolute.
enum StagedIndex {
    /// Makes `repo` read the index the commit is made from.
    static func use(given: String?, in repo: Repository) throws(TiergateError) {
        guard let path = try file(given: given, repo: repo) else { return }
        do { try repo.useIndex(at: path) } catch { throw .reading(path, error) }
    }

    /// The index file to read, or nil for the repository's own.
    static func file(given: String?, repo: Repository) throws(TiergateError) -> String? {
        let gitDir = repo.gitDirectory.hasSuffix("/") ? String(repo.gitDirectory.dropLast()) : repo.gitDirectory
        guard let given, !given.isEmpty else {
            // Git holds `index.lock` while it commits from it (`-a`, PATH): the hook was not handed the index.
            if FileManager.default.fileExists(atPath: gitDir + "/index.lock") {
                throw TiergateError(
                    .usage, "git is committing from another index than .git/index (git commit -a or git commit PATH), and GIT_INDEX_FILE does not say which",
                    fix: "run tiergate check --staged from the pre-commit hook, which git hands GIT_INDEX_FILE (in a container, pass it: --env GIT_INDEX_FILE)")
            }
            return nil
        }
        let base = repo.workdir ?? gitDir
        let path = given.hasPrefix("/") ? given : (base.hasSuffix("/") ? base : base + "/") + given
        if FileManager.default.fileExists(atPath: path) { return path }
        // In a container (pre-commit's docker_image) the repository is mounted elsewhere than where git runs:
        // git's index files live in its git directory, under the same name.
        let name = (given as NSString).lastPathComponent
        let isGitIndex = name == "index" || name == "index.lock" || (name.hasPrefix("next-index-") && name.hasSuffix(".lock"))
        if isGitIndex, FileManager.default.fileExists(atPath: gitDir + "/" + name) { return gitDir + "/" + name }
        throw TiergateError(
            .usage, "the index git handed the hook (GIT_INDEX_FILE=\(given)) does not exist",
            fix: "run tiergate check --staged from git's pre-commit hook, or unset GIT_INDEX_FILE to read the repository's index")
    }
}

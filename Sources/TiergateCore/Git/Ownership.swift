internal import CLibGit2
import Foundation

extension Repository {
    /// The directory to list in `safe.directory` when libgit2 refuses a repository at or above `start` because
    /// another user owns it: the work tree (`core.worktree` when the repository sets it, else the folder holding
    /// `.git`), or the git directory of a bare repository. Found without opening the repository, which libgit2
    /// refuses; only its config file is read. Nil when no git directory is found at or above `start`.
    package static func ownershipPath(discoveringFrom start: String) -> String? {
        _ = libgit2Ready
        var found = git_buf()
        defer { git_buf_dispose(&found) }
        guard git_repository_discover(&found, start, 0, nil) == 0, let p = found.ptr else { return nil }
        var gitDirectory = String(cString: p)
        while gitDirectory.count > 1 && gitDirectory.hasSuffix("/") { gitDirectory.removeLast() }

        var worktree: String?
        var bare: Int32 = 0
        var config: OpaquePointer?
        if git_config_open_ondisk(&config, gitDirectory + "/config") == 0, let config {
            defer { git_config_free(config) }
            var value = git_buf()
            defer { git_buf_dispose(&value) }
            if git_config_get_string_buf(&value, config, "core.worktree") == 0, let v = value.ptr { worktree = String(cString: v) }
            if git_config_get_bool(&bare, config, "core.bare") != 0 { bare = 0 }
        }
        if let worktree {
            // Relative to the git directory, as git reads it.
            return URL(fileURLWithPath: Paths.absolute(worktree, from: gitDirectory)).standardized.path
        }
        if bare != 0 { return gitDirectory }
        if gitDirectory.hasSuffix("/.git") { return String(gitDirectory.dropLast("/.git".count)) }
        // A linked worktree's git directory (.git/worktrees/NAME) names the worktree's `.git` file in `gitdir`.
        if let link = try? String(contentsOfFile: gitDirectory + "/gitdir", encoding: .utf8) {
            let file = link.trimmingCharacters(in: .whitespacesAndNewlines)
            if file.hasSuffix("/.git") { return String(file.dropLast("/.git".count)) }
        }
        return gitDirectory
    }
}

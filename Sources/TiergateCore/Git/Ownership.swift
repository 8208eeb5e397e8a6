internal import CLibGit2
import Foundation

/// Where a repository that libgit2 refused (another user owns it) is, and which folder `safe.directory` must list.
package struct OwnershipPaths: Sendable, Equatable {
    /// The folder to list: the work tree, or the git directory of a bare repository.
    package var listed: String
    package var gitDirectory: String
    /// `listed` is what the repository's own `core.worktree` says: its owner chose it, and it may be anywhere.
    package var worktreeFromConfig: Bool
}

extension Repository {
    /// The directory to list in `safe.directory` when libgit2 refuses a repository at or above `start` because
    /// another user owns it: the work tree (`core.worktree` when the repository sets it, else the folder holding
    /// `.git`), or the git directory of a bare repository. Found without opening the repository, which libgit2
    /// refuses; only its config file and a linked worktree's `gitdir` file are read. Nil when no git directory is
    /// found at or above `start`.
    package static func ownershipPaths(discoveringFrom start: String) -> OwnershipPaths? {
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
        func paths(_ listed: String, fromConfig: Bool = false) -> OwnershipPaths {
            OwnershipPaths(listed: listed, gitDirectory: gitDirectory, worktreeFromConfig: fromConfig)
        }
        if let worktree {
            // Relative to the git directory, as git reads it.
            return paths(URL(fileURLWithPath: Paths.absolute(worktree, from: gitDirectory)).standardized.path, fromConfig: true)
        }
        if bare != 0 { return paths(gitDirectory) }
        if gitDirectory.hasSuffix("/.git") { return paths(String(gitDirectory.dropLast("/.git".count))) }
        // A linked worktree's git directory (.git/worktrees/NAME) names the worktree's `.git` file in `gitdir`.
        if let link = smallRegularFile(gitDirectory + "/gitdir") {
            let file = link.trimmingCharacters(in: .whitespacesAndNewlines)
            if file.hasSuffix("/.git") { return paths(String(file.dropLast("/.git".count))) }
        }
        return paths(gitDirectory)
    }

    /// A file of another user's repository, read only when it is a regular file of at most 4 KiB: a FIFO or a
    /// link to /dev/zero there must not hang tiergate or fill its memory while it words an error.
    private static func smallRegularFile(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= 4096,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation

/// `tiergate init`: a starter policy (the default, commented) and, optionally, a plain git pre-commit hook.
package enum Initializer {
    package struct Result: Sendable {
        package var written: [String]
    }

    /// The starter policy: the built-in default with a header that says how to use it.
    package static let starterPolicy = """
        # tiergate policy: this file decides how risky each micro-app is and who must approve a change.
        # It starts as tiergate's built-in default (`tiergate policy show --default`). Edit it to fit your
        # organisation: fill in `groups` with the people who approve, add templates, rules and exceptions.
        # Changes to this file are judged by the version on the base branch and need `policyChange` approvals.
        # Schema for editors: `tiergate schema policy`.

        """ + DefaultPolicy.text

    /// The pre-commit hook: gates the staged change; approvals are advisory there.
    package static let hookScript = """
        #!/bin/sh
        # Installed by `tiergate init --hook`: lint and tier the staged micro-app manifests before each commit.
        # Skip once with `git commit --no-verify`.
        exec tiergate check --staged --fail-on error
        """ + "\n"

    package static func run(repository: String?, cwd: String, hook: Bool, force: Bool) throws(TiergateError) -> Result {
        let repo = try RevisionReader(repository: repository, workingDirectory: cwd).repository
        guard let workdir = repo.workdir else {
            throw TiergateError(.usage, "the repository has no working tree (it is bare)", fix: "run tiergate init in a clone")
        }
        var written: [String] = []
        let policy = Paths.join(workdir, Policy.path)
        try write(starterPolicy, to: policy, force: force, mode: 0o644)
        written.append(Policy.path)
        if hook {
            let script = Paths.join(Paths.join(repo.gitDirectory, "hooks"), "pre-commit")
            try write(hookScript, to: script, force: force, mode: 0o755)
            written.append(script)
        }
        return Result(written: written)
    }

    private static func write(_ text: String, to path: String, force: Bool, mode: Int) throws(TiergateError) {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) && !force {
            throw TiergateError(.usage, "\(path) already exists", fix: "keep it, or pass --force to replace it")
        }
        do {
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw TiergateError(.io, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}

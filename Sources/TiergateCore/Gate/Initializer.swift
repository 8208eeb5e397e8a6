import Foundation

/// `tiergate init`: a starter policy (the default, commented) and two example policy tests beside it, or with
/// `--hook` only a plain git pre-commit hook. It never overwrites anything: a policy or a test that exists is the
/// user's and is left alone, and a pre-commit hook that exists is someone's (another tool's) and is reported with
/// the line to add to it.
package enum Initializer {
    package struct Result: Sendable {
        package var written: [String]
        /// Files that exist already and were left as they are.
        package var kept: [String] = []
    }

    /// The starter policy: the built-in default with a header that says how to use it.
    package static let starterPolicy = """
        # tiergate policy: this file decides how risky each micro-app is and who must approve a change.
        # It starts as tiergate's built-in default (`tiergate policy show --default`). Edit it to fit your
        # organisation: fill in `groups` with the people who approve, add templates, rules and exceptions.
        # Changes to this file are judged by the version on the base branch and need `policyChange` approvals.
        # Schema for editors: `tiergate schema policy`. Its tests are in .tiergate/tests/: run `tiergate policy test`.

        """ + DefaultPolicy.text

    /// Two example policy tests (`tiergate policy test`), by file name under `.tiergate/tests/`: what the starter
    /// policy makes of a self-service app and of regulated data with open egress.
    package static let exampleTests: [(name: String, text: String)] = [
        (
            "self-service.yaml",
            """
            # A policy test: `tiergate policy test` judges the app below by .tiergate/policy.yaml and compares.
            # Schema: `tiergate schema policy-test`. Write an app inline (app:) or point at a file (manifest: PATH).
            apiVersion: tiergate/v1
            kind: PolicyTest
            name: an internal app for one team is self-service
            today: 2026-01-20
            app:
              apiVersion: microapps/v1
              kind: MicroApp
              metadata: {name: lunch-poll, owner: growth}
              spec:
                dataClass: internal
                accessScope: team
                runtime: vendor-platform
                criticality: toy
                integrations: [{name: slack, access: read}]
                network: {egress: internal-only}
                lifecycle: {createdAt: 2026-01-10, attestedAt: 2026-01-10}
                cost: {monthlyCapUSD: 20}
                observability: {logSink: siem, retentionDays: 90}
            expect:
              tier: 0
              findings: []
              approvals: []

            """
        ),
        (
            "regulated-egress.yaml",
            """
            # Regulated data must not leave approved environments (the rule regulated-egress), and needs executive sign-off.
            apiVersion: tiergate/v1
            kind: PolicyTest
            name: regulated data with open egress breaks regulated-egress and needs tier 3
            today: 2026-01-20
            app:
              apiVersion: microapps/v1
              kind: MicroApp
              metadata: {name: payroll-export, owner: finance}
              spec:
                dataClass: regulated
                accessScope: team
                runtime: company-cloud
                criticality: productivity
                network: {egress: open}
                lifecycle: {createdAt: 2026-01-10, attestedAt: 2026-01-10}
                cost: {monthlyCapUSD: 20}
                observability: {logSink: siem, retentionDays: 90}
            expect:
              tier: 3
              findings: [regulated-egress]
              approvals: [{group: security, count: 1}, {group: privacy, count: 1}, {group: platform, count: 1}, {group: legal, count: 1}]

            """
        ),
    ]

    /// The pre-commit hook: gates the staged change; approvals are advisory there.
    package static let hookScript = """
        #!/bin/sh
        # Installed by `tiergate init --hook`: lint and tier the staged micro-app manifests before each commit.
        # Skip once with `git commit --no-verify`.
        exec tiergate check --staged --fail-on error
        """ + "\n"

    package static func run(repository: String?, cwd: String, hook: Bool) throws(TiergateError) -> Result {
        let repo = try RevisionReader(repository: repository, workingDirectory: cwd).repository
        guard let workdir = repo.workdir else {
            throw TiergateError(.usage, "the repository has no working tree (it is bare)", fix: "run tiergate init in a clone")
        }
        var result = Result(written: [])
        if hook {
            let path = Paths.join(Paths.join(repo.gitDirectory, "hooks"), "pre-commit")
            if let existing = FileManager.default.contents(atPath: path) {
                guard existing == Data(hookScript.utf8) else {
                    throw TiergateError(
                        .usage, "\(path) exists and is not tiergate's; tiergate never overwrites a hook",
                        fix: "add the line `tiergate check --staged --fail-on error || exit 1` to it, or use the pre-commit framework's tiergate-check-staged hook")
                }
                result.kept.append(path)
            } else {
                try write(hookScript, to: path, mode: 0o755)
                result.written.append(path)
            }
            return result
        }
        let files = [(Policy.path, starterPolicy)] + exampleTests.map { (PolicyTestRequest.defaultDirectory + "/" + $0.name, $0.text) }
        for (path, text) in files {
            if FileManager.default.fileExists(atPath: workdir + "/" + path) {
                result.kept.append(path)
            } else {
                try write(text, to: workdir + "/" + path, mode: 0o644)
                result.written.append(path)
            }
        }
        return result
    }

    /// Creates a new file; one that appears meanwhile is not overwritten either.
    private static func write(_ text: String, to path: String, mode: Int) throws(TiergateError) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw TiergateError(.io, "cannot create the directory of \(path): \(error.localizedDescription)")
        }
        guard fm.createFile(atPath: path + ".tiergate-new", contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw TiergateError(.io, "cannot write \(path)")
        }
        // link(2) fails when the target exists: never a replacement, whatever happened since the check.
        defer { unlink(path + ".tiergate-new") }
        guard link(path + ".tiergate-new", path) == 0 else {
            throw TiergateError(.io, "cannot write \(path): \(String(cString: strerror(errno)))", fix: "if it exists now, it is left as it is")
        }
    }
}

import Foundation

/// `tiergate init`: a starter policy (the default, commented), two example policy tests beside it and, optionally,
/// a plain git pre-commit hook.
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

    package static func run(repository: String?, cwd: String, hook: Bool, force: Bool) throws(TiergateError) -> Result {
        let repo = try RevisionReader.open(repository, cwd: cwd)
        guard let workdir = repo.workdir else {
            throw TiergateError(.usage, "the repository has no working tree (it is bare)", fix: "run tiergate init in a clone")
        }
        var written: [String] = []
        let policy = workdir + "/" + Policy.path
        try write(starterPolicy, to: policy, force: force, mode: 0o644)
        written.append(Policy.path)
        for test in exampleTests {
            let path = PolicyTestRequest.defaultDirectory + "/" + test.name
            try write(test.text, to: workdir + "/" + path, force: force, mode: 0o644)
            written.append(path)
        }
        if hook {
            let hooks = repo.gitDirectory.hasSuffix("/") ? repo.gitDirectory + "hooks" : repo.gitDirectory + "/hooks"
            try write(hookScript, to: hooks + "/pre-commit", force: force, mode: 0o755)
            written.append(hooks + "/pre-commit")
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

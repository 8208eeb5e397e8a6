import Foundation
import Testing
import TiergateCore

/// Local hooks for real: `init --hook`'s git hook and the pre-commit framework's hooks stop a commit that adds a
/// secret, however it is committed (`git commit -am`, `git commit PATH`), and `init` never overwrites a file.
@Suite("local hooks: init and the pre-commit framework")
struct HookTests {
    /// What git and the hooks need: tiergate on PATH, an identity.
    static var env: [String: String] {
        [
            "PATH": "\(CIIntegrationTests.binDir):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), "GIT_AUTHOR_NAME": "T",
            "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        ]
    }

    /// A manifest that passes today (the hook judges by the real date), with a secret when asked.
    static func manifest(secret: Bool = false) -> String {
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC") ?? .current, formatOptions: [.withFullDate])
        var text = CheckExample.baseManifest.replacingOccurrences(of: "2026-11-01", with: day)
        if secret { text = text.replacingOccurrences(of: "ref: vault://kv/apps/example/crm", with: "ref: AKIAIOSFODNN7EXAMPLE") }
        return text
    }

    static func git(_ args: [String], in dir: String, env extra: [String: String] = [:]) throws -> CLIResult {
        try CIIntegrationTests.run("git", ["-c", "commit.gpgsign=false"] + args, in: dir, env: env.merging(extra) { $1 })
    }

    static func commits(_ dir: String) throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Tries `git commit -am` and `git commit PATH` with a secret in the working tree only (`.git/index` has the
    /// clean version): each must be refused by the hook, naming the secret. Then a clean change goes through.
    static func secretsAreStopped(in project: String, env: [String: String] = [:]) throws {
        try Data(manifest(secret: true).utf8).write(to: URL(fileURLWithPath: project + "/apps/example/microapp.yaml"))
        let before = try commits(project)
        for args in [["commit", "-am", "secret (all)"], ["commit", "-m", "secret (path)", "apps/example/microapp.yaml"]] {
            let r = try git(args, in: project, env: env)
            #expect(r.status != 0, "\(args): the commit went through\n\(r.stdout)\(r.stderr)")
            #expect((r.stdout + r.stderr).contains("secret-literal"), "\(args): \(r.stdout)\(r.stderr)")
            #expect(try commits(project) == before)
        }
        #expect(try git(["diff", "--cached", "--quiet"], in: project).status == 0, ".git/index still has the clean version")
        try Data(manifest().replacingOccurrences(of: "monthlyCapUSD: 10", with: "monthlyCapUSD: 12").utf8)
            .write(to: URL(fileURLWithPath: project + "/apps/example/microapp.yaml"))
        let clean = try git(["commit", "-m", "clean (path)", "apps/example/microapp.yaml"], in: project, env: env)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(try commits(project) == before + 1)
    }

    @Test("init --hook's git hook stops git commit -am and git commit PATH with a secret")
    func gitHook() throws {
        let project = try CLITests.repository(files: ["apps/example/microapp.yaml": Self.manifest()])
        let r = try CLITests.tiergate(["init", "--hook"], in: project)
        #expect(r.status == 0, "\(r.stderr)")
        try Self.secretsAreStopped(in: project)
    }

    @Test("under the real pre-commit framework, tiergate-check-staged stops git commit -am and git commit PATH with a secret")
    func preCommitFramework() throws {
        let preCommit = try CIIntegrationTests.venv("pre-commit")
        let (hooks, rev) = try CIIntegrationTests.hookRepository()
        // Only the staged check: the lint hook reads the working-tree files and would find the secret anyway.
        let config = "repos:\n  - repo: \(hooks)\n    rev: \(rev)\n    hooks:\n      - id: tiergate-check-staged\n"
        let project = try CLITests.repository(files: [".pre-commit-config.yaml": config, "apps/example/microapp.yaml": Self.manifest()])
        let home = try CIIntegrationTests.tempDir("pre-commit-home")
        let env = Self.env.merging(["PATH": URL(fileURLWithPath: preCommit).deletingLastPathComponent().path + ":" + (Self.env["PATH"] ?? ""), "PRE_COMMIT_HOME": home]) { $1 }
        let install = try CIIntegrationTests.run(preCommit, ["install"], in: project, env: env)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        try Self.secretsAreStopped(in: project, env: env)
    }

    @Test("the docker_image variants run the image's tiergate with GIT_INDEX_FILE passed in, and the system ones tiergate on PATH")
    func hookDefinitions() throws {
        let script = """
            import sys, json, yaml
            print(json.dumps(yaml.safe_load(open(sys.argv[1]))))
            """
        let r = try CIIntegrationTests.run(try CIIntegrationTests.venv("python"), ["-c", script, CLITests.fixture(".pre-commit-hooks.yaml")])
        let hooks = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stderr)")
        let byID = Dictionary(uniqueKeysWithValues: hooks.compactMap { h in (h["id"] as? String).map { ($0, h) } })
        #expect(Set(byID.keys) == ["tiergate-lint", "tiergate-check-staged", "tiergate-lint-docker", "tiergate-check-staged-docker"])
        #expect(byID["tiergate-lint"]?["language"] as? String == "system" && byID["tiergate-check-staged"]?["language"] as? String == "system")
        let image = "ghcr.io/tiergate/tiergate:\(TiergateVersion.current)"
        #expect(byID["tiergate-lint-docker"]?["language"] as? String == "docker_image")
        #expect(byID["tiergate-lint-docker"]?["entry"] as? String == "\(image) lint")
        #expect(byID["tiergate-check-staged-docker"]?["entry"] as? String == "--env GIT_INDEX_FILE \(image) check --staged")
        #expect(byID["tiergate-check-staged-docker"]?["pass_filenames"] as? Bool == false)
        let validate = try CIIntegrationTests.run(try CIIntegrationTests.venv("pre-commit"), ["validate-manifest", CLITests.fixture(".pre-commit-hooks.yaml")])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }

    @Test("init writes a policy only where there is none; init --hook writes only the hook; neither ever overwrites")
    func initNeverOverwrites() throws {
        let project = try CLITests.repository(files: ["apps/example/microapp.yaml": Self.manifest()])
        let policy = project + "/.tiergate/policy.yaml"
        let hook = project + "/.git/hooks/pre-commit"

        let hookOnly = try CLITests.tiergate(["init", "--hook"], in: project)
        #expect(hookOnly.status == 0 && hookOnly.stdout == "wrote \(hook)\n", "\(hookOnly.stdout)\(hookOnly.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: hook) && !FileManager.default.fileExists(atPath: policy))
        let again = try CLITests.tiergate(["init", "--hook"], in: project)
        #expect(again.status == 0 && again.stdout == "kept \(hook): it exists, and tiergate never overwrites it\n")

        let first = try CLITests.tiergate(["init"], in: project)
        let written = [".tiergate/policy.yaml", ".tiergate/tests/self-service.yaml", ".tiergate/tests/regulated-egress.yaml"]
        #expect(first.status == 0 && first.stdout == written.map { "wrote \($0)\n" }.joined(), "\(first.stdout)")
        let mine = "apiVersion: tiergate/v1\nkind: Policy\ngroups: {coe: [cora]}\n"
        try Data(mine.utf8).write(to: URL(fileURLWithPath: policy))
        let second = try CLITests.tiergate(["init"], in: project)
        #expect(second.status == 0 && second.stdout == written.map { "kept \($0): it exists, and tiergate never overwrites it\n" }.joined())
        #expect(try String(contentsOfFile: policy, encoding: .utf8) == mine)
        #expect(try CLITests.tiergate(["init", "--hook"], in: project).status == 0)
        #expect(try String(contentsOfFile: policy, encoding: .utf8) == mine, "init --hook leaves the policy alone")
        #expect(try CLITests.tiergate(["init", "--force"], in: project).status == 2, "there is no --force")

        // Someone else's hook: exit 2, with the line to add, and the hook as it was.
        let foreign = "#!/bin/sh\nexec other-tool\n"
        try Data(foreign.utf8).write(to: URL(fileURLWithPath: hook))
        let refused = try CLITests.tiergate(["init", "--hook"], in: project)
        #expect(refused.status == 2 && refused.stderr.contains("tiergate check --staged --fail-on error || exit 1"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == foreign)
    }
}

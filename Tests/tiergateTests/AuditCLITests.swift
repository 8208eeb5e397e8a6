import Foundation
import Testing

/// The audit trail end to end: `record`, `audit log`, `audit verify`, `evidence` and `inventory --format html` run as
/// the built binary, and the shipped CI jobs that record (GitHub workflow, GitLab job) run against a stub API.
@Suite("audit trail: command line and CI jobs", .temporaryDirectories)
struct AuditCLITests {
    static let policy = groupsPolicy

    static func manifest(_ name: String, dataClass: String = "internal") throws -> String {
        try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")
            .replacingOccurrences(of: "name: minimal", with: "name: \(name)").replacingOccurrences(of: "dataClass: public", with: "dataClass: \(dataClass)")
    }

    /// Commits everything with author and committer date at noon UTC of `day`; returns the commit.
    @discardableResult
    static func land(_ dir: String, _ message: String, day: String) throws -> String {
        let env = ["GIT_AUTHOR_DATE": "\(day)T12:00:00Z", "GIT_COMMITTER_DATE": "\(day)T12:00:00Z"]
        let git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
        for args in [["add", "-A"], ["commit", "-q", "-m", message]] {
            let r = try run(git[0], Array(git.dropFirst()) + args, in: dir, environment: env)
            guard r.status == 0 else { throw TestFailure("git \(args): \(r.stderr)") }
        }
        return try run("git", ["rev-parse", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func write(_ dir: String, _ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// base (2026-11-02), alpha to tier 2 (2026-11-05), bravo to tier 1 (2026-11-10).
    static func history() throws -> (dir: String, commits: [String]) {
        let dir = try makeTemporaryDirectory("audit-cli")
        try CLITests.git(["init", "-q", "-b", "main"], in: dir)
        try write(dir, ".tiergate/policy.yaml", policy)
        try write(dir, "apps/alpha/microapp.yaml", try manifest("alpha"))
        try write(dir, "apps/bravo/microapp.yaml", try manifest("bravo"))
        var commits = [try land(dir, "base", day: "2026-11-02")]
        try write(dir, "apps/alpha/microapp.yaml", try manifest("alpha", dataClass: "restricted"))
        commits.append(try land(dir, "alpha", day: "2026-11-05"))
        try write(dir, "apps/bravo/microapp.yaml", try manifest("bravo", dataClass: "confidential"))
        commits.append(try land(dir, "bravo", day: "2026-11-10"))
        return (dir, commits)
    }

    @Test("record, audit log, audit verify and evidence through the binary: exit codes, outputs, the same package twice")
    func endToEnd() throws {
        let (dir, c) = try Self.history()
        let reviews = try makeTemporaryDirectory("reviews") + "/reviews.json"
        try Data("[\(CIIntegrationTests.review("sam", "APPROVED", c[1], 1)), \(CIIntegrationTests.review("priya", "APPROVED", c[1], 2)), \(CIIntegrationTests.review("pat", "APPROVED", c[1], 3))]".utf8)
            .write(to: URL(fileURLWithPath: reviews))
        let first = try CLITests.tiergate(["record", "--rev", c[1], "--approvals", reviews, "--author", "dana", "--today", "2026-11-22"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("recorded: pass, 1 app change(s)"))
        let second = try CLITests.tiergate(["record", "--today", "2026-11-22", "--author", "dana"], in: dir)
        #expect(second.status == 0 && second.stdout.contains("landed-without-approval"), "\(second.stdout)\(second.stderr)")
        let again = try CLITests.tiergate(["record", "--today", "2026-11-22"], in: dir)
        #expect(again.status == 0 && again.stdout.contains("is recorded already"))

        let log = try CLITests.tiergate(["audit", "log"], in: dir)
        #expect(log.status == 0)
        #expect(log.stdout.split(separator: "\n").count == 2)
        #expect(log.stdout.hasPrefix("2026-11-10  \(c[2].prefix(12))  bravo"))
        let alpha = try CLITests.tiergate(["audit", "log", "alpha", "--format", "json"], in: dir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(alpha.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["commit"] as? String } == [c[1]])
        let approvedBy = entries.first?["approvedBy"] as? [String]
        #expect(approvedBy == ["sam", "priya", "pat"])
        #expect(try CLITests.tiergate(["audit", "log", "--since", "2026-11-06", "--format", "csv"], in: dir).stdout.split(separator: "\r\n").count == 2)
        #expect(try CLITests.tiergate(["audit", "log", "--format", "yaml"], in: dir).status == 2)

        let holds = try CLITests.tiergate(["audit", "verify"], in: dir)
        #expect(holds.status == 0 && holds.stdout.contains("the chain holds: 2 record(s)"), "\(holds.stdout)\(holds.stderr)")
        try CLITests.git(["notes", "--ref=tiergate", "append", "-m", "edited", c[1]], in: dir)
        let broken = try CLITests.tiergate(["audit", "verify"], in: dir)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("the record of \(c[1]) was altered"))

        let out = try makeTemporaryDirectory("evidence")
        let e1 = try CLITests.tiergate(["evidence", "--since", "2026-11-01", "--until", "2026-11-30", "--output", "\(out)/one.tar.gz"], in: dir)
        let e2 = try CLITests.tiergate(["evidence", "--since", "2026-11-01", "--until", "2026-11-30", "--output", "\(out)/two.tar.gz"], in: dir)
        #expect(e1.status == 0 && e2.status == 0, "\(e1.stderr)")
        let sums = try run("sha256sum", ["one.tar.gz", "two.tar.gz"], in: out).stdout.split(separator: "\n").map { $0.prefix(64) }
        #expect(sums.count == 2 && sums[0] == sums[1])
        #expect(e1.stdout.contains("sha256 \(sums[0])"))
        #expect(try CLITests.tiergate(["evidence", "--since", "2026-11-01", "--output", "\(out)/x.tar.gz", "--until", "2026-10-01"], in: dir).status == 2)
        #expect(try CLITests.tiergate(["evidence", "--output", "\(out)/x.tar.gz"], in: dir).status == 2, "--since is required")
        #expect(try CLITests.tiergate(["evidence", "--since", "2026-11-01", "--output", "/nonexistent/dir/x.tar.gz"], in: dir).status == 2)

        let schema = try CLITests.tiergate(["schema", "decision"])
        let schemaFile = try Project.text("schemas/decision.schema.json")
        #expect(schema.status == 0 && schema.stdout == schemaFile)
        let html = try CLITests.tiergate(["inventory", "--format", "html"], in: dir)
        #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("record of a root commit or an unknown revision is exit 2; a failed write of the log is exit 2")
    func failures() throws {
        let (dir, c) = try Self.history()
        #expect(try CLITests.tiergate(["record", "--rev", c[0]], in: dir).status == 2)
        #expect(try CLITests.tiergate(["record", "--rev", "nope"], in: dir).status == 2)
        #expect(try CLITests.tiergate(["record", "--approvals", "/nonexistent.json"], in: dir).status == 2)
        #expect(try CLITests.tiergate(["record", "--today", "2026-11-22"], in: dir).status == 0)
        let full = try run("/bin/sh", ["-c", "\"$0\" audit log > /dev/full", CLITests.binary], in: dir)
        #expect(full.status == 2 && full.stderr.contains("cannot write standard output"))
    }

    /// The `run` script of each named step of one job of the GitHub workflow.
    static func steps(_ job: String) throws -> [String: String] {
        let script = """
            import sys, json, yaml
            steps = yaml.safe_load(open(sys.argv[1]))["jobs"][sys.argv[2]]["steps"]
            print(json.dumps({s["name"]: s.get("run", "") for s in steps}))
            """
        let r = try run(try Project.venvTool("python"), ["-c", script, Project.path("ci/github/tiergate.yml"), job])
        guard r.status == 0, let steps = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String] else {
            throw TestFailure("cannot read the steps of the \(job) job: \(r.stderr)")
        }
        return steps
    }

    /// The test merge of CIIntegrationTests as the landed commit of main, with a bare `origin` that has it.
    static func landedMerge() throws -> (dir: String, bare: String, merge: String, prHead: String) {
        let (dir, prHead, _) = try CIIntegrationTests.testMerge()
        let merge = try run("git", ["rev-parse", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bare = try makeTemporaryDirectory("origin") + "/origin.git"
        try CLITests.git(["clone", "-q", "--bare", dir, bare], in: dir)
        try CLITests.git(["remote", "set-url", "origin", bare], in: dir)
        try CLITests.git(["push", "-q", "origin", "refs/pull/7/head"], in: dir)
        return (dir, bare, merge, prHead)
    }

    static func remoteNote(_ bare: String, _ commit: String) throws -> [String: Any]? {
        let r = try run("git", ["notes", "--ref=tiergate", "show", commit], in: bare)
        guard r.status == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    }

    @Test("the GitHub workflow's record job: on a push to main it finds the landed pull request, records with its reviews and pushes the notes; once")
    func githubRecordJob() throws {
        let file = Project.path("ci/github/tiergate.yml")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\n  push:\n    branches: [main]"))
        #expect(text.contains("if: github.event_name != 'push'") && text.contains("if: github.event_name == 'push'"))
        #expect(text.contains("contents: write") && text.contains("group: tiergate-record"))
        let steps = try Self.steps("record")
        #expect(steps.values.allSatisfy { !$0.contains("${{") }, "a run script expands ${{ }} itself")
        func step(_ prefix: String) throws -> String { try #require(steps.first { $0.key.hasPrefix(prefix) }?.value, "no step \(prefix)") }

        let (dir, bare, merge, prHead) = try Self.landedMerge()
        let api = try CIIntegrationTests.StubAPI()
        try api.serve("repos/o/r/commits/\(merge)/pulls", "[{\"number\": 7, \"merge_commit_sha\": \"\(merge)\", \"head\": {\"sha\": \"\(prHead)\"}, \"user\": {\"login\": \"dana\"}}]")
        try api.serve(
            "repos/o/r/pulls/7/reviews?per_page=100&page=1",
            "[" + [CIIntegrationTests.review("sasha", "APPROVED", prHead, 1), CIIntegrationTests.review("priya", "APPROVED", prHead, 2), CIIntegrationTests.review("pat", "APPROVED", prHead, 3)].joined(separator: ",") + "]")
        let push = ["GITHUB_EVENT_NAME": "push", "GITHUB_SHA": merge]
        let landed = try CIIntegrationTests.runStep(try step("Find the landed"), in: dir, api: api, env: push)
        #expect(landed.result.status == 0, "\(landed.result.stderr)")
        #expect(landed.outputs == ["head": prHead, "author": "dana"])
        let members = try CIIntegrationTests.runStep(try step("Fetch the members"), in: dir, api: api, env: push.merging(["MEMBERS_TOKEN": ""]) { $1 })
        #expect(members.result.status == 0)
        let recordEnv = push.merging(["PR_HEAD_SHA": prHead, "PR_AUTHOR": "dana"]) { $1 }
        let record = try CIIntegrationTests.runStep(try step("Record"), in: dir, api: api, env: recordEnv)
        #expect(record.result.status == 0, "\(record.result.stdout)\(record.result.stderr)")
        let note = try #require(try Self.remoteNote(bare, merge), "the note reached origin")
        #expect(note["decision"] as? String == "pass")
        let approvals = note["approvals"] as? [String: Any]
        #expect(approvals?["author"] as? String == "dana")
        let approvers = ((approvals?["required"] as? [[String: Any]]) ?? []).flatMap { ($0["approvedBy"] as? [[String: Any]]) ?? [] }
        #expect(Set(approvers.compactMap { $0["login"] as? String }) == ["sasha", "priya", "pat"])
        #expect(approvers.allSatisfy { $0["reviewedCommit"] as? String == prHead })

        let notesBefore = try run("git", ["rev-parse", "refs/notes/tiergate"], in: bare).stdout
        let rerun = try CIIntegrationTests.runStep(try step("Record"), in: dir, api: api, env: recordEnv)
        #expect(rerun.result.status == 0 && rerun.result.stdout.contains("recorded already"), "\(rerun.result.stdout)\(rerun.result.stderr)")
        #expect(try run("git", ["rev-parse", "refs/notes/tiergate"], in: bare).stdout == notesBefore)

        // A direct push (no pull request): recorded without evidence, so as landed without approval.
        let direct = try CIIntegrationTests.StubAPI()
        let (dir2, bare2, merge2, _) = try Self.landedMerge()
        try direct.serve("repos/o/r/commits/\(merge2)/pulls", "[]")
        let none = try CIIntegrationTests.runStep(try step("Find the landed"), in: dir2, api: direct, env: ["GITHUB_EVENT_NAME": "push", "GITHUB_SHA": merge2])
        #expect(none.result.status == 0 && none.outputs.isEmpty)
        let unapproved = try CIIntegrationTests.runStep(try step("Record"), in: dir2, api: direct, env: ["GITHUB_EVENT_NAME": "push", "GITHUB_SHA": merge2, "PR_HEAD_SHA": "", "PR_AUTHOR": ""])
        #expect(unapproved.result.status == 0, "\(unapproved.result.stderr)")
        #expect(try Self.remoteNote(bare2, merge2)?["decision"] as? String == "landed-without-approval")
    }

    @Test("the GitLab record job: on a push to the default branch it records with the merge request's approvals and pushes the notes")
    func gitlabRecordJob() throws {
        let file = Project.path("ci/gitlab/tiergate.gitlab-ci.yml")
        let script = """
            import sys, json, yaml
            job = yaml.safe_load(open(sys.argv[1]))["tiergate-record"]
            print(json.dumps({"script": job["script"], "rules": job["rules"], "resource_group": job.get("resource_group")}))
            """
        let r = try run(try Project.venvTool("python"), ["-c", script, file])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        #expect(job["resource_group"] as? String == "tiergate-record")
        #expect((job["rules"] as? [[String: String]])?.first?["if"]?.contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH") == true)
        let lines = try #require(job["script"] as? [String])

        let (dir, bare, merge, prHead) = try Self.landedMerge()
        let api = try CIIntegrationTests.StubAPI()
        try api.serve("api/v4/projects/5/repository/commits/\(merge)/merge_requests", "[{\"iid\": 9, \"sha\": \"\(prHead)\", \"merge_commit_sha\": \"\(merge)\"}]")
        try api.serve("api/v4/projects/5/merge_requests/9", "{\"author\": {\"username\": \"dana\"}}")
        try api.serve("api/v4/projects/5/merge_requests/9/approvals", "{\"approved_by\": [{\"user\": {\"username\": \"sasha\"}}, {\"user\": {\"username\": \"priya\"}}, {\"user\": {\"username\": \"dana\"}}]}")
        let env = [
            "PATH": "\(api.bin):\(CIIntegrationTests.binDir):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), "CI_API_V4_URL": "http://api.invalid/api/v4",
            "CI_PROJECT_ID": "5", "TIERGATE_GITLAB_TOKEN": "t", "CI_COMMIT_SHA": merge, "CI_SERVER_HOST": "gitlab.invalid", "TIERGATE_NOTES_REMOTE": bare,
        ]
        let posted = try run("bash", ["-c", lines.joined(separator: "\n")], in: dir, environment: env)
        #expect(posted.status == 0, "\(posted.stdout)\(posted.stderr)")
        let note = try #require(try Self.remoteNote(bare, merge), "the note reached the remote")
        // pat's platform approval is missing; dana is the author.
        #expect(note["decision"] as? String == "landed-without-approval")
        let approvals = note["approvals"] as? [String: Any]
        #expect(approvals?["author"] as? String == "dana")
        #expect(((approvals?["discarded"] as? [[String: Any]]) ?? []).contains { $0["login"] as? String == "dana" && $0["reason"] as? String == "author" })
        let sources = ((approvals?["required"] as? [[String: Any]]) ?? []).flatMap { ($0["approvedBy"] as? [[String: Any]]) ?? [] }.compactMap { $0["source"] as? String }
        #expect(Set(sources) == ["gitlab"])
        // Without a push token (and no remote override) the job says what to set.
        let tokenless = try run("bash", ["-c", lines.joined(separator: "\n")], in: dir, environment: env.merging(["TIERGATE_NOTES_REMOTE": ""]) { $1 })
        #expect(tokenless.status != 0 && tokenless.stderr.contains("TIERGATE_PUSH_TOKEN"))
    }
}

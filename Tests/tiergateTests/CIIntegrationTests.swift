import Foundation
import Testing
import TiergateCore

/// The CI formats checked by their real validators, and the ready-made integrations run for real.
@Suite("CI formats and integrations")
struct CIIntegrationTests {
    static var binDir: String { URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().path }

    static func venv(_ tool: String) throws -> String {
        let p = CLITests.fixture(".venv/bin/\(tool)")
        guard FileManager.default.isExecutableFile(atPath: p) else { throw CLIFailure("\(p) is missing: run ci/setup.sh before swift test") }
        return p
    }

    static func run(_ exe: String, _ args: [String], in dir: String? = nil, env: [String: String] = [:]) throws -> CLIResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe.hasPrefix("/") ? exe : "/usr/bin/env")
        p.arguments = exe.hasPrefix("/") ? args : [exe] + args
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let t = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        t.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !t.isFinished { usleep(1000) }
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func tempDir(_ label: String) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// The demo repository, and the arguments its check runs with.
    static func demo() throws -> (dir: String, args: [String]) {
        let parent = try tempDir("demo")
        _ = try CLITests.tiergate(["demo", "--directory", parent])
        let dir = try #require(try FileManager.default.contentsOfDirectory(atPath: parent).first.map { "\(parent)/\($0)" })
        return (dir, ["check", "--base", "HEAD~1", "--author", "dana", "--approved-by", "cora", "--today", "2026-11-22"])
    }

    /// Every format from check (the demo) and lint (invalid and hostile fixtures), written with --report.
    static func reports(_ format: String) throws -> [String] {
        let out = try tempDir("reports-\(format)")
        let (dir, args) = try demo()
        var files: [String] = []
        let check = try CLITests.tiergate(args + ["--format", "text", "--report", "\(format)=\(out)/check.out"], in: dir)
        #expect(check.status == 1)
        files.append("\(out)/check.out")
        let ignored = try CLITests.tiergate(args + ["--ignore-approvals", "--fail-on", "never", "--report", "\(format)=\(out)/check-pass.out"], in: dir)
        #expect(ignored.status == 0)
        files.append("\(out)/check-pass.out")
        let invalid = try FileManager.default.contentsOfDirectory(atPath: CLITests.fixture("fixtures/manifests/invalid")).sorted().map { CLITests.fixture("fixtures/manifests/invalid/\($0)") }
        let hostile = try FileManager.default.contentsOfDirectory(atPath: CLITests.fixture("fixtures/hostile")).sorted().map { CLITests.fixture("fixtures/hostile/\($0)") }
        let lint = try CLITests.tiergate(["lint", "--report", "\(format)=\(out)/lint.out"] + invalid + hostile + [CLITests.fixture("fixtures/secrets/leaky.microapp.yaml")])
        #expect(lint.status == 1)
        files.append("\(out)/lint.out")
        return files
    }

    @Test("SARIF from check and lint validates against the SARIF 2.1.0 schema")
    func sarif() throws {
        let schema = CLITests.fixture("schemas/vendor/sarif-schema-2.1.0.json")
        guard FileManager.default.fileExists(atPath: schema) else { throw CLIFailure("\(schema) is missing (vendored under schemas/vendor/)") }
        let files = try Self.reports("sarif")
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--schemafile", schema] + files)
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files[0]))) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(Set(rules.compactMap { $0["id"] as? String }) == Set(results.compactMap { $0["ruleId"] as? String }))
        #expect(rules.allSatisfy { (($0["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false })
        let secret = try #require(results.first { $0["ruleId"] as? String == "secret-literal" })
        let location = try #require(((secret["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "apps/pto-helper/microapp.yaml")
        #expect((location["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "%SRCROOT%")
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 19)
        #expect((location["region"] as? [String: Any])?["startColumn"] as? Int == 12)
    }

    @Test("JUnit parses with junitparser: one case per app, failures for blocking findings and missing approvals")
    func junit() throws {
        let files = try Self.reports("junit")
        let script = """
            import sys, json
            from junitparser import JUnitXml, Failure, Skipped
            out = []
            for path in sys.argv[1:]:
                xml = JUnitXml.fromfile(path)
                cases = [(c.classname, c.name, [type(r).__name__ for r in c.result]) for s in xml for c in s]
                out.append({"tests": sum(s.tests for s in xml), "failures": sum(s.failures for s in xml), "cases": cases})
            print(json.dumps(out))
            """
        let r = try Self.run(try Self.venv("python"), ["-c", script] + files)
        #expect(r.status == 0, "\(r.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let check = parsed[0]
        let cases = try #require(check["cases"] as? [[Any]])
        // Three apps and the approvals case.
        #expect(check["tests"] as? Int == 4)
        #expect(cases.map { $0[0] as? String } == ["tiergate.apps", "tiergate.apps", "tiergate.apps", "tiergate.approvals"])
        let failing = cases.filter { ($0[2] as? [String])?.contains("Failure") == true }.map { $0[1] as? String ?? "" }
        #expect(failing.count == 2 && failing[0].hasPrefix("pto-helper") && failing[1] == "required approvals")
        #expect(check["failures"] as? Int == 2)
        let pass = parsed[1]
        #expect(pass["failures"] as? Int == 0)
        #expect(((pass["cases"] as? [[Any]])?.last?[2] as? [String]) == ["Skipped"])
        let lint = parsed[2]
        #expect((lint["failures"] as? Int ?? 0) >= 10)
    }

    @Test("the GitLab code-quality report validates, and its fingerprints are unique and stable across runs")
    func gitlab() throws {
        let first = try Self.reports("gitlab")
        let second = try Self.reports("gitlab")
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--schemafile", CLITests.fixture("schemas/gitlab-codequality.schema.json")] + first)
        #expect(v.status == 0, "\(v.stdout)")
        for (a, b) in zip(first, second) {
            let x = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a))) as? [[String: Any]])
            let y = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: b))) as? [[String: Any]])
            let fx = x.compactMap { $0["fingerprint"] as? String }
            #expect(fx == y.compactMap { $0["fingerprint"] as? String })
            #expect(Set(fx).count == fx.count, "fingerprints are unique")
        }
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first[0]))) as? [[String: Any]])
        let secret = try #require(issues.first { $0["check_name"] as? String == "secret-literal" })
        #expect(secret["severity"] as? String == "critical")
        #expect(((secret["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int == 19)
    }

    @Test("the github format writes workflow commands and, in Actions, the step summary")
    func github() throws {
        let (dir, args) = try Self.demo()
        let summary = try Self.tempDir("summary") + "/summary.md"
        let r = try CLITests.tiergate(args + ["--format", "github"], in: dir, env: ["GITHUB_STEP_SUMMARY": summary])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("::error file=apps/pto-helper/microapp.yaml,line=19,col=12,title=tiergate secret-literal (pto-helper)::") })
        #expect(lines.contains { $0.hasPrefix("::warning file=apps/where2eat/microapp.yaml,line=9,col=13,title=tiergate template-deviation") })
        #expect(lines.contains { $0.hasPrefix("::error title=tiergate approvals::privacy must approve") })
        #expect(lines.last?.hasPrefix("::notice title=tiergate::tiergate check: blocked") == true)
        #expect(lines.allSatisfy { $0.hasPrefix("::") })
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.hasPrefix("<!-- tiergate-report -->\n### ⛔ tiergate: This change is blocked"))
    }

    @Test("workflow command escaping keeps a message to one command")
    func githubEscaping() throws {
        let dir = try CLITests.repository(files: ["a,b/microapp.yaml": "apiVersion: microapps/v1\nkind: [\n"])
        let r = try CLITests.tiergate(["lint", "--format", "github"], in: dir)
        let line = try #require(r.stdout.split(separator: "\n").first.map(String.init))
        #expect(line.hasPrefix("::error file=a%2Cb/microapp.yaml,line="))
    }

    @Test("the GitHub workflow template validates, runs on reviews and the merge queue, and uses the action (no build per run)")
    func githubWorkflow() throws {
        let file = CLITests.fixture("ci/github/tiergate.yml")
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--builtin-schema", "vendor.github-workflows", file])
        #expect(v.status == 0, "\(v.stdout)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\n  pull_request:\n") && !text.contains("\n  pull_request_target"))
        #expect(text.contains("\n  pull_request_review:") && text.contains("types: [submitted, dismissed]"))
        #expect(text.contains("\n  merge_group:\n"))
        #expect(text.contains("fetch-depth: 0") && text.contains("statuses: write"))
        #expect(text.contains("uses: tiergate/tiergate@v\(TiergateVersion.current)"))
        #expect(!text.contains("swift build") && !text.contains("TIERGATE_GIT_URL") && !text.contains("container:"))
    }

    @Test("action.yml validates as a GitHub action, installs the release it names, and does what the gate needs")
    func githubAction() throws {
        let file = CLITests.fixture("action.yml")
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--builtin-schema", "vendor.github-actions", file])
        #expect(v.status == 0, "\(v.stdout)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("using: composite"))
        #expect(text.contains("    default: \"\(TiergateVersion.current)\"\n"), "the action's default release is this version")
        #expect(text.contains("sha256sum --check --strict") && !text.contains("swift build"))
        #expect(text.contains("--approvals reviews.json") && text.contains("/pulls/$PR_NUMBER/reviews?per_page=100&page=$page"))
        #expect(text.contains("github/codeql-action/upload-sarif@") && text.contains("--report sarif=tiergate.sarif"))
        #expect(text.contains("<!-- tiergate-report -->") && text.contains("--report markdown=tiergate.md"))
        #expect(text.contains("--report status=tiergate-status.json") && text.contains("/statuses/$STATUS_SHA"))
        // The merge result is judged, on pull requests and in the merge queue.
        #expect(text.contains("--base \"$BASE\" --head HEAD --pr-head \"$PR_HEAD_SHA\""))
        #expect(text.contains("PR_HEAD_SHA: ${{ github.event.pull_request.head.sha }}") && text.contains("MERGE_GROUP_BASE_SHA: ${{ github.event.merge_group.base_sha }}"))
        #expect(text.contains("--members members.json") && text.contains("select(.user.login == \"github-actions[bot]\""))
        // Event data and inputs reach the scripts through env, never spliced into a script.
        let steps = try Self.actionSteps()
        #expect(steps.count >= 8)
        #expect(steps.values.allSatisfy { !$0.contains("${{") }, "a run script expands ${{ }} itself")
    }

    /// The image is not built here (no Docker daemon on the test machines): its recipe is checked instead.
    @Test("the Dockerfile: a build stage that runs ci/release.sh, a runtime stage with only the packages the tarball names")
    func dockerfile() throws {
        let text = try String(contentsOfFile: CLITests.fixture("Dockerfile"), encoding: .utf8)
        let froms = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(froms == ["FROM ${SWIFT_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}"])
        let runtime = try #require(text.components(separatedBy: "FROM ${RUNTIME_IMAGE}").last)
        #expect(text.contains("ci/release.sh") && runtime.contains("COPY --from=build /opt/tiergate /opt/tiergate"))
        // The runtime installs exactly the packages the release names (libgit2, libyaml), nothing else.
        let installs = runtime.components(separatedBy: "apt-get install").dropFirst().map { $0.prefix { $0 != "\\" && $0 != "\n" } }
        #expect(installs == [" -y -qq --no-install-recommends $(cat /opt/tiergate/share/tiergate/runtime-packages) "], "\(installs)")
        #expect(runtime.contains("ENTRYPOINT [\"tiergate\"]") && runtime.contains("WORKDIR /src"))
        let ignored = try String(contentsOfFile: CLITests.fixture(".dockerignore"), encoding: .utf8).split(separator: "\n")
        #expect(Set([".build", ".venv", "dist", ".git"]).isSubset(of: Set(ignored.map(String.init))))
    }

    /// The `run` script of each named step of the action (action.yml), as GitHub reads them (PyYAML).
    static func actionSteps() throws -> [String: String] {
        let script = """
            import sys, json, yaml
            steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
            print(json.dumps({s["name"]: s.get("run", "") for s in steps}))
            """
        let file = CLITests.fixture("action.yml")
        let r = try run(try venv("python"), ["-c", script, file])
        guard r.status == 0, let steps = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String] else {
            throw CLIFailure("cannot read the steps of \(file): \(r.stderr)")
        }
        return steps
    }

    /// A stand-in for the GitHub API: a `curl` on PATH that serves GET pages from files and logs every call.
    struct StubAPI {
        let dir: String
        let bin: String

        init() throws {
            dir = try CIIntegrationTests.tempDir("stub-api")
            bin = dir + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            let curl = """
                #!/usr/bin/env bash
                method=GET; url=""; data=""
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -X) method=$2; shift 2 ;;
                    -d) data=$2; shift 2 ;;
                    -H|--header) shift 2 ;;
                    -*) shift ;;
                    *) url=$1; shift ;;
                  esac
                done
                echo "$method ${url#http://api.invalid/}" >> "\(dir)/calls.log"
                case "$data" in @*) cat "${data#@}" > "\(dir)/last-body" ;; ?*) printf '%s' "$data" > "\(dir)/last-body" ;; esac
                [ "$method" = GET ] || exit 0
                key=$(printf '%s' "${url#http://api.invalid/}" | tr '/?&=' '____')
                if [ -f "\(dir)/$key" ]; then cat "\(dir)/$key"; else echo '[]'; fi

                """
            try Data(curl.utf8).write(to: URL(fileURLWithPath: bin + "/curl"))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/curl")
        }

        /// Serves `json` for a GET of `path` (`repos/o/r/pulls/7/reviews?per_page=100&page=1`).
        func serve(_ path: String, _ json: String) throws {
            let key = path.map { "/?&=".contains($0) ? "_" : String($0) }.joined()
            try Data(json.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(key)"))
        }

        /// The body of the last POST or PATCH, as JSON.
        func lastBody() throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/last-body"))
            guard let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw CLIFailure("the last body is not a JSON object") }
            return body
        }

        var calls: [String] {
            ((try? String(contentsOfFile: dir + "/calls.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    /// Runs one step's script as GitHub does (`bash --noprofile --norc -eo pipefail`) and returns its outputs.
    static func runStep(_ script: String, in dir: String, api: StubAPI, env: [String: String]) throws -> (result: CLIResult, outputs: [String: String]) {
        let file = try tempDir("step") + "/step.sh"
        let outputs = file + ".out"
        try Data(script.utf8).write(to: URL(fileURLWithPath: file))
        FileManager.default.createFile(atPath: outputs, contents: nil)
        var e = [
            "PATH": "\(api.bin):\(binDir):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), "GITHUB_OUTPUT": outputs,
            "GITHUB_API_URL": "http://api.invalid", "GITHUB_REPOSITORY": "o/r", "GH_TOKEN": "t", "GITHUB_EVENT_NAME": "pull_request",
        ]
        for (k, v) in env { e[k] = v }
        let r = try run("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], in: dir, env: e)
        var parsed: [String: String] = [:]
        for line in try String(contentsOfFile: outputs, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { parsed[parts[0]] = parts[1] }
        }
        return (r, parsed)
    }

    /// A repository where a pull request takes app `a` to tier 2 while the target branch moved on, checked out
    /// as GitHub's test merge. Security is the team `@acme/security`.
    static func testMerge() throws -> (dir: String, prHead: String, target: String) {
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC") ?? .current, formatOptions: [.withFullDate])
        let manifest = try CLITests.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")
            .replacingOccurrences(of: "name: minimal", with: "name: a").replacingOccurrences(of: "createdAt: 2026-11-01", with: "createdAt: \(day)")
        let policy = """
            apiVersion: tiergate/v1
            kind: Policy
            groups:
              coe: [cora]
              security: ["@acme/security", sasha]
              privacy: [priya]
              platform: [pat, paul]
              legal: [lee]
              ops: [oz]
              growth: [gina]

            """
        let dir = try CLITests.repository(files: [".tiergate/policy.yaml": policy, "apps/a/microapp.yaml": manifest])
        func git(_ args: [String]) throws -> String {
            let r = try run("git", ["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"] + args, in: dir)
            guard r.status == 0 else { throw CLIFailure("git \(args): \(r.stderr)") }
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git(["checkout", "-q", "-b", "change"])
        try Data(manifest.replacingOccurrences(of: "dataClass: public", with: "dataClass: restricted").utf8).write(to: URL(fileURLWithPath: dir + "/apps/a/microapp.yaml"))
        _ = try git(["commit", "-q", "-am", "a handles restricted data"])
        let prHead = try git(["rev-parse", "HEAD"])
        _ = try git(["checkout", "-q", "main"])
        try FileManager.default.createDirectory(atPath: dir + "/apps/c", withIntermediateDirectories: true)
        try Data(manifest.replacingOccurrences(of: "name: a", with: "name: c").utf8).write(to: URL(fileURLWithPath: dir + "/apps/c/microapp.yaml"))
        _ = try git(["add", "-A"])
        _ = try git(["commit", "-q", "-m", "main moves on"])
        let target = try git(["rev-parse", "HEAD"])
        _ = try git(["checkout", "-q", "--detach", "main"])
        _ = try git(["merge", "-q", "--no-ff", "-m", "Merge the pull request", "change"])
        // What a merge queue would fetch: the pull request's head under refs/pull/.
        _ = try git(["update-ref", "refs/pull/7/head", prHead])
        _ = try git(["remote", "add", "origin", dir])
        return (dir, prHead, target)
    }

    static func review(_ login: String, _ state: String, _ commit: String, _ minute: Int) -> String {
        "{\"user\": {\"login\": \"\(login)\"}, \"state\": \"\(state)\", \"commit_id\": \"\(commit)\", \"submitted_at\": \"2026-11-20T10:\(String(format: "%02d", minute)):00Z\"}"
    }

    @Test("the action's steps, run against a stub API: every page of reviews, the test merge, team members, the status, the bot's own comment")
    func githubWorkflowSteps() throws {
        let steps = try Self.actionSteps()
        func step(_ prefix: String) throws -> String {
            try #require(steps.first { $0.key.hasPrefix(prefix) }?.value, "no step \(prefix)")
        }
        let (dir, prHead, _) = try Self.testMerge()
        let api = try StubAPI()
        // Two full pages of comments-only reviews; the approvals are on the third page.
        let chatter = (0..<100).map { Self.review("bystander\($0)", "COMMENTED", prHead, $0 % 60) }.joined(separator: ",")
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=1", "[\(chatter)]")
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=2", "[\(chatter)]")
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=3", "[" + [Self.review("sam", "APPROVED", prHead, 1), Self.review("priya", "APPROVED", prHead, 2), Self.review("pat", "APPROVED", prHead, 3)].joined(separator: ",") + "]")
        try api.serve("orgs/acme/teams/security/members?per_page=100&page=1", "[{\"login\": \"sam\"}]")

        let pr = ["PR_NUMBER": "7", "PR_HEAD_SHA": prHead, "PR_AUTHOR": "dana"]
        let describe = try Self.runStep(try step("Describe"), in: dir, api: api, env: pr)
        #expect(describe.result.status == 0, "\(describe.result.stderr)")
        #expect(describe.outputs == ["number": "7", "head": prHead, "author": "dana", "base": "HEAD^1", "status-sha": prHead])
        let reviews = try Self.runStep(try step("Fetch every page"), in: dir, api: api, env: ["PR_NUMBER": "7"])
        #expect(reviews.result.status == 0, "\(reviews.result.stderr)")
        let fetched = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/reviews.json"))) as? [Any])
        #expect(fetched.count == 203)
        #expect(api.calls.filter { $0.contains("/reviews?") }.count == 4, "pages 1 to 3, and the empty page 4")

        let gateEnv = ["BASE": "HEAD^1", "PR_HEAD_SHA": prHead, "PR_AUTHOR": "dana"]
        // Without a members token the team matches nobody: security's approval is missing.
        let noMembers = try Self.runStep(try step("Fetch the members"), in: dir, api: api, env: ["MEMBERS_TOKEN": "", "BASE": "HEAD^1"])
        #expect(noMembers.result.status == 0 && !FileManager.default.fileExists(atPath: dir + "/members.json"))
        let missing = try Self.runStep(try step("Gate"), in: dir, api: api, env: gateEnv)
        #expect(missing.outputs["status"] == "3", "\(missing.result.stdout)\(missing.result.stderr)")
        #expect(missing.result.stdout.contains("team @acme/security matches nobody"))
        // The status on the pull request's head: pending, and the job does not fail.
        let status = try step("Post the commit status")
        let statusEnv = ["STATUS_SHA": prHead, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "42"]
        #expect(try Self.runStep(status, in: dir, api: api, env: statusEnv.merging(["EXIT_CODE": "3"]) { $1 }).result.status == 0)
        #expect(api.calls.last == "POST repos/o/r/statuses/\(prHead)")
        #expect(try api.lastBody()["state"] as? String == "pending" && (try api.lastBody()["context"] as? String) == "tiergate")
        #expect(try api.lastBody()["description"] as? String == "1 approval missing: security")
        let decide = try step("Decide")
        for (code, fails) in [("0", false), ("3", false), ("1", true), ("2", true), ("", true)] {
            let r = try Self.runStep(decide, in: dir, api: api, env: ["EXIT_CODE": code])
            #expect((r.result.status != 0) == fails, "exit \(code)")
        }
        // When tiergate could not decide, there is no report: the status is an error that points to the run.
        #expect(try Self.runStep(status, in: dir, api: api, env: statusEnv.merging(["EXIT_CODE": "2"]) { $1 }).result.status == 0)
        #expect(try api.lastBody() as NSDictionary == [
            "state": "error", "context": "tiergate", "description": "tiergate could not decide: see the job log",
            "target_url": "https://github.com/o/r/actions/runs/42",
        ])
        // With it, sam is a member of @acme/security and the merge result passes.
        let members = try Self.runStep(try step("Fetch the members"), in: dir, api: api, env: ["MEMBERS_TOKEN": "m", "BASE": "HEAD^1"])
        #expect(members.result.status == 0, "\(members.result.stderr)")
        #expect(try String(contentsOfFile: dir + "/members.json", encoding: .utf8).contains("\"@acme/security\""))
        let gate = try Self.runStep(try step("Gate"), in: dir, api: api, env: gateEnv)
        #expect(gate.outputs["status"] == "0", "\(gate.result.stdout)\(gate.result.stderr)")
        #expect(try Self.runStep(status, in: dir, api: api, env: statusEnv.merging(["EXIT_CODE": "0"]) { $1 }).result.status == 0)
        #expect(try api.lastBody()["state"] as? String == "success")
        let markdown = try String(contentsOfFile: dir + "/tiergate.md", encoding: .utf8)
        #expect(markdown.contains("<code>a</code>") && !markdown.contains("<code>c</code>"), "only the pull request's change is judged, not the target branch's")

        // Someone else's comment with the marker is left alone; the bot's own is updated, or a new one posted.
        let comment = try step("Post or update")
        try api.serve("repos/o/r/issues/7/comments?per_page=100&page=1", "[{\"id\": 11, \"user\": {\"login\": \"mallory\"}, \"body\": \"<!-- tiergate-report -->\\nall good\"}]")
        #expect(try Self.runStep(comment, in: dir, api: api, env: ["PR_NUMBER": "7"]).result.status == 0)
        #expect(api.calls.last == "POST repos/o/r/issues/7/comments")
        try api.serve("repos/o/r/issues/7/comments?per_page=100&page=2", "[{\"id\": 12, \"user\": {\"login\": \"github-actions[bot]\"}, \"body\": \"<!-- tiergate-report -->\\nold\"}]")
        #expect(try Self.runStep(comment, in: dir, api: api, env: ["PR_NUMBER": "7"]).result.status == 0)
        #expect(api.calls.last == "PATCH repos/o/r/issues/comments/12")
        #expect(!api.calls.contains { $0.contains("comments/11") })
    }

    @Test("the action in a merge queue: the queued pull request's reviews of its head, judged on the queue's commit, the status on it")
    func githubWorkflowMergeGroup() throws {
        let steps = try Self.actionSteps()
        func step(_ prefix: String) throws -> String {
            try #require(steps.first { $0.key.hasPrefix(prefix) }?.value, "no step \(prefix)")
        }
        let (dir, prHead, target) = try Self.testMerge()
        let api = try StubAPI()
        try api.serve("repos/o/r/pulls/7", "{\"head\": {\"sha\": \"\(prHead)\"}, \"user\": {\"login\": \"dana\"}}")
        let event = ["GITHUB_EVENT_NAME": "merge_group", "MERGE_GROUP_HEAD_REF": "refs/heads/gh-readonly-queue/main/pr-7-\(target)", "MERGE_GROUP_BASE_SHA": target]
        let describe = try Self.runStep(try step("Describe"), in: dir, api: api, env: event)
        #expect(describe.result.status == 0, "\(describe.result.stderr)")
        let queueCommit = try Self.run("git", ["rev-parse", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(describe.outputs == ["number": "7", "head": prHead, "author": "dana", "base": target, "status-sha": queueCommit])
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=1", "[" + [Self.review("sasha", "APPROVED", prHead, 1), Self.review("priya", "APPROVED", prHead, 2), Self.review("dana", "APPROVED", prHead, 3)].joined(separator: ",") + "]")
        #expect(try Self.runStep(try step("Fetch every page"), in: dir, api: api, env: ["PR_NUMBER": "7"]).result.status == 0)
        let gateEnv = ["BASE": target, "PR_HEAD_SHA": prHead, "PR_AUTHOR": "dana"]
        let missing = try Self.runStep(try step("Gate"), in: dir, api: api, env: gateEnv)
        #expect(missing.outputs["status"] == "3", "the author's own approval never counts: \(missing.result.stdout)")
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=2", "[" + Self.review("pat", "APPROVED", prHead, 4) + "]")
        #expect(try Self.runStep(try step("Fetch every page"), in: dir, api: api, env: ["PR_NUMBER": "7"]).result.status == 0)
        let gate = try Self.runStep(try step("Gate"), in: dir, api: api, env: gateEnv)
        #expect(gate.outputs["status"] == "0", "\(gate.result.stdout)\(gate.result.stderr)")
        let status = try Self.runStep(try step("Post the commit status"), in: dir, api: api, env: event.merging(["STATUS_SHA": queueCommit, "EXIT_CODE": "0"]) { $1 })
        #expect(status.result.status == 0 && api.calls.last == "POST repos/o/r/statuses/\(queueCommit)")
        #expect(try api.lastBody()["state"] as? String == "success")
        // In the queue no review can arrive: missing approvals fail the entry, in the status and in the job.
        try api.serve("repos/o/r/pulls/7/reviews?per_page=100&page=2", "[]")
        #expect(try Self.runStep(try step("Fetch every page"), in: dir, api: api, env: ["PR_NUMBER": "7"]).result.status == 0)
        let stillMissing = try Self.runStep(try step("Gate"), in: dir, api: api, env: gateEnv)
        #expect(stillMissing.outputs["status"] == "3")
        _ = try Self.runStep(try step("Post the commit status"), in: dir, api: api, env: event.merging(["STATUS_SHA": queueCommit, "EXIT_CODE": "3"]) { $1 })
        let failed = try api.lastBody()
        #expect(failed["state"] as? String == "failure" && (failed["description"] as? String)?.hasSuffix("(approve the pull request, queue it again)") == true, "\(failed)")
        #expect(try Self.runStep(try step("Decide"), in: dir, api: api, env: event.merging(["EXIT_CODE": "3"]) { $1 }).result.status != 0)
        // A queue branch that names no pull request is a failure, never a pass.
        let bad = try Self.runStep(try step("Describe"), in: dir, api: api, env: event.merging(["MERGE_GROUP_HEAD_REF": "refs/heads/main"]) { $1 })
        #expect(bad.result.status != 0)
    }

    @Test("the GitLab job validates as GitLab CI and reports code quality and JUnit")
    func gitlabJob() throws {
        let file = CLITests.fixture("ci/gitlab/tiergate.gitlab-ci.yml")
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--builtin-schema", "vendor.gitlab-ci", file])
        #expect(v.status == 0, "\(v.stdout)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("base=\"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"") && text.contains("--base \"$base\""))
        #expect(text.contains("merged_result|merge_train) base=\"$CI_COMMIT_SHA^1\""))
        #expect(text.contains("codequality: gl-code-quality-report.json") && text.contains("junit: tiergate-junit.xml"))
        #expect(text.contains("GIT_DEPTH: \"0\""))
        // The author comes from the merge request, not from whoever started the pipeline.
        #expect(text.contains("$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID") && text.contains(".author.username"))
        #expect(!text.contains("--author \"$GITLAB_USER_LOGIN\""))
    }

    @Test("the GitLab job's script, run against a stub API: the merge request's author and approvals are passed")
    func gitlabJobScript() throws {
        let script = """
            import sys, json, yaml
            print(json.dumps(yaml.safe_load(open(sys.argv[1]))["tiergate"]["script"]))
            """
        let r = try Self.run(try Self.venv("python"), ["-c", script, CLITests.fixture("ci/gitlab/tiergate.gitlab-ci.yml")])
        let lines = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String], "\(r.stderr)")
        let api = try StubAPI()
        try api.serve("api/v4/projects/5/merge_requests/9", "{\"author\": {\"username\": \"dana\"}}")
        try api.serve("api/v4/projects/5/merge_requests/9/approvals", "{\"approved_by\": [{\"user\": {\"username\": \"dana\"}}]}")
        // A stand-in tiergate that records its arguments.
        try Data("#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \(api.dir)/args\n".utf8).write(to: URL(fileURLWithPath: api.bin + "/tiergate"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: api.bin + "/tiergate")
        let work = try Self.tempDir("gitlab-job")
        let env = [
            "PATH": "\(api.bin):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), "CI_API_V4_URL": "http://api.invalid/api/v4",
            "CI_PROJECT_ID": "5", "CI_MERGE_REQUEST_IID": "9", "TIERGATE_GITLAB_TOKEN": "t", "GITLAB_USER_LOGIN": "pipeline-starter",
            "CI_MERGE_REQUEST_DIFF_BASE_SHA": "base", "CI_COMMIT_SHA": "head",
        ]
        func args(_ extra: [String: String]) throws -> [String] {
            let job = try Self.run("bash", ["-c", lines.joined(separator: "\n")], in: work, env: env.merging(extra) { $1 })
            #expect(job.status == 0, "\(job.stderr)")
            return try String(contentsOfFile: api.dir + "/args", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let plain = try args([:])
        #expect(plain.starts(with: ["check", "--base", "base", "--head", "head", "--author", "dana", "--approvals", "approvals.json"]))
        #expect(try String(contentsOfFile: work + "/approvals.json", encoding: .utf8).contains("approved_by"))
        #expect(try args(["CI_MERGE_REQUEST_EVENT_TYPE": "merged_result"]).starts(with: ["check", "--base", "head^1"]))
        // Without a token nothing counts, and no author is guessed.
        let tokenless = try args(["TIERGATE_GITLAB_TOKEN": ""])
        #expect(!tokenless.contains("--author") && !tokenless.contains("--approvals"))
    }

    @Test("the README's Use in CI snippets validate")
    func readmeSnippets() throws {
        let readme = try String(contentsOfFile: CLITests.fixture("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Use in CI\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let blocks = section.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "\n```").first ?? "" }
        #expect(blocks.count >= 3)
        // The section leads with the three-line use of the action.
        let lead = try #require(blocks.first).split(separator: "\n").suffix(3).map(String.init)
        #expect(lead == ["      - uses: actions/checkout@v4", "        with: {fetch-depth: 0}", "      - uses: tiergate/tiergate@v\(TiergateVersion.current)"])
        #expect(section.range(of: "```yaml\n")?.lowerBound == section.range(of: "```")?.lowerBound, "no other block before it")
        let dir = try Self.tempDir("snippets")
        var kinds: [String] = []
        for (i, block) in blocks.enumerated() {
            let file = "\(dir)/snippet-\(i).yaml"
            try Data(block.utf8).write(to: URL(fileURLWithPath: file))
            if block.contains("\non:") || block.hasPrefix("on:") || block.contains("\njobs:") {
                let v = try Self.run(try Self.venv("check-jsonschema"), ["--builtin-schema", "vendor.github-workflows", file])
                #expect(v.status == 0, "README GitHub snippet: \(v.stdout)")
                kinds.append("github")
            } else if block.contains("repos:") {
                let v = try Self.run(try Self.venv("pre-commit"), ["validate-config", file])
                #expect(v.status == 0, "README pre-commit snippet: \(v.stdout)\(v.stderr)")
                kinds.append("pre-commit")
            } else {
                let v = try Self.run(try Self.venv("check-jsonschema"), ["--builtin-schema", "vendor.gitlab-ci", file])
                #expect(v.status == 0, "README GitLab snippet: \(v.stdout)")
                kinds.append("gitlab")
            }
        }
        #expect(Set(kinds) == ["github", "gitlab", "pre-commit"])
    }

    @Test("the real pre-commit framework runs the hooks: a bad manifest is stopped at commit time, a good one goes through")
    func preCommit() throws {
        let preCommit = try Self.venv("pre-commit")
        let (hooks, rev) = try Self.hookRepository()

        let good = try CLITests.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")
        let config = "repos:\n  - repo: \(hooks)\n    rev: \(rev)\n    hooks:\n      - id: tiergate-lint\n      - id: tiergate-check-staged\n"
        let project = try CLITests.repository(files: [".pre-commit-config.yaml": config, "apps/ok/microapp.yaml": good])
        let env = [
            "PATH": "\(Self.binDir):\(URL(fileURLWithPath: preCommit).deletingLastPathComponent().path):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
            "PRE_COMMIT_HOME": try Self.tempDir("pre-commit-home"), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        ]
        let install = try Self.run(preCommit, ["install"], in: project, env: env)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        // A bad manifest: the commit is refused.
        let bad = try CLITests.fixtureText("fixtures/manifests/invalid/bad-data-class.microapp.yaml")
        try Data(bad.utf8).write(to: URL(fileURLWithPath: project + "/apps/bad/microapp.yaml").deletingLastPathComponent().appendingPathComponent("microapp.yaml").createDirectoryForWrite())
        _ = try Self.run("git", ["add", "-A"], in: project, env: env)
        let refused = try Self.run("git", ["commit", "-m", "bad"], in: project, env: env)
        #expect(refused.status != 0, "the commit went through: \(refused.stdout)")
        #expect((refused.stdout + refused.stderr).contains("spec.dataClass is 'secret'"), "\(refused.stdout)\(refused.stderr)")
        #expect(try Self.run("git", ["rev-list", "--count", "HEAD"], in: project).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")

        // Fixed: the commit goes through.
        try Data(good.replacingOccurrences(of: "name: minimal", with: "name: fixed").utf8).write(to: URL(fileURLWithPath: project + "/apps/bad/microapp.yaml"))
        _ = try Self.run("git", ["add", "-A"], in: project, env: env)
        let accepted = try Self.run("git", ["commit", "-m", "good"], in: project, env: env)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect((accepted.stdout + accepted.stderr).contains("tiergate lint") && (accepted.stdout + accepted.stderr).contains("Passed"))
    }

    /// A copy of this repository's hook definitions, committed, as pre-commit fetches them: its path and commit.
    static func hookRepository() throws -> (path: String, rev: String) {
        let hooks = try tempDir("hooks")
        try FileManager.default.copyItem(atPath: CLITests.fixture(".pre-commit-hooks.yaml"), toPath: hooks + "/.pre-commit-hooks.yaml")
        try CLITests.git(["init", "-q", "-b", "main"], in: hooks)
        try CLITests.git(["add", "-A"], in: hooks)
        try CLITests.git(["commit", "-q", "-m", "hooks"], in: hooks)
        return (hooks, try run("git", ["rev-parse", "HEAD"], in: hooks).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("init writes a starter policy that validates, and a pre-commit hook that gates the staged change")
    func initCommand() throws {
        let project = try CLITests.repository(files: ["apps/ok/microapp.yaml": try CLITests.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")])
        let r = try CLITests.tiergate(["init"], in: project)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLITests.tiergate(["init", "--hook"], in: project).status == 0)
        let policy = try String(contentsOfFile: project + "/.tiergate/policy.yaml", encoding: .utf8)
        #expect(policy.hasPrefix("# tiergate policy:"))
        let v = try Self.run(try Self.venv("check-jsonschema"), ["--schemafile", CLITests.fixture("schemas/policy.schema.json"), project + "/.tiergate/policy.yaml"])
        #expect(v.status == 0, "\(v.stdout)")
        let hook = project + "/.git/hooks/pre-commit"
        #expect(FileManager.default.isExecutableFile(atPath: hook))
        let env = ["PATH": "\(Self.binDir):" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"]
        try Data(try CLITests.fixtureText("fixtures/manifests/invalid/negative-cost.microapp.yaml").utf8).write(to: URL(fileURLWithPath: project + "/apps/ok/microapp.yaml"))
        _ = try Self.run("git", ["add", "-A"], in: project, env: env)
        let refused = try Self.run("git", ["commit", "-m", "bad"], in: project, env: env)
        #expect(refused.status != 0)
        #expect((refused.stdout + refused.stderr).contains("monthlyCapUSD is negative"), "\(refused.stdout)\(refused.stderr)")
    }
}

extension URL {
    /// Creates the parent directory and returns the URL, for writing a new file.
    func createDirectoryForWrite() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}

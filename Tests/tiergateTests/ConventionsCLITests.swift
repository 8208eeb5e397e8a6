import Foundation
import Testing

/// The command line's conventions, through the binary: the status format, colour, quiet, mentions, one-line
/// usage errors, and the github format's annotation limit.
@Suite("command-line conventions and the status format")
struct ConventionsCLITests {
    /// The demo's check with a fixed day: blocked by a secret, approvals missing.
    static func demo() throws -> (dir: String, args: [String]) { try CIIntegrationTests.demo() }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("--format status: failure when blocked (exit 1), pending while approvals are missing (exit 3), success once they are given or not checked (exit 0)")
    func statusFormat() throws {
        let (dir, args) = try Self.demo()
        let blocked = try CLITests.tiergate(args + ["--format", "status"], in: dir)
        #expect(blocked.status == 1)
        let b = try Self.json(blocked.stdout)
        #expect(b["state"] as? String == "failure" && b["context"] as? String == "tiergate")
        #expect(b["description"] as? String == "blocked by 2 findings: secret-literal, secret-ref-scheme")

        let pending = try CLITests.tiergate(args + ["--fail-on", "never", "--format", "status"], in: dir)
        #expect(pending.status == 3)
        #expect(try Self.json(pending.stdout)["state"] as? String == "pending")
        #expect(try Self.json(pending.stdout)["description"] as? String == "4 approvals missing: people-ops, security, privacy, platform")

        let approvers = ["--approved-by", "sam", "--approved-by", "priya", "--approved-by", "pat", "--approved-by", "pete"]
        let passing = try CLITests.tiergate(args + approvers + ["--fail-on", "never", "--format", "status"], in: dir)
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(try Self.json(passing.stdout)["state"] as? String == "success")

        // As an extra report, with the run as its target in GitHub Actions.
        let file = try CIIntegrationTests.tempDir("status") + "/status.json"
        let env = ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/apps", "GITHUB_RUN_ID": "42"]
        let extra = try CLITests.tiergate(args + ["--fail-on", "never", "--report", "status=\(file)"], in: dir, env: env)
        #expect(extra.status == 3)
        let body = try Self.json(try String(contentsOfFile: file, encoding: .utf8))
        #expect(body["state"] as? String == "pending" && body["target_url"] as? String == "https://github.com/acme/apps/actions/runs/42")
        #expect(((body["description"] as? String)?.utf16.count ?? 999) <= 140)
    }

    /// Runs the binary on a pseudo-terminal (`script`), as a person at a terminal would.
    static func onTerminal(_ args: [String], in dir: String, env: [String: String] = [:]) throws -> CLIResult {
        let command = ([CLITests.binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try CIIntegrationTests.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], in: dir, env: env)
    }

    @Test("--color: auto colours a terminal unless NO_COLOR is set; always and never say so; a pipe gets no colour")
    func color() throws {
        let (dir, args) = try Self.demo()
        let escape = "\u{1B}["
        let noColorUnset = ["NO_COLOR": "", "TERM": "xterm"]
        #expect(try Self.onTerminal(args, in: dir, env: noColorUnset).stdout.contains(escape), "auto on a terminal")
        #expect(!(try Self.onTerminal(args, in: dir, env: ["NO_COLOR": "1", "TERM": "xterm"]).stdout.contains(escape)), "NO_COLOR")
        #expect(!(try Self.onTerminal(args + ["--color", "never"], in: dir, env: noColorUnset).stdout.contains(escape)))
        #expect(try Self.onTerminal(args + ["--color", "always"], in: dir, env: ["NO_COLOR": "1", "TERM": "xterm"]).stdout.contains(escape), "always overrides NO_COLOR")
        #expect(!(try CLITests.tiergate(args, in: dir, env: noColorUnset).stdout.contains(escape)), "a pipe")
        #expect(!(try CLITests.tiergate(args + ["--color", "auto"], in: dir, env: noColorUnset).stdout.contains(escape)), "auto in a pipe")
        let always = try CLITests.tiergate(args + ["--color", "always"], in: dir)
        #expect(always.stdout.contains("\u{1B}[31mBLOCKED\u{1B}[0m"))
        // Colour is for the text report on the terminal only: never in --report files.
        let file = try CIIntegrationTests.tempDir("color") + "/report.txt"
        _ = try CLITests.tiergate(args + ["--color", "always", "--report", "text=\(file)"], in: dir)
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains(escape))
        #expect(try CLITests.tiergate(args + ["--color", "blue"], in: dir).status == 2)
        // The demo's report follows the same rule.
        let demoDir = try CIIntegrationTests.tempDir("color-demo")
        #expect(try Self.onTerminal(["demo", "--directory", demoDir], in: demoDir, env: noColorUnset).stdout.contains(escape))
        #expect(!(try Self.onTerminal(["demo", "--directory", demoDir], in: demoDir, env: ["NO_COLOR": "1", "TERM": "xterm"]).stdout.contains(escape)))
    }

    @Test("--quiet writes only the decision line, keeps the exit status and the --report files, and takes no other --format")
    func quiet() throws {
        let (dir, args) = try Self.demo()
        let file = try CIIntegrationTests.tempDir("quiet") + "/report.json"
        let r = try CLITests.tiergate(args + ["--quiet", "--report", "json=\(file)"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout == "tiergate check: BLOCKED — 3 apps changed, 2 errors, 1 warning, 0 infos; 4 approvals missing\n")
        #expect(try Self.json(try String(contentsOfFile: file, encoding: .utf8))["decision"] as? String == "blocked")
        let lint = try CLITests.tiergate(["lint", "--quiet", CLITests.fixture("fixtures/manifests/valid/minimal.microapp.yaml")])
        #expect(lint.status == 0 && lint.stdout == "tiergate lint: PASS — 1 app, 0 errors, 1 warning, 0 infos\n")
        let json = try CLITests.tiergate(args + ["--quiet", "--format", "json"], in: dir)
        #expect(json.status == 2 && json.stdout.isEmpty)
        #expect(json.stderr == "tiergate check: --quiet writes only the decision line of the text report; it does not take --format json (use --report json=FILE) (tiergate check --help)\n")
    }

    @Test("--mention: the markdown @-mentions the people who can approve; without it nobody is mentioned")
    func mention() throws {
        let (dir, args) = try Self.demo()
        let plain = try CLITests.tiergate(args + ["--format", "markdown"], in: dir)
        let mentioned = try CLITests.tiergate(args + ["--format", "markdown", "--mention"], in: dir)
        #expect(plain.status == 1 && mentioned.status == 1)
        #expect(plain.stdout.contains("- **privacy**: 1 of 1 missing · can approve: priya ·"))
        #expect(mentioned.stdout.contains("- **privacy**: 1 of 1 missing · can approve: @priya ·"))
        #expect(try HostileOutputTests.audit(plain.stdout)["mentions"] == [])
        #expect(Set(try HostileOutputTests.audit(mentioned.stdout)["mentions"] ?? []) == ["@pete", "@sam", "@sasha", "@priya", "@pat", "@paul", "@cora"])
    }

    @Test("a usage error is one line on stderr, says what would work, and exits 2", arguments: [
        (["chek"], "tiergate: unknown command 'chek'; did you mean 'check'? (tiergate --help)"),
        (["inventroy"], "tiergate: unknown command 'inventroy'; did you mean 'inventory'? (tiergate --help)"),
        (["policy", "shwo"], "tiergate policy: unknown command 'shwo'; did you mean 'show'? (tiergate policy --help)"),
        (["check", "--formt", "json"], "tiergate check: unknown option '--formt'; did you mean '--format'? (tiergate check --help)"),
        (["lint", "--fail-onn", "error"], "tiergate lint: unknown option '--fail-onn'; did you mean '--fail-on'? (tiergate lint --help)"),
        (["check", "--format", "xml"], "tiergate check: the value 'xml' is invalid for '--format <format>'. Please provide one of the following: text, markdown, json, sarif, junit, github, gitlab, status (tiergate check --help)"),
        (["frobnicate"], "tiergate: unknown command 'frobnicate' (tiergate --help)"),
    ])
    func usageErrors(_ args: [String], _ expected: String) throws {
        let r = try CLITests.tiergate(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == expected + "\n")
    }

    @Test("the github format annotates at most 10 of each kind per step; the rest are counted and listed in the step summary")
    func githubAnnotationLimit() throws {
        let invalid = try FileManager.default.contentsOfDirectory(atPath: CLITests.fixture("fixtures/manifests/invalid")).sorted()
            .map { CLITests.fixture("fixtures/manifests/invalid/\($0)") }
        let dir = try CIIntegrationTests.tempDir("annotations")
        let summary = dir + "/summary.md"
        let r = try CLITests.tiergate(["lint", "--format", "github", "--report", "json=\(dir)/report.json"] + invalid, env: ["GITHUB_STEP_SUMMARY": summary])
        #expect(r.status == 1)
        let report = try Self.json(try String(contentsOfFile: dir + "/report.json", encoding: .utf8))
        let errors = try #require((report["summary"] as? [String: Any])?["errors"] as? Int)
        #expect(errors > 10, "the fixtures give \(errors) errors")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for kind in ["error", "warning", "notice"] {
            #expect(lines.filter { $0.hasPrefix("::\(kind) ") }.count <= 10, "\(kind)")
        }
        let errorLines = lines.filter { $0.hasPrefix("::error ") }
        #expect(errorLines.count == 10)
        let more = try #require(errorLines.last)
        #expect(more == "::error title=tiergate::\(errors - 9) more errors not annotated (GitHub shows 10 per step): see the job summary")
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.contains("**Not annotated** (GitHub shows 10 annotations of each kind per step): \(errors - 9)\n"))
        #expect(written.components(separatedBy: "\n- 🔴 error ").count - 1 >= errors - 9)
        // A change with few findings is annotated whole and adds nothing to the summary.
        let (demoDir, args) = try Self.demo()
        let small = try CLITests.tiergate(args + ["--format", "github"], in: demoDir, env: ["GITHUB_STEP_SUMMARY": dir + "/small.md"])
        #expect(!small.stdout.contains("not annotated"))
        #expect(!(try String(contentsOfFile: dir + "/small.md", encoding: .utf8)).contains("Not annotated"))
    }
}

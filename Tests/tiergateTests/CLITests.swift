import Foundation
import Testing

/// End-to-end: runs the built `tiergate` binary and checks exit codes and outputs.
@Suite("tiergate command line", .temporaryDirectories)
struct CLITests {
    /// The binary sits next to the test runner in the build directory.
    static var binary: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("tiergate").path
    }

    static func tiergate(_ args: [String], in dir: String? = nil, env: [String: String] = [:]) throws -> ProcessResult {
        try run(binary, args, in: dir, environment: env)
    }

    static func git(_ args: [String], in dir: String) throws {
        let r = try run("git", ["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"] + args, in: dir)
        guard r.status == 0 else { throw TestFailure("git \(args) failed: \(r.stderr)") }
    }

    static func repository(files: [String: String]) throws -> String {
        let dir = try makeTemporaryDirectory("cli")
        try git(["init", "-q", "-b", "main"], in: dir)
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try git(["add", "-A"], in: dir)
        try git(["commit", "-q", "-m", "init"], in: dir)
        return dir
    }

    @Test("--version prints the version and exits 0")
    func version() throws {
        let r = try Self.tiergate(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    /// The executable's stand-in for mbedTLS's CA-file parser (Sources/CNoCABundle). The dynamic linker's own trace
    /// says which libraries libgit2 loaded, and which definition every reference to the parser bound to.
    @Test("the CA-bundle parse: an mbedTLS libgit2 binds it to tiergate's stand-in, any other never calls it; the run works")
    func caBundleParse() throws {
        let repo = try Self.repository(files: ["apps/a/microapp.yaml": try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")])
        // The trace is long: it goes to files (LD_DEBUG_OUTPUT adds the process id), not through a pipe.
        let traceDir = try makeTemporaryDirectory("ld-trace")
        let r = try Self.tiergate(
            ["lint", "--rev", "HEAD"], in: repo, env: ["LD_DEBUG": "files,bindings", "LD_DEBUG_OUTPUT": traceDir + "/trace"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let lines = try FileManager.default.contentsOfDirectory(atPath: traceDir)
            .map { try String(contentsOfFile: traceDir + "/" + $0, encoding: .utf8) }.joined().split(separator: "\n")
        // `file=libmbedtls.so.14 [0];  needed by /lib/…/libgit2.so.1.5 [0]`, or `dynamically loaded by` for a dlopen.
        let loads = lines.compactMap { $0.firstMatch(of: #/file=(\S+) \[\d+\];\s+(?:needed|dynamically loaded) by (\S+) \[\d+\]/#) }
            .map { (file: String($0.output.1), by: URL(fileURLWithPath: String($0.output.2)).lastPathComponent) }
        #expect(loads.contains { $0.file.hasPrefix("libgit2.so") && $0.by == "tiergate" }, "the trace does not show tiergate loading libgit2")
        let loadedByLibgit2 = loads.filter { $0.by.hasPrefix("libgit2.so") }.map(\.file)
        let bindings = lines.filter { $0.contains("`mbedtls_x509_crt_parse_file'") }
        if loadedByLibgit2.contains(where: { $0.hasPrefix("libmbedx509") }) {
            // libgit2 is built with mbedTLS (Debian's is): its reference, and mbedTLS's own, land in tiergate.
            #expect(bindings.contains { $0.contains("binding file ") && $0.contains("/libgit2.so") }, "\(bindings)")
            #expect(bindings.allSatisfy { $0.contains("to \(Self.binary) [0]") }, "\(bindings)")
        } else {
            // OpenSSL or no TLS at all: nothing in the process refers to mbedTLS's parser, so the stand-in is inert.
            #expect(bindings.isEmpty, "libgit2 loaded \(loadedByLibgit2), yet: \(bindings)")
        }
    }

    @Test("exit 0: valid manifests pass")
    func passes() throws {
        let r = try Self.tiergate(["lint", Project.path("fixtures/manifests/valid/minimal.microapp.yaml")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("tiergate lint: PASS"))
    }

    @Test("exit 1: an error finding blocks, and the text report names file:line:col")
    func blocks() throws {
        let r = try Self.tiergate(["lint", Project.path("fixtures/manifests/invalid/bad-data-class.microapp.yaml")])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("tiergate lint: BLOCKED"))
        #expect(r.stdout.contains("bad-data-class.microapp.yaml:7:14: error"))
    }

    @Test("--fail-on: warning blocks on a warning, never passes an error")
    func failOn() throws {
        let text = try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")
            .replacingOccurrences(of: "owner: ops", with: "owner: ops\n  team: x")
        let dir = try Self.repository(files: ["microapp.yaml": text])
        let plain = try Self.tiergate(["lint", "microapp.yaml"], in: dir)
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(plain.stdout.contains("unknown-field"))
        #expect(try Self.tiergate(["lint", "--fail-on", "warning", "microapp.yaml"], in: dir).status == 1)
        let bad = Project.path("fixtures/manifests/invalid/bad-data-class.microapp.yaml")
        #expect(try Self.tiergate(["lint", "--fail-on", "never", bad]).status == 0)
    }

    @Test("exit 2: usage errors, not swift-argument-parser's 64", arguments: [
        ["lint", "--format", "yaml"], ["lint", "--no-such-flag"], ["lint", "--fail-on", "sometimes"],
        ["lint", "--today", "2026-13-40"], ["lint", "--report", "nonsense"], ["schema", "nothing"], ["frobnicate"],
    ])
    func usage(_ args: [String]) throws {
        let r = try Self.tiergate(args)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test("exit 2: outside a repository, an unknown revision, an unreadable path, one line with the fix")
    func toolFailures() throws {
        let empty = try makeTemporaryDirectory("empty")
        let outside = try Self.tiergate(["lint"], in: empty)
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("--repo"))
        #expect(outside.stderr.split(separator: "\n").count == 1)
        let dir = try Self.repository(files: ["microapp.yaml": try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")])
        let unknown = try Self.tiergate(["lint", "--rev", "nope"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision 'nope'"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let missing = try Self.tiergate(["lint", "does-not-exist.yaml"], in: dir)
        #expect(missing.status == 2)
    }

    @Test("exit 2 before any work when a report file cannot be written")
    func unwritableReport() throws {
        let r = try Self.tiergate(["lint", "--report", "json=/no/such/dir/r.json", Project.path("fixtures/manifests/valid/minimal.microapp.yaml")])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
    }

    @Test("--format json --output FILE and --report write the same evaluation; the JSON validates against the schema")
    func jsonReport() throws {
        let out = try makeTemporaryDirectory("out")
        let files = try FileManager.default.contentsOfDirectory(atPath: Project.path("fixtures/manifests/invalid")).sorted()
            .map { Project.path("fixtures/manifests/invalid/\($0)") }
        let r = try Self.tiergate(["lint", "--format", "json", "--output", out + "/main.json", "--report", "text=\(out)/r.txt"] + files)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/main.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["command"] as? String == "lint")
        #expect(json["decision"] as? String == "blocked")
        #expect(json["exitCode"] as? Int == 1)
        #expect(json["base"] == nil && json["approvals"] == nil)
        let apps = try #require(json["apps"] as? [[String: Any]])
        #expect(apps.count >= 10)
        #expect(apps.allSatisfy { $0.keys.sorted() == ["findings", "name", "path", "tier"] })
        let text = try String(contentsOfFile: out + "/r.txt", encoding: .utf8)
        #expect(text.hasPrefix("tiergate lint: BLOCKED"))
        let v = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/report.schema.json"), out + "/main.json"])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test("lint of a revision with no PATH reads the repository")
    func lintRevision() throws {
        let dir = try Self.repository(files: [
            "apps/a/microapp.yaml": try Project.text("fixtures/manifests/valid/minimal.microapp.yaml"),
            "apps/b/microapp.yaml": try Project.text("fixtures/manifests/invalid/bad-data-class.microapp.yaml"),
        ])
        let r = try Self.tiergate(["lint", "--format", "json"], in: dir + "/apps")
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"path\": \"apps/b/microapp.yaml\""))
    }

    /// Only root can give a directory away: as root the test hands a folder to another user; as anyone else it points
    /// the repository's work tree at `/`, which root owns. libgit2 checks the work tree and the git directory alike,
    /// and compares `safe.directory` with the work tree's top: the hint must name that folder, not where tiergate
    /// started (a subdirectory, or `--repo` naming the git directory).
    @Test("a repository owned by another user: exit 2 naming the folder safe.directory must list, then works once it is")
    func otherOwner() throws {
        struct Arrangement { var arguments: [String]; var cwd: String; var foreign: String; var file: String }
        func repository() throws -> String {
            try Self.repository(files: ["apps/a/microapp.yaml": try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")])
        }
        var arrangements: [Arrangement] = []
        if getuid() == 0 {
            // The whole repository is someone else's; tiergate starts in a subdirectory.
            let owned = try repository()
            guard chown(owned, 4242, 4242) == 0 else { throw TestFailure("chown \(owned): errno \(errno)") }
            arrangements.append(Arrangement(arguments: ["lint"], cwd: owned + "/apps", foreign: owned, file: "a/microapp.yaml"))
            // Only the work tree `core.worktree` names is someone else's; `--repo` names the git directory.
            let dir = try repository()
            let elsewhere = try makeTemporaryDirectory("elsewhere")
            guard chown(elsewhere, 4242, 4242) == 0 else { throw TestFailure("chown \(elsewhere): errno \(errno)") }
            try Self.git(["config", "core.worktree", elsewhere], in: dir)
            arrangements.append(Arrangement(arguments: ["lint", "--repo", dir + "/.git"], cwd: dir, foreign: elsewhere, file: "apps/a/microapp.yaml"))
        } else {
            let dir = try repository()
            try Self.git(["config", "core.worktree", "/"], in: dir)
            arrangements.append(Arrangement(arguments: ["lint", "--repo", dir + "/.git"], cwd: dir, foreign: "/", file: "apps/a/microapp.yaml"))
        }
        for a in arrangements {
            let home = try makeTemporaryDirectory("home")
            let env = ["HOME": home, "XDG_CONFIG_HOME": home]
            let refused = try Self.tiergate(a.arguments, in: a.cwd, env: env)
            #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("git config --global --add safe.directory '\(a.foreign)'"), "\(refused.stderr)")
            // A working-tree file inside it: the repository's policy judges it, so it cannot be read is exit 2, not the
            // built-in policy instead.
            let file = try Self.tiergate(["lint", a.file], in: a.cwd, env: env)
            #expect(file.status == 2 && file.stderr.contains("safe.directory"), "\(file.stdout)\(file.stderr)")
            try Data("[safe]\n\tdirectory = \(a.foreign)\n".utf8).write(to: URL(fileURLWithPath: home + "/.gitconfig"))
            let allowed = try Self.tiergate(a.arguments, in: a.cwd, env: env)
            #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
            #expect(allowed.stdout.hasPrefix("tiergate lint: PASS"))
        }
    }

    @Test("schema manifest prints schemas/microapp.schema.json")
    func schema() throws {
        let r = try Self.tiergate(["schema", "manifest"])
        #expect(r.status == 0)
        #expect(r.stdout == (try Project.text("schemas/microapp.schema.json")))
    }

    @Test("check exit codes through the binary: 3 for missing approvals, 0 once given or ignored, 2 for a bad approvals file")
    func checkExitCodes() throws {
        let policy = "apiVersion: tiergate/v1\nkind: Policy\ngroups: {coe: [cora], security: [sam], privacy: [priya], platform: [pat], legal: [lee], ops: [oz]}\n"
        let base = try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")
        let dir = try Self.repository(files: [".tiergate/policy.yaml": policy, "apps/a/microapp.yaml": base])
        try Self.git(["checkout", "-q", "-b", "change"], in: dir)
        try Data(base.replacingOccurrences(of: "dataClass: public", with: "dataClass: restricted").utf8)
            .write(to: URL(fileURLWithPath: dir + "/apps/a/microapp.yaml"))
        try Self.git(["commit", "-q", "-am", "escalate"], in: dir)
        let missing = try Self.tiergate(["check", "--base", "main", "--today", "2026-11-22"], in: dir)
        #expect(missing.status == 3, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stdout.hasPrefix("tiergate check: APPROVAL REQUIRED"))
        let approved = try Self.tiergate(
            ["check", "--base", "main", "--today", "2026-11-22", "--approved-by", "sam", "--approved-by", "priya", "--approved-by", "pat"], in: dir)
        #expect(approved.status == 0, "\(approved.stdout)")
        #expect(try Self.tiergate(["check", "--base", "main", "--today", "2026-11-22", "--ignore-approvals"], in: dir).status == 0)
        let bad = try makeTemporaryDirectory("approvals") + "/approvals.json"
        try Data("{\"not\": \"reviews\"}".utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try Self.tiergate(["check", "--base", "main", "--approvals", bad], in: dir)
        #expect(refused.status == 2 && refused.stderr.contains("neither GitHub reviews nor GitLab approvals"))
        #expect(try Self.tiergate(["check", "--staged", "--base", "main"], in: dir).status == 2, "--staged takes no --base")
        #expect(try Self.tiergate(["check", "--base", "nope"], in: dir).status == 2)
    }

    @Test("demo works from any directory and shows the gate at work")
    func demo() throws {
        // Without --directory the demo goes to the system's temporary directory: here one the test removes.
        let tmp = try makeTemporaryDirectory("demo-tmp")
        let r = try Self.tiergate(["demo"], in: "/", env: ["TMPDIR": tmp])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).count { $0.hasPrefix("tiergate-demo-") } == 1)
        #expect(r.stdout.contains("tiergate check: BLOCKED"))
        #expect(r.stdout.contains("where2eat: modified, tier 0 -> 2 (escalated)"))
        #expect(r.stdout.contains("owner change: people-ops accepts expense-bot from finance"))
        #expect(r.stdout.contains("[secret-literal]"))
        #expect(r.stdout.contains("not counted: dana (author"))
        #expect(!r.stdout.contains("ghp_TiErGaTe"), "the demo's pasted token must not be shown")
    }
}

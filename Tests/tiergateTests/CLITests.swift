import Foundation
import Testing

/// End-to-end: runs the built `tiergate` binary and checks exit codes and outputs.
@Suite("tiergate command line")
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary sits next to the test runner in the build directory.
    static var binary: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: runner).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("tiergate").path
    }

    static func tiergate(_ args: [String], in dir: String? = nil, env: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        if let dir { process.currentDirectoryURL = URL(fileURLWithPath: dir) }
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func git(_ args: [String], in dir: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIFailure("git \(args) failed") }
    }

    static func fixture(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func repository(files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
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

    static func fixtureText(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(relative)), as: UTF8.self)
    }

    @Test("--version prints the version and exits 0")
    func version() throws {
        let r = try Self.tiergate(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    /// The executable's stand-in for mbedTLS's CA-file parser (Sources/CNoCABundle) must be the one libgit2's
    /// initialisation binds to; the dynamic linker's own trace says which definition it picked.
    @Test("an mbedTLS libgit2 binds its CA-bundle parse to tiergate's stand-in, and the run still works")
    func caBundleParseIsSkipped() throws {
        let repo = try Self.repository(files: ["apps/a/microapp.yaml": try String(contentsOfFile: Self.fixture("fixtures/manifests/valid/minimal.microapp.yaml"), encoding: .utf8)])
        // The trace is long: it goes to files (LD_DEBUG_OUTPUT adds the process id), not through a pipe.
        let traceDir = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-ld-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: traceDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: traceDir) }
        let r = try Self.tiergate(
            ["lint", "--rev", "HEAD"], in: repo,
            env: ["LD_DEBUG": "bindings", "LD_DEBUG_OUTPUT": traceDir.appendingPathComponent("trace").path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let traces = try FileManager.default.contentsOfDirectory(atPath: traceDir.path)
        #expect(!traces.isEmpty, "the dynamic linker wrote no trace")
        let trace = try traces.map { try String(contentsOfFile: traceDir.appendingPathComponent($0).path, encoding: .utf8) }.joined()
        let bindings = trace.split(separator: "\n").filter { $0.contains("`mbedtls_x509_crt_parse_file'") }
        if trace.contains("libmbedx509") {
            // libgit2 is built with mbedTLS (Debian's is): its reference, and mbedTLS's own, land in tiergate.
            #expect(bindings.contains { $0.contains("libgit2") }, "\(bindings)")
            #expect(bindings.allSatisfy { $0.contains("to \(Self.binary) [0]") }, "\(bindings)")
        } else {
            #expect(bindings.isEmpty, "\(bindings)")
        }
    }

    @Test("exit 0: valid manifests pass")
    func passes() throws {
        let r = try Self.tiergate(["lint", Self.fixture("fixtures/manifests/valid/minimal.microapp.yaml")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("tiergate lint: PASS"))
    }

    @Test("exit 1: an error finding blocks, and the text report names file:line:col")
    func blocks() throws {
        let r = try Self.tiergate(["lint", Self.fixture("fixtures/manifests/invalid/bad-data-class.microapp.yaml")])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("tiergate lint: BLOCKED"))
        #expect(r.stdout.contains("bad-data-class.microapp.yaml:7:14: error"))
    }

    @Test("--fail-on: warning blocks on a warning, never passes an error")
    func failOn() throws {
        let text = try Self.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")
            .replacingOccurrences(of: "owner: ops", with: "owner: ops\n  team: x")
        let dir = try Self.repository(files: ["microapp.yaml": text])
        let plain = try Self.tiergate(["lint", "microapp.yaml"], in: dir)
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(plain.stdout.contains("unknown-field"))
        #expect(try Self.tiergate(["lint", "--fail-on", "warning", "microapp.yaml"], in: dir).status == 1)
        let bad = Self.fixture("fixtures/manifests/invalid/bad-data-class.microapp.yaml")
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
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let outside = try Self.tiergate(["lint"], in: empty)
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("--repo"))
        #expect(outside.stderr.split(separator: "\n").count == 1)
        let dir = try Self.repository(files: ["microapp.yaml": try Self.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")])
        let unknown = try Self.tiergate(["lint", "--rev", "nope"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision 'nope'"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let missing = try Self.tiergate(["lint", "does-not-exist.yaml"], in: dir)
        #expect(missing.status == 2)
    }

    @Test("exit 2 before any work when a report file cannot be written")
    func unwritableReport() throws {
        let r = try Self.tiergate(["lint", "--report", "json=/no/such/dir/r.json", Self.fixture("fixtures/manifests/valid/minimal.microapp.yaml")])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
    }

    @Test("--format json --output FILE and --report write the same evaluation; the JSON validates against the schema")
    func jsonReport() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixture("fixtures/manifests/invalid")).sorted()
            .map { Self.fixture("fixtures/manifests/invalid/\($0)") }
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
        let checker = Self.fixture(".venv/bin/check-jsonschema")
        guard FileManager.default.isExecutableFile(atPath: checker) else {
            throw CLIFailure("\(checker) is missing: run ci/setup.sh before swift test")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: checker)
        p.arguments = ["--schemafile", Self.fixture("schemas/report.schema.json"), out + "/main.json"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(said)")
    }

    @Test("lint of a revision with no PATH reads the repository")
    func lintRevision() throws {
        let dir = try Self.repository(files: [
            "apps/a/microapp.yaml": try Self.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml"),
            "apps/b/microapp.yaml": try Self.fixtureText("fixtures/manifests/invalid/bad-data-class.microapp.yaml"),
        ])
        let r = try Self.tiergate(["lint", "--format", "json"], in: dir + "/apps")
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"path\": \"apps/b/microapp.yaml\""))
    }

    @Test("a repository owned by another user: exit 2 naming safe.directory, then works once it is listed")
    func otherOwner() throws {
        guard getuid() == 0 else {
            throw CLIFailure("this test needs root to chown a repository (CI machines run as root)")
        }
        let dir = try Self.repository(files: ["microapp.yaml": try Self.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")])
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        chown(dir, 4242, 4242)
        let refused = try Self.tiergate(["lint"], in: dir, env: ["HOME": home, "XDG_CONFIG_HOME": home])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("safe.directory"))
        try Data("[safe]\n\tdirectory = \(dir)\n".utf8).write(to: URL(fileURLWithPath: home + "/.gitconfig"))
        let allowed = try Self.tiergate(["lint"], in: dir, env: ["HOME": home, "XDG_CONFIG_HOME": home])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
    }

    @Test("schema manifest prints schemas/microapp.schema.json")
    func schema() throws {
        let r = try Self.tiergate(["schema", "manifest"])
        #expect(r.status == 0)
        #expect(r.stdout == (try Self.fixtureText("schemas/microapp.schema.json")))
    }

    @Test("check exit codes through the binary: 3 for missing approvals, 0 once given or ignored, 2 for a bad approvals file")
    func checkExitCodes() throws {
        let policy = "apiVersion: tiergate/v1\nkind: Policy\ngroups: {coe: [cora], security: [sam], privacy: [priya], platform: [pat], legal: [lee], ops: [oz]}\n"
        let base = try Self.fixtureText("fixtures/manifests/valid/minimal.microapp.yaml")
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
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("approvals-\(UUID().uuidString).json").path
        try Data("{\"not\": \"reviews\"}".utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try Self.tiergate(["check", "--base", "main", "--approvals", bad], in: dir)
        #expect(refused.status == 2 && refused.stderr.contains("neither GitHub reviews nor GitLab approvals"))
        #expect(try Self.tiergate(["check", "--staged", "--base", "main"], in: dir).status == 2, "--staged takes no --base")
        #expect(try Self.tiergate(["check", "--base", "nope"], in: dir).status == 2)
    }

    @Test("demo works from any directory and shows the gate at work")
    func demo() throws {
        let r = try Self.tiergate(["demo"], in: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tiergate check: BLOCKED"))
        #expect(r.stdout.contains("where2eat: modified, tier 0 -> 2 (escalated)"))
        #expect(r.stdout.contains("owner change: people-ops accepts expense-bot from finance"))
        #expect(r.stdout.contains("[secret-literal]"))
        #expect(r.stdout.contains("not counted: dana (author"))
        #expect(!r.stdout.contains("ghp_TiErGaTe"), "the demo's pasted token must not be shown")
    }
}

struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

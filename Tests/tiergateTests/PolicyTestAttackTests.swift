import Foundation
import Testing

/// `policy test` on a pull request's head tree (CI runs it when `.tiergate/**` changes, into logs that may be
/// public): what a PR author controlling the test files, their names, modes and symlinks could gain.
@Suite("policy test: attacks from the head tree", .temporaryDirectories)
struct PolicyTestAttackTests {
    /// A file outside the repository, standing in for a runner's credentials (~/.docker/config.json): its keys, a
    /// duplicate key and a tag would each be quoted by a YAML or schema problem if tiergate read it.
    static let credentials = "auths:\n  registry: {auth: c2VjcmV0LWxlYWtlZA==}\nauths: again\n!leakedtag x: 1\n"

    /// An initialised repository, and beside it (outside its working tree) a folder holding `config.yaml`.
    static func repositoryAndOutside() throws -> (repo: String, outside: String) {
        let repo = try PolicyEngineeringCLITests.initialised()
        let outside = try makeTemporaryDirectory("outside")
        try PolicyEngineeringCLITests.write(credentials, to: outside + "/config.yaml")
        return (repo, outside)
    }

    static func testCase(manifest: String) -> String {
        "apiVersion: tiergate/v1\nkind: PolicyTest\nname: reads a file\nmanifest: \(manifest)\nexpect: {tier: 0, findings: []}\n"
    }

    /// The binary in every format, bounded: a hang or an unbounded read fails the test, not the machine.
    static func policyTest(in dir: String) throws -> [ProcessResult] {
        try ["text", "json", "junit"].map { format in
            try run("sh", ["-c", "ulimit -v 2097152; exec timeout 60 \"$0\" \"$@\"", CLITests.binary, "policy", "test", "--format", format], in: dir)
        }
    }

    /// Nothing of the outside file reached any output.
    static func expectNothingLeaked(_ results: [ProcessResult], _ comment: Comment) {
        for r in results {
            for secret in ["auths", "c2VjcmV0", "leakedtag", "registry"] {
                #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret), "\(comment): \(secret) leaked: \(r.stdout)\(r.stderr)")
            }
        }
    }

    @Test("attack: manifest: ../ out of the repository is exit 2, never read (gained: a runner's file judged, its findings in a public log)")
    func manifestDotDot() throws {
        let (repo, outside) = try Self.repositoryAndOutside()
        let up = "../../../" + URL(fileURLWithPath: outside).lastPathComponent + "/config.yaml"
        // The repository and the outside folder are siblings in one temporary folder.
        #expect(FileManager.default.fileExists(atPath: repo + "/.tiergate/tests/" + up))
        try PolicyEngineeringCLITests.write(Self.testCase(manifest: up), to: repo + "/.tiergate/tests/escape.yaml")
        let results = try Self.policyTest(in: repo)
        for r in results {
            #expect(r.status == 2 && r.stdout.isEmpty, "\(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains(".tiergate/tests/escape.yaml:4:11: manifest names \(up), which leaves the repository's working tree"), "\(r.stderr)")
        }
        Self.expectNothingLeaked(results, "manifest: ../")
    }

    @Test("attack: manifest: through a symlinked folder, or into .git, is exit 2 (gained: runner files, or the checkout's token in .git/config)")
    func manifestThroughLinkOrGit() throws {
        let (repo, outside) = try Self.repositoryAndOutside()
        try FileManager.default.createSymbolicLink(atPath: repo + "/.tiergate/tests/fixtures", withDestinationPath: outside)
        try PolicyEngineeringCLITests.write(Self.testCase(manifest: "fixtures/config.yaml"), to: repo + "/.tiergate/tests/linked.yaml")
        let linked = try Self.policyTest(in: repo)
        for r in linked {
            #expect(r.status == 2 && r.stderr.contains("manifest names fixtures/config.yaml, which leaves the repository's working tree"), "\(r.stdout)\(r.stderr)")
        }
        Self.expectNothingLeaked(linked, "a symlinked folder")

        try FileManager.default.removeItem(atPath: repo + "/.tiergate/tests/linked.yaml")
        try FileManager.default.removeItem(atPath: repo + "/.tiergate/tests/fixtures")
        // actions/checkout keeps the job's token in .git/config: inside the folder, outside the working tree.
        try PolicyEngineeringCLITests.write(Self.testCase(manifest: "../../.git/config"), to: repo + "/.tiergate/tests/git.yaml")
        for r in try Self.policyTest(in: repo) {
            #expect(r.status == 2 && r.stderr.contains("manifest names ../../.git/config, which leaves the repository's working tree"), "\(r.stdout)\(r.stderr)")
        }
    }

    @Test("attack: a test file that is a symlink out of the repository is a problem, never read (gained: its keys quoted in a public log)")
    func testFileSymlink() throws {
        let (repo, outside) = try Self.repositoryAndOutside()
        try FileManager.default.createSymbolicLink(atPath: repo + "/.tiergate/tests/creds.yaml", withDestinationPath: outside + "/config.yaml")
        // A linked folder is not walked either.
        try FileManager.default.createSymbolicLink(atPath: repo + "/.tiergate/tests/more", withDestinationPath: outside)
        let results = try Self.policyTest(in: repo)
        for r in results {
            #expect(r.status == 2 && r.stdout.isEmpty, "\(r.stdout)\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").map(String.init) == [
                "tiergate: invalid policy tests (1 problem); fix the test files (tiergate schema policy-test describes them)",
                ".tiergate/tests/creds.yaml:1:1: .tiergate/tests/creds.yaml is a symbolic link; tiergate does not follow links in the tests folder: commit the file itself",
            ], "\(r.stderr)")
        }
        Self.expectNothingLeaked(results, "a symlinked test file")
    }

    @Test("attack: .tiergate/policy.yaml or .tiergate a symlink out of the repository: exit 2, never read (gained: the file's keys in a public log)")
    func policyAndFolderSymlinks() throws {
        let (repo, outside) = try Self.repositoryAndOutside()
        let policy = repo + "/.tiergate/policy.yaml"
        try FileManager.default.removeItem(atPath: policy)
        try FileManager.default.createSymbolicLink(atPath: policy, withDestinationPath: outside + "/config.yaml")
        let results = try Self.policyTest(in: repo)
        for r in results {
            #expect(r.status == 2 && r.stderr.contains("tiergate: .tiergate/policy.yaml leaves the repository's working tree through a symbolic link"), "\(r.stdout)\(r.stderr)")
        }
        Self.expectNothingLeaked(results, "a symlinked policy")

        try FileManager.default.removeItem(atPath: policy)
        try PolicyEngineeringCLITests.write(PolicyEngineeringCLITests.groups, to: policy)
        // .tiergate a link: the tests folder's own path goes through it.
        let tiergate = repo + "/.tiergate"
        try FileManager.default.moveItem(atPath: tiergate, toPath: outside + "/tiergate")
        try FileManager.default.createSymbolicLink(atPath: tiergate, withDestinationPath: outside + "/tiergate")
        for r in try Self.policyTest(in: repo) {
            #expect(r.status == 2 && r.stderr.contains("the tests folder .tiergate/tests leaves the repository's working tree"), "\(r.stdout)\(r.stderr)")
        }
    }

    @Test("attack: a FIFO, /dev/zero, a folder and a huge file named *.yaml are problems: no hang, no unbounded read")
    func specialFiles() throws {
        let repo = try PolicyEngineeringCLITests.initialised()
        let tests = repo + "/.tiergate/tests/"
        #expect(mkfifo(tests + "fifo.yaml", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: tests + "zero.yaml", withDestinationPath: "/dev/zero")
        try FileManager.default.createDirectory(atPath: tests + "folder.yaml", withIntermediateDirectories: false)
        // 64 MiB, sparse: costs no disk, but reading it whole would cost the memory.
        let huge = try FileHandle(forWritingTo: URL(fileURLWithPath: tests + "huge.yaml").createEmptyFile())
        try huge.truncate(atOffset: 64 << 20)
        try huge.close()
        for r in try Self.policyTest(in: repo) {
            #expect(r.status == 2 && r.stdout.isEmpty, "\(r.status) \(r.stdout)\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").map(String.init) == [
                "tiergate: invalid policy tests (4 problems); fix the test files (tiergate schema policy-test describes them)",
                ".tiergate/tests/fifo.yaml:1:1: .tiergate/tests/fifo.yaml is not a regular file",
                ".tiergate/tests/folder.yaml:1:1: .tiergate/tests/folder.yaml is not a regular file",
                ".tiergate/tests/huge.yaml:1:1: the file is 67108864 bytes, over the limit of 1048576 bytes (1 MiB); split it (yaml-limits)",
                ".tiergate/tests/zero.yaml:1:1: .tiergate/tests/zero.yaml is a symbolic link; tiergate does not follow links in the tests folder: commit the file itself",
            ], "\(r.stderr)")
        }
    }

    @Test("attack: a manifest document added to a test file does not make its cases vanish (gained: a failing case skipped, PASS)")
    func mixedFile() throws {
        let repo = try PolicyEngineeringCLITests.initialised()
        let file = repo + "/.tiergate/tests/regulated-egress.yaml"
        let failing = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "tier: 3", with: "tier: 1")
        try PolicyEngineeringCLITests.write(failing, to: file)
        #expect(try CLITests.tiergate(["policy", "test"], in: repo).status == 1)
        try PolicyEngineeringCLITests.write(failing + "---\n" + (try PolicyCommandTests.app("alpha")), to: file)
        for r in try Self.policyTest(in: repo) {
            #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains(".tiergate/tests/regulated-egress.yaml:2:1: the file holds both PolicyTest documents and manifests (microapps/); keep each in a file of its own"), "\(r.stderr)")
        }
    }

    @Test("attack: a hostile test name and file name stay inert in text, json and junit, and a token in them is redacted (gained: a forged log line, a broken report)")
    func hostileNames() throws {
        let repo = try PolicyEngineeringCLITests.initialised()
        let token = "ghp_" + String(repeating: "a", count: 36)
        let name = "x\u{1B}[2J\n::error::forged <b> & \"q\" ]]> \u{202E} \(token)"
        let file = "a\u{1B}[31m\n::warning::f.yaml"
        let quoted = name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" ? String($0) : String(format: "\\u%04X", $0.value) }.joined()
        try PolicyEngineeringCLITests.write(
            "apiVersion: tiergate/v1\nkind: PolicyTest\nname: \"\(quoted)\"\napp: {apiVersion: microapps/v1}\nexpect: {tier: 0, findings: []}\n",
            to: repo + "/.tiergate/tests/" + file)
        let (text, json, junit) = try {
            let r = try Self.policyTest(in: repo)
            return (r[0], r[1], r[2])
        }()
        for r in [text, json, junit] {
            #expect(r.status == 1 && !r.stdout.contains(token) && !r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{202E}"), "\(r.stdout)")
            #expect(!r.stdout.split(separator: "\n").contains { $0.hasPrefix("::") }, "a workflow command at a line's start: \(r.stdout)")
        }
        let cases = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["cases"] as? [[String: Any]])
        let hostile = try #require(cases.first { $0["passed"] as? Bool == false })
        #expect((hostile["name"] as? String)?.hasPrefix("x\u{1B}[2J\n::error::forged <b> & \"q\" ]]> \u{202E} ") == true, "JSON escapes, it does not rewrite")
        #expect(hostile["file"] as? String == ".tiergate/tests/" + file)
        let parsed = try PolicyEngineeringCLITests.junit(junit.stdout)
        #expect(parsed.tests == 3 && parsed.failures == 1, "junitparser reads every case")
        let failure = try #require(parsed.cases.first { ($0[2] as? [String]) == ["Failure"] })
        #expect((failure[1] as? String)?.contains("::error::forged <b> & \"q\" ]]>") == true, "\(failure)")
    }
}

extension URL {
    /// Creates an empty file here and returns its URL.
    fileprivate func createEmptyFile() throws -> URL {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw TestFailure("cannot create \(path)") }
        return self
    }
}

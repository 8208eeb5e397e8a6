import Foundation
import Testing

/// Writing a report never crashes (SPEC section 8): a full disk, a closed pipe or `/dev/full` as standard output
/// is exit 2 with one line on stderr, never a trap (exit 132) or a death by SIGPIPE.
@Suite("writing never crashes", .temporaryDirectories)
struct WriteFailureTests {
    enum Sink: String, CaseIterable {
        /// Every write fails with ENOSPC.
        case devFull = "/dev/full"
        /// A pipe whose reading end is closed before the tool starts: every write fails with EPIPE.
        case closedPipe = "closed pipe"
    }

    /// Runs the binary with standard output going to `sink`, and standard error captured.
    static func tiergate(_ args: [String], stdout sink: Sink, in dir: String? = nil) throws -> ProcessResult {
        switch sink {
        case .devFull:
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            defer { try? full.close() }
            return try run(CLITests.binary, args, in: dir, stdout: .handle(full))
        case .closedPipe:
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()
            return try run(CLITests.binary, args, in: dir, stdout: .handle(pipe.fileHandleForWriting))
        }
    }

    static func repository() throws -> String {
        try CLITests.repository(files: ["apps/a/microapp.yaml": try Project.text("fixtures/manifests/valid/minimal.microapp.yaml")])
    }

    @Test("standard output on /dev/full or a closed pipe: exit 2 and one line on stderr, for every command that writes", arguments: Sink.allCases)
    func stdoutFails(sink: Sink) throws {
        let dir = try Self.repository()
        let commands: [[String]] = [
            ["lint"], ["lint", "--format", "json"], ["lint", "--format", "sarif"], ["lint", "--format", "markdown"],
            ["check", "--base", "HEAD", "--format", "github"], ["inventory"], ["inventory", "--format", "csv"],
            ["explain", "minimal"], ["schema", "manifest"], ["policy", "show", "--default"], ["policy", "show"],
            ["--version"], ["--help"], ["lint", "--help"],
        ]
        for args in commands {
            let r = try Self.tiergate(args, stdout: sink, in: dir)
            #expect(r.reason == .exit, "\(args) on \(sink.rawValue): killed by signal \(r.status)")
            #expect(r.status == 2, "\(args) on \(sink.rawValue): exit \(r.status), \(r.stderr)")
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == 1, "\(args) on \(sink.rawValue): \(r.stderr)")
            #expect(r.stderr.hasPrefix("tiergate: cannot write standard output: "), "\(args): \(r.stderr)")
        }
    }

    @Test("--output and --report on /dev/full: exit 2 with one line on stderr")
    func reportFileFails() throws {
        let dir = try Self.repository()
        for args in [["lint", "--output", "/dev/full"], ["lint", "--report", "json=/dev/full"], ["check", "--base", "HEAD", "--report", "sarif=/dev/full"]] {
            let r = try CLITests.tiergate(args, in: dir)
            #expect(r.status == 2, "\(args): \(r.stdout)\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("cannot write /dev/full"), "\(args): \(r.stderr)")
        }
    }

    @Test("the step summary on /dev/full: exit 2 with one line on stderr")
    func stepSummaryFails() throws {
        let dir = try Self.repository()
        let r = try CLITests.tiergate(["check", "--base", "HEAD", "--format", "github"], in: dir, env: ["GITHUB_STEP_SUMMARY": "/dev/full"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("step summary"), "\(r.stderr)")
    }
}

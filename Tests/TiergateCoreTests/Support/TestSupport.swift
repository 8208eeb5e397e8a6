import Foundation
import Testing

@testable import TiergateCore

/// Where the project's files are, found from this source file.
enum Project {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func files(under relative: String, suffix: String = "") throws -> [String] {
        let dir = root.appendingPathComponent(relative)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(suffix) }.sorted().map { "\(relative)/\($0)" }
    }

    /// A Python helper from the virtualenv that `ci/setup.sh` makes. Missing means a failed test, never a skip.
    static func venvTool(_ name: String) throws -> String {
        let p = path(".venv/bin/\(name)")
        guard FileManager.default.isExecutableFile(atPath: p) else {
            throw TestFailure("\(p) is missing: run ci/setup.sh before swift test")
        }
        return p
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, capturing its output.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
         input: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment ?? [:] { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// A real git repository in a temporary directory, driven with the git CLI.
final class TestRepository {
    let path: String

    init(bare: Bool = false, objectFormat: String? = nil) throws {
        path = try makeTemporaryDirectory("repo")
        var args = ["init", "-q", "-b", "main"]
        if bare { args.append("--bare") }
        if let objectFormat { args.append("--object-format=\(objectFormat)") }
        try git(args + [path], in: nil)
        if !bare {
            try git(["config", "user.name", "Test"])
            try git(["config", "user.email", "test@example.invalid"])
            try git(["config", "commit.gpgsign", "false"])
        }
    }

    /// Wraps an existing directory (a clone, a worktree).
    init(existing path: String) { self.path = path }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func git(_ arguments: [String], in directory: String? = "") throws -> String {
        let dir = directory == "" ? path : directory
        let r = try run("git", arguments, in: dir, environment: [
            "GIT_AUTHOR_DATE": "2026-11-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-11-01T12:00:00Z",
            "GIT_CONFIG_NOSYSTEM": "1",
        ])
        guard r.status == 0 else { throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relative)
    }

    /// Stages everything and commits; returns the new commit's SHA.
    @discardableResult
    func commit(_ message: String = "change") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }
}

func makeTemporaryDirectory(_ label: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tiergate-test-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// A valid manifest for tests, with fields replaceable by simple text substitution.
func manifest(name: String = "app", owner: String = "ops", dataClass: String = "internal", extraSpec: String = "") -> String {
    """
    apiVersion: microapps/v1
    kind: MicroApp
    metadata:
      name: \(name)
      owner: \(owner)
    spec:
      dataClass: \(dataClass)
      accessScope: team
      runtime: client
      criticality: toy
      network:
        egress: none
      lifecycle:
        createdAt: 2026-11-01
      cost:
        monthlyCapUSD: 10
      observability:
        logSink: siem
        retentionDays: 90
    \(extraSpec)
    """
}

import Foundation
import Testing

@testable import TiergateCore

/// A real git repository in a temporary directory (removed when the test ends), driven with the git CLI.
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

    /// Wraps an existing directory (a clone, a worktree) in a temporary directory the test made.
    init(existing path: String) { self.path = path }

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


import Foundation
import Testing

/// The temporary directories one test made, removed when the test ends. A suite takes the
/// `.temporaryDirectories` trait; `makeTemporaryDirectory` anywhere below its tests (helpers included) then
/// registers with the running test.
final class TemporaryDirectories: @unchecked Sendable {
    @TaskLocal static var current: TemporaryDirectories?

    /// Every directory's name starts so (ci/no-temp-leftovers.sh runs the tests with a private TMPDIR and fails on leftovers).
    static let prefix = "tiergate-test-"

    private let lock = NSLock()
    private var paths: [String] = []

    func make(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.prefix)\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        lock.withLock { paths.append(path) }
        return path
    }

    /// Removes every directory made; returns what could not be removed.
    func removeAll() -> [String] {
        let all = lock.withLock { paths }
        return all.filter { path in
            // A test may have left a directory unwritable (or given it to another user): let its owner in again.
            if (try? FileManager.default.removeItem(atPath: path)) != nil { return false }
            _ = try? run("chmod", ["-R", "u+rwx", path])
            return (try? FileManager.default.removeItem(atPath: path)) == nil && FileManager.default.fileExists(atPath: path)
        }
    }
}

/// A new empty directory under the system's temporary directory, removed when the running test ends.
func makeTemporaryDirectory(_ label: String) throws -> String {
    guard let scope = TemporaryDirectories.current else {
        throw TestFailure("makeTemporaryDirectory(\"\(label)\") outside a test whose suite has the .temporaryDirectories trait")
    }
    return try scope.make(label)
}

/// The trait that gives each test (each case of a parameterised one) its own `TemporaryDirectories`.
struct RemovesTemporaryDirectories: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        let scope = TemporaryDirectories()
        var failure: (any Error)?
        do {
            try await TemporaryDirectories.$current.withValue(scope) { try await function() }
        } catch {
            failure = error
        }
        for path in scope.removeAll() { Issue.record("could not remove the temporary directory \(path)") }
        if let failure { throw failure }
    }
}

extension Trait where Self == RemovesTemporaryDirectories {
    /// Every temporary directory a test of the suite makes is removed when that test ends.
    static var temporaryDirectories: Self { Self() }
}

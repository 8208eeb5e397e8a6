import Foundation
import Testing

/// The helper every test's temporary directories come from (Support/Shared/TemporaryDirectories.swift).
@Suite("Temporary directories are removed when their test ends")
struct TemporaryDirectoriesTests {
    @Test("a directory made under a scope is registered with it and removed with it, even when left unwritable")
    func removedWithTheScope() throws {
        let scope = TemporaryDirectories()
        let (plain, locked) = try TemporaryDirectories.$current.withValue(scope) {
            (try makeTemporaryDirectory("plain"), try makeTemporaryDirectory("locked"))
        }
        try FileManager.default.createDirectory(atPath: locked + "/inner", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: locked + "/inner/file"))
        #expect(chmod(locked + "/inner", 0o500) == 0 && chmod(locked, 0o500) == 0)
        #expect(URL(fileURLWithPath: plain).lastPathComponent.hasPrefix(TemporaryDirectories.prefix))
        #expect(scope.removeAll().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: plain) && !FileManager.default.fileExists(atPath: locked))
    }

    @Test("outside a suite with the trait, making one is an error, never a leak")
    func outsideAScope() {
        #expect(throws: TestFailure.self) { try makeTemporaryDirectory("stray") }
    }
}

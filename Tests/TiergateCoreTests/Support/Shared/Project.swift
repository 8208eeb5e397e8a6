// Shared by both test targets: Tests/tiergateTests/Support/Shared is a symbolic link to this folder, so the two
// compile the same source (no test-support module, which `swift build -c release` would try to build without
// the Testing library).
import Foundation

/// Where the project's files are: the folder holding Package.swift, found from this source file. Tests read only
/// below it.
enum Project {
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
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

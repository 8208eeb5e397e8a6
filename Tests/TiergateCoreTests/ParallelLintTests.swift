import Foundation
import Testing

@testable import TiergateCore

@Suite("Parallel lint", .temporaryDirectories)
struct ParallelLintTests {
    @Test("lint on several threads gives exactly the report of a single-threaded run")
    func sameReport() throws {
        let repo = try TestRepository()
        // Enough files for several batches per thread, with findings, broken files and duplicate names among them.
        for i in 0..<700 {
            var text = app(String(format: "app-%04d", i))
            if i % 7 == 0 { text = text.replacingOccurrences(of: "logSink: siem", with: "logSink: splunk") }
            if i % 50 == 0 { text = "broken: [\n" }
            if i % 97 == 0 { text = app("app-0001") }
            try repo.write(String(format: "teams/t%02d/app-%04d/microapp.yaml", i % 13, i), text)
        }
        try repo.commit()
        func lint(_ threads: Int) throws -> String {
            var request = LintRequest(repository: repo.path, today: CheckExample.today, workingDirectory: "/")
            request.parallelism = threads
            return try JSONReporter().render(try Linter.run(request))
        }
        let single = try lint(1)
        #expect(single.contains("duplicate-app-name") && single.contains("yaml-syntax") && single.contains("logging-siem"))
        for threads in [2, 3, 8] {
            #expect(try lint(threads) == single, "\(threads) threads")
        }
    }
}

import Foundation

/// One manifest file's contribution to a lint report: its apps (as reported) and the names they claim.
struct FileOutcome: Sendable {
    var apps: [AppReport]
    var findings: [Finding]
    var names: [(name: String, path: String, mark: Mark)]
}

/// Reads and judges the manifests of a revision on several threads. Each thread opens its own repository
/// handle (libgit2 objects must not be shared between threads), takes batches of files from a shared cursor,
/// and keeps only the small per-file outcome, so memory follows the report, not the YAML read.
/// Results are put back in path order, so the report is the same as a single-threaded run.
enum ParallelEvaluator {
    static let batchSize = 128

    static func evaluate(
        entries: [TreeEntry], repositoryPath: String, evaluator: AppEvaluator, workers requested: Int?
    ) throws(TiergateError) -> [FileOutcome] {
        let batches = stride(from: 0, to: entries.count, by: batchSize).map { $0..<min($0 + batchSize, entries.count) }
        let workers = max(1, min(requested ?? ProcessInfo.processInfo.activeProcessorCount, max(1, batches.count)))
        let state = SharedState(batches: batches.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let repo: Repository
            do { repo = try Repository(discoverFrom: repositoryPath) } catch let e as GitError {
                state.fail(.opening(repositoryPath, e))
                return
            } catch {
                state.fail(TiergateError(.repository, "cannot open \(repositoryPath): \(error)"))
                return
            }
            while let b = state.nextBatch() {
                var outcomes: [FileOutcome] = []
                outcomes.reserveCapacity(batches[b].count)
                for i in batches[b] {
                    do {
                        let file = try ManifestLoader.load(entries[i], from: repo)
                        outcomes.append(outcome(file, evaluator))
                    } catch {
                        state.fail(.reading(entries[i].path, error))
                        return
                    }
                }
                state.store(outcomes, at: b)
            }
        }
        if let error = state.error { throw error }
        return state.results.flatMap { $0 }
    }

    /// Judges one file and keeps only what the report needs.
    static func outcome(_ file: ManifestFile, _ evaluator: AppEvaluator) -> FileOutcome {
        let (evaluated, findings) = evaluator.evaluate(file)
        var apps: [AppReport] = []
        var names: [(String, String, Mark)] = []
        for app in evaluated {
            guard let name = app.name else { continue }
            apps.append(AppReport(name: name, path: app.path, tier: app.tier, findings: app.findings.sorted(by: Finding.reportOrder)))
            names.append((name, app.path, app.manifest.root["metadata"]?["name"]?.mark ?? app.manifest.root.mark))
        }
        return FileOutcome(apps: apps, findings: findings, names: names)
    }

    /// The cursor and the result slots, shared by the workers under a lock.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let total: Int
        private(set) var results: [[FileOutcome]]
        private(set) var error: TiergateError?

        init(batches: Int) {
            total = batches
            results = Array(repeating: [], count: batches)
        }

        func nextBatch() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, next < total else { return nil }
            next += 1
            return next - 1
        }

        func store(_ outcomes: [FileOutcome], at i: Int) {
            lock.lock()
            results[i] = outcomes
            lock.unlock()
        }

        func fail(_ e: TiergateError) {
            lock.lock()
            if error == nil { error = e }
            lock.unlock()
        }
    }
}

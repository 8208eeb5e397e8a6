import Foundation

/// One manifest file's contribution to a lint report: its apps and the findings about the file. Lint keeps one
/// per manifest of a revision until the report is made, so it holds only what the report needs, not the
/// `AppReport`s themselves (whose `check` part, empty in lint, would be carried for every app).
struct FileOutcome: Sendable {
    var path: String
    var apps: [LintedApp]
    var findings: [Finding]
}

/// One app of a linted file: what its `AppReport` shows, and where its name is written (`duplicate-app-name`).
struct LintedApp: Sendable {
    var name: String
    var tier: Int?
    var findings: [Finding]
    var nameMark: Mark
}

/// Reads and judges the manifests of a commit on several threads while the commit's tree is still being
/// walked. The calling thread walks the tree and publishes its entries in batches; the other threads (each with
/// its own repository handle: libgit2 objects must not be shared between threads) take batches as they come,
/// and the calling thread joins them once the walk is done. Each batch keeps only the small per-file outcome,
/// so memory follows the report, not the YAML read. Results come back in path order, so the report is the same
/// as a single-threaded run.
enum ParallelEvaluator {
    static let batchSize = 128

    static func evaluate(
        commit: ObjectID, in repo: Repository, where include: (String) -> Bool, evaluator: AppEvaluator,
        workers requested: Int?, walkFailed: (GitError) -> TiergateError
    ) throws(TiergateError) -> [FileOutcome] {
        let layout = evaluator.policy.manifests.layout
        var outcomes = try map(
            in: repo, workers: requested, walk: { body throws(GitError) in try repo.forEachEntry(at: commit, where: include, body) },
            walkFailed: walkFailed
        ) { entry, own throws(TiergateError) in
            let file: ManifestFile
            do { file = try ManifestLoader.load(entry, from: own) } catch { throw .reading(entry.path, error) }
            return outcome(file, evaluator, layout: layout)
        }
        // The walk gives git's order; reports use Swift's string order (they differ only for paths that are not
        // in Unicode normal form).
        if !TreeEntry.inPathOrder(outcomes.lazy.map(\.path)) { outcomes.sort { $0.path < $1.path } }
        return outcomes
    }

    /// Runs `transform` on every entry `walk` gives, on `workers` threads (nil: one per core) while the walk
    /// goes on, and returns the non-nil results in walk order. Each thread other than the caller's opens its own
    /// handle of the repository and passes it to `transform`; the first error stops every thread.
    static func map<T: Sendable>(
        in repo: Repository, workers requested: Int?, walk: ((TreeEntry) -> Void) throws(GitError) -> Void,
        walkFailed: (GitError) -> TiergateError,
        _ transform: @escaping @Sendable (TreeEntry, Repository) throws(TiergateError) -> T?
    ) throws(TiergateError) -> [T] {
        let workers = max(1, requested ?? ProcessInfo.processInfo.activeProcessorCount)
        let state = SharedState<T>()
        let group = DispatchGroup()
        let path = repo.openedFrom
        // The other threads start with the first full batch: a revision with a handful of manifests is judged
        // on the calling thread alone, without opening another repository handle.
        func startWorkers() {
            for _ in 1..<workers {
                DispatchQueue.global().async(group: group) {
                    let own: Repository
                    do { own = try Repository(discoverFrom: path) } catch let e as GitError {
                        state.fail(.opening(path, e))
                        return
                    } catch {
                        state.fail(TiergateError(.repository, "cannot open \(path): \(error)"))
                        return
                    }
                    work(state, own, transform)
                }
            }
        }
        var pending: [TreeEntry] = []
        pending.reserveCapacity(batchSize)
        var started = false
        do {
            try walk { entry in
                pending.append(entry)
                if pending.count == batchSize {
                    if !started {
                        startWorkers()
                        started = true
                    }
                    state.publish(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            state.publish(pending)
            state.finishWalk()
        } catch {
            state.fail(walkFailed(error))
        }
        work(state, repo, transform)
        group.wait()
        if let error = state.error { throw error }
        return state.results.flatMap { $0 }
    }

    /// Transforms batches until none is left or a thread has failed.
    private static func work<T>(
        _ state: SharedState<T>, _ repo: Repository, _ transform: (TreeEntry, Repository) throws(TiergateError) -> T?
    ) {
        while let (b, batch) = state.take() {
            var results: [T] = []
            results.reserveCapacity(batch.count)
            for entry in batch {
                do {
                    if let r = try transform(entry, repo) { results.append(r) }
                } catch {
                    state.fail(error)
                    return
                }
            }
            state.store(results, at: b)
        }
    }

    /// Judges one file and keeps only what the report needs. With a layout (a file read from a revision, whose
    /// path is the repository path), a manifest away from its layout path is `path-name-mismatch`.
    static func outcome(_ file: ManifestFile, _ evaluator: AppEvaluator, layout: ManifestLayout? = nil) -> FileOutcome {
        var (evaluated, findings) = evaluator.evaluate(file)
        if let layout { findings += evaluator.findingPolicy.apply(HeadNames.pathMismatches(file: file, layout: layout)) }
        var apps: [LintedApp] = []
        apps.reserveCapacity(evaluated.count)
        for app in evaluated {
            guard let name = app.name else { continue }
            apps.append(
                LintedApp(
                    name: name, tier: app.tier, findings: app.findings.sorted(by: Finding.reportOrder),
                    nameMark: app.manifest.root["metadata"]?["name"]?.mark ?? app.manifest.root.mark))
        }
        return FileOutcome(path: file.path, apps: apps, findings: findings)
    }

    /// The published batches, the cursor and the result slots, shared by the threads under one condition lock.
    private final class SharedState<T>: @unchecked Sendable {
        private let condition = NSCondition()
        private var batches: [[TreeEntry]] = []
        private var next = 0
        private var walkDone = false
        private(set) var results: [[T]] = []
        private(set) var error: TiergateError?

        /// Makes a batch of the walk available and wakes a waiting thread.
        func publish(_ batch: [TreeEntry]) {
            guard !batch.isEmpty else { return }
            condition.lock()
            batches.append(batch)
            results.append([])
            condition.signal()
            condition.unlock()
        }

        func finishWalk() {
            condition.lock()
            walkDone = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch to judge, waiting while the walk is behind; nil when every batch is taken and the walk
        /// is over, or when a thread has failed.
        func take() -> (Int, [TreeEntry])? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                if error != nil { return nil }
                if next < batches.count {
                    let b = next
                    next += 1
                    let batch = batches[b]
                    batches[b] = []  // the entries are not needed again
                    return (b, batch)
                }
                if walkDone { return nil }
                condition.wait()
            }
        }

        func store(_ outcomes: [T], at i: Int) {
            condition.lock()
            results[i] = outcomes
            condition.unlock()
        }

        /// Records the first failure and stops every thread (and the walk's waiters).
        func fail(_ e: TiergateError) {
            condition.lock()
            if error == nil { error = e }
            walkDone = true
            condition.broadcast()
            condition.unlock()
        }
    }
}

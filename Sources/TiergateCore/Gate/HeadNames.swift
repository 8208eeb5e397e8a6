import Foundation

/// Names against the whole head revision (SPEC section 5): an app that a change adds (or renames to) must not
/// take a name that a file the change does not touch already uses, and under `manifests.layout` a manifest's
/// path must be its layout path with its own name.
///
/// With a layout, a name is looked up by walking only the directories the pattern names. Without one, every
/// manifest at head is read by the name scanner (no YAML tree, on every core); a file the scanner is not sure
/// of, and every file in which it finds one of the names asked about, is parsed in full, so the answer is the
/// full parser's.
package enum HeadNames {
    /// A place at head that already uses a name.
    package struct Use: Sendable, Hashable {
        package var path: String
        /// The position of the name in that file (the file's start when the file does not carry the name).
        package var mark: Mark
        /// Why the place counts when the file does not carry the name itself: it is the name's layout path, or a
        /// link or submodule in the name's place. Nil when the file's `metadata.name` is the name.
        package var layoutReason: String?
    }

    /// What `check` adds to the findings of the changed files: `path-name-mismatch` for every head file under a
    /// layout, and `duplicate-app-name` for every app name the change brings in (a head app whose name no base
    /// version of a changed file had) that a file the change does not touch uses. `headCommit` nil means the
    /// index (`--staged`). The findings are raw: the caller applies the policy's `checks` and exceptions.
    package static func checkFindings(
        headFiles: [ManifestFile], baseNames: Set<String>, touched changes: [PathChange], at headCommit: ObjectID?,
        in repo: Repository, policy: Policy, prefetched: LayoutPrefetch?
    ) throws(TiergateError) -> [Finding] {
        var findings: [Finding] = []
        // The thread reading ahead is joined whatever happens, so that none outlives the check.
        defer { prefetched?.join() }
        if let layout = policy.manifests.layout {
            for file in headFiles { findings += pathMismatches(file: file, layout: layout) }
        }
        var added: [(name: String, path: String, mark: Mark)] = []
        for file in headFiles {
            for app in file.apps {
                guard let name = app.name, !baseNames.contains(name) else { continue }
                added.append((name, file.path, app.mark(of: "metadata.name")))
            }
        }
        guard !added.isEmpty else { return findings }
        var touched = Set<String>()
        for c in changes {
            touched.insert(c.path)
            if let b = c.base { touched.insert(b.path) }
            if let h = c.head { touched.insert(h.path) }
        }
        findings += try duplicates(of: added, excludingPaths: touched, at: headCommit, in: repo, policy: policy, prefetched: prefetched)
        return findings
    }

    /// Starts reading the layout's `{name}`-level directories on another thread, when the policy has a layout
    /// and the change adds a manifest path at a commit (an added name is then likely; a rename in place without
    /// a new path still gets its lookup, without this head start). Nil otherwise.
    package static func prefetch(policy: Policy, changes: [PathChange], at headCommit: ObjectID?, in repo: Repository) -> LayoutPrefetch? {
        guard let layout = policy.manifests.layout, let headCommit else { return nil }
        guard changes.contains(where: { $0.base == nil && $0.head != nil && $0.path != Policy.path }) else { return nil }
        return LayoutPrefetch(layout: layout, commit: headCommit, repositoryPath: repo.openedFrom)
    }

    /// `duplicate-app-name` for every given name (an app of a changed file) that a manifest outside
    /// `excludingPaths` (the changed files, whose names the caller compares among themselves) also uses at the
    /// head revision (`commit`; nil: the index).
    static func duplicates(
        of names: [(name: String, path: String, mark: Mark)], excludingPaths: Set<String>, at commit: ObjectID?,
        in repo: Repository, policy: Policy, prefetched: LayoutPrefetch?
    ) throws(TiergateError) -> [Finding] {
        let uses = try self.uses(of: Set(names.map(\.name)), excludingPaths: excludingPaths, at: commit, in: repo, policy: policy, prefetched: prefetched)
        var findings: [Finding] = []
        for (name, path, mark) in names {
            for use in uses[name] ?? [] {
                let message: String
                if let reason = use.layoutReason {
                    message = "the app name '\(name)' is already taken: \(use.path) \(reason), and this change does not touch it; every app needs its own metadata.name"
                } else {
                    message = "the app name '\(name)' is already used by \(use.path):\(use.mark.line), which this change does not touch; every app needs its own metadata.name"
                }
                findings.append(
                    Finding(
                        .duplicateAppName, message: message, path: path, mark: mark, app: name))
            }
        }
        return findings
    }

    /// Every place at head outside `excludingPaths` that uses one of `names`, by name, in path order.
    package static func uses(
        of names: Set<String>, excludingPaths: Set<String>, at commit: ObjectID?, in repo: Repository, policy: Policy,
        prefetched: LayoutPrefetch? = nil, workers: Int? = nil
    ) throws(TiergateError) -> [String: [Use]] {
        guard !names.isEmpty else { return [:] }
        var result: [String: [Use]]
        if let layout = policy.manifests.layout {
            result = try layoutUses(
                of: names, layout: layout, excludingPaths: excludingPaths, at: commit, in: repo, policy: policy, prefetched: prefetched)
        } else {
            result = try scannedUses(of: names, excludingPaths: excludingPaths, at: commit, in: repo, policy: policy, workers: workers)
        }
        for key in result.keys { result[key]?.sort { ($0.path, $0.mark) < ($1.path, $1.mark) } }
        return result
    }

    // MARK: With a layout

    static func layoutUses(
        of names: Set<String>, layout: ManifestLayout, excludingPaths: Set<String>, at commit: ObjectID?, in repo: Repository,
        policy: Policy, prefetched: LayoutPrefetch?
    ) throws(TiergateError) -> [String: [Use]] {
        var found: [String: [TreeEntry]] = [:]
        if let commit {
            do {
                let ahead = try prefetched.flatMap { p throws(GitError) in p.commit == commit ? try p.trees() : nil }
                found = try layout.entries(holding: names, at: commit, in: repo, nameLevel: ahead)
            } catch {
                throw .reading("the layout paths of the added apps (\(layout))", error)
            }
        } else {
            // The index is a flat list in memory: each entry's path says where it stands in the layout.
            let entries: [TreeEntry]
            do { entries = try repo.indexEntries(where: { _ in true }) } catch { throw .reading("the index", error) }
            for entry in entries {
                guard let place = layout.place(of: entry.path), names.contains(place.name) else { continue }
                guard place.complete || entry.kind == .symlink || entry.kind == .submodule else { continue }
                found[place.name, default: []].append(entry)
            }
        }
        var result: [String: [Use]] = [:]
        for (name, entries) in found {
            for entry in entries where !excludingPaths.contains(entry.path) {
                guard let place = layout.place(of: entry.path) else { continue }
                if !place.complete {
                    let what = entry.kind == .submodule ? "is a submodule" : entry.kind == .symlink ? "is a symbolic link" : "is a file"
                    result[name, default: []].append(
                        Use(path: entry.path, mark: .start, layoutReason: "\(what) where manifests.layout (\(layout)) puts the directory of '\(name)'"))
                    continue
                }
                // A file the include and exclude globs leave out is no manifest.
                guard policy.manifests.matches(entry.path) else { continue }
                let file: ManifestFile
                do { file = try ManifestLoader.load(entry, from: repo) } catch { throw .reading(entry.path, error) }
                if let app = file.apps.first(where: { $0.name == name }) {
                    result[name, default: []].append(Use(path: entry.path, mark: app.mark(of: "metadata.name"), layoutReason: nil))
                } else {
                    let holds = file.apps.compactMap(\.name)
                    let what = holds.isEmpty ? "" : " (it holds \(holds.map { "'\($0)'" }.joined(separator: ", ")))"
                    result[name, default: []].append(
                        Use(path: entry.path, mark: .start, layoutReason: "is the layout path of '\(name)' under manifests.layout (\(layout))\(what)"))
                }
            }
        }
        return result
    }

    // MARK: Without a layout

    private struct Hit: Sendable {
        var name: String
        var path: String
        var mark: Mark
    }

    /// Reads the names of every manifest at head (outside `excludingPaths`) with the name scanner, on every
    /// core, while the tree is walked. A file whose scan finds one of `names`, or that the scanner is not sure
    /// of, is parsed in full, and only the full parse's names count.
    static func scannedUses(
        of names: Set<String>, excludingPaths: Set<String>, at commit: ObjectID?, in repo: Repository, policy: Policy,
        workers: Int?
    ) throws(TiergateError) -> [String: [Use]] {
        let manifests = policy.manifests
        let include: (String) -> Bool = { manifests.matches($0) && !excludingPaths.contains($0) }
        let batches = try ParallelEvaluator.map(
            in: repo, workers: workers,
            walk: { body throws(GitError) in
                if let commit {
                    try repo.forEachEntry(at: commit, where: include, body)
                } else {
                    for entry in try repo.indexEntries(where: include) { body(entry) }
                }
            },
            walkFailed: { .reading("the manifests at head", $0) }
        ) { entry, own throws(TiergateError) -> [Hit]? in
            // Links, submodules and other non-files hold no app (the full parse says the same).
            guard entry.kind == .blob || entry.kind == .executable else { return nil }
            let hits: [Hit]
            do {
                hits = try own.withBlob(entry.id) { buffer in
                    if let scanned = NameScanner.scan(buffer), !scanned.contains(where: { names.contains($0.name) }) { return [] }
                    return ManifestNames.parsed(buffer, path: entry.path).filter { names.contains($0.name) }
                        .map { Hit(name: $0.name, path: entry.path, mark: $0.mark) }
                }
            } catch { throw .reading(entry.path, error) }
            return hits.isEmpty ? nil : hits
        }
        var result: [String: [Use]] = [:]
        for hit in batches.joined() { result[hit.name, default: []].append(Use(path: hit.path, mark: hit.mark, layoutReason: nil)) }
        return result
    }

    // MARK: Paths and names

    /// `path-name-mismatch` for a file under a layout: the file must be at a layout path, hold exactly one app,
    /// and that app's name must be the one its path says.
    package static func pathMismatches(file: ManifestFile, layout: ManifestLayout) -> [Finding] {
        guard let pathName = layout.name(atPath: file.path) else {
            let single = file.apps.count == 1 ? file.apps.first?.name : nil
            return [
                Finding(
                    .pathNameMismatch,
                    message: "\(file.path) is not a path of manifests.layout (\(layout)); put each manifest at the layout path that names its app",
                    path: file.path, mark: .start, app: single)
            ]
        }
        var findings: [Finding] = []
        for (i, app) in file.apps.enumerated() {
            if i > 0 {
                findings.append(
                    Finding(
                        .pathNameMismatch,
                        message: "\(file.path) holds more than one app; under manifests.layout (\(layout)) each app has its own file at the path that names it",
                        path: file.path, mark: app.root.mark, app: app.name))
                continue
            }
            guard let name = app.name, name != pathName else { continue }
            let target = layout.path(for: name, like: file.path).map { "move it to \($0)" } ?? "move it to its layout path"
            findings.append(
                Finding(
                    .pathNameMismatch,
                    message: "the app '\(name)' is at \(file.path), the layout path of '\(pathName)' (manifests.layout: \(layout)); \(target), or name it '\(pathName)'",
                    path: file.path, mark: app.mark(of: "metadata.name"), app: name))
        }
        return findings
    }
}

/// The `{name}`-level directories of a layout (`ManifestLayout.nameLevelTrees`), read on another thread with
/// its own repository handle (libgit2 handles are not shared between threads) while the caller goes on: on a
/// `check` that adds apps, the one expensive part of the lookup (inflating those trees) overlaps with reading
/// and judging the changed files.
package final class LayoutPrefetch: @unchecked Sendable {
    let commit: ObjectID
    private let group = DispatchGroup()
    /// Written by the reading thread before it leaves the group; read only after waiting on it.
    private var outcome: Result<[RawTree], GitError> = .success([])

    init(layout: ManifestLayout, commit: ObjectID, repositoryPath: String) {
        self.commit = commit
        group.enter()
        DispatchQueue.global().async { [self] in
            defer { group.leave() }
            do throws(GitError) {
                let own = try Repository(discoverFrom: repositoryPath)
                outcome = .success(try layout.nameLevelTrees(at: commit, in: own))
            } catch {
                outcome = .failure(error)
            }
        }
    }

    /// The trees, once read (waits for the reading thread).
    func trees() throws(GitError) -> [RawTree] {
        group.wait()
        return try outcome.get()
    }

    /// Waits for the reading thread.
    func join() { group.wait() }
}

#if canImport(Glibc)
import Glibc
#endif

/// What `tiergate lint` is asked to do.
public struct LintRequest: Sendable {
    /// `--repo`: where to look for the repository; nil means the current directory.
    public var repository: String?
    /// `--rev`: the revision whose manifests are linted when no paths are given.
    public var revision: String
    /// Working-tree files to lint instead of a revision (a pre-commit hook passes the changed files).
    public var files: [String]
    public var today: Day
    public var failOn: FailOn
    /// The process's current directory, where relative paths start.
    public var workingDirectory: String

    public init(
        repository: String? = nil, revision: String = "HEAD", files: [String] = [], today: Day = .todayUTC(),
        failOn: FailOn = .error, workingDirectory: String
    ) {
        self.repository = repository
        self.revision = revision
        self.files = files
        self.today = today
        self.failOn = failOn
        self.workingDirectory = workingDirectory
    }
}

/// The `lint` use case: manifests in, report out. Never prints, never exits.
public enum Linter {
    public static func run(_ request: LintRequest) throws(TiergateError) -> Report {
        if request.files.isEmpty {
            return try lintRevision(request)
        }
        return try lintFiles(request)
    }

    private static func lintRevision(_ request: LintRequest) throws(TiergateError) -> Report {
        let start = request.repository.map { absolute($0, from: request.workingDirectory) } ?? request.workingDirectory
        let repo: Repository
        do { repo = try Repository(discoverFrom: start) } catch { throw .opening(start, error) }
        let commit: ObjectID
        do { commit = try repo.resolveCommit(request.revision) } catch {
            throw .resolving(request.revision, error, shallow: repo.isShallow)
        }
        let policy = Policy.builtIn
        let files: [ManifestFile]
        do {
            files = try ManifestLoader.load(from: repo, commit: commit, matcher: policy.manifests)
        } catch { throw .reading("the manifests at \(request.revision)", error) }
        return evaluate(
            files, policy: policy, policyInfo: PolicyInfo(source: .default, path: nil, blob: nil),
            head: RevisionInfo(rev: request.revision, commit: commit.hex), request: request)
    }

    private static func lintFiles(_ request: LintRequest) throws(TiergateError) -> Report {
        var files: [ManifestFile] = []
        for given in request.files {
            let full = absolute(given, from: request.workingDirectory)
            files.append(try WorkingTreeReader.read(full, reportedAs: given))
        }
        return evaluate(
            files, policy: .builtIn, policyInfo: PolicyInfo(source: .default, path: nil, blob: nil),
            head: nil, request: request)
    }

    static func evaluate(
        _ files: [ManifestFile], policy: Policy, policyInfo: PolicyInfo, head: RevisionInfo?, request: LintRequest
    ) -> Report {
        var apps: [AppReport] = []
        var fileFindings: [Finding] = []
        for file in files {
            fileFindings += file.findings
            for app in file.apps {
                guard let name = app.name else {
                    fileFindings += app.findings
                    continue
                }
                apps.append(AppReport(name: name, path: file.path, tier: nil, findings: app.findings))
            }
        }
        fileFindings += duplicateNames(files)
        for i in apps.indices { apps[i].findings.sort(by: Finding.reportOrder) }
        fileFindings.sort(by: Finding.reportOrder)
        let all = apps.flatMap(\.findings) + fileFindings
        let blocked = all.contains { $0.counts && request.failOn.blocks($0.severity) }
        return Report(
            command: .lint, toolVersion: TiergateVersion.current, head: head, policy: policyInfo,
            decision: blocked ? .blocked : .pass, apps: apps, findings: fileFindings,
            summary: Summary(findings: all, apps: apps.count))
    }

    /// `duplicate-app-name`: two documents of one revision share `metadata.name`.
    static func duplicateNames(_ files: [ManifestFile]) -> [Finding] {
        var first: [String: (path: String, mark: Mark)] = [:]
        var findings: [Finding] = []
        for file in files {
            for app in file.apps {
                guard let name = app.name else { continue }
                let mark = app.marks["metadata.name"] ?? app.root.mark
                if let earlier = first[name] {
                    findings.append(
                        Finding(
                            id: "duplicate-app-name", severity: .error,
                            message:
                                "the app name '\(name)' is already used by \(earlier.path):\(earlier.mark.line); every app needs its own metadata.name",
                            path: file.path, mark: mark, app: name))
                } else {
                    first[name] = (file.path, mark)
                }
            }
        }
        return findings
    }

    static func absolute(_ path: String, from cwd: String) -> String {
        path.hasPrefix("/") ? path : (cwd.hasSuffix("/") ? cwd + path : cwd + "/" + path)
    }
}

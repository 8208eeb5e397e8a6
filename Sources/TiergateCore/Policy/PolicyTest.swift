import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One case of a `tiergate/v1` `PolicyTest` file (SPEC section 10): a manifest, the day it is judged on, and what
/// the policy under test must make of it.
package struct PolicyTestCase: Sendable {
    package enum Manifest: Sendable {
        /// `manifest: PATH`: a file, relative to the test file (the path as written, and as found on disk).
        case file(written: String, absolute: String)
        /// `app:` inline: the app's YAML inside the test file, and the ambiguous scalars the file has there.
        case inline(YAMLNode, ambiguous: [YAMLProblem])
    }

    package var name: String
    /// The test file, as shown (from the current directory, or the repository's root for the default folder).
    package var file: String
    /// Where the case's document starts.
    package var mark: Mark
    package var manifest: Manifest
    package var today: Day?
    package var expectedTier: Int
    /// The ids of the unsuppressed findings, exactly, in any order.
    package var expectedFindings: [String]
    /// What a new app of this shape needs; nil when the case does not say.
    package var expectedApprovals: [ApprovalRequirement]?
}

/// A problem that makes a test file invalid (exit 2), with its place.
package struct PolicyTestProblem: Sendable, Hashable, CustomStringConvertible {
    package var path: String
    package var mark: Mark
    package var message: String

    package var description: String { "\(path):\(mark.line):\(mark.column): \(message)" }
}

/// How one case came out.
package struct PolicyTestResult: Sendable, Equatable {
    package var name: String
    package var file: String
    package var line: Int
    package var expectedTier: Int
    /// nil when the manifest has no tier (schema errors).
    package var actualTier: Int?
    package var expectedFindings: [String]
    package var actualFindings: [String]
    package var expectedApprovals: [ApprovalRequirement]?
    package var actualApprovals: [ApprovalRequirement]
    /// What differed, one sentence each; empty when the case passes.
    package var failures: [String]

    package var passed: Bool { failures.isEmpty }
}

/// `tiergate policy test`: every case of every test file, judged by one policy.
package struct PolicyTestReport: Sendable, Equatable {
    package var policy: PolicyInfo
    /// The folder the tests were read from, as shown.
    package var directory: String
    package var results: [PolicyTestResult]

    package var failed: Int { results.count { !$0.passed } }
    package var passed: Int { results.count - failed }
    /// 0 when every case passes, 1 when one fails (an invalid test file is a `TiergateError`: 2).
    package var exitCode: Int32 { failed == 0 ? 0 : 1 }
}

/// What `tiergate policy test` is asked to run.
package struct PolicyTestRequest: Sendable {
    /// `[DIR]`, from the current directory; nil: `.tiergate/tests/` of the working tree around it.
    package var directory: String?
    package var repository: String?
    /// `--policy FILE`; nil: the working tree's `.tiergate/policy.yaml` (the built-in default without one).
    package var policyFile: String?
    /// The day a case without `today:` is judged on.
    package var today: Day
    package var workingDirectory: String

    package init(directory: String? = nil, repository: String? = nil, policyFile: String? = nil, today: Day = .todayUTC(), workingDirectory: String) {
        self.directory = directory
        self.repository = repository
        self.policyFile = policyFile
        self.today = today
        self.workingDirectory = workingDirectory
    }

    package static let defaultDirectory = ".tiergate/tests"
}

package enum PolicyTestRunner {
    package static func run(_ request: PolicyTestRequest) throws(TiergateError) -> PolicyTestReport {
        let (root, shownRoot) = try folder(request)
        let boundary = try boundary(request, tests: root, shownAs: shownRoot)
        let loaded = try policy(request)
        let files = try testFiles(under: root, shownAs: shownRoot)
        let cases = try PolicyTestFiles.read(files, policy: loaded.policy, inside: boundary)
        guard !cases.isEmpty else {
            throw TiergateError(.usage, "no PolicyTest case under \(shownRoot)", fix: "write one (tiergate init writes two examples), or name the folder that holds them")
        }
        let results = cases.map { run($0, policy: loaded, today: request.today) }
        return PolicyTestReport(policy: loaded.info, directory: shownRoot, results: results)
    }

    /// The folder the tests are in, on disk and as shown.
    static func folder(_ request: PolicyTestRequest) throws(TiergateError) -> (String, String) {
        if let dir = request.directory { return (Paths.absolute(dir, from: request.workingDirectory), dir) }
        return (try workdir(request) + "/" + PolicyTestRequest.defaultDirectory, PolicyTestRequest.defaultDirectory)
    }

    /// Where the tests may read (`PolicyTestBoundary`): the working tree; for a DIR outside it, DIR itself. The
    /// default folder reached through a link out of the working tree is refused before anything in it is read.
    static func boundary(_ request: PolicyTestRequest, tests: String, shownAs shown: String) throws(TiergateError) -> PolicyTestBoundary {
        guard request.directory != nil else {
            let tree = PolicyTestBoundary.workingTree(try workdir(request))
            // A missing folder is testFiles' to report.
            if FileManager.default.fileExists(atPath: tests) && !tree.holds(tests) {
                throw TiergateError(.policy, "the tests folder \(shown) leaves \(tree.name) through a symbolic link", fix: "commit the tests themselves under \(shown)")
            }
            return tree
        }
        if let workdir = try? workdir(request) {
            let tree = PolicyTestBoundary.workingTree(workdir)
            if tree.holds(tests) { return tree }
        }
        return PolicyTestBoundary(tests, name: "the tests folder \(shown)")
    }

    static func workdir(_ request: PolicyTestRequest) throws(TiergateError) -> String {
        let repo = try RevisionReader(repository: request.repository, workingDirectory: request.workingDirectory).repository
        guard let workdir = repo.workdir else {
            throw TiergateError(.usage, "the repository has no working tree (it is bare)", fix: "run tiergate policy test in a clone, or name the tests folder and --policy")
        }
        return workdir.hasSuffix("/") ? String(workdir.dropLast()) : workdir
    }

    /// `--policy FILE`, else the working tree's policy file (what the change under work proposes), else the
    /// built-in default.
    /// built-in default. The working tree's file is the pull request's: read as `lint PATH` reads a manifest (no
    /// link, no special file, not past the size limit) and only inside the working tree.
    static func policy(_ request: PolicyTestRequest) throws(TiergateError) -> LoadedPolicy {
        if let file = request.policyFile { return try PolicySource.file(Paths.absolute(file, from: request.workingDirectory)) }
        let workdir = try workdir(request)
        let boundary = PolicyTestBoundary.workingTree(workdir)
        let path = workdir + "/" + Policy.path
        // Nothing there, not even a dangling link (which would otherwise test the built-in default instead).
        var st = stat()
        if lstat(path, &st) != 0 && errno == ENOENT { return .builtIn }
        guard boundary.holds(path) else {
            throw TiergateError(.policy, "\(Policy.path) leaves \(boundary.name) through a symbolic link", fix: "commit the policy file itself")
        }
        let bytes: [UInt8]
        switch try WorkingTreeReader.contents(path, reportedAs: Policy.path) {
        case .bytes(let b): bytes = b
        case .symbolicLink:
            throw TiergateError(.policy, "\(Policy.path) is a symbolic link; tiergate does not follow it", fix: "commit the policy file itself")
        case .notRegularFile: throw TiergateError(.policy, "\(Policy.path) is not a regular file", fix: "commit the policy file itself")
        case .tooLarge(let size): throw TiergateError(.policy, "\(Policy.path): \(YAMLProblem.fileTooLarge(size).message)")
        }
        let policy = try PolicySource.parse(bytes, shownAs: Policy.path)
        return LoadedPolicy(policy: policy, info: PolicyInfo(source: .file, path: Policy.path, blob: PolicySource.gitBlobID(bytes)))
    }

    /// Every `*.yaml` and `*.yml` file under the folder, in path order; a missing folder is a usage error.
    static func testFiles(under root: String, shownAs shown: String) throws(TiergateError) -> [(path: String, shown: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TiergateError(.usage, "\(shown) is not a folder of policy tests", fix: "write tests there (tiergate init writes two examples), or name their folder: tiergate policy test DIR")
        }
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw TiergateError(.io, "cannot read the folder \(shown)")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") { files.append(relative) }
        }
        let prefix = shown.hasSuffix("/") ? shown : shown + "/"
        return files.sorted().map { (root + "/" + $0, prefix + $0) }
    }

    /// One case: the manifest read and judged exactly as `lint` judges it, its tier, its unsuppressed findings and
    /// what a new app of its shape needs, against what the case expects.
    static func run(_ c: PolicyTestCase, policy loaded: LoadedPolicy, today: Day) -> PolicyTestResult {
        let file: ManifestFile
        switch c.manifest {
        case .file(let written, let absolute):
            do { file = try WorkingTreeReader.read(absolute, reportedAs: written) } catch {
                return result(c, tier: nil, findings: [], approvals: [], failures: ["cannot read its manifest: \(error.message)"])
            }
        case .inline(let node, let ambiguous):
            file = PolicyTestFiles.inlineManifest(node, ambiguous: ambiguous, path: c.file)
        }
        let evaluator = AppEvaluator(policy: loaded.policy, today: c.today ?? today, policyPath: loaded.displayPath)
        let (apps, fileFindings) = evaluator.evaluate(file)
        let findings = Set((apps.flatMap(\.findings) + fileFindings).filter(\.counts).map(\.id)).sorted()
        guard apps.count <= 1 else {
            return result(c, tier: nil, findings: findings, approvals: [], failures: ["its manifest holds \(apps.count) apps; a case judges one"])
        }
        let app = apps.first
        let tier = app?.tier
        let approvals = app?.manifest.app.map { a in
            tier.map { PolicyImpactAnalysis.approvals(TypedFields(a), tier: $0, policy: loaded.policy) } ?? []
        } ?? []
        var failures: [String] = []
        if tier != c.expectedTier {
            failures.append("tier: expected \(c.expectedTier), got \(tier.map(String.init) ?? "none (the manifest has schema errors)")")
        }
        let expected = Set(c.expectedFindings)
        let missing = expected.subtracting(findings).sorted()
        let unexpected = Set(findings).subtracting(expected).sorted()
        if !missing.isEmpty || !unexpected.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
            failures.append("findings: \(parts.joined(separator: "; ")) (got \(findings.isEmpty ? "none" : findings.joined(separator: ", ")))")
        }
        if let want = c.expectedApprovals, Set(ApprovalRequirement.union(want)) != Set(approvals) {
            failures.append("approvals: expected \(PolicyTestResult.list(ApprovalRequirement.union(want))), got \(PolicyTestResult.list(approvals))")
        }
        return result(c, tier: tier, findings: findings, approvals: approvals, failures: failures)
    }

    static func result(_ c: PolicyTestCase, tier: Int?, findings: [String], approvals: [ApprovalRequirement], failures: [String]) -> PolicyTestResult {
        PolicyTestResult(
            name: c.name, file: c.file, line: c.mark.line, expectedTier: c.expectedTier, actualTier: tier,
            expectedFindings: Set(c.expectedFindings).sorted(), actualFindings: findings, expectedApprovals: c.expectedApprovals,
            actualApprovals: approvals, failures: failures)
    }
}

extension PolicyTestResult {
    static func list(_ r: [ApprovalRequirement]) -> String {
        r.isEmpty ? "none" : r.map { "\($0.count) from \($0.group)" }.joined(separator: ", ")
    }
}

extension PolicyTestReport: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> PolicyTestReport {
        var x = self
        x.policy = policy.mappingStrings(f)
        x.directory = f(directory)
        x.results = results.map { r in
            var r = r
            r.name = f(r.name)
            r.file = f(r.file)
            r.expectedFindings = r.expectedFindings.map(f)
            r.actualFindings = r.actualFindings.map(f)
            r.expectedApprovals = r.expectedApprovals?.map { ApprovalRequirement(group: f($0.group), count: $0.count) }
            r.actualApprovals = r.actualApprovals.map { ApprovalRequirement(group: f($0.group), count: $0.count) }
            r.failures = r.failures.map(f)
            return r
        }
        return x
    }
}

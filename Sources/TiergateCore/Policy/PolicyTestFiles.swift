import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads the files of a policy-test folder into cases. A `*.yaml` file there is a `PolicyTest` file (one case per
/// document), a manifest (a file holding `microapps/` documents, or one a case names with `manifest:`), or a
/// mistake: anything else is a problem, as is every unknown key, wrong type or unknown finding id of a case, all
/// reported at once with line and column (exit 2).
enum PolicyTestFiles {
    static let apiVersion = "tiergate/v1"
    static let kind = "PolicyTest"

    static func read(_ files: [(path: String, shown: String)], policy: Policy, inside boundary: PolicyTestBoundary) throws(TiergateError) -> [PolicyTestCase] {
        let findingIDs = FindingID.allNames.union(policy.rules.map(\.id))
        var cases: [PolicyTestCase] = []
        var problems: [PolicyTestProblem] = []
        // Files that are neither tests nor manifests, unless a case names them (a manifest with a YAML error).
        var unclaimed: [(path: String, problem: PolicyTestProblem)] = []
        for file in files {
            // A test file is never followed through a link nor read past the limit; a case naming it reads it as
            // `lint PATH` would (which refuses the same).
            let data: [UInt8]
            do {
                switch try WorkingTreeReader.contents(file.path, reportedAs: file.shown) {
                case .bytes(let bytes): data = bytes
                case .symbolicLink:
                    let message = "\(file.shown) is a symbolic link; tiergate does not follow links in the tests folder: commit the file itself"
                    unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: .start, message: message)))
                    continue
                case .notRegularFile:
                    unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: .start, message: "\(file.shown) is not a regular file")))
                    continue
                case .tooLarge(let size):
                    let tooLarge = YAMLProblem.fileTooLarge(size)
                    unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: .start, message: "\(tooLarge.message) (\(tooLarge.kind.rawValue))")))
                    continue
                }
            } catch {
                problems.append(PolicyTestProblem(path: file.shown, mark: .start, message: "cannot read the file"))
                continue
            }
            let parsed = YAMLParser.parse(data)
            let roots = parsed.documents.map(\.root)
            let isTest = { (root: YAMLNode) in root["kind"]?.scalar?.text == kind || root["apiVersion"]?.scalar?.text == apiVersion }
            if roots.contains(where: { ($0["apiVersion"]?.scalar?.text ?? "").hasPrefix("microapps/") }) {
                // Its cases would be skipped with the manifest: a failing case could vanish this way.
                if let test = roots.first(where: isTest) {
                    let message = "the file holds both PolicyTest documents and manifests (microapps/); keep each in a file of its own"
                    problems.append(PolicyTestProblem(path: file.shown, mark: test.mark, message: message))
                }
                continue
            }
            if let yamlError = parsed.problems.first(where: { $0.kind != .ambiguousScalar }) {
                unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: yamlError.mark, message: "\(yamlError.message) (\(yamlError.kind.rawValue))")))
                continue
            }
            guard roots.contains(where: isTest) else {
                let message = "neither a PolicyTest file (apiVersion: \(apiVersion), kind: \(kind)) nor a manifest a test names with manifest:"
                unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: roots.first?.mark ?? .start, message: message)))
                continue
            }
            let ambiguous = parsed.problems.filter { $0.kind == .ambiguousScalar }
            for root in roots {
                let read = readCase(root, ambiguous: ambiguous, path: file.path, shown: file.shown, findingIDs: findingIDs, boundary: boundary)
                if let c = read.case { cases.append(c) }
                problems += read.problems
            }
        }
        let named = Set(cases.compactMap { c -> String? in
            if case .file(_, let absolute) = c.manifest { return URL(fileURLWithPath: absolute).standardizedFileURL.path }
            return nil
        })
        problems += unclaimed.filter { !named.contains(URL(fileURLWithPath: $0.path).standardizedFileURL.path) }.map(\.problem)
        guard problems.isEmpty else {
            let order = Dictionary(files.enumerated().map { ($1.shown, $0) }, uniquingKeysWith: { a, _ in a })
            problems.sort { (order[$0.path] ?? 0, $0.mark) < (order[$1.path] ?? 0, $1.mark) }
            throw TiergateError(
                .policy, "invalid policy tests (\(problems.count) problem\(problems.count == 1 ? "" : "s"))",
                fix: "fix the test files (tiergate schema policy-test describes them)", details: problems.map(\.description))
        }
        return cases
    }

    /// An inline `app:` as a manifest file of its own: the app's shape and the ambiguous scalars inside it.
    static func inlineManifest(_ node: YAMLNode, ambiguous: [YAMLProblem], path: String) -> ManifestFile {
        var decoded = ManifestDecoder.decode(YAMLDocument(root: node), path: path)
        for p in ambiguous {
            decoded.findings.append(Finding(p.kind.id, message: p.message, path: path, mark: p.mark))
        }
        for i in decoded.findings.indices where decoded.findings[i].app == nil { decoded.findings[i].app = decoded.name }
        return ManifestFile(path: path, apps: [decoded], findings: [])
    }
}

/// One `PolicyTest` document as written.
private struct PolicyTestDocument: SchemaRecord {
    var name = ""
    var manifest: String?
    var app: YAMLNode?
    var today: Day?
    var expect = Expectation()

    struct Expectation: SchemaRecord {
        var tier = 0
        var findings: [String] = []
        var approvals: [ApprovalRequirement]?
    }
}

extension PolicyTestFiles {
    static let document = DocumentKind(name: "a tiergate PolicyTest", shortName: "test", nullCollectionsAreEmpty: false, redactsValues: false)

    /// The table of a `PolicyTest` document; the finding ids it may expect are those of the policy under test.
    private static func schema(findingIDs: Set<String>) -> RecordSchema<PolicyTestDocument> {
        let findingID = Codec<String>.string(
            .check { findingIDs.contains($0) ? nil : "is no finding id (built-in, or a rule of the policy under test)" })
        return RecordSchema([
            .constant("apiVersion", apiVersion),
            .constant("kind", kind),
            .field("name", \.name, .string(.check { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is empty; say what the case shows" : nil }), .required),
            .field("manifest", \.manifest, .string()),
            .field("app", \.app, .node("A MicroApp manifest, inline.")),
            .field("today", \.today, .date),
            .field(
                "expect", \.expect,
                .record(
                    RecordSchema([
                        .field("tier", \.tier, .integer(0...3), .required),
                        .field("findings", \.findings, .list(findingID), .required),
                        .field("approvals", \.approvals, .records(ApprovalRequirement.schema)),
                    ])), .required),
        ])
    }

    /// Reads one `PolicyTest` document, collecting every problem: the table's, then which manifest it names.
    private static func readCase(
        _ root: YAMLNode, ambiguous: [YAMLProblem], path: String, shown: String, findingIDs: Set<String>, boundary: PolicyTestBoundary
    ) -> (case: PolicyTestCase?, problems: [PolicyTestProblem]) {
        var reader = MappingReader(document)
        var doc = PolicyTestDocument()
        let isMapping = reader.read(root, as: schema(findingIDs: findingIDs), at: FieldName(""), into: &doc)
        var problems = reader.problems.map { PolicyTestProblem(path: shown, mark: $0.mark, message: $0.message) }
        func fail(_ message: String, _ mark: Mark) { problems.append(PolicyTestProblem(path: shown, mark: mark, message: message)) }
        guard isMapping else { return (nil, problems) }

        var manifest: PolicyTestCase.Manifest?
        switch (doc.manifest, doc.app) {
        case (let written?, nil):
            let mark = root.field("manifest")?.mark ?? root.mark
            let absolute = (path as NSString).deletingLastPathComponent + "/" + written
            var isDirectory: ObjCBool = false
            if written.hasPrefix("/") {
                fail("manifest must be a path relative to this file", mark)
            } else if !boundary.holds(absolute) {
                fail("manifest names \(written), which leaves \(boundary.name)", mark)
            } else if !FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) || isDirectory.boolValue {
                fail("manifest names \(written), which is not a file next to this one", mark)
            } else {
                let shownDir = (shown as NSString).deletingLastPathComponent
                manifest = .file(written: shownDir.isEmpty ? written : shownDir + "/" + written, absolute: absolute)
            }
        case (nil, let app?):
            if app.isMapping {
                var marks: [Mark] = []
                app.forEachString { _, _, mark, _ in marks.append(mark) }
                manifest = .inline(app, ambiguous: ambiguous.filter { marks.contains($0.mark) })
            } else {
                fail("app must be a MicroApp manifest (a mapping), found \(app.kindDescription)", app.mark)
            }
        case (_?, _?): fail("the test has both manifest and app; give one", root.mark)
        case (nil, nil):
            // A manifest or app that is there but invalid is reported already.
            if root.field("manifest") == nil && root.field("app") == nil {
                fail("the test has neither manifest (a file) nor app (inline); give one", root.mark)
            }
        }
        guard let manifest, problems.isEmpty else { return (nil, problems) }
        let x = doc.expect
        let c = PolicyTestCase(
            name: doc.name, file: shown, mark: root.mark, manifest: manifest, today: doc.today, expectedTier: x.tier,
            expectedFindings: x.findings, expectedApprovals: x.approvals)
        return (c, problems)
    }
}

/// Where policy tests may read: the repository's working tree, its `.git` excepted (a checkout's credentials live
/// in `.git/config`), or the tests folder itself when it lies outside any working tree. CI runs the tests of a
/// pull request's head tree into logs that may be public, so nothing outside is read, through `..` or a link.
package struct PolicyTestBoundary: Sendable {
    /// The folder, symbolic links resolved.
    let root: String
    /// The boundary in a message: "the repository's working tree".
    let name: String

    init(_ folder: String, name: String) {
        root = Self.resolved(folder) ?? folder
        self.name = name
    }

    static func workingTree(_ workdir: String) -> PolicyTestBoundary {
        PolicyTestBoundary(workdir, name: "the repository's working tree")
    }

    /// Whether the path, once the OS resolves it, lies inside. For a path that does not exist, the part of it that
    /// does decides, so a missing file outside says no more than one that exists.
    func holds(_ path: String) -> Bool {
        var existing = path
        var resolved = Self.resolved(existing)
        while resolved == nil, existing.contains("/") {
            existing = (existing as NSString).deletingLastPathComponent
            resolved = Self.resolved(existing.isEmpty ? "/" : existing)
        }
        guard let resolved else { return false }
        if resolved == root { return true }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return resolved.hasPrefix(prefix) && !resolved.dropFirst(prefix.count).split(separator: "/").contains(".git")
    }

    /// The path with every link, `.` and `..` resolved by the OS (`realpath`); nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

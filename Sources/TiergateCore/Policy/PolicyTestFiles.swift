import Foundation

/// Reads the files of a policy-test folder into cases. A `*.yaml` file there is a `PolicyTest` file (one case per
/// document), a manifest (a file holding `microapps/` documents, or one a case names with `manifest:`), or a
/// mistake: anything else is a problem, as is every unknown key, wrong type or unknown finding id of a case, all
/// reported at once with line and column (exit 2).
enum PolicyTestFiles {
    static let apiVersion = "tiergate/v1"
    static let kind = "PolicyTest"

    static func read(_ files: [(path: String, shown: String)], policy: Policy) throws(TiergateError) -> [PolicyTestCase] {
        let findingIDs = BuiltInFindings.ids.union(policy.rules.map(\.id))
        var cases: [PolicyTestCase] = []
        var problems: [PolicyTestProblem] = []
        // Files that are neither tests nor manifests, unless a case names them (a manifest with a YAML error).
        var unclaimed: [(path: String, problem: PolicyTestProblem)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                problems.append(PolicyTestProblem(path: file.shown, mark: .start, message: "cannot read the file"))
                continue
            }
            let parsed = YAMLParser.parse(Array(data))
            let roots = parsed.documents.map(\.root)
            if roots.contains(where: { ($0["apiVersion"]?.scalar?.text ?? "").hasPrefix("microapps/") }) { continue }
            if let yamlError = parsed.problems.first(where: { $0.kind != .ambiguousScalar }) {
                unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: yamlError.mark, message: "\(yamlError.message) (\(yamlError.kind.rawValue))")))
                continue
            }
            guard roots.contains(where: { $0["kind"]?.scalar?.text == kind || $0["apiVersion"]?.scalar?.text == apiVersion }) else {
                let message = "neither a PolicyTest file (apiVersion: \(apiVersion), kind: \(kind)) nor a manifest a test names with manifest:"
                unclaimed.append((file.path, PolicyTestProblem(path: file.shown, mark: roots.first?.mark ?? .start, message: message)))
                continue
            }
            let ambiguous = parsed.problems.filter { $0.kind == .ambiguousScalar }
            for root in roots {
                var reader = CaseReader(path: file.path, shown: file.shown, findingIDs: findingIDs)
                if let c = reader.read(root, ambiguous: ambiguous) { cases.append(c) }
                problems += reader.problems
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
            let all = problems.map(\.description).joined(separator: "; ")
            throw TiergateError(
                .policy, "invalid policy test file\(problems.count == 1 ? "" : "s"): \(all)",
                fix: "fix the test files (tiergate schema policy-test describes them)")
        }
        return cases
    }

    /// An inline `app:` as a manifest file of its own: the app's shape and the ambiguous scalars inside it.
    static func inlineManifest(_ node: YAMLNode, ambiguous: [YAMLProblem], path: String) -> ManifestFile {
        var decoded = ManifestDecoder.decode(YAMLDocument(root: node), path: path)
        for p in ambiguous {
            decoded.findings.append(Finding(id: p.kind.rawValue, severity: p.kind.defaultSeverity, message: p.message, path: path, mark: p.mark))
        }
        for i in decoded.findings.indices where decoded.findings[i].app == nil { decoded.findings[i].app = decoded.name }
        return ManifestFile(path: path, apps: [decoded], findings: [])
    }
}

/// Reads one `PolicyTest` document, collecting every problem.
private struct CaseReader {
    let path: String
    let shown: String
    let findingIDs: Set<String>
    var problems: [PolicyTestProblem] = []

    mutating func fail(_ message: String, _ mark: Mark) { problems.append(PolicyTestProblem(path: shown, mark: mark, message: message)) }

    mutating func read(_ root: YAMLNode, ambiguous: [YAMLProblem]) -> PolicyTestCase? {
        let keys = ["apiVersion", "kind", "name", "manifest", "app", "today", "expect"]
        guard let f = fields(root, "the test", known: keys, required: ["apiVersion", "kind", "name", "expect"]) else { return nil }
        if let n = f["apiVersion"], let v = string(n, "apiVersion"), v != PolicyTestFiles.apiVersion { fail("apiVersion must be \(PolicyTestFiles.apiVersion)", n.mark) }
        if let n = f["kind"], let v = string(n, "kind"), v != PolicyTestFiles.kind { fail("kind must be \(PolicyTestFiles.kind)", n.mark) }
        let name = f["name"].flatMap { string($0, "name") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty, let n = f["name"] { fail("name is empty", n.mark) }

        var manifest: PolicyTestCase.Manifest?
        switch (f["manifest"], f["app"]) {
        case (let m?, nil):
            if let written = string(m, "manifest") {
                let dir = (path as NSString).deletingLastPathComponent
                let absolute = dir + "/" + written
                var isDirectory: ObjCBool = false
                if written.hasPrefix("/") {
                    fail("manifest must be a path relative to this file", m.mark)
                } else if !FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) || isDirectory.boolValue {
                    fail("manifest names \(written), which is not a file next to this one", m.mark)
                } else {
                    let shownDir = (shown as NSString).deletingLastPathComponent
                    manifest = .file(written: shownDir.isEmpty ? written : shownDir + "/" + written, absolute: absolute)
                }
            }
        case (nil, let a?):
            if a.isMapping {
                var marks: [Mark] = []
                a.forEachString { _, _, mark, _ in marks.append(mark) }
                let inside = ambiguous.filter { marks.contains($0.mark) }
                manifest = .inline(a, ambiguous: inside)
            } else {
                fail("app must be a MicroApp manifest (a mapping), found \(a.kindDescription)", a.mark)
            }
        case (_?, _?): fail("the test has both manifest and app; give one", root.mark)
        case (nil, nil): fail("the test has neither manifest (a file) nor app (inline); give one", root.mark)
        }

        var today: Day?
        if let n = f["today"] {
            today = string(n, "today").flatMap(Day.init)
            if today == nil && n.scalar != nil { fail("today must be a date written YYYY-MM-DD", n.mark) }
        }

        var tier: Int?
        var findings: [String]?
        var approvals: [ApprovalRequirement]?
        var approvalsValid = true
        if let e = f["expect"], let x = fields(e, "expect", known: ["tier", "findings", "approvals"], required: ["tier", "findings"]) {
            if let n = x["tier"] {
                if case .int(let t)? = n.scalarValue, (0...3).contains(t) { tier = t } else { fail("expect.tier must be a tier, 0 to 3", n.mark) }
            }
            if let n = x["findings"] { findings = findingList(n) }
            if let n = x["approvals"] {
                approvals = approvalList(n)
                approvalsValid = approvals != nil
            }
        }
        guard let name, let manifest, let tier, let findings, approvalsValid, problems.isEmpty else { return nil }
        return PolicyTestCase(
            name: name, file: shown, mark: root.mark, manifest: manifest, today: today, expectedTier: tier, expectedFindings: findings,
            expectedApprovals: approvals)
    }

    mutating func findingList(_ node: YAMLNode) -> [String]? {
        guard let items = node.sequence else {
            fail("expect.findings must be a list of finding ids ([] for none)", node.mark)
            return nil
        }
        var ids: [String] = []
        for (i, item) in items.enumerated() {
            guard let id = string(item, "expect.findings[\(i)]") else { continue }
            guard findingIDs.contains(id) else {
                fail("expect.findings names '\(id)', which is no finding id (built-in, or a rule of the policy under test)", item.mark)
                continue
            }
            ids.append(id)
        }
        return ids.count == items.count ? ids : nil
    }

    mutating func approvalList(_ node: YAMLNode) -> [ApprovalRequirement]? {
        guard let items = node.sequence else {
            fail("expect.approvals must be a list of {group, count} ([] for none)", node.mark)
            return nil
        }
        var result: [ApprovalRequirement] = []
        for (i, item) in items.enumerated() {
            let p = "expect.approvals[\(i)]"
            guard let f = fields(item, p, known: ["group", "count"], required: ["group", "count"]),
                let group = f["group"].flatMap({ string($0, "\(p).group") }), let countNode = f["count"]
            else { continue }
            guard case .int(let count)? = countNode.scalarValue, (1...PolicyBounds.approvalCount).contains(count) else {
                fail("\(p).count must be a whole number from 1 to \(PolicyBounds.approvalCount)", countNode.mark)
                continue
            }
            result.append(ApprovalRequirement(group: group, count: count))
        }
        return result.count == items.count ? result : nil
    }

    mutating func fields(_ node: YAMLNode, _ p: String, known: [String], required: [String]) -> [String: YAMLNode]? {
        guard let pairs = node.mapping else {
            fail("\(p) must be a mapping, found \(node.kindDescription)", node.mark)
            return nil
        }
        var result: [String: YAMLNode] = [:]
        for pair in pairs {
            guard case .string(let k)? = pair.key.scalarValue else {
                fail("\(p) has a key that is not a string", pair.key.mark)
                continue
            }
            guard known.contains(k) else {
                fail("\(p) has the unknown key '\(k)' (allowed: \(known.joined(separator: ", ")))", pair.key.mark)
                continue
            }
            result[k] = pair.value
        }
        for k in required where result[k] == nil { fail("\(p) is missing '\(k)'", node.mark) }
        return result
    }

    mutating func string(_ node: YAMLNode, _ p: String) -> String? {
        guard case .string(let s)? = node.scalarValue else {
            fail("\(p) must be a string, found \(node.kindDescription)", node.mark)
            return nil
        }
        return s
    }
}

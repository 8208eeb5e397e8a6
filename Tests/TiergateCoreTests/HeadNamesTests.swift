import Foundation
import Testing

@testable import TiergateCore

/// `groupsPolicy` with a manifest layout.
func layoutPolicy(_ layout: String = "teams/*/apps/{name}/microapp.yaml") -> String {
    groupsPolicy + "manifests:\n  include: [\"**/microapp.yaml\"]\n  layout: \(layout)\n"
}

/// A tier-3 app (regulated data, company cloud, SLA-critical, org-wide).
func crownJewel(_ name: String) -> String {
    app(name, [
        ("dataClass: internal", "dataClass: regulated"), ("accessScope: team", "accessScope: org-wide"),
        ("criticality: toy", "criticality: sla-critical"), ("runtime: client", "runtime: company-cloud"),
    ])
}

extension TestRepository {
    /// Deletes a loose object (what `git rev-parse` names), so that any read of it fails.
    func deleteObject(_ rev: String) throws {
        let id = try git(["rev-parse", rev])
        let dir = try git(["rev-parse", "--git-dir"])
        let base = dir.hasPrefix("/") ? dir : path + "/" + dir
        try FileManager.default.removeItem(atPath: "\(base)/objects/\(id.prefix(2))/\(id.dropFirst(2))")
    }
}

@Suite("manifests.layout", .temporaryDirectories)
struct ManifestLayoutTests {
    func layout(_ text: String) throws -> ManifestLayout {
        switch ManifestLayout.parse(text) {
        case .success(let l): return l
        case .failure(let e): throw TestFailure(e.message)
        }
    }

    @Test("a pattern with one {name} segment: which name a path says, and where a name belongs")
    func paths() throws {
        let l = try layout("teams/*/apps/{name}/microapp.yaml")
        #expect(l.segments == [.literal("teams"), .any, .literal("apps"), .name(prefix: "", suffix: ""), .literal("microapp.yaml")])
        #expect(l.name(atPath: "teams/t1/apps/where2eat/microapp.yaml") == "where2eat")
        #expect(l.name(atPath: "teams/t1/apps/where2eat/microapp.yml") == nil)
        #expect(l.name(atPath: "teams/t1/x/apps/where2eat/microapp.yaml") == nil)
        #expect(l.name(atPath: "teams//apps/where2eat/microapp.yaml") == nil)
        #expect(l.name(atPath: "apps/where2eat/microapp.yaml") == nil)
        #expect(l.path(for: "b", like: "teams/t1/apps/a/microapp.yaml") == "teams/t1/apps/b/microapp.yaml")
        #expect(l.place(of: "teams/t1/apps/a")! == ("a", false))
        #expect(l.place(of: "teams/t1/apps") == nil)
        let flat = try layout("apps/{name}.microapp.yaml")
        #expect(flat.name(atPath: "apps/expense-bot.microapp.yaml") == "expense-bot")
        #expect(flat.name(atPath: "apps/.microapp.yaml") == nil)
        #expect(flat.name(atPath: "apps/x.yaml") == nil)
        // Bytes, not Unicode equivalence: a decomposed é is another directory to git.
        let accented = try layout("caf\u{E9}/{name}/m.yaml")
        #expect(accented.name(atPath: "cafe\u{301}/a/m.yaml") == nil)
        #expect(accented.name(atPath: "caf\u{E9}/a/m.yaml") == "a")
    }

    @Test("invalid patterns say what is wrong", arguments: [
        ("apps/**/{name}/microapp.yaml", "'**'"), ("apps/*/microapp.yaml", "no {name}"),
        ("apps/{name}/{name}.yaml", "more than one {name}"), ("apps/a*/{name}/m.yaml", "segment 'a*'"),
        ("/apps/{name}/m.yaml", "leading '/'"), ("apps//{name}/m.yaml", "empty segment"), ("apps/../{name}/m.yaml", "'..'"),
        ("apps/{name}*/m.yaml", "mixes {name} with wildcards"), ("apps/{name}/", "not '/'"), ("", "is empty"),
        ("apps/[ab]/{name}/m.yaml", "segment '[ab]'"),
    ])
    func invalid(_ pattern: String, _ expected: String) {
        guard case .failure(let e) = ManifestLayout.parse(pattern) else {
            Issue.record("\(pattern) must be invalid")
            return
        }
        #expect(e.message.contains(expected), "\(e.message)")
    }

    @Test("schemas/policy.schema.json and the loader agree on layouts", arguments: [
        ("teams/*/apps/{name}/microapp.yaml", true), ("apps/{name}.microapp.yaml", true), ("{name}/microapp.yaml", true),
        ("apps/**/{name}/microapp.yaml", false), ("apps/*/microapp.yaml", false), ("apps/{name}/{name}.microapp.yaml", false),
        ("apps/a*/{name}/microapp.yaml", false), ("/apps/{name}/microapp.yaml", false), ("apps//{name}/microapp.yaml", false),
    ])
    func schemaAgrees(_ layout: String, _ valid: Bool) throws {
        let text = policy("manifests:\n  include: [\"**/microapp.yaml\", \"**/*.microapp.yaml\"]\n  layout: \"\(layout)\"")
        #expect(policyProblems(text).isEmpty == valid, "the loader on \(layout)")
        let file = try makeTemporaryDirectory("schema") + "/policy.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let r = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/policy.schema.json"), file])
        #expect((r.status == 0) == valid, "the schema on \(layout): \(r.stdout)")
    }

    @Test("the policy reads manifests.layout; an invalid one names its line; the default has none")
    func policyLoading() throws {
        #expect(Policy.builtIn.manifests.layout == nil)
        let p = try loadPolicy(layoutPolicy())
        #expect(p.manifests.layout?.pattern == "teams/*/apps/{name}/microapp.yaml")
        let bad = policyProblems(policy("manifests:\n  include: [\"**/microapp.yaml\"]\n  layout: apps/**/{name}/microapp.yaml"))
        #expect(bad.count == 1 && bad.first?.mark.line == 5 && bad.first?.message.contains("'**'") == true, "\(bad)")
        let unreachable = policyProblems(policy("manifests:\n  include: [\"**/microapp.yaml\"]\n  layout: apps/{name}.yaml"))
        #expect(unreachable.first?.message.contains("manifests.include does not match") == true, "\(unreachable)")
        #expect(unreachable.first?.mark.line == 5)
        let notString = policyProblems(policy("manifests:\n  include: [\"**/microapp.yaml\"]\n  layout: [a]"))
        #expect(notString.first?.message.contains("must be a string") == true, "\(notString)")
    }
}

@Suite("Names against the whole head revision", .temporaryDirectories)
struct HeadNamesTests {
    @Test("the layout lookup reads only the directories the pattern names")
    func lookupReadsOnlyNamedTrees() throws {
        let repo = try TestRepository()
        try repo.write("teams/t1/apps/a/microapp.yaml", app("a"))
        try repo.write("teams/t2/apps/b/microapp.yaml", app("b"))
        try repo.write("teams/t2/apps/c/microapp.yaml", app("c"))
        try repo.write("teams/t1/other/x/microapp.yaml", app("x"))
        try repo.write("docs/big/microapp.yaml", app("d"))
        try repo.commit()
        // Trees the lookup must not need: a full walk fails without them.
        try repo.deleteObject("HEAD:docs")
        try repo.deleteObject("HEAD:teams/t1/other")
        try repo.deleteObject("HEAD:teams/t2/apps/c")
        let git = try Repository(discoverFrom: repo.path)
        let commit = try git.resolveCommit("HEAD")
        #expect(throws: GitError.self) { try git.forEachEntry(at: commit, where: { _ in true }) { _ in } }
        let layout = try #require(try loadPolicy(layoutPolicy()).manifests.layout)
        let found = try layout.entries(holding: ["a", "b", "zz"], at: commit, in: git)
        #expect(found.mapValues { $0.map(\.path) } == ["a": ["teams/t1/apps/a/microapp.yaml"], "b": ["teams/t2/apps/b/microapp.yaml"]])
        // Read ahead (as check does on another thread), the same answer from the same directories.
        let nameLevel = try layout.nameLevelTrees(at: commit, in: git)
        #expect(nameLevel.map(\.path).sorted() == ["teams/t1/apps", "teams/t2/apps"])
        let ahead = try layout.entries(holding: ["a", "b", "zz"], at: commit, in: git, nameLevel: nameLevel)
        #expect(ahead.mapValues { $0.map(\.path) } == found.mapValues { $0.map(\.path) })
    }

    @Test("a layout whose first segment is the name, with a suffix, looked up directly and read ahead")
    func nameFirst() throws {
        let repo = try TestRepository()
        try repo.write("a.microapp.yaml", app("a"))
        try repo.write("b.microapp.yaml", app("b"))
        try repo.write("sub/c.microapp.yaml", app("c"))
        try repo.commit()
        let git = try Repository(discoverFrom: repo.path)
        let commit = try git.resolveCommit("HEAD")
        let layout = try #require(try loadPolicy(policy("manifests:\n  include: [\"**/*.microapp.yaml\"]\n  layout: \"{name}.microapp.yaml\"")).manifests.layout)
        let direct = try layout.entries(holding: ["a", "c"], at: commit, in: git)
        #expect(direct.mapValues { $0.map(\.path) } == ["a": ["a.microapp.yaml"]])
        let ahead = try layout.entries(holding: ["a", "c"], at: commit, in: git, nameLevel: try layout.nameLevelTrees(at: commit, in: git))
        #expect(ahead.mapValues { $0.map(\.path) } == ["a": ["a.microapp.yaml"]])
    }

    /// A tree object written as raw bytes (git would refuse to build it from the index).
    func rawTree(_ repo: TestRepository, _ entries: [(mode: String, name: String, id: String)]) throws -> String {
        var bytes: [UInt8] = []
        for e in entries {
            bytes += Array("\(e.mode) \(e.name)".utf8) + [0]
            var hex = Substring(e.id)
            while !hex.isEmpty {
                bytes.append(UInt8(hex.prefix(2), radix: 16) ?? 0)
                hex = hex.dropFirst(2)
            }
        }
        let file = try makeTemporaryDirectory("tree") + "/tree"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try repo.git(["hash-object", "-w", "-t", "tree", "--literally", file])
    }

    @Test("the lookup refuses a tree entry named '..', '.' or '.git', as a revision holding one is refused")
    func forbiddenNames() throws {
        let repo = try TestRepository()
        try repo.write("teams/t1/apps/a/microapp.yaml", app("a"))
        try repo.commit()
        let apps = try repo.git(["rev-parse", "HEAD:teams/t1/apps"])
        let layout = try #require(try loadPolicy(layoutPolicy()).manifests.layout)
        for bad in ["..", ".", ".GIT"] {
            let t1 = try rawTree(repo, [("40000", "apps", apps)])
            let teams = try rawTree(repo, [("40000", bad, t1), ("40000", "t1", t1)])
            let root = try rawTree(repo, [("40000", "teams", teams)])
            let commit = try repo.git(["commit-tree", root, "-m", "bad"])
            let git = try Repository(discoverFrom: repo.path)
            #expect(throws: GitError.self, "\(bad)") {
                try layout.entries(holding: ["a"], at: try git.resolveCommit(commit), in: git)
            }
        }
        // The same shape with an ordinary name is read.
        let t1 = try rawTree(repo, [("40000", "apps", apps)])
        let root = try rawTree(repo, [("40000", "teams", try rawTree(repo, [("40000", "t0", t1), ("40000", "t1", t1)]))])
        let git = try Repository(discoverFrom: repo.path)
        let found = try layout.entries(holding: ["a"], at: try git.resolveCommit(try repo.git(["commit-tree", root, "-m", "ok"])), in: git)
        #expect(found["a"]?.map(\.path) == ["teams/t0/apps/a/microapp.yaml", "teams/t1/apps/a/microapp.yaml"])
    }

    @Test("a link or submodule in a name's place claims the name")
    func linksClaimNames() throws {
        let repo = try TestRepository()
        try repo.write("teams/t1/apps/a/microapp.yaml", app("a"))
        try FileManager.default.createDirectory(atPath: repo.path + "/teams/t2/apps", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/teams/t2/apps/linked", withDestinationPath: "../../t1/apps/a")
        try repo.git(["add", "-A"])
        let submoduleCommit = String(repeating: "ab", count: 20)
        try repo.git(["update-index", "--add", "--cacheinfo", "160000,\(submoduleCommit),teams/t3/apps/vendored"])
        try repo.git(["commit", "-q", "-m", "links"])  // not `add -A`: the gitlink has no directory in the work tree
        let git = try Repository(discoverFrom: repo.path)
        let layout = try #require(try loadPolicy(layoutPolicy()).manifests.layout)
        let found = try layout.entries(holding: ["linked", "vendored", "a"], at: try git.resolveCommit("HEAD"), in: git)
        #expect(found["linked"]?.map(\.kind) == [.symlink])
        #expect(found["vendored"]?.map(\.kind) == [.submodule])
        #expect(found["a"]?.map(\.path) == ["teams/t1/apps/a/microapp.yaml"])
    }

    /// Attack: add a second manifest named like an untouched tier-3 app. A deployer keyed by name would read
    /// one of the two, and a later change could remove the original; before, this passed as a tier-0 `added` app.
    @Test("a new app named like an untouched app is duplicate-app-name, without a layout (the name scan)")
    func shadowNameScanned() throws {
        let r = try ChangeRepository(base: ["apps/crown/microapp.yaml": crownJewel("crown"), "apps/other/microapp.yaml": app("other")])
        try r.change(["apps/shadow/microapp.yaml": app("crown")])
        let report = try r.check()
        let dup = report.findings.filter { $0.id == "duplicate-app-name" }
        #expect(dup.count == 1)
        #expect(dup.first?.path == "apps/shadow/microapp.yaml" && dup.first?.line == 4 && dup.first?.app == "crown")
        #expect(dup.first?.message.contains("apps/crown/microapp.yaml:4") == true, "\(dup)")
        #expect(report.decision == .blocked)
    }

    @Test("a new app named like an untouched app is duplicate-app-name, with a layout (the lookup)")
    func shadowNameLayout() throws {
        let r = try ChangeRepository(
            base: ["teams/a/apps/crown/microapp.yaml": crownJewel("crown"), "teams/b/apps/other/microapp.yaml": app("other")],
            policy: layoutPolicy())
        try r.change(["teams/b/apps/crown/microapp.yaml": app("crown")])
        let report = try r.check()
        let dup = report.findings.filter { $0.id == "duplicate-app-name" }
        #expect(dup.map(\.path) == ["teams/b/apps/crown/microapp.yaml"])
        #expect(dup.first?.message.contains("teams/a/apps/crown/microapp.yaml:4") == true, "\(dup)")
        #expect(!report.findings.contains { $0.id == "path-name-mismatch" })
        #expect(report.decision == .blocked)
    }

    /// Attack: keep the path, change `metadata.name` to the name of an untouched app.
    @Test("a rename in place to a name an untouched file uses is duplicate-app-name")
    func renameInPlace() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a"), "apps/b/microapp.yaml": crownJewel("b")])
        try r.change(["apps/a/microapp.yaml": app("b")])
        let report = try r.check()
        #expect(report.findings.filter { $0.id == "duplicate-app-name" }.map(\.path) == ["apps/a/microapp.yaml"])
        #expect(report.decision == .blocked)
    }

    @Test("with a layout, a manifest away from its layout path is path-name-mismatch, in check and in lint")
    func pathNameMismatch() throws {
        let r = try ChangeRepository(base: ["teams/a/apps/a/microapp.yaml": app("a")], policy: layoutPolicy())
        try r.change([
            "teams/b/apps/foo/microapp.yaml": app("bar"),
            "teams/b/apps/two/microapp.yaml": app("two") + "---\n" + app("three"),
            "teams/b/microapp.yaml": app("loose"),
            "teams/c/apps/fine/microapp.yaml": app("fine"),
        ])
        let report = try r.check()
        let mismatches = report.findings.filter { $0.id == "path-name-mismatch" }.sorted(by: Finding.reportOrder)
        #expect(mismatches.map(\.path) == ["teams/b/apps/foo/microapp.yaml", "teams/b/apps/two/microapp.yaml", "teams/b/microapp.yaml"])
        #expect(mismatches.first?.message.contains("move it to teams/b/apps/bar/microapp.yaml") == true, "\(mismatches)")
        #expect(mismatches.first?.line == 4 && mismatches.first?.app == "bar")
        #expect(mismatches.allSatisfy { $0.severity == .error })
        #expect(report.decision == .blocked)

        var request = LintRequest(repository: r.path, today: CheckExample.today, workingDirectory: "/")
        request.parallelism = 2
        let lint = try Linter.run(request)
        #expect(lint.findings.filter { $0.id == "path-name-mismatch" }.map(\.path).sorted() == mismatches.map(\.path))
    }

    @Test("with a layout, the name's layout path counts even when the file there names another app")
    func layoutPathTaken() throws {
        // Written before the layout was declared: the file at crown's layout path holds another name.
        let r = try ChangeRepository(base: ["teams/a/apps/crown/microapp.yaml": app("legacy")], policy: layoutPolicy())
        try r.change(["teams/b/apps/crown/microapp.yaml": app("crown")])
        let dup = try r.check().findings.filter { $0.id == "duplicate-app-name" }
        #expect(dup.count == 1)
        #expect(dup.first?.message.contains("teams/a/apps/crown/microapp.yaml is the layout path of 'crown'") == true, "\(dup)")
        #expect(dup.first?.message.contains("'legacy'") == true)
    }

    /// The speed contract in a test: with a layout, an unreadable manifest elsewhere is never read; without
    /// one, adding an app reads every manifest; a change that adds none reads none of the untouched ones.
    @Test("what check reads: the layout's directories, every manifest for the scan, nothing when nothing is added")
    func whatCheckReads() throws {
        let base = [
            "teams/a/apps/a/microapp.yaml": app("a"), "teams/b/apps/b/microapp.yaml": app("b"),
            "teams/c/apps/broken/microapp.yaml": app("broken"),
        ]
        let r = try ChangeRepository(base: base, policy: layoutPolicy())
        try r.change(["teams/a/apps/a/microapp.yaml": app("a", [("owner: ops", "owner: growth")])])
        let modifies = r.head
        try r.change(["teams/b/apps/new/microapp.yaml": app("new")])
        let adds = r.head
        try r.repo.deleteObject("main:teams/c/apps/broken/microapp.yaml")

        #expect(try r.check { $0.head = modifies }.findings.isEmpty, "a change that adds no app reads no untouched manifest")
        #expect(try r.check { $0.head = adds }.findings.isEmpty, "the lookup reads only the names' directories")
        let noLayout = try makeTemporaryDirectory("policy") + "/policy.yaml"
        try Data(groupsPolicy.utf8).write(to: URL(fileURLWithPath: noLayout))
        #expect(try r.check { $0.head = modifies; $0.policyFile = noLayout }.findings.isEmpty)
        #expect(throws: TiergateError.self, "without a layout, the scan reads every manifest") {
            try r.check { $0.head = adds; $0.policyFile = noLayout }
        }
    }

    @Test("--staged: names are checked against the whole index")
    func staged() throws {
        for policy in [groupsPolicy, layoutPolicy()] {
            let r = try ChangeRepository(base: ["teams/a/apps/crown/microapp.yaml": crownJewel("crown")], policy: policy)
            try r.repo.write("teams/b/apps/crown/microapp.yaml", app("crown"))
            try r.repo.git(["add", "-A"])
            let report = try r.check { $0.staged = true }
            let dup = report.findings.filter { $0.id == "duplicate-app-name" }
            #expect(dup.map(\.path) == ["teams/b/apps/crown/microapp.yaml"], "\(policy)")
            #expect(dup.first?.message.contains("teams/a/apps/crown/microapp.yaml:4") == true)
        }
    }

    @Test("the scan falls back to the full parse where it is unsure, and a name inside text is no name")
    func scanFallbackEndToEnd() throws {
        let quoted = crownJewel("crown").replacingOccurrences(of: "name: crown", with: "name: \"crown\"")
        let textOnly = app("holder", [("  owner: ops", "  owner: ops\n  description: |\n    name: newapp\n    metadata:\n      name: newapp")])
        let r = try ChangeRepository(base: ["apps/crown/microapp.yaml": quoted, "apps/holder/microapp.yaml": textOnly])
        try r.change(["apps/x/microapp.yaml": app("crown"), "apps/newapp/microapp.yaml": app("newapp")])
        let dup = try r.check().findings.filter { $0.id == "duplicate-app-name" }
        #expect(dup.map(\.app) == ["crown"], "\(dup)")
    }

    @Test("the scan gives the same uses on one thread and on several")
    func parallelScan() throws {
        let repo = try TestRepository()
        for i in 0..<600 {
            var text = app(String(format: "app-%04d", i))
            if i % 101 == 0 { text = app("wanted") }
            // Quoted names: the scanner leaves these files to the full parse.
            if i % 7 == 0 { text = text.replacingOccurrences(of: String(format: "name: app-%04d", i), with: String(format: "name: 'app-%04d'", i)) }
            try repo.write(String(format: "teams/t%02d/app-%04d/microapp.yaml", i % 11, i), text)
        }
        try repo.commit()
        let git = try Repository(discoverFrom: repo.path)
        let commit = try git.resolveCommit("HEAD")
        func uses(_ workers: Int) throws -> [String: [HeadNames.Use]] {
            try HeadNames.uses(of: ["wanted", "app-0003", "app-0007", "none"], excludingPaths: ["teams/t00/app-0000/microapp.yaml"], at: commit, in: git, policy: .builtIn, workers: workers)
        }
        let one = try uses(1)
        #expect(one["wanted"]?.count == 5)
        #expect(one["app-0007"]?.map(\.path) == ["teams/t07/app-0007/microapp.yaml"])
        #expect(one["app-0003"]?.map(\.path) == ["teams/t03/app-0003/microapp.yaml"])
        #expect(one["none"] == nil)
        for workers in [2, 3] { #expect(try uses(workers) == one) }
    }
}

import Foundation
import Testing

/// What the gate writes, attacked with only the head commit of a pull request (SPEC section 8, issue 12):
/// credentials wherever a manifest can hold them, Markdown that tries to forge the PR comment, control
/// characters that try to reach the CI log, and paths that try to become absolute URIs in SARIF.
@Suite("hostile repositories: what the gate writes is inert and holds no secret", .temporaryDirectories)
struct HostileOutputTests {
    static let today = "2026-11-22"
    static let formats = ["text", "markdown", "json", "sarif", "junit", "github", "gitlab"]

    /// A repository with a base commit (one plain app) and a head commit the attacker wrote.
    static func repository(base: [String: String], head: [String: String]) throws -> String {
        let dir = try CLITests.repository(files: base)
        for (path, text) in head {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try CLITests.git(["add", "-A"], in: dir)
        try CLITests.git(["commit", "-q", "-m", "head"], in: dir)
        return dir
    }

    /// Every output of one run: stdout, stderr and the files it wrote.
    struct Outputs {
        var texts: [(what: String, text: String)] = []

        mutating func add(_ what: String, _ r: ProcessResult) {
            texts.append((what + " stdout", r.stdout))
            texts.append((what + " stderr", r.stderr))
        }

        mutating func add(file: String, _ what: String) throws {
            texts.append((what, String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)))
        }

        var all: String { texts.map(\.text).joined(separator: "\n") }
    }

    // MARK: Secrets

    static let ghpName = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    static let ghpPath = "ghp_ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210"
    static let aws = "AKIAQWERTYUIOPASDFGH"
    static let glpat = "glpat-Hostile0Hostile1Hostile2"
    static let slack = "xoxb-123456789012-HostileHostile"
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJob3N0aWxlIjp0cnVlfQ.c2lnbmF0dXJlc2lnbmF0dXJl"
    static let urlPassword = "postgres://admin:Sup3rS3cretPassw0rd@db.example.com/x"
    static let random = "Zx8vQ2mK9pL4rT7wY1bN3cD5"
    static let privateKey = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA -----END OPENSSH PRIVATE KEY-----"

    /// What must not appear: each credential's distinctive part, so that a redaction that keeps the body of a
    /// token and drops only its prefix is caught too.
    static let needles = [
        "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210", "QWERTYUIOPASDFGH", "Hostile0Hostile1Hostile2",
        "123456789012-HostileHostile", "eyJob3N0aWxlIjp0cnVlfQ", "Sup3rS3cretPassw0rd", random, "b3BlbnNzaC1rZXktdjEAAAAA",
    ]

    /// Credentials as a value, a key, a list item's name, a label key, a value under a secret-like label key, an
    /// unknown field's key, and a path segment.
    static func secretsRepository() throws -> String {
        let leaky = manifest(
            name: "a",
            metadata: """
                  description: "\(urlPassword)"
                  labels:
                    \(aws): aws-key-as-a-label-key
                    apiToken: \(random)
                  \(glpat): an unknown field
                """,
            extraSpec: """
                  integrations:
                    - name: \(ghpName)
                      access: read
                  secrets:
                    - name: \(slack)
                      ref: \(jwt)
                  "\(privateKey)": an unknown field
                """)
        return try Self.repository(
            base: ["apps/a/microapp.yaml": manifest(name: "a")],
            head: ["apps/a/microapp.yaml": leaky, "apps/\(ghpPath)/microapp.yaml": manifest(name: "b", extraSpec: "  \(glpat): x")])
    }

    @Test("no credential appears in any format of check, lint, inventory and explain, in any --report file, the step summary or stderr")
    func noSecretAnywhere() throws {
        let dir = try Self.secretsRepository()
        let out = try makeTemporaryDirectory("secrets-out")
        var o = Outputs()
        let summary = "\(out)/step-summary.md"
        let reports = Self.formats.flatMap { ["--report", "\($0)=\(out)/check.\($0)"] }
        for format in Self.formats {
            let r = try CLITests.tiergate(
                ["check", "--base", "HEAD~1", "--today", Self.today, "--format", format] + (format == "text" ? reports : []), in: dir,
                env: ["GITHUB_STEP_SUMMARY": summary])
            #expect(r.status == 1, "\(format): \(r.stdout)\(r.stderr)")
            o.add("check \(format)", r)
            let l = try CLITests.tiergate(
                ["lint", "--today", Self.today, "--format", format, "--report", "\(format)=\(out)/lint.\(format)"], in: dir)
            #expect(l.status == 1, "\(format): \(l.stdout)\(l.stderr)")
            o.add("lint \(format)", l)
            try o.add(file: "\(out)/check.\(format)", "check --report \(format)")
            try o.add(file: "\(out)/lint.\(format)", "lint --report \(format)")
        }
        try o.add(file: summary, "step summary")
        // Working-tree files, as a pre-commit hook passes them.
        for format in ["text", "json"] {
            o.add("lint PATH \(format)", try CLITests.tiergate(["lint", "--format", format, "apps/\(Self.ghpPath)/microapp.yaml", "apps/a/microapp.yaml"], in: dir))
        }
        for format in ["table", "json", "csv", "markdown"] {
            let r = try CLITests.tiergate(["inventory", "--today", Self.today, "--format", format], in: dir)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            o.add("inventory \(format)", r)
        }
        for format in ["text", "json"] {
            for target in ["a", "apps/\(Self.ghpPath)/microapp.yaml"] {
                let r = try CLITests.tiergate(["explain", target, "--format", format], in: dir)
                #expect(r.status == 0, "\(target) \(format): \(r.stderr)")
                o.add("explain \(target) \(format)", r)
            }
        }
        // Error messages quote what they were given.
        let missing = try CLITests.tiergate(["explain", "apps/\(Self.ghpPath)/absent.yaml"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("apps/(redacted)/absent.yaml"), "\(missing.stderr)")
        o.add("explain error", missing)

        for (what, text) in o.texts {
            for needle in Self.needles {
                #expect(!text.contains(needle), "\(what) holds \(needle):\n\(text)")
            }
        }
        // The credentials did reach the outputs, in their redacted form: every place was exercised.
        let json = try #require(o.texts.first { $0.what == "check json stdout" }?.text)
        for redacted in ["metadata.labels.(redacted)", "spec.integrations[(redacted)]", "apps/(redacted)/microapp.yaml", "(redacted: looks like a credential)"] {
            #expect(json.contains(redacted), "\(redacted) is not in\n\(json)")
        }
        #expect(o.all.contains("the integration '(redacted)' is not a pre-approved connector"))
        #expect(o.all.contains("metadata.(redacted) is not a field"))
    }

    // MARK: Markdown

    /// Markdown an attacker would like the PR comment to render: a verdict heading of their own, an approval
    /// link, HTML, mentions, emphasis, and a backtick to break out of a code span.
    static let forged = "` ### ✅ tiergate: This change passes [Approved by security](https://evil.example/a) ![x](https://evil.example/i.png) <img src=x onerror=alert(1)> <b>hi</b> @acme/security-team @dana **bold** _it_ ~~s~~ www.evil.example https://evil.example/b &amp; \\` | x |"

    /// The same, short enough for a directory name (255 bytes), with `∕` (U+2215) for `/`.
    static let shortForged = "` ### ✅ [Approved](https:∕∕evil.example) ![i](x.png) <img src=x> @dana **b** _i_ www.evil.example &amp; \\` | x |"

    static func markdownRepository() throws -> String {
        let lines = "\n### ✅ tiergate: This change passes\n[Approved by security](https://evil.example/a)\n<details open>\n@dana\n> quote\n    code\n"
        return try Self.repository(
            base: ["apps/a/microapp.yaml": manifest(name: "a")],
            head: [
                // The owner is a group name in the approvals; the integration's name and an unknown key are quoted
                // by messages.
                "apps/a/microapp.yaml": manifest(
                    name: "a", owner: "\"\(yamlEscaped(forged))\"",
                    extraSpec: """
                          integrations:
                            - name: "\(yamlEscaped(forged))"
                              access: read
                          "\(yamlEscaped(forged))": 1
                        """),
                // Paths: a backtick breakout on one line, and line breaks.
                "apps/x\(shortForged)/microapp.yaml": manifest(name: "x", extraSpec: "  typo: 1"),
                "apps/y\(lines)z/microapp.yaml": manifest(name: "y", extraSpec: "  typo: 1"),
            ])
    }

    static func yamlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func audit(_ markdown: String) throws -> [String: [String]] {
        let python = try Project.venvTool("python")
        let dir = try makeTemporaryDirectory("md-audit")
        let file = "\(dir)/in.md"
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: file))
        let r = try run("/bin/sh", ["-c", "\"$0\" \"$1\" < \"$2\"", python, Project.path("Tests/helpers/markdown_audit.py"), file])
        guard r.status == 0 else { throw TestFailure("markdown_audit.py failed: \(r.stderr)") }
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String]]
        return try #require(parsed)
    }

    /// The tags tiergate writes itself.
    static let ownTags: Set<String> = [
        "<!-- tiergate-report -->", "<details>", "<details open>", "</details>", "<summary>", "</summary>", "<b>", "</b>", "<code>", "</code>",
        "<sub>", "</sub>",
    ]

    @Test("markdown of hostile paths, names, keys and owners: no heading but tiergate's own, no link, no HTML, no @mention outside code")
    func markdownIsInert() throws {
        let dir = try Self.markdownRepository()
        let summary = try makeTemporaryDirectory("md-summary") + "/summary.md"
        let env = ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/apps", "GITHUB_STEP_SUMMARY": summary]
        let check = try CLITests.tiergate(["check", "--base", "HEAD~1", "--today", Self.today, "--format", "markdown"], in: dir, env: env)
        let lint = try CLITests.tiergate(["lint", "--today", Self.today, "--format", "markdown"], in: dir, env: env)
        let inventory = try CLITests.tiergate(["inventory", "--today", Self.today, "--format", "markdown"], in: dir)
        _ = try CLITests.tiergate(["check", "--base", "HEAD~1", "--today", Self.today, "--format", "github"], in: dir, env: env)
        let stepSummary = String(decoding: try Data(contentsOf: URL(fileURLWithPath: summary)), as: UTF8.self)
        let head = try run("git", ["rev-parse", "HEAD"], in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(check.stdout.contains("@acme") && lint.stdout.contains("evil.example") && inventory.stdout.contains("evil.example"), "the hostile strings reach the reports")

        for (what, markdown, ownHeading) in [("check", check.stdout, true), ("lint", lint.stdout, true), ("step summary", stepSummary, true), ("inventory", inventory.stdout, false)] {
            let a = try Self.audit(markdown)
            let headings = a["headings"] ?? []
            if ownHeading {
                #expect(headings.count == 1, "\(what): \(headings)\n\(markdown)")
                #expect(headings.allSatisfy { $0.hasPrefix("⛔ tiergate: ") || $0.hasPrefix("✅ tiergate: ") || $0.hasPrefix("⏳ tiergate: ") }, "\(what): \(headings)")
            } else {
                #expect(headings.isEmpty, "\(what): \(headings)")
            }
            // Links only to the head commit's files, as tiergate writes them.
            let links = a["links"] ?? []
            let prefix = "https://github.com/acme/apps/blob/\(head)/"
            #expect(links.allSatisfy { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).wholeMatch(of: /[A-Za-z0-9._~%\/-]+(#L[0-9]+)?/) != nil }, "\(what): \(links)")
            #expect(a["images"]?.isEmpty == true, "\(what): \(a["images"] ?? [])")
            let html = a["html"] ?? []
            #expect(html.allSatisfy { Self.ownTags.contains($0) }, "\(what): \(html.filter { !Self.ownTags.contains($0) })")
            #expect(a["mentions"]?.isEmpty == true, "\(what): \(a["mentions"] ?? [])\n\(markdown)")
            #expect(a["autolinks"]?.isEmpty == true, "\(what): \(a["autolinks"] ?? [])")
            let blocks = Set(a["blocks"] ?? [])
            let allowed: Set<String> = [
                "heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline", "table_open", "table_close", "thead_open",
                "thead_close", "tbody_open", "tbody_close", "tr_open", "tr_close", "th_open", "th_close", "td_open", "td_close",
                "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close", "html_block",
            ]
            #expect(blocks.isSubset(of: allowed), "\(what): \(blocks.subtracting(allowed))")
        }
        // Each app keeps its own section, and its summary its one line: no name or path breaks out of it.
        let summaries = check.stdout.split(separator: "\n").filter { $0.hasPrefix("<details") }
        #expect(summaries.filter { $0.contains("<summary><b><code>") }.count == 3, "\(summaries)")
        #expect(summaries.allSatisfy { $0.hasSuffix("</summary>") }, "\(summaries)")
    }

    // MARK: Text and workflow commands

    /// A title (shown in field changes), a key (quoted by a message) and a path with line breaks, workflow
    /// commands, terminal escapes, C1 controls, line separators and bidi overrides.
    static let controls = "\n::stop-commands::pwned\n::add-mask::x\r\u{1B}]0;evil\u{07}\u{1B}[31mRED\u{7F}\u{85}\u{9B}2J\u{2028}\u{2029}\u{202E}gnp.exe\u{2066}\u{2069}\t"

    static func yamlDoubleQuoted(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x2028...0x2069).contains(u.value) {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return "\"" + out + "\""
    }

    @Test("text and github output hold no control character from the repository, and every github line is tiergate's own command")
    func noControlCharacters() throws {
        let quoted = Self.yamlDoubleQuoted(Self.controls)
        let dir = try Self.repository(
            base: ["apps/a/microapp.yaml": manifest(name: "a", metadata: "  title: plain")],
            head: [
                "apps/a/microapp.yaml": manifest(name: "a", owner: quoted, metadata: "  title: \(quoted)", extraSpec: "  \(quoted): 1"),
                "apps/c\(Self.controls.replacingOccurrences(of: "/", with: ""))d/microapp.yaml": manifest(name: "c", extraSpec: "  typo: 1"),
            ])
        var outputs: [(String, String)] = []
        for format in ["text", "github"] {
            let check = try CLITests.tiergate(["check", "--base", "HEAD~1", "--today", Self.today, "--format", format], in: dir)
            #expect(check.status == 3, "\(check.stdout)\(check.stderr)")
            let lint = try CLITests.tiergate(["lint", "--today", Self.today, "--format", format], in: dir)
            outputs += [("check \(format)", check.stdout), ("lint \(format)", lint.stdout), ("check \(format) stderr", check.stderr)]
        }
        outputs.append(("inventory table", try CLITests.tiergate(["inventory", "--today", Self.today], in: dir).stdout))
        outputs.append(("inventory csv", try CLITests.tiergate(["inventory", "--today", Self.today, "--format", "csv"], in: dir).stdout))
        outputs.append(("explain", try CLITests.tiergate(["explain", "a"], in: dir).stdout))
        let error = try CLITests.tiergate(["explain", "apps/c\(Self.controls)"], in: dir)
        #expect(error.status == 2)
        outputs.append(("explain error", error.stderr))
        #expect(outputs[0].1.contains("metadata.title: plain -> \\u{0A}::stop-commands::pwned\\u{0A}"), "\(outputs[0].1)")

        for (what, text) in outputs {
            let bad = text.unicodeScalars.filter { u in
                let v = u.value
                let unsafe = v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                return unsafe && u != "\n" && !(what.hasPrefix("inventory csv") && u == "\r")
            }
            #expect(bad.isEmpty, "\(what) holds \(bad.map { String($0.value, radix: 16) }):\n\(text)")
            for line in text.split(separator: "\n") {
                #expect(!line.hasPrefix("::stop-commands") && !line.hasPrefix("::add-mask"), "\(what): \(line)")
                if what.hasPrefix("check github") || what.hasPrefix("lint github") {
                    #expect(line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice "), "\(what): \(line)")
                }
            }
        }
    }

    @Test("policy show prints the policy at a revision with no credential and no bidi or control character")
    func policyShow() throws {
        let policy = "apiVersion: tiergate/v1\r\nkind: Policy\r\n# \(Self.ghpName) pasted by mistake\r\n# reviewers see \u{202E}detaerc\u{202C} here\r\nconnectors: [crm]\r\n"
        let dir = try CLITests.repository(files: [".tiergate/policy.yaml": policy])
        let r = try CLITests.tiergate(["policy", "show"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "apiVersion: tiergate/v1\nkind: Policy\n# (redacted) pasted by mistake\n# reviewers see \\u{202E}detaerc\\u{202C} here\nconnectors: [crm]\n")
    }

    // MARK: SARIF

    @Test("SARIF paths whose first segment is https:, file: or C: stay relative references", arguments: ["check", "lint"])
    func sarifRelative(command: String) throws {
        let paths = ["https:/evil.example/microapp.yaml", "file:/etc/microapp.yaml", "C:/Windows/microapp.yaml", "mailto:x@evil.example/microapp.yaml"]
        var head: [String: String] = [:]
        for (i, p) in paths.enumerated() { head[p] = manifest(name: "h\(i)", extraSpec: "  typo: 1") }
        let dir = try Self.repository(base: ["apps/a/microapp.yaml": manifest(name: "a")], head: head)
        let args = command == "check" ? ["check", "--base", "HEAD~1"] : ["lint"]
        let r = try CLITests.tiergate(args + ["--today", Self.today, "--format", "sarif"], in: dir)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)\(r.stderr)")
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let uris = results.compactMap { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any] }
            .compactMap { $0["uri"] as? String }
        #expect(Set(uris.compactMap { $0.removingPercentEncoding }).isSuperset(of: paths), "\(uris)")
        for uri in uris {
            let c = try #require(URLComponents(string: uri), "\(uri)")
            #expect(c.scheme == nil && c.host == nil && !uri.hasPrefix("/"), "\(uri)")
        }
        // And as Python's RFC 3986 reader sees them.
        let python = try Project.venvTool("python")
        let check = try run(
            python, ["-c", "import sys, urllib.parse as u; bad=[a for a in sys.argv[1:] if u.urlsplit(a).scheme or u.urlsplit(a).netloc]; print(bad); sys.exit(1 if bad else 0)"] + uris)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        // The log still validates against SARIF 2.1.0.
        let schema = Project.path("schemas/vendor/sarif-schema-2.1.0.json")
        let file = try makeTemporaryDirectory("sarif-hostile") + "/log.sarif"
        try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: file))
        let v = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", schema, file])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// The escaping layer, one kind per output (Sources/TiergateCore/Reports/Escaping.swift).
@Suite("escaping: repository strings are inert in every output")
struct EscapingTests {
    static let unsafe: [Unicode.Scalar] = [
        "\u{00}", "\u{07}", "\u{09}", "\u{0A}", "\u{0D}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}",
        "\u{2028}", "\u{2029}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
    ]

    @Test("TerminalText writes C0, DEL, C1, U+2028/2029 and bidi controls as visible escapes, and leaves other text alone")
    func terminal() {
        for u in Self.unsafe {
            let escaped = TerminalText.escape("a\(Character(u))b")
            #expect(!escaped.unicodeScalars.contains(u), "\(u.value)")
            #expect(escaped == "a\\u{\(TerminalText.hex(u.value))}b")
        }
        #expect(TerminalText.escape("\u{1B}[31mred") == "\\u{1B}[31mred")
        let plain = "apps/où-manger/microapp.yaml: 日本語 ✅ — fine"
        #expect(TerminalText.escape(plain) == plain)
        // Idempotent: escaping escaped text changes nothing (reports are escaped once per output).
        #expect(TerminalText.escape(TerminalText.escape("x\n\u{202E}")) == TerminalText.escape("x\n\u{202E}"))
    }

    @Test("workflow commands: a message stays on its line; a property cannot end with : or ,")
    func workflowCommand() {
        let data = WorkflowCommand.data("50% done\r\n::stop-commands::x\n::add-mask::y")
        #expect(!data.contains("\n") && !data.contains("\r"))
        #expect(data.hasPrefix("50%25 done"))
        let property = WorkflowCommand.property("a,b:c%d\ne")
        #expect(property == "a%2Cb%3Ac%25d\\u{0A}e")
    }

    @Test("a code span's fence is longer than any backtick run inside, and padded when the text starts or ends with one")
    func codeSpan() {
        #expect(MarkdownText.code("plain") == "`plain`")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("a```b``") == "```` a```b`` ````")
        #expect(MarkdownText.code("`x") == "`` `x ``")
        #expect(MarkdownText.code("") == "` `")
        #expect(MarkdownText.code("`\u{301}[x](y)") == "`` `\u{301}[x](y) ``", "a combining mark does not hide the backtick")
        #expect(MarkdownText.code("a|b", inTable: true) == "`a\\|b`")
        #expect(MarkdownText.code("line\nbreak") == "`line\\u{0A}break`")
    }

    @Test("markdown text: plain words as they are, anything Markdown or GitHub would act on in a code span")
    func markdownText() {
        #expect(MarkdownText.text("the app is fine, really (tier 2).") == "the app is fine, really (tier 2).")
        #expect(MarkdownText.text("GITHUB_TOKEN is set") == "GITHUB_TOKEN is set")
        for hostile in ["[link](https://evil.example)", "@dana", "<b>x</b>", "**bold**", "_it_", "~~s~~", "www.evil.example", "https://evil.example",
                        "#123", "a|b", "&amp;", "\\*", "![i](x.png)", "`"] {
            let out = MarkdownText.text("see \(hostile) now")
            #expect(out.hasPrefix("see `") && out.hasSuffix(" now"), "\(hostile) → \(out)")
        }
        // Punctuation around a word stays outside its span.
        #expect(MarkdownText.text("(for example vault://kv/x),") == "(for example `vault://kv/x`),")
        #expect(!MarkdownText.text("a\n### heading").contains("\n"))
        #expect(MarkdownText.html("<script>\"'&") == "&lt;script&gt;&quot;&#39;&amp;")
    }

    @Test("SARIF and link paths are relative references: : % space # ? and a leading / are percent-encoded", arguments: [
        ("https:/evil.example/microapp.yaml", "https%3A/evil.example/microapp.yaml"), ("C:/x/microapp.yaml", "C%3A/x/microapp.yaml"),
        ("file:/etc/passwd", "file%3A/etc/passwd"), ("a b/c#d?e%f.yaml", "a%20b/c%23d%3Fe%25f.yaml"), ("//host/x", "%2F/host/x"),
        ("apps/où/microapp.yaml", "apps/o%C3%B9/microapp.yaml"),
    ])
    func uri(path: String, expected: String) throws {
        let uri = URIReference.relativePath(path)
        #expect(uri == expected)
        let c = try #require(URLComponents(string: uri))
        #expect(c.scheme == nil && c.host == nil)
        #expect(uri.removingPercentEncoding == path)
    }

    @Test("CSV: quoted when needed, no formula, no control character")
    func csv() {
        #expect(CSVText.field("plain") == "plain")
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("=HYPERLINK(\"https://evil\")") == "\"'=HYPERLINK(\"\"https://evil\"\")\"")
        #expect(CSVText.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.field("a\nb") == "a\\u{0A}b")
        #expect(CSVText.number("-5") == "-5")
    }

    @Test("JSON: DEL, C1, U+2028/2029 and bidi controls as \\u escapes, the parsed value unchanged")
    func json() throws {
        let hostile = "a\u{7F}\u{85}\u{2028}\u{202E}\u{2066}b\n\"\\"
        var w = JSONWriter()
        w.beginObject()
        w.field("s", hostile)
        w.endObject()
        let text = w.text
        for u in Self.unsafe { #expect(!text.unicodeScalars.contains(u) || u == "\n", "\(u.value)") }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(parsed["s"] == hostile)
        let encoded = try JSONText.encode(["s": hostile])
        #expect(!encoded.unicodeScalars.contains("\u{202E}") && !encoded.unicodeScalars.contains("\u{2028}"))
        #expect((try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: String])?["s"] == hostile)
    }

    @Test("JUnit XML: markup and controls escaped, the tool's own line breaks kept in content")
    func xml() {
        #expect(XMLText.content("a<b>&c\nd\u{1B}") == "a&lt;b&gt;&amp;c\nd\\u{1B}")
        #expect(XMLText.attribute("\"x'\ny") == "&quot;x&#39;&#10;y")
    }
}

/// One redactor for every output (Sources/TiergateCore/Reports/Redactor.swift).
@Suite("redaction: a credential is cut out wherever it sits")
struct RedactorTests {
    static let ghp = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJob3N0aWxlIjp0cnVlfQ.c2lnbmF0dXJlc2lnbmF0dXJl"

    @Test("as narrowly as still hides it: the path part, the segment, the word, else everything", arguments: [
        ("apps/\(ghp)/microapp.yaml", "apps/(redacted)/microapp.yaml"),
        ("metadata.labels.\(ghp)", "metadata.labels.(redacted)"),
        ("spec.integrations[\(ghp)].access", "spec.integrations[(redacted)].access"),
        ("the integration '\(ghp)' is not a pre-approved connector", "the integration '(redacted)' is not a pre-approved connector"),
        ("a JWT \(jwt) in a message", "a JWT (redacted) in a message"),
        ("apps/\(jwt)/microapp.yaml", "apps/(redacted)/microapp.yaml"),
        ("see postgres://admin:Sup3rS3cret@db.example.com/x now", "see (redacted) now"),
        ("spec.-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA -----END RSA PRIVATE KEY----- is not a field", "(redacted)"),
        ("nothing to see in apps/where2eat/microapp.yaml", "nothing to see in apps/where2eat/microapp.yaml"),
    ])
    func text(input: String, expected: String) {
        let out = Redactor.text(input)
        #expect(out == expected)
        #expect(SecretScanner.scan(out, key: nil) == nil)
    }

    @Test("values by the key they sit under; map keys as text")
    func values() {
        let random = ManifestValue.string("Zx9Qv2Lm8Rt4Wp7Yk3Hs6Nd1")
        #expect(Redactor.value(random, key: "apiToken") == Redactor.valuePlaceholder)
        #expect(Redactor.value(random, key: "team") == random)
        let map = ManifestValue.map([Self.ghp: .string("x"), "password": random, "team": .string("growth")])
        #expect(Redactor.value(map, key: "labels") == .map(["(redacted)": .string("x"), "password": Redactor.valuePlaceholder, "team": .string("growth")]))
        let changes = Redactor.fieldChanges([FieldChange(path: "spec.secrets[\(Self.ghp)]", from: nil, to: .map(["name": .string(Self.ghp), "ref": .string(Self.jwt)]))])
        #expect(changes.first?.path == "spec.secrets[(redacted)]")
        #expect(changes.first?.to == .map(["name": Redactor.valuePlaceholder, "ref": Redactor.valuePlaceholder]))
        // Pieces that are harmless alone but, on the one line the text report writes, read as a private key
        // (found by the fuzzer: fixtures/fuzz-regressions/manifest/secret-across-keys.yaml).
        let pieces = ManifestValue.map(["a-----BEGIN CERT": .string("x"), "b": .string("PRIVATE KEY")])
        #expect(Redactor.value(pieces, key: nil) == pieces)
        #expect(Redactor.fieldChanges([FieldChange(path: "", from: nil, to: pieces)]).first?.to == Redactor.valuePlaceholder)
    }

    @Test("every string of a report, rendered in every format: no credential in any of them")
    func everyReportString() throws {
        var f = Finding(
            .unknownField, message: "spec.\(Self.ghp) is not a field", path: "apps/\(Self.ghp)/microapp.yaml", mark: .start,
            field: "spec.\(Self.ghp)", app: Self.ghp)
        f.suppressed = Suppression(reason: "because \(Self.jwt)", expires: "2027-01-01")
        var counting = f
        counting.suppressed = nil
        let check = AppCheckInfo(
            previousPath: "old/\(Self.ghp)/microapp.yaml", previousName: Self.ghp, change: .renamed, baseTier: 0, headTier: 1, requiredTier: 1,
            tierChange: .escalated, fieldChanges: [FieldChange(path: "metadata.labels.\(Self.ghp)", from: nil, to: .string(Self.jwt))],
            requiredApprovals: [RequiredApproval(group: Self.ghp, count: 1, reason: "owner change: \(Self.ghp)")],
            risk: AppRisk(
                owner: Self.ghp, dataClass: "internal", accessScope: "team", integrations: [.init(name: Self.ghp, access: "read")], egress: "allowlist",
                destinations: [Self.jwt], retentionDays: 90, monthlyCapUSD: 1))
        let outcome = ApprovalOutcome(
            groups: [GroupApproval(group: Self.ghp, count: 1, reasons: [Self.ghp], approvedBy: [], unresolvedTeams: [UnresolvedTeam(team: Self.ghp, reason: .noMembersFile)], eligible: [Self.ghp])],
            discarded: [DiscardedApproval(login: Self.ghp, reason: .stale, detail: Self.jwt)])
        var report = Report(
            command: .check, toolVersion: "1", base: RevisionInfo(rev: Self.ghp, commit: nil), head: RevisionInfo(rev: "HEAD", commit: nil),
            policy: PolicyInfo(source: .file, path: "/tmp/\(Self.ghp).yaml", blob: nil), decision: .blocked,
            apps: [AppReport(name: Self.ghp, path: "apps/\(Self.ghp)/microapp.yaml", tier: 1, findings: [f], check: check)], findings: [counting],
            summary: Summary(findings: [f, counting], apps: 1),
            approvals: ApprovalsReport(ignored: false, advisory: false, author: Self.ghp, outcome: outcome))
        report.descriptions = ["unknown-field": "about \(Self.ghp)"]
        for format in ReportFormat.allCases {
            let out = try format.reporter(ReporterOptions(sourceLinkBase: "https://github.com/o/r/blob/")).render(report)
            #expect(!out.contains("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789") && !out.contains("eyJob3N0aWxlIjp0cnVlfQ"), "\(format): \(out)")
            // The status names only finding ids and counts: no repository string to redact.
            #expect(out.contains("(redacted") || format == .status, "\(format)")
        }
    }

    @Test("an error message quoting a credential or a control character is redacted and stays on one line")
    func errors() {
        let e = TiergateError(.usage, "no app named or at 'apps/\(Self.ghp)/x\n::add-mask::y'", fix: "see \(Self.jwt)")
        #expect(e.description == "tiergate: no app named or at 'apps/(redacted)/x\\u{0A}::add-mask::y'; see (redacted)")
    }
}

/// Numbers from manifests never trap (SPEC section 8).
@Suite("numbers: bounded counts, overflow-checked dates", .temporaryDirectories)
struct NumberBoundsTests {
    @Test("day arithmetic beyond the four-digit years gives the nearest end, never a trap")
    func days() throws {
        let d = try #require(Day("2026-11-22"))
        #expect(d.adding(days: Int.max) == Day.latest)
        #expect(d.adding(days: Int.min) == Day.earliest)
        #expect(d.adding(days: 10_000_000) == Day.latest)
        #expect(Day(daysSinceEpoch: Int.max) == Day.latest)
        #expect(Day(daysSinceEpoch: Int.min) == Day.earliest)
        #expect(Day.latest.description == "9999-12-31" && Day.earliest.description == "0001-01-01")
        #expect(d.adding(days: 30).description == "2026-12-22")
        #expect(Day.latest.days(until: Day.earliest) < 0)
    }

    @Test("ttlDays, retentionDays and monthlyCapUSD outside their bounds are schema errors", arguments: [
        ("ttlDays: 9223372036854775807", "spec.lifecycle.ttlDays"), ("ttlDays: -9223372036854775808", "spec.lifecycle.ttlDays"),
        ("ttlDays: 3651", "spec.lifecycle.ttlDays"), ("ttlDays: 0", "spec.lifecycle.ttlDays"), ("ttlDays: 1e400", "spec.lifecycle.ttlDays"),
    ])
    func ttlBounds(line: String, field: String) throws {
        let text = manifest(extraSpec: "").replacingOccurrences(of: "createdAt: 2026-11-01", with: "createdAt: 2026-11-01\n    \(line)")
        let found = try findings(manifest: text)
        #expect(found.contains { $0.id == "schema" && $0.message.hasPrefix(field) }, "\(found.map(\.message))")
    }

    @Test("cost and retention bounds", arguments: [
        ("monthlyCapUSD: 10", "monthlyCapUSD: 1000000001"), ("monthlyCapUSD: 10", "monthlyCapUSD: .inf"), ("monthlyCapUSD: 10", "monthlyCapUSD: -.inf"),
        ("monthlyCapUSD: 10", "monthlyCapUSD: .nan"), ("retentionDays: 90", "retentionDays: 36501"), ("retentionDays: 90", "retentionDays: 99999999999999999999"),
    ])
    func otherBounds(old: String, new: String) throws {
        let found = try findings(manifest: manifest().replacingOccurrences(of: old, with: new))
        #expect(found.contains { $0.id == "schema" }, "\(new): \(found.map(\.message))")
    }

    @Test("the upper bounds themselves are valid")
    func boundsValid() throws {
        let text = manifest().replacingOccurrences(of: "createdAt: 2026-11-01", with: "createdAt: 2026-11-01\n    ttlDays: 3650")
            .replacingOccurrences(of: "monthlyCapUSD: 10", with: "monthlyCapUSD: 1000000000").replacingOccurrences(of: "retentionDays: 90", with: "retentionDays: 36500")
        let schema = try findings(manifest: text).filter { $0.id == "schema" }
        #expect(schema.isEmpty, "\(schema.map(\.message))")
    }

    @Test("a policy's approval counts and limits are bounded: no matching over 2^63 slots, no overflowing TTL", arguments: [
        ("policyChange: {approvals: [{group: platform, count: 9223372036854775807}]}", "it must be a whole number from 1 to 100"),
        ("policyChange: {approvals: [{group: platform, count: 101}]}", "it must be a whole number from 1 to 100"),
        ("limits: {defaultTtlDays: 9223372036854775807}", "it must be a whole number from 0 to 36500"),
        ("limits: {attestationDays: 36501}", "it must be a whole number from 0 to 36500"),
    ])
    func policyBounds(section: String, says: String) {
        let problems = policyProblems(policy(section))
        #expect(problems.contains { $0.message.contains(says) }, "\(problems.map(\.message))")
    }

    @Test("inventory never prints a five-digit year: a createdAt at the end of time with the longest TTL")
    func inventoryExpiry() throws {
        let repo = try TestRepository()
        try repo.write("apps/app/microapp.yaml", manifest().replacingOccurrences(of: "createdAt: 2026-11-01", with: "createdAt: 9999-12-01\n    ttlDays: 3650"))
        try repo.commit()
        let result = try Inventory.run(repository: repo.path, revision: "HEAD", policyFile: nil, today: CheckExample.today, onlyExpired: false, cwd: repo.path)
        let row = try #require(result.rows.first)
        #expect(row.expiresAt == "9999-12-31")
        for format in InventoryFormat.allCases {
            let out = try InventoryRenderer.render(result.rows, as: format)
            #expect(!out.contains("10000-") && out.contains("9999-12-31"), "\(format): \(out)")
        }
    }
}

/// The hint for a repository another user owns (Gate/GitFailures.swift): a shell command the reader is asked to
/// paste, naming a path read from that user's repository (`core.worktree`, a linked worktree's `gitdir`).
@Suite("the safe.directory hint: a command as safe to paste as the path it names", .temporaryDirectories)
struct OwnershipHintTests {
    @Test("attack: a core.worktree holding a quote cannot add a command to the safe.directory hint (the repository's owner would run anything as whoever pastes it)")
    func quoteInWorktree() throws {
        let repo = try TestRepository()
        let top = try makeTemporaryDirectory("elsewhere")
        let worktree = top + "/x'; touch pwned; echo '"
        try FileManager.default.createDirectory(atPath: worktree, withIntermediateDirectories: true)
        try repo.git(["config", "core.worktree", worktree])
        let refused = TiergateError.opening(repo.path, GitError(kind: .notOwned, code: -36, operation: "opening the repository", message: "not owned")).inert
        let fix = try #require(refused.fix)
        let command = try #require(fix.range(of: "run: ").map { String(fix[$0.upperBound...]) })
        let home = try makeTemporaryDirectory("home")
        let env = ["HOME": home, "XDG_CONFIG_HOME": home, "GIT_CONFIG_GLOBAL": home + "/.gitconfig", "GIT_CONFIG_NOSYSTEM": "1"]
        let pasted = try run("sh", ["-c", command], in: top, environment: env)
        #expect(pasted.status == 0, "\(command): \(pasted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: top + "/pwned"), "\(command)")
        let listed = try run("git", ["config", "--global", "--get-all", "safe.directory"], in: top, environment: env)
        #expect(listed.stdout == worktree + "\n", "\(command)")
        // The owner chose that folder: the error names whose repository listing it trusts.
        #expect(refused.message.contains("the repository at \(repo.path)/.git, whose core.worktree names the work tree"), "\(refused.message)")
        #expect(fix.hasPrefix("listing it trusts the repository at \(repo.path)/.git;"), "\(fix)")
    }

    @Test("attack: a linked worktree's gitdir file that is a FIFO does not hang the hint; a plain one names the worktree")
    func gitdirFIFO() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", "a\n")
        try repo.commit("one")
        let linked = try makeTemporaryDirectory("linked") + "/wt"
        try repo.git(["worktree", "add", "-q", linked])
        func hint() throws -> String {
            let e = TiergateError.opening(linked, GitError(kind: .notOwned, code: -36, operation: "opening the repository", message: "not owned"))
            return try #require(e.fix)
        }
        #expect(try hint().hasSuffix("safe.directory '\(linked)'"), "the worktree, read from its gitdir file")
        let gitdirFile = repo.path + "/.git/worktrees/wt/gitdir"
        try FileManager.default.removeItem(atPath: gitdirFile)
        #expect(mkfifo(gitdirFile, 0o644) == 0)
        // Reading a FIFO with no writer would block forever: the hint falls back to the git directory.
        #expect(try hint().hasSuffix("safe.directory '\(repo.path)/.git/worktrees/wt'"))
    }
}

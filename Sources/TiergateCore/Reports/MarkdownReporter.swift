/// A pull-request comment for the people who approve, in the order they need it: the decision; what is missing,
/// each group with the people who can give it; one section per app with its risk summary, its field changes
/// `from → to` and its findings; findings about files; then where the run looked.
///
/// Every string of the report goes through `MarkdownText` (names and paths as code spans, messages as escaped
/// text), so a repository cannot add a heading, a link, HTML or an `@mention` to the comment. People are named
/// in plain text; only with `mention` are the logins the base policy and the members file list `@`-mentioned.
///
/// GitHub refuses a comment over 65,536 characters, and a refused comment shows the reviewer nothing, so the
/// comment stays within `budget` bytes of UTF-8 (never fewer than its characters): past the budget, apps
/// collapse to one line each, and past that into a count that points to the full JSON and SARIF reports.
package struct MarkdownReporter: Reporter {
    /// Marks the comment so that CI can find and update its own previous comment.
    package static let marker = "<!-- tiergate-report -->"
    /// Below GitHub's 65,536-character limit, with room for what CI adds around the report.
    package static let defaultBudget = 60_000

    /// Where source files are browsed, up to the commit: `https://github.com/OWNER/REPO/blob/` or
    /// `https://gitlab.example.com/GROUP/PROJECT/-/blob/`. Without it, locations are shown but not linked
    /// (a relative link in a PR comment would point nowhere).
    package var sourceLinkBase: String?
    /// The CI run whose artifacts hold the full reports (GitHub's run page, GitLab's job page).
    package var runLink: String?
    /// `--mention`: name the people who can approve as `@login`, which notifies them.
    package var mention: Bool
    /// The most bytes the comment may take.
    package var budget: Int

    package init(sourceLinkBase: String? = nil, runLink: String? = nil, mention: Bool = false, budget: Int = defaultBudget) {
        self.sourceLinkBase = sourceLinkBase.flatMap(ReporterOptions.safeLink)
        self.runLink = runLink.flatMap(ReporterOptions.safeLink)
        self.mention = mention
        self.budget = budget
    }

    /// How many names, destinations, field changes and findings one entry shows before "and N more".
    static let listLimit = 20

    package func render(prepared report: Report) throws(TiergateError) -> String {
        let footer = footer(report)
        var out = Self.marker + "\n" + decision(report)
        if report.command == .check {
            // A policy change: every way it weakens the gate, before anything else the approvers read.
            out += PolicyImpactRenderer.markdownWeakenings(report)
            out += approvalsNeeded(report, room: budget / 3)
            out += policyImpact(report)
            out += approvalsGiven(report)
        }
        let units = report.command == .check ? checkUnits(report) : lintUnits(report)
        out += fitted(units, room: budget - out.utf8.count - footer.utf8.count, report: report)
        return out + footer
    }

    // MARK: The decision

    private func decision(_ report: Report) -> String {
        let s = report.summary
        let icon: String
        let verdict: String
        switch report.decision {
        case .pass: (icon, verdict) = ("✅", "passes")
        case .blocked: (icon, verdict) = ("⛔", "is blocked")
        case .approvalRequired: (icon, verdict) = ("⏳", "needs approvals")
        }
        let what = report.command == .check ? "This change" : "Lint"
        var out = "### \(icon) tiergate: \(what) \(verdict)\n\n"
        var facts = [plural(s.errors, "error"), plural(s.warnings, "warning")]
        if report.command == .check {
            facts.insert(plural(s.apps, "app") + " changed", at: 0)
            if let a = report.approvals, !a.ignored { facts.append(plural(s.approvalsMissing, "approval") + " missing" + (a.advisory ? " (advisory)" : "")) }
        } else {
            facts.insert(plural(s.apps, "app"), at: 0)
        }
        if s.suppressed > 0 { facts.append("\(s.suppressed) suppressed by exceptions") }
        out += facts.joined(separator: " · ") + "\n\n"
        if report.decision == .blocked {
            let blocking = report.allFindings.filter(report.blocks)
            let where_ = Set(blocking.map { MarkdownText.code($0.app ?? $0.path) }).sorted()
            if !blocking.isEmpty {
                out += "Blocked by \(plural(blocking.count, "finding")) in " + listed(where_, limit: 5) + " (below).\n\n"
            } else {
                out += "Blocked: an app's tier cannot be computed (its findings are below).\n\n"
            }
        }
        return out
    }

    // MARK: Approvals

    /// Each group still missing approvals, with whom to ask and which apps need it. With `--ignore-approvals`
    /// the groups the change would need; with `--staged` the same, as advice.
    private func approvalsNeeded(_ report: Report, room: Int) -> String {
        guard let a = report.approvals else { return "" }
        let open = a.outcome.groups.filter { !$0.satisfied }
        if a.outcome.groups.isEmpty { return "No approvals are needed.\n\n" }
        if open.isEmpty { return "" }
        let note = a.ignored ? " (not checked: --ignore-approvals)" : a.advisory ? " (advisory in a pre-commit hook)" : ""
        var out = "**Missing approvals**\(note)\n\n"
        var shown = 0
        for g in open {
            var line = "- **\(text(g.group))**: \(g.missing) of \(g.count) missing"
            let askable = g.eligible.filter { !g.approvedBy.contains($0) }
            line += askable.isEmpty ? " · nobody in the base policy can give it" : " · can approve: " + people(askable)
            let apps = report.apps.filter { $0.check?.requiredApprovals.contains { $0.group == g.group } == true }.map { MarkdownText.code($0.name) }
            let why = g.reasons.map(text).joined(separator: "; ")
            line += apps.isEmpty ? " · \(why)" : " · for " + listed(apps, limit: 5) + " (\(why))"
            line += "\n"
            for t in g.unresolvedTeams {
                // In a code span, so that GitHub does not notify the team.
                line += "  - ⚠️ team \(MarkdownText.code(t.team)) matches nobody: \(text(t.explanation))\n"
            }
            guard out.utf8.count + line.utf8.count <= room else {
                out += "- … and \(plural(open.count - shown, "more group")) (the JSON report lists every one)\n"
                break
            }
            out += line
            shown += 1
        }
        return out + "\n"
    }

    /// The policy-impact table (what a change to `.tiergate/policy.yaml` does to the apps) belongs here: after
    /// the missing approvals, before the apps.
    private func policyImpact(_ report: Report) -> String { report.policyImpact.map(PolicyImpactRenderer.markdownTable) ?? "" }

    /// The approvals that count, and those that do not, with why.
    private func approvalsGiven(_ report: Report) -> String {
        guard let a = report.approvals else { return "" }
        var out = ""
        let given = a.outcome.groups.filter { !$0.approvedBy.isEmpty }
        if !given.isEmpty {
            let limit = Self.listLimit
            out += "**Approved**: " + given.prefix(limit).map { "\(text($0.group)) by \(people($0.approvedBy))" }.joined(separator: " · ")
            out += given.count > limit ? " · and \(given.count - limit) more\n\n" : "\n\n"
        }
        if !a.outcome.discarded.isEmpty {
            out += "<details><summary>Approvals not counted (\(a.outcome.discarded.count))</summary>\n\n"
            for d in a.outcome.discarded.prefix(Self.listLimit) {
                out += "- \(text(d.login)): \(d.reason.rawValue)\(d.detail.map { " — \(text($0))" } ?? "")\n"
            }
            if a.outcome.discarded.count > Self.listLimit { out += "- … and \(a.outcome.discarded.count - Self.listLimit) more\n" }
            out += "\n</details>\n\n"
        }
        return out
    }

    // MARK: Apps

    /// One part of the comment that can be shown in full or as one line.
    struct Unit {
        var full: String
        var line: String
        /// Shown first, and in full when the budget runs short: blocking findings, then the higher required tier.
        var blocking: Bool
        var tier: Int
        var name: String
    }

    private func checkUnits(_ report: Report) -> [Unit] {
        var units = report.apps.compactMap { app in app.check.map { checkUnit(app, $0, report) } }
        if !report.findings.isEmpty { units.append(filesUnit(report)) }
        return units
    }

    private func checkUnit(_ app: AppReport, _ c: AppCheckInfo, _ report: Report) -> Unit {
        let tier = "tier \(c.baseTier.map(String.init) ?? "–") → \(c.headTier.map(String.init) ?? "–") (\(c.tierChange.rawValue))"
        let groups = uniqueGroups(c.requiredApprovals)
        let counting = app.findings.filter(\.counts)
        let blocking = counting.filter(report.blocks)
        let findingsNote = counting.isEmpty ? "" : " · " + plural(counting.count, "finding") + (blocking.isEmpty ? "" : " (\(blocking.count) blocking)")
        let was = c.previousName.map { " (was \(MarkdownText.code($0)))" } ?? ""

        // The summary is raw HTML: repository strings are escaped for it.
        let needsHTML = groups.isEmpty ? "needs no approval" : "needs " + groups.map(MarkdownText.html).joined(separator: ", ")
        let wasHTML = c.previousName.map { " (was <code>\(MarkdownText.html($0))</code>)" } ?? ""
        let open = !blocking.isEmpty || !groups.isEmpty
        var full = "<details\(open ? " open" : "")><summary><b><code>\(MarkdownText.html(app.name))</code></b>\(wasHTML) · \(c.change.rawValue) · \(tier) · \(needsHTML)\(MarkdownText.html(findingsNote))</summary>\n\n"
        let atBase = c.change == .removed
        let file = fileLink(app.path, commit: atBase ? report.base?.commit : report.head?.commit)
        full += c.previousPath.map { "\(fileLink($0, commit: report.base?.commit)) → \(file)" } ?? file
        full += "\n\n"
        if let risk = c.risk {
            full += "**Risk**\(atBase ? " (as it was)" : ""): " + riskLine(risk) + "\n\n"
        } else if c.change != .removed {
            full += "**Risk**: unknown, the manifest does not decode (see its findings)\n\n"
        }
        if !c.fieldChanges.isEmpty {
            full += "**Changes**\n\n"
            for f in c.fieldChanges.prefix(Self.listLimit) {
                full += "- \(MarkdownText.code(f.path)): \(value(f.from)) → \(value(f.to))\n"
            }
            if c.fieldChanges.count > Self.listLimit { full += "- … and \(c.fieldChanges.count - Self.listLimit) more (the JSON report lists every one)\n" }
            full += "\n"
        }
        if !c.requiredApprovals.isEmpty {
            full += "**Needs**: " + c.requiredApprovals.map { "\($0.count)× \(text($0.group)) (\(text($0.reason)))" }.joined(separator: "; ") + "\n\n"
        }
        full += findingList(app.findings, report)
        full += "</details>\n\n"

        let line = "- \(MarkdownText.code(app.name))\(was) · \(c.change.rawValue) · \(tier) · "
            + (groups.isEmpty ? "needs no approval" : "needs " + groups.map(text).joined(separator: ", ")) + findingsNote + "\n"
        return Unit(full: full, line: line, blocking: !blocking.isEmpty, tier: c.requiredTier ?? -1, name: app.name)
    }

    private func lintUnits(_ report: Report) -> [Unit] {
        var units: [Unit] = []
        for app in report.apps where !app.findings.isEmpty {
            let counting = app.findings.filter(\.counts)
            let blocking = counting.filter(report.blocks)
            let tier = app.tier.map { "tier \($0)" } ?? "no tier"
            let note = "\(tier) · " + plural(counting.count, "finding") + (blocking.isEmpty ? "" : " (\(blocking.count) blocking)")
            var full = "<details\(blocking.isEmpty ? "" : " open")><summary><b><code>\(MarkdownText.html(app.name))</code></b> · \(note)</summary>\n\n"
            full += fileLink(app.path, commit: report.head?.commit) + "\n\n"
            full += findingList(app.findings, report)
            full += "</details>\n\n"
            let line = "- \(MarkdownText.code(app.name)) (\(MarkdownText.code(app.path))) · \(note)\n"
            units.append(Unit(full: full, line: line, blocking: !blocking.isEmpty, tier: app.tier ?? -1, name: app.name))
        }
        if !report.findings.isEmpty { units.append(filesUnit(report)) }
        return units
    }

    /// Findings about no single app (a file that is not YAML, a manifest outside the globs, …).
    private func filesUnit(_ report: Report) -> Unit {
        let blocking = report.findings.filter(report.blocks)
        let note = plural(report.findings.count, "finding") + (blocking.isEmpty ? "" : " (\(blocking.count) blocking)")
        let full = "<details\(blocking.isEmpty ? "" : " open")><summary><b>Files</b> · \(note)</summary>\n\n" + findingList(report.findings, report) + "</details>\n\n"
        return Unit(full: full, line: "- Files · \(note)\n", blocking: !blocking.isEmpty, tier: Int.max, name: "")
    }

    /// The units in order (blocking first, then the highest required tier, then by name), in full while they fit;
    /// past the budget the rest as one line each, then as a count.
    private func fitted(_ units: [Unit], room: Int, report: Report) -> String {
        let ordered = units.sorted { a, b in
            if a.blocking != b.blocking { return a.blocking }
            if a.tier != b.tier { return a.tier > b.tier }
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        let all = ordered.map(\.full).joined()
        if all.utf8.count <= room { return all }

        let noun = report.command == .check ? "app" : "entry"
        // What the last lines need: the note that the rest are counted, and where to find them.
        let artifacts = runLink.map { "the JSON and SARIF reports of [this run](\($0))" } ?? "the JSON and SARIF reports (`--report json=FILE`, `--report sarif=FILE`)"
        let reserve = 300 + artifacts.utf8.count
        var out = ""
        var i = 0
        // In full while they take at most half the room, so that the rest can still be listed.
        while i < ordered.count, out.utf8.count + ordered[i].full.utf8.count <= room / 2 {
            out += ordered[i].full
            i += 1
        }
        if i < ordered.count {
            out += "**\(plural(ordered.count - i, "more \(noun)"))**, one line each to keep this comment within GitHub's limit; \(artifacts) have every detail:\n\n"
        }
        var lines = 0
        while i < ordered.count, out.utf8.count + ordered[i].line.utf8.count + reserve <= room {
            out += ordered[i].line
            i += 1
            lines += 1
        }
        if lines > 0 { out += "\n" }
        if i < ordered.count {
            out += "… and \(plural(ordered.count - i, "more \(noun)")) not shown here: see \(artifacts).\n\n"
        }
        return out
    }

    // MARK: Pieces

    private func riskLine(_ r: AppRisk) -> String {
        var parts = ["data **\(text(r.dataClass))**", "access **\(text(r.accessScope))**"]
        if r.integrations.isEmpty {
            parts.append("no integrations")
        } else {
            parts.append("integrations " + listed(r.integrations.map { "\(MarkdownText.code($0.name)) (\(text($0.access)))" }, limit: Self.listLimit))
        }
        var egress = "egress **\(text(r.egress))**"
        if !r.destinations.isEmpty { egress += " to " + listed(r.destinations.map { MarkdownText.code($0) }, limit: 5) }
        parts.append(egress)
        parts.append("owner \(MarkdownText.code(r.owner))")
        parts.append("log retention \(plural(r.retentionDays, "day"))")
        parts.append("cost cap $\(money(r.monthlyCapUSD))/month")
        return parts.joined(separator: " · ")
    }

    private func findingList(_ findings: [Finding], _ report: Report) -> String {
        guard !findings.isEmpty else { return "" }
        var out = ""
        for f in findings.prefix(Self.listLimit) {
            let sev = f.severity == .error ? "🔴 error" : f.severity == .warning ? "🟡 warning" : "🔵 info"
            let sup = f.suppressed.map { " _(suppressed until \(text($0.expires)): \(text($0.reason)))_" } ?? ""
            out += "- \(sev) \(location(f, report)) \(text(f.message)) \(MarkdownText.code(f.id))\(sup)\n"
        }
        if findings.count > Self.listLimit { out += "- … and \(findings.count - Self.listLimit) more (the JSON and SARIF reports list every one)\n" }
        return out + "\n"
    }

    /// A changed value: a code span, cut short when long (the JSON report has it whole).
    private func value(_ v: ManifestValue?) -> String {
        guard let v else { return "(none)" }
        let s = v.description
        return MarkdownText.code(s.count > 120 ? String(s.prefix(120)) + "…" : s)
    }

    /// People to ask, as plain text; with `mention`, as `@login` when the login is a GitHub or GitLab login.
    private func people(_ logins: [String]) -> String {
        listed(logins.map { mention && Self.mentionable($0) ? "@" + $0 : text($0) }, limit: Self.listLimit)
    }

    /// Letters, digits, `-`, `_` and `.` (GitLab allows the last two), starting with a letter or digit.
    static func mentionable(_ login: String) -> Bool {
        guard let first = login.utf8.first, login.utf8.count <= 64, isAlnum(first) else { return false }
        return login.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

    private func listed(_ items: [String], limit: Int) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? shown + " and \(items.count - limit) more" : shown
    }

    private func uniqueGroups(_ required: [RequiredApproval]) -> [String] {
        var seen = Set<String>()
        return required.map(\.group).filter { seen.insert($0).inserted }
    }

    private func footer(_ report: Report) -> String {
        guard let base = report.base, let head = report.head else {
            return "<sub>policy \(report.policy.source.rawValue) · tiergate \(text(report.toolVersion))</sub>\n"
        }
        let baseCommit = base.commit.map { text(String($0.prefix(12))) } ?? "none"
        let headCommit = head.commit.map { text(String($0.prefix(12))) } ?? "index"
        return "<sub>base \(text(base.rev)) (\(baseCommit)) · head \(headCommit) · policy \(report.policy.source.rawValue)\(report.policy.changed ? " (changed by this PR; the base version judged it)" : "") · tiergate \(text(report.toolVersion))</sub>\n"
    }

    /// Dollars, with cents when there are any.
    private func money(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e13 else { return "\(v)" }
        let cents = Int((v * 100).rounded())
        let sign = cents < 0 ? "-" : ""
        let whole = abs(cents) / 100, rest = abs(cents) % 100
        return sign + String(whole) + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// Escaped text (`MarkdownText.text`).
    private func text(_ s: String) -> String { MarkdownText.text(s) }

    private func fileLink(_ path: String, commit: String?) -> String {
        let shown = MarkdownText.code(path)
        guard let base = sourceLinkBase, let commit else { return shown }
        return "[\(shown)](\(base)\(MarkdownText.linkPath(commit))/\(MarkdownText.linkPath(path)))"
    }

    private func location(_ f: Finding, _ report: Report) -> String {
        let shown = MarkdownText.code("\(f.path):\(f.line)")
        guard let base = sourceLinkBase, let commit = report.head?.commit else { return shown }
        return "[\(shown)](\(base)\(MarkdownText.linkPath(commit))/\(MarkdownText.linkPath(f.path))#L\(f.line))"
    }
}

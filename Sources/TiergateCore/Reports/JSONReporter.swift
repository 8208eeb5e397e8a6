/// The JSON report of SPEC section 7 (`schemas/report.schema.json`). The key names and their order are the
/// contract; they are all written here.
package struct JSONReporter: Reporter {
    package init() {}

    /// Strings exactly as they are (JSON escapes them), so that programs read the repository's own values.
    package var strings: ReportStrings { .exact }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var w = JSONWriter(capacity: 1024 + report.apps.count * 256)
        w.beginObject()
        w.header(command: report.command.rawValue, version: report.toolVersion)
        if report.command == .check {
            w.key("base")
            revision(&w, report.base)
        }
        w.key("head")
        revision(&w, report.head)
        w.key("policy")
        w.object { w in
            w.policyFields(report.policy)
            if let commit = report.policy.commit { w.field("commit", commit) }
            w.field("changed", report.policy.changed)
        }
        w.field("decision", report.decision.rawValue)
        w.field("exitCode", Int(report.exitCode))
        w.key("apps")
        w.objects(report.apps) { appFields(&$0, $1, report.command) }
        w.key("findings")
        findings(&w, report.findings)
        if report.command == .check, let a = report.approvals { approvals(&w, a) }
        if let impact = report.policyImpact {
            w.key("policyImpact")
            PolicyImpactRenderer.json(&w, impact)
        }
        w.key("summary")
        w.object { w in
            w.field(report.command == .check ? "appsChanged" : "appsChecked", report.summary.apps)
            w.field("errors", report.summary.errors)
            w.field("warnings", report.summary.warnings)
            w.field("infos", report.summary.infos)
            w.field("suppressed", report.summary.suppressed)
            if report.command == .check { w.field("approvalsMissing", report.summary.approvalsMissing) }
        }
        w.endObject()
        return w.text
    }

    private func revision(_ w: inout JSONWriter, _ r: RevisionInfo?) {
        guard let r else { return w.null() }
        w.object { $0.revisionFields(r) }
    }

    private func appFields(_ w: inout JSONWriter, _ app: AppReport, _ command: Report.Command) {
        w.field("name", app.name)
        w.field("path", app.path)
        if command == .check, let c = app.check {
            w.field("previousPath", c.previousPath)
            w.field("change", c.change.rawValue)
            if let n = c.previousName { w.field("previousName", n) }
            w.field("baseTier", c.baseTier)
            w.field("headTier", c.headTier)
            w.field("requiredTier", c.requiredTier)
            w.field("tierChange", c.tierChange.rawValue)
            w.key("fieldChanges")
            w.objects(c.fieldChanges) { w, f in
                w.field("path", f.path)
                w.key("from")
                if let v = f.from { w.value(v) } else { w.null() }
                w.key("to")
                if let v = f.to { w.value(v) } else { w.null() }
            }
            w.key("requiredApprovals")
            w.objects(c.requiredApprovals) { w, r in
                w.field("group", r.group)
                w.field("count", r.count)
                w.field("reason", r.reason)
            }
        } else {
            w.field("tier", app.tier)
        }
        w.key("findings")
        findings(&w, app.findings)
    }

    private func findings(_ w: inout JSONWriter, _ list: [Finding]) {
        w.objects(list) { w, f in
            w.findingFields(f)
            w.field("app", f.app)
            if let s = f.suppressed {
                w.key("suppressed")
                w.object { w in
                    w.field("reason", s.reason)
                    w.field("expires", s.expires)
                }
            }
        }
    }

    private func approvals(_ w: inout JSONWriter, _ a: ApprovalsReport) {
        w.key("approvals")
        w.beginObject()
        w.field("ignored", a.ignored)
        w.field("advisory", a.advisory)
        w.field("author", a.author)
        w.key("required")
        w.objects(a.outcome.groups) { w, g in
            w.field("group", g.group)
            w.field("count", g.count)
            w.key("reasons")
            w.stringArray(g.reasons)
            w.key("approvedBy")
            w.stringArray(g.approvedBy)
            w.field("satisfied", g.satisfied)
            if !g.unresolvedTeams.isEmpty {
                w.key("unresolvedTeams")
                w.objects(g.unresolvedTeams) { w, t in
                    w.field("team", t.team)
                    w.field("reason", t.reason.rawValue)
                }
            }
        }
        w.key("discarded")
        w.objects(a.outcome.discarded) { w, d in
            w.field("login", d.login)
            w.field("reason", d.reason.rawValue)
            if let detail = d.detail { w.field("detail", detail) }
        }
        w.endObject()
    }
}

/// The parts every JSON output of tiergate writes the same way.
extension JSONWriter {
    /// `schemaVersion`, `tool` and `command`: how every JSON output of tiergate begins.
    mutating func header(command: String, version: String = TiergateVersion.current) {
        field("schemaVersion", 1)
        key("tool")
        object { w in
            w.field("name", "tiergate")
            w.field("version", version)
        }
        field("command", command)
    }

    /// `rev` and `commit`.
    mutating func revisionFields(_ r: RevisionInfo) {
        field("rev", r.rev)
        field("commit", r.commit)
    }

    /// `source`, `path` and `blob`.
    mutating func policyFields(_ p: PolicyInfo) {
        field("source", p.source.rawValue)
        field("path", p.path)
        field("blob", p.blob)
    }

    /// What every finding says: `id`, `severity`, `message`, `path`, `line`, `column`.
    mutating func findingFields(_ f: Finding) {
        field("id", f.id)
        field("severity", f.severity.rawValue)
        field("message", f.message)
        field("path", f.path)
        field("line", f.line)
        field("column", f.column)
    }

    /// `[{group, count}, ...]`.
    mutating func approvalRequirements(_ list: [ApprovalRequirement]) {
        objects(list) { w, a in
            w.field("group", a.group)
            w.field("count", a.count)
        }
    }
}

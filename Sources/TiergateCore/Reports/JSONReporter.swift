/// The JSON report of SPEC section 7 (`schemas/report.schema.json`). The key names and their order are the
/// contract; they are all written here.
package struct JSONReporter: Reporter {
    package init() {}

    /// Strings exactly as they are (JSON escapes them), so that programs read the repository's own values.
    package var strings: ReportStrings { .exact }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var w = JSONWriter(capacity: 1024 + report.apps.count * 256)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.key("tool")
        w.beginObject()
        w.field("name", "tiergate")
        w.field("version", report.toolVersion)
        w.endObject()
        w.field("command", report.command.rawValue)
        if report.command == .check {
            w.key("base")
            revision(&w, report.base)
        }
        w.key("head")
        revision(&w, report.head)
        w.key("policy")
        w.beginObject()
        w.field("source", report.policy.source.rawValue)
        w.field("path", report.policy.path)
        w.field("blob", report.policy.blob)
        if let commit = report.policy.commit { w.field("commit", commit) }
        w.field("changed", report.policy.changed)
        w.endObject()
        w.field("decision", report.decision.rawValue)
        w.field("exitCode", Int(report.exitCode))
        w.key("apps")
        w.beginArray()
        for app in report.apps { self.app(&w, app, report.command) }
        w.endArray()
        w.key("findings")
        findings(&w, report.findings)
        if report.command == .check, let a = report.approvals { approvals(&w, a) }
        if let impact = report.policyImpact {
            w.key("policyImpact")
            PolicyImpactRenderer.json(&w, impact)
        }
        w.key("summary")
        w.beginObject()
        w.field(report.command == .check ? "appsChanged" : "appsChecked", report.summary.apps)
        w.field("errors", report.summary.errors)
        w.field("warnings", report.summary.warnings)
        w.field("infos", report.summary.infos)
        w.field("suppressed", report.summary.suppressed)
        if report.command == .check { w.field("approvalsMissing", report.summary.approvalsMissing) }
        w.endObject()
        w.endObject()
        return w.text
    }

    private func revision(_ w: inout JSONWriter, _ r: RevisionInfo?) {
        guard let r else { return w.null() }
        w.beginObject()
        w.field("rev", r.rev)
        w.field("commit", r.commit)
        w.endObject()
    }

    private func app(_ w: inout JSONWriter, _ app: AppReport, _ command: Report.Command) {
        w.beginObject()
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
            w.beginArray()
            for f in c.fieldChanges {
                w.beginObject()
                w.field("path", f.path)
                w.key("from")
                if let v = f.from { w.value(v) } else { w.null() }
                w.key("to")
                if let v = f.to { w.value(v) } else { w.null() }
                w.endObject()
            }
            w.endArray()
            w.key("requiredApprovals")
            w.beginArray()
            for r in c.requiredApprovals {
                w.beginObject()
                w.field("group", r.group)
                w.field("count", r.count)
                w.field("reason", r.reason)
                w.endObject()
            }
            w.endArray()
        } else {
            w.field("tier", app.tier)
        }
        w.key("findings")
        findings(&w, app.findings)
        w.endObject()
    }

    private func findings(_ w: inout JSONWriter, _ list: [Finding]) {
        w.beginArray()
        for f in list {
            w.beginObject()
            w.field("id", f.id)
            w.field("severity", f.severity.rawValue)
            w.field("message", f.message)
            w.field("path", f.path)
            w.field("line", f.line)
            w.field("column", f.column)
            w.field("app", f.app)
            if let s = f.suppressed {
                w.key("suppressed")
                w.beginObject()
                w.field("reason", s.reason)
                w.field("expires", s.expires)
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
    }

    private func approvals(_ w: inout JSONWriter, _ a: ApprovalsReport) {
        w.key("approvals")
        w.beginObject()
        w.field("ignored", a.ignored)
        w.field("advisory", a.advisory)
        w.field("author", a.author)
        w.key("required")
        w.beginArray()
        for g in a.outcome.groups {
            w.beginObject()
            w.field("group", g.group)
            w.field("count", g.count)
            w.key("reasons")
            w.stringArray(g.reasons)
            w.key("approvedBy")
            w.stringArray(g.approvedBy)
            w.field("satisfied", g.satisfied)
            if !g.unresolvedTeams.isEmpty {
                w.key("unresolvedTeams")
                w.beginArray()
                for t in g.unresolvedTeams {
                    w.beginObject()
                    w.field("team", t.team)
                    w.field("reason", t.reason.rawValue)
                    w.endObject()
                }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.key("discarded")
        w.beginArray()
        for d in a.outcome.discarded {
            w.beginObject()
            w.field("login", d.login)
            w.field("reason", d.reason.rawValue)
            if let detail = d.detail { w.field("detail", detail) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}

/// SUMMARY.md of an evidence package: the period in plain words for someone who does not read JSON (an auditor, a
/// risk officer). Every string from the repository or a record is redacted and written as Markdown text.
enum EvidenceSummary {
    static func render(_ f: EvidenceFacts) -> String {
        let r = f.request
        let recorded = f.records.compactMap(\.record)
        let changes = recorded.flatMap { rec in rec.apps.map { (record: rec, app: $0) } }
        let escalations = changes.filter { $0.app.tierChange == TierChange.escalated.rawValue || $0.app.tierChange == TierChange.new.rawValue && ($0.app.headTier ?? 0) > 0 }
        let withoutApproval = recorded.filter { $0.decision == .landedWithoutApproval }
        let blocked = recorded.filter { $0.decision == .landedBlocked }
        let unrecordedCommits = Set(f.unrecorded.map(\.commit))
        let tierNames = Dictionary((f.policies.last { $0.policy != nil }?.policy ?? Policy.builtIn).tiers.map { ($0.tier, $0.name) }, uniquingKeysWith: { a, _ in a })

        var out = "# Evidence package: micro-app changes from \(r.since) to \(r.until)\n\n"
        out += "Produced by tiergate \(TiergateVersion.current) from the first-parent history of \(text(r.revision)) at commit `\(f.tip)`. "
        out += "It holds the decision recorded for every change that landed in the period, the register of apps at the start and at the end "
        out += "of the period, the policy versions in force, the policy exceptions, and the apps whose owners are overdue to confirm "
        out += "(attest) them. Every file is listed in `SHA256SUMS` with its SHA-256 checksum: `sha256sum -c SHA256SUMS` checks them.\n\n"

        out += "## At a glance\n\n| | |\n|---|---:|\n"
        out += "| Changes to apps recorded in the period | \(changes.count) |\n"
        out += "| Commits recorded | \(f.records.count) |\n"
        out += "| Commits that landed without the required approvals | \(withoutApproval.count) |\n"
        out += "| Commits that landed although a finding blocked them | \(blocked.count) |\n"
        out += "| Commits that changed apps without a record | \(unrecordedCommits.count) |\n"
        out += "| Tier escalations (and new apps above tier 0) | \(escalations.count) |\n"
        out += "| Apps at the start / at the end | \(f.startRows.count) / \(f.endRows.count) |\n"
        out += "| Overdue attestations at the end | \(f.overdue.count) |\n"
        out += "| Policy versions in force | \(f.policies.count) |\n"
        out += "| Policy exceptions (expired by the end) | \(f.exceptions.count) (\(f.exceptions.filter(\.expiredAtEnd).count)) |\n"
        if let p = f.chainProblem {
            out += "| Chain of decision records | **broken**: the record of `\(p.commit)` was \(p.word) |\n\n"
        } else {
            out += "| Chain of decision records | intact (\(f.chainRecords) records checked) |\n\n"
        }

        out += "## Apps and changes per risk tier\n\n"
        out += "Each app has a risk tier: the higher the tier, the more approvals a change to it needs. The last column counts the "
        out += "changes of the period by the tier whose approvals they needed.\n\n"
        out += "| tier | meaning | apps at the start | apps at the end | changes in the period |\n|---:|---|---:|---:|---:|\n"
        let tiers = Set(tierNames.keys).union(f.startRows.map(\.tier)).union(f.endRows.map(\.tier)).union(changes.compactMap(\.app.requiredTier)).sorted()
        for t in tiers {
            out += "| \(t) | \(text(tierNames[t] ?? "")) | \(f.startRows.count { $0.tier == t }) | \(f.endRows.count { $0.tier == t }) | \(changes.count { $0.app.requiredTier == t }) |\n"
        }
        let unreviewed = changes.count { $0.app.requiredTier == nil }
        if unreviewed > 0 { out += "| – | needed no review (removed, moved or reformatted) | | | \(unreviewed) |\n" }
        out += "\n"

        out += section("Escalations and who approved them", escalations.isEmpty ? "None in the period.\n" : {
            var t = "| date | app | tier | approved by | outcome |\n|---|---|---|---|---|\n"
            for e in escalations {
                t += "| \(String(e.record.committedAt.prefix(10))) | \(text(e.app.name)) | \(tier(e.app.baseTier)) → \(tier(e.app.headTier)) | "
                t += "\(e.record.approvers.isEmpty ? "nobody" : e.record.approvers.map(text).joined(separator: ", ")) | \(outcome(e.record)) |\n"
            }
            return t
        }())

        out += section("Landed without the required approvals", withoutApproval.isEmpty ? "None in the period.\n" : {
            var t = "| date | commit | apps | approvals missing |\n|---|---|---|---|\n"
            for rec in withoutApproval {
                let missing = rec.required.filter { !$0.satisfied }.map { "\(text($0.group)) (\($0.count - $0.approvedBy.count) of \($0.count))" }
                t += "| \(String(rec.committedAt.prefix(10))) | `\(rec.commit)` | \(rec.apps.map { text($0.name) }.joined(separator: ", ")) | \(missing.joined(separator: ", ")) |\n"
            }
            return t
        }())

        out += section("Changes without a record", f.unrecorded.isEmpty ? "None in the period: every commit that changed apps or the policy was recorded.\n" : {
            var t = "These commits changed apps (or the policy) but carry no decision record: nobody can show here which approvals they had.\n\n"
            t += "| date | commit | app or file |\n|---|---|---|\n"
            for e in f.unrecorded { t += "| \(String(e.date.prefix(10))) | `\(e.commit)` | \(text(e.app ?? e.path ?? "")) |\n" }
            return t
        }())

        out += section("Policy versions in force", f.policies.isEmpty ? "No commit in or before the period.\n" : {
            var t = "| version (blob id) | made the policy by | file |\n|---|---|---|\n"
            for v in f.policies {
                let by = v.changedAt.map { "`\(String($0.id.hex.prefix(12)))` (\($0.day))" }.joined(separator: ", ")
                t += "| \(v.blob.map { "`\($0)`" } ?? "built-in default")\(v.policy == nil ? " (invalid: the last valid version judged)" : "") | \(by) | `\(v.file)` |\n"
            }
            return t
        }())

        out += section("Policy exceptions", f.exceptions.isEmpty ? "None.\n" : {
            var t = "| app | check waived | reason | expires | at the end |\n|---|---|---|---|---|\n"
            for e in f.exceptions {
                t += "| \(text(e.app)) | \(text(e.check)) | \(text(e.reason)) | \(e.expires) | \(e.expiredAtEnd ? "expired" : "in force") |\n"
            }
            return t
        }())

        out += section("Overdue attestations at the end", f.overdue.isEmpty ? "None: every app was confirmed by its owner in time.\n" : {
            var t = "| app | owner | tier |\n|---|---|---:|\n"
            for a in f.overdue { t += "| \(text(a.name)) | \(text(a.owner)) | \(a.tier) |\n" }
            return t
        }())

        var notes: [String] = []
        if !f.redactedRecords.isEmpty {
            notes.append("The records of \(f.redactedRecords.map { "`\($0)`" }.joined(separator: ", ")) held text that looks like a credential, which `tiergate record` never writes; they are included redacted, so their SHA-256 no longer matches the chain.")
        }
        if f.records.contains(where: { $0.record == nil }) {
            notes.append("Some notes under refs/notes/tiergate are not decision records as `tiergate record` writes them: \(f.records.filter { $0.record == nil }.map { "`\($0.commit.id.hex)`" }.joined(separator: ", ")).")
        }
        if !f.unreadableAtEnd.isEmpty {
            notes.append("\(f.unreadableAtEnd.count) manifest file(s) at the end could not be read into an app and are not in the register (`tiergate lint` says why).")
        }
        if let p = f.chainProblem {
            notes.append("The chain of decision records is broken: the record of `\(p.commit)` was \(p.word) (\(text(p.why))). `tiergate audit verify` gives the same answer.")
        }
        if !notes.isEmpty { out += section("Notes", notes.map { "- " + $0 + "\n" }.joined()) }

        out += section("Files", """
            - `records/DATE-COMMIT.json`: the decision recorded for each commit of the period (JSON; `tiergate schema decision` describes it).
            - `registry/start.json`, `registry/start.csv`: every app as it was before the period began (judged on \(r.since)); `registry/end.*`: at its end (judged on \(r.until)).
            - `policies/*.yaml`, `policies/index.json`: each version of the policy in force, by its git blob id, with the commits that made it the one in force.
            - `exceptions.json`, `exceptions.csv`: the policy's exceptions and their expiry.
            - `attestations-overdue.json`, `attestations-overdue.csv`: apps whose owners had not confirmed them in time at the end.
            - `SHA256SUMS`: the checksum of every other file.

            """)
        return out
    }

    private static func section(_ title: String, _ body: String) -> String { "## \(title)\n\n\(body)\n" }

    private static func text(_ s: String) -> String { MarkdownText.text(Redactor.text(s), inTable: true) }

    private static func tier(_ t: Int?) -> String { t.map(String.init) ?? "–" }

    private static func outcome(_ r: DecisionRecord) -> String {
        switch r.decision {
        case .pass: "approved"
        case .landedWithoutApproval: "**landed without approval**"
        case .landedBlocked: "**landed although blocked**"
        }
    }
}

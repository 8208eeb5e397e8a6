/// The body of a commit status for GitHub's API (`POST /repos/OWNER/REPO/statuses/SHA`): `success` when the gate
/// passes, `pending` while approvals are missing (a new approval re-runs the gate and turns it green), `failure`
/// when a finding blocks. `error`, when the tool could not decide, has no report: CI posts it itself on exit 2.
/// Branch protection requires the context `tiergate`; the CI job fails only on exit 1 or 2.
package struct StatusReporter: Reporter {
    /// The status check's name, which branch protection requires.
    package static let context = "tiergate"
    /// GitHub refuses a longer description.
    package static let descriptionLimit = 140

    package enum State: String, Encodable, Sendable {
        case success, pending, failure, error
    }

    package struct Body: Encodable, Equatable, Sendable {
        package var state: State
        package var description: String
        package var context: String
        package var target_url: String?
    }

    /// Where the status links: the CI run.
    package var targetURL: String?

    package init(targetURL: String? = nil) {
        self.targetURL = targetURL.flatMap(ReporterOptions.safeLink)
    }

    package func render(prepared report: Report) throws(TiergateError) -> String {
        try JSONText.encode(body(report))
    }

    package func body(_ report: Report) -> Body {
        Body(state: Self.state(report.decision), description: Self.fit(description(report)), context: Self.context, target_url: targetURL)
    }

    package static func state(_ decision: Decision) -> State {
        switch decision {
        case .pass: .success
        case .approvalRequired: .pending
        case .blocked: .failure
        }
    }

    private func description(_ report: Report) -> String {
        let s = report.summary
        switch report.decision {
        case .pass:
            let what = report.command == .check ? plural(s.apps, "app") + " changed" : plural(s.apps, "app")
            guard report.command == .check, let a = report.approvals else { return "passes: \(what), no blocking finding" }
            if a.ignored { return "passes: \(what), no blocking finding (approvals not checked)" }
            if a.advisory { return "passes: \(what), no blocking finding (approvals advisory)" }
            return a.outcome.groups.isEmpty ? "passes: \(what), no approval needed" : "passes: \(what), every approval given"
        case .approvalRequired:
            let groups = report.approvals?.outcome.groups.filter { !$0.satisfied }.map(\.group) ?? []
            return plural(s.approvalsMissing, "approval") + " missing: " + groups.joined(separator: ", ")
        case .blocked:
            let blocking = report.allFindings.filter(report.blocks)
            guard !blocking.isEmpty else { return "blocked: an app's tier cannot be computed" }
            var ids: [String] = []
            for f in blocking where !ids.contains(f.id) { ids.append(f.id) }
            return "blocked by " + plural(blocking.count, "finding") + ": " + ids.joined(separator: ", ")
        }
    }

    /// Cut to the limit (in UTF-16 code units, which are never fewer than characters), ending in "…".
    static func fit(_ s: String) -> String {
        guard s.utf16.count > descriptionLimit else { return s }
        var out = ""
        for c in s {
            guard out.utf16.count + c.utf16.count + 1 <= descriptionLimit else { break }
            out.append(c)
        }
        return out + "…"
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

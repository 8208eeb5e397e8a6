// libFuzzer target: bytes → YAML layer → manifest schema → every check and rule → tiers → every report format,
// `explain` and `inventory`, as `lint` and as `check` (a new app whose fields all changed) would write them.
// Built by ci/fuzz.sh together with the library's sources (one module, -sanitize=fuzzer,address), with the
// dictionary fuzz/manifest.dict (credentials, huge numbers, dates, Markdown and control characters).
//
// Every input must give a report (no trap, no hang), and every output must hold (a broken one stops the run
// with the input saved):
// - JSON, SARIF, GitLab, explain and inventory JSON parse (JSONSerialization); JUnit parses as XML;
// - every finding id is a known one;
// - no string of a report, an explanation or an inventory row, once redacted, is one SecretScanner calls a
//   credential, and no credential of the input (a key or a value SecretScanner flags by its shape, or a word of
//   one) appears in any output;
// - text, github, table and csv hold no control character but their own line breaks; every github line is a
//   workflow command of tiergate's; the Markdown has one heading, tiergate's own, and no line a repository
//   string starts.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

nonisolated(unsafe) private var evaluator = AppEvaluator(
    policy: .builtIn, today: Day(year: 2026, month: 11, day: 22) ?? Day(daysSinceEpoch: 0), policyPath: ".tiergate/policy.yaml")

nonisolated(unsafe) private var counter = 0

private let knownIDs = FindingID.allNames.union(Policy.builtIn.rules.map(\.id))

/// Stops the run with the input saved. The message goes to stderr first: -O drops a precondition's message.
private func fail(_ what: String, _ output: String) -> Never {
    let message = "fuzz: \(what)\n--- output ---\n\(output.prefix(4000))\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    abort()
}

private func parsesAsJSON(_ what: String, _ text: String) {
    guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil else { fail("\(what) is not JSON", text) }
}

private func parsesAsXML(_ what: String, _ text: String) {
    #if canImport(FoundationXML) || canImport(Darwin)
    guard XMLParser(data: Data(text.utf8)).parse() else { fail("\(what) is not well-formed XML", text) }
    #endif
}

/// The credentials of the input: every key or value SecretScanner flags by its shape (a random value under a
/// secret-like key is left to the unit tests: the same text may be the app's name), and every word of one that
/// it flags on its own (a token inside a description).
nonisolated(unsafe) private var inputSecrets: [String] = []

private func collectSecrets(_ root: YAMLNode) {
    root.forEachString { text, _, _, _ in
        guard SecretScanner.scan(text, key: nil) != nil else { return }
        inputSecrets.append(text)
        for word in text.split(whereSeparator: { " \t\n\r'\"`()[]{}<>,;|".contains($0) }) where SecretScanner.scan(String(word), key: nil) != nil {
            inputSecrets.append(String(word))
        }
    }
}

private func holdsNoSecret(_ what: String, _ text: String) {
    for secret in inputSecrets where text.contains(secret) { fail("\(what) holds the input's credential \(secret)", text) }
}

/// What the Redactor promises: no string it leaves looks like a credential.
private func redactedClean<T: StringCarrying>(_ what: String, _ x: T) {
    _ = Redactor.redact(x).mappingStrings { s in
        if SecretScanner.scan(s, key: nil) != nil { fail("\(what): a redacted string still looks like a credential", s) }
        return s
    }
}

private func holdsNoControl(_ what: String, _ text: String, allowing: Set<Unicode.Scalar> = ["\n"]) {
    if let u = text.unicodeScalars.first(where: { TerminalText.isUnsafe($0.value) && !allowing.contains($0) }) {
        fail("\(what) holds U+\(String(u.value, radix: 16))", text)
    }
}

/// Every format of one report, checked.
private func renderAll(_ report: Report, slow: Bool) {
    for f in report.allFindings where !knownIDs.contains(f.id) { fail("unknown finding id \(f.id)", f.message) }
    redactedClean("report", Redactor.redact(report))
    // The Foundation-encoded formats (slow under ASan) on one input in sixteen.
    for format in ReportFormat.allCases where slow || ![.sarif, .gitlab].contains(format) {
        let out: String
        do { out = try format.reporter(ReporterOptions(sourceLinkBase: "https://github.com/o/r/blob/")).render(report) } catch {
            fail("\(format) failed: \(error)", "")
        }
        holdsNoSecret("\(format)", out)
        switch format {
        case .json, .sarif, .gitlab: if format == .json || slow { parsesAsJSON("\(format)", out) }
        case .junit: if slow { parsesAsXML("junit", out) }
        case .text: holdsNoControl("text", out)
        case .github:
            holdsNoControl("github", out)
            for line in out.split(separator: "\n") where !(line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice ")) {
                fail("github line not tiergate's", String(line))
            }
        case .markdown:
            holdsNoControl("markdown", out)
            let headings = out.split(separator: "\n").filter { $0.drop(while: { $0 == " " }).hasPrefix("#") }
            guard headings.count == 1, headings[0].hasPrefix("### ") else { fail("markdown headings \(headings)", out) }
            // Every line starts as tiergate starts its lines: no repository string begins one.
            let starts = ["<", "### ", "| ", "|---", "**Approvals**", "- ", "  - "]
            for line in out.split(separator: "\n") where !(starts.contains { line.hasPrefix($0) } || line.first?.isNumber == true) {
                fail("markdown line not tiergate's", String(line))
            }
        }
    }
}

/// `explain` and `inventory` of one typed app, checked.
private func explainAndInventory(_ app: EvaluatedApp, _ typed: MicroApp, tier: Int, slow: Bool) {
    let policy = evaluator.policy
    let value = typed.value
    let explanation = TierCalculator(policy: policy).explain(typed)
    let fired = policy.rules.filter { $0.when.holds(on: value) }.map {
        AppExplanation.FiredRule(id: $0.id, raiseTier: $0.raiseTier, approvals: $0.approvals, requirementMet: $0.require.map { $0.holds(on: value) })
    }
    let e = AppExplanation(
        name: typed.metadata.name, path: app.path, revision: RevisionInfo(rev: "HEAD", commit: nil), policy: PolicyInfo(source: .default, path: nil, blob: nil),
        explanation: explanation, firedRules: fired, approvals: [], tierName: policy.tier(explanation.tier)?.name)
    redactedClean("explanation", e)
    for format in ExplainFormat.allCases where slow || format == .text {
        guard let out = try? ExplainRenderer.render(e, as: format) else { fail("explain \(format) failed", "") }
        holdsNoSecret("explain \(format)", out)
        if format == .json { parsesAsJSON("explain json", out) } else { holdsNoControl("explain text", out) }
    }
    let l = typed.spec.lifecycle
    let today = evaluator.today
    let expires = l.expiresAt(defaultTtlDays: policy.limits.defaultTtlDays)
    let row = InventoryRow(
        name: typed.metadata.name, path: app.path, owner: typed.metadata.owner, tier: tier, dataClass: typed.spec.dataClass.rawValue,
        state: typed.spec.state.rawValue, expiresAt: expires.description, daysLeft: today.days(until: expires), expired: expires < today,
        attestationDue: l.attestedAt.map { $0.adding(days: policy.limits.attestationDays) < today } ?? true,
        monthlyCapUSD: typed.spec.cost.monthlyCapUSD, integrations: typed.spec.integrations.map(\.name), pastRetirement: false)
    guard row.expiresAt.count == 10 else { fail("expiresAt \(row.expiresAt)", "") }
    redactedClean("inventory row", [row])
    for format in InventoryFormat.allCases where slow || format != .json {
        guard let out = try? InventoryRenderer.render([row], as: format) else { fail("inventory \(format) failed", "") }
        holdsNoSecret("inventory \(format)", out)
        switch format {
        case .json: parsesAsJSON("inventory json", out)
        case .csv: holdsNoControl("inventory csv", out, allowing: ["\n", "\r"])
        case .table, .markdown: holdsNoControl("inventory \(format)", out)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func tiergateFuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let file = ManifestReader.read(UnsafeBufferPointer(start: data, count: size), path: "apps/fuzz/microapp.yaml")
    let (apps, fileFindings) = evaluator.evaluate(file)
    inputSecrets = []
    for app in file.apps { collectSecrets(app.root) }
    counter &+= 1
    let slow = counter % 16 == 0
    var lintApps: [AppReport] = []
    var checkApps: [AppReport] = []
    var required: [RequiredApproval] = []
    for app in apps {
        // Changes and redaction over whatever was read, typed or not.
        let value = app.manifest.app?.value ?? ManifestValue(node: app.manifest.root)
        let added = FieldDiff.changes(from: nil, to: value)
        _ = Redactor.fieldChanges(added)
        _ = FieldDiff.changes(from: value, to: ManifestValue(node: app.manifest.root))
        for f in app.findings { _ = app.manifest.mark(of: f.id) }
        let name = app.name ?? ""
        lintApps.append(AppReport(name: name, path: app.path, tier: app.tier, findings: app.findings))
        // As `check` shows a new app: every field a change, and the owner's group asked to approve it.
        let owner = app.manifest.app?.metadata.owner ?? "owners"
        let needs = [RequiredApproval(group: owner, count: 1, reason: "owner change: \(owner) accepts \(name)")]
        required += needs
        checkApps.append(
            AppReport(
                name: name, path: app.path, tier: app.tier, findings: app.findings,
                check: AppCheckInfo(
                    previousPath: nil, change: .added, baseTier: nil, headTier: app.tier, requiredTier: app.tier, tierChange: .new,
                    fieldChanges: added, requiredApprovals: needs)))
        if let typed = app.manifest.app, let tier = app.tier { explainAndInventory(app, typed, tier: tier, slow: slow) }
    }
    let all = lintApps.flatMap(\.findings) + fileFindings
    var lint = Report(
        command: .lint, toolVersion: "fuzz", base: nil, head: RevisionInfo(rev: "HEAD", commit: nil), policy: PolicyInfo(source: .default, path: nil, blob: nil),
        decision: .pass, apps: lintApps, findings: fileFindings, summary: Summary(findings: all, apps: lintApps.count))
    lint.describeFindings(policy: .builtIn)
    renderAll(lint, slow: slow)

    let outcome = ApprovalMatcher.match(
        required: required, given: [], discarded: [], author: nil, groups: evaluator.policy.groups, distinctApprovers: true, teams: nil)
    var check = Report(
        command: .check, toolVersion: "fuzz", base: RevisionInfo(rev: "origin/main", commit: String(repeating: "a", count: 40)),
        head: RevisionInfo(rev: "HEAD", commit: String(repeating: "b", count: 40)), policy: PolicyInfo(source: .base, path: ".tiergate/policy.yaml", blob: nil),
        decision: .approvalRequired, apps: checkApps, findings: fileFindings, summary: Summary(findings: all, apps: checkApps.count, approvalsMissing: outcome.missing),
        approvals: ApprovalsReport(ignored: false, advisory: false, author: "author", outcome: outcome))
    check.describeFindings(policy: .builtIn)
    renderAll(check, slow: slow)
    return 0
}

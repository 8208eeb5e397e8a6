// libFuzzer target: bytes → YAML layer → manifest schema → every check and rule → tiers → every report format,
// `explain` and `inventory`, as `lint` and as `check` (a new app whose fields all changed) would write them.
// Built by ci/fuzz.sh together with the library's sources (one module, -sanitize=fuzzer,address), with the
// dictionary fuzz/manifest.dict (credentials, huge numbers, dates, Markdown and control characters).
//
// Every input must give a report (no trap, no hang), every output must hold what fuzz/Checks.swift checks,
// and every field a change names has a position inside the input.

import Foundation

nonisolated(unsafe) private var evaluator = AppEvaluator(
    policy: .builtIn, today: Day(year: 2026, month: 11, day: 22) ?? Day(daysSinceEpoch: 0), policyPath: ".tiergate/policy.yaml")

private let knownIDs = knownFindingIDs(.builtIn)

/// The credentials of the input (`credentials(in:)`).
nonisolated(unsafe) private var inputSecrets: [String] = []

private func holdsNoSecret(_ what: String, _ text: String) {
    holdsNoSecret(what, text, secrets: inputSecrets)
}

/// `explain` and `inventory` of one typed app, checked.
private func explainAndInventory(_ app: EvaluatedApp, _ typed: MicroApp, tier: Int, fully: Bool) {
    let policy = evaluator.policy
    let value = typed.value
    let explanation = TierCalculator(policy: policy).explain(typed)
    guard explanation.tier == tier else { fail("explain gives tier \(explanation.tier), the evaluation \(tier)", "") }
    let fired = policy.rules.filter { $0.when.holds(on: value) }.map {
        AppExplanation.FiredRule(id: $0.id, raiseTier: $0.raiseTier, approvals: $0.approvals, requirementMet: $0.require.map { $0.holds(on: value) })
    }
    let e = AppExplanation(
        name: typed.metadata.name, path: app.path, source: .revision(RevisionInfo(rev: "HEAD", commit: nil)), policy: PolicyInfo(source: .default, path: nil, blob: nil),
        explanation: explanation, firedRules: fired, approvals: [], tierName: policy.tier(explanation.tier)?.name)
    redactedClean("explanation", e)
    for format in ExplainFormat.allCases where fully || format == .text {
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
    for format in InventoryFormat.allCases where fully || format != .json {
        guard let out = try? InventoryRenderer.render([row], as: format) else { fail("inventory \(format) failed", "") }
        holdsNoSecret("inventory \(format)", out)
        switch format {
        case .json: parsesAsJSON("inventory json", out)
        case .csv: holdsNoControl("inventory csv", out, allowing: ["\n", "\r"])
        case .table, .markdown, .html: holdsNoControl("inventory \(format)", out)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func tiergateFuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    let file = ManifestReader.read(input, path: "apps/fuzz/microapp.yaml")
    let (apps, fileFindings) = evaluator.evaluate(file)
    inputSecrets = []
    for app in file.apps { inputSecrets += credentials(in: app.root) }
    let fully = isFullyChecked(input)
    let lines = 1 + input.count { $0 == UInt8(ascii: "\n") }
    var checkApps: [AppReport] = []
    var required: [RequiredApproval] = []
    for app in apps {
        // Changes and redaction over whatever was read, typed or not.
        let value = app.manifest.app?.value ?? ManifestValue(node: app.manifest.root)
        let added = FieldDiff.changes(from: nil, to: value)
        _ = Redactor.fieldChanges(added)
        _ = FieldDiff.changes(from: value, to: ManifestValue(node: app.manifest.root))
        for change in added {
            let at = app.manifest.mark(of: change.path)
            guard at.line >= 1, at.line <= lines, at.column >= 1 else { fail("\(change.path) is at \(at.line):\(at.column), outside the input", "") }
        }
        let name = app.name ?? ""
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
        if let typed = app.manifest.app, let tier = app.tier { explainAndInventory(app, typed, tier: tier, fully: fully) }
    }
    renderAll(lintReport(apps, fileFindings: fileFindings, policy: .builtIn), knownIDs: knownIDs, secrets: inputSecrets, fully: fully)

    let all = apps.flatMap(\.findings) + fileFindings
    let outcome = ApprovalMatcher.match(
        required: required, given: [], discarded: [], author: nil, groups: evaluator.policy.groups, distinctApprovers: true, teams: nil)
    var check = Report(
        command: .check, toolVersion: "fuzz", base: RevisionInfo(rev: "origin/main", commit: String(repeating: "a", count: 40)),
        head: RevisionInfo(rev: "HEAD", commit: String(repeating: "b", count: 40)), policy: PolicyInfo(source: .base, path: ".tiergate/policy.yaml", blob: nil),
        decision: .approvalRequired, apps: checkApps, findings: fileFindings, summary: Summary(findings: all, apps: checkApps.count, approvalsMissing: outcome.missing),
        approvals: ApprovalsReport(ignored: false, advisory: false, author: "author", outcome: outcome))
    check.describeFindings(policy: .builtIn)
    renderAll(check, knownIDs: knownIDs, secrets: inputSecrets, fully: fully)
    return 0
}

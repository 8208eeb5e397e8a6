/// Step 6 of the gate: the report entry of every app change with the approvals it needs, and the approvals the
/// change as a whole needs.
struct Requirements {
    var apps: [AppReport] = []
    var approvals: [RequiredApproval] = []
    /// The findings of head apps that have no entry of their own (an app the change leaves as it was, in a touched
    /// file): every touched file's findings are reported, whatever its change kind.
    var findings: [Finding] = []
}

extension Gate {
    static func require(_ appChanges: [AppChange], judged: JudgedChange, policy loaded: LoadedPolicy) -> Requirements {
        let policy = loaded.policy
        var out = Requirements()
        var reported = Set<String>()
        for c in appChanges {
            let needs = RequiredApprovals.forApp(c, policy: policy)
            out.approvals += needs
            // An app that moved onto another's path has two entries (moved, renamed): its findings count once.
            let firstEntry = c.head.map { reported.insert($0.path + "\u{0}" + c.name).inserted } ?? false
            out.apps.append(
                AppReport(
                    name: c.name, path: c.path, tier: c.headTier,
                    findings: firstEntry ? (c.head?.evaluated.findings ?? []).sorted(by: Finding.reportOrder) : [],
                    check: AppCheckInfo(
                        previousPath: c.previousPath, previousName: c.previousName, change: c.change, baseTier: c.baseTier,
                        headTier: c.headTier, requiredTier: c.requiredTier, tierChange: c.tierChange,
                        fieldChanges: Redactor.fieldChanges(c.fieldChanges), requiredApprovals: needs,
                        risk: (c.head ?? c.base)?.manifest.app.map(AppRisk.init))))
        }
        for v in judged.head where !reported.contains(v.path + "\u{0}" + (v.evaluated.name ?? "")) {
            out.findings += v.evaluated.findings
        }
        if loaded.info.changed {
            out.approvals += policy.policyChangeApprovals.map { RequiredApproval(group: $0.group, count: $0.count, reason: "policy change") }
        }
        if loaded.info.source == .lastValid {
            let reason = "the base's policy is invalid; the last valid one (\(loaded.info.commit.map { String($0.prefix(12)) } ?? "?")) judges"
            out.approvals += policy.policyChangeApprovals.map { RequiredApproval(group: $0.group, count: $0.count, reason: reason) }
        }
        return out
    }
}

/// The approvals one app's change asks for (SPEC section 5).
package enum RequiredApprovals {
    package static func forApp(_ c: AppChange, policy: Policy) -> [RequiredApproval] {
        var out: [RequiredApproval] = []
        if let t = c.requiredTier, let def = policy.tier(t) {
            let why = c.tierChange == .deescalated ? "tier \(t) (\(def.name)): de-escalation needs the old tier's approvals" : "tier \(t) (\(def.name))"
            out += def.approvals.map { RequiredApproval(group: $0.group, count: $0.count, reason: why) }
        }
        if c.change == .modified || c.change == .renamed, let b = c.base?.manifest.app?.metadata.owner, let h = c.head?.manifest.app?.metadata.owner, b != h {
            out.append(RequiredApproval(group: h, count: 1, reason: "owner change: \(h) accepts \(c.name) from \(b)"))
        }
        if c.change != .added, c.base?.manifest.app?.spec.state == .quarantined {
            out.append(RequiredApproval(group: "security", count: 1, reason: "\(c.name) is quarantined at base"))
        }
        if c.isReviewed, c.requiredTier != nil, let head = c.head?.manifest.app {
            // The rules read the typed app in place (the same values as `head.value`, without building the tree).
            let fields = TypedFields(head)
            for rule in policy.rules where !rule.approvals.isEmpty && rule.when.holds(on: fields) {
                out += rule.approvals.map { RequiredApproval(group: $0.group, count: $0.count, reason: "rule \(rule.id)") }
            }
        }
        return out
    }
}

import Foundation
import Testing

@testable import TiergateCore

/// Ways to make an approval count that should not (THREAT-MODEL "evidence"). Each test builds a real repository,
/// runs `Gate.run` on a change that needs tier 2 (security, privacy, platform), and shows that the gate now
/// asks for the approval the evidence does not give.
@Suite("Attack suite: evidence", .temporaryDirectories)
struct EvidenceAttackTests {
    /// A change that takes app `a` from tier 0 to tier 2, under `policy`.
    private static func escalation(policy: String = groupsPolicy) throws -> ChangeRepository {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        return r
    }

    private static func file(_ text: String) throws -> String {
        let path = try makeTemporaryDirectory("evidence-attack") + "/evidence.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// One GitHub review as the reviews API returns it; nil leaves the key out.
    private static func review(_ login: String?, _ state: String, _ commit: String, _ at: String?) -> String {
        var fields = [login.map { "\"user\": {\"login\": \"\($0)\"}" } ?? "\"user\": null", "\"state\": \"\(state)\"", "\"commit_id\": \"\(commit)\""]
        if let at { fields.append("\"submitted_at\": \"\(at)\"") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// priya and pat approve `commit`: everything but security is satisfied.
    private static func othersApprove(_ commit: String) -> [String] {
        [review("priya", "APPROVED", commit, "2026-11-20T09:00:00Z"), review("pat", "APPROVED", commit, "2026-11-20T09:00:00Z")]
    }

    private static func security(_ report: Report) throws -> GroupApproval {
        try #require(report.approvals?.outcome.groups.first { $0.group == "security" })
    }

    @Test("case-variant login: \"Sam\"'s later CHANGES_REQUESTED cancels \"sam\"'s approval")
    func caseVariantLoginCancel() throws {
        // Gained: sam's approval still counted after sam, signed in as "Sam", asked for changes; the tier-2 change merged over security's objection.
        let r = try Self.escalation()
        let h = r.head
        let reviews = try Self.file("[" + (Self.othersApprove(h) + [
            Self.review("sam", "APPROVED", h, "2026-11-20T10:00:00Z"), Self.review("Sam", "CHANGES_REQUESTED", h, "2026-11-20T11:00:00Z"),
        ]).joined(separator: ",") + "]")
        let report = try r.check { $0.approvalsFile = reviews }
        #expect(report.decision == .approvalRequired && report.exitCode == 3)
        #expect(try Self.security(report).approvedBy.isEmpty)
        #expect(report.approvals?.outcome.discarded.contains { $0.login.lowercased() == "sam" && $0.reason == .superseded } == true)
    }

    @Test("a review without submitted_at never counts")
    func reviewWithoutSubmittedAt() throws {
        // Gained: an approval nobody can place before or after the reviewer's objection (a pending or truncated record) counted as the latest word.
        let r = try Self.escalation()
        let h = r.head
        let reviews = try Self.file("[" + (Self.othersApprove(h) + [Self.review("sam", "APPROVED", h, nil)]).joined(separator: ",") + "]")
        let report = try r.check { $0.approvalsFile = reviews }
        #expect(report.decision == .approvalRequired && report.exitCode == 3)
        #expect(try Self.security(report).approvedBy.isEmpty)
        #expect(report.approvals?.outcome.discarded.map { "\($0.login):\($0.reason.rawValue)" } == ["sam:incomplete"])
    }

    @Test("a review without a login never counts, even when a policy group holds an empty entry")
    func reviewWithoutLogin() throws {
        // Gained: an approval with an empty login matched the empty entry a policy edit left in `security`, so nobody approved the tier-2 change.
        let policy = groupsPolicy.replacingOccurrences(of: "security: [sam, sasha]", with: "security: [sam, sasha, \"\"]")
        let r = try Self.escalation(policy: policy)
        let h = r.head
        let reviews = try Self.file("[" + (Self.othersApprove(h) + [
            Self.review("", "APPROVED", h, "2026-11-20T10:00:00Z"), Self.review(nil, "APPROVED", h, "2026-11-20T10:00:00Z"),
        ]).joined(separator: ",") + "]")
        let report = try r.check { $0.approvalsFile = reviews; $0.approvedBy = [""] }
        #expect(report.decision == .approvalRequired && report.exitCode == 3)
        #expect(try Self.security(report).approvedBy.isEmpty)
        #expect(report.approvals?.outcome.discarded.filter { $0.reason == .incomplete }.count == 2)
    }

    @Test("a team entry without a members file matches nobody; with the file, only its members count")
    func teamEntryWithoutMembersFile() throws {
        // Gained: an approval from a login spelled like the team entry ("@acme/security") counted as the security team's.
        let policy = groupsPolicy.replacingOccurrences(of: "security: [sam, sasha]", with: "security: [\"@acme/security\"]")
        let r = try Self.escalation(policy: policy)
        let others = ["priya", "pat"]
        let without = try r.check { $0.approvedBy = others + ["@acme/security", "sam"] }
        #expect(without.decision == .approvalRequired && without.exitCode == 3)
        let g = try Self.security(without)
        #expect(g.approvedBy.isEmpty && g.unresolvedTeams == [UnresolvedTeam(team: "@acme/security", reason: .noMembersFile)])
        #expect(try TextReporter(color: false).render(without).contains("team @acme/security matches nobody: no --members file was given"))

        let members = try Self.file("{\"@acme/security\": [\"sam\"]}")
        let outsider = try r.check { $0.membersFile = members; $0.approvedBy = others + ["@acme/security", "mallory"] }
        #expect(outsider.decision == .approvalRequired)
        #expect(try Self.security(outsider).approvedBy.isEmpty)
        let member = try r.check { $0.membersFile = members; $0.approvedBy = others + ["sam"] }
        #expect(member.decision == .pass && member.exitCode == 0)
        #expect(try Self.security(member).approvedBy == ["sam"])
    }

    @Test("--pr-head: judging the merge result, only reviews of the pull request's head commit are fresh")
    func staleReviewAgainstPRHead() throws {
        // Gained: approvals of the first, harmless commit of the pull request carried its later tier-2 commit through the merge-result check.
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")])])
        let harmless = r.head
        try r.change(["apps/a/microapp.yaml": app("a", [("monthlyCapUSD: 10", "monthlyCapUSD: 11"), ("dataClass: internal", "dataClass: restricted")])])
        let prHead = r.head
        // The target branch moves on; CI checks out GitHub's test merge of the pull request into it.
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.write("apps/c/microapp.yaml", app("c"))
        try r.repo.commit("main moves on")
        try r.repo.git(["checkout", "-q", "-b", "test-merge"])
        try r.repo.git(["merge", "-q", "--no-ff", "-m", "Merge the pull request", "change"])
        let merge = r.head
        #expect(try r.repo.git(["rev-parse", "HEAD^2"]) == prHead)

        func judge(_ reviewedAt: String, prHead given: String?) throws -> Report {
            let reviews = try Self.file("[" + ["sam", "priya", "pat"].map { Self.review($0, "APPROVED", reviewedAt, "2026-11-20T10:00:00Z") }.joined(separator: ",") + "]")
            return try r.check { $0.base = "HEAD^1"; $0.head = "HEAD"; $0.prHead = given; $0.approvalsFile = reviews }
        }
        let early = try judge(harmless, prHead: prHead)
        #expect(early.apps.map(\.name) == ["a"] && early.apps.first?.check?.requiredTier == 2, "the merge result holds only the pull request's change")
        #expect(early.decision == .approvalRequired && early.summary.approvalsMissing == 3)
        #expect(early.approvals?.outcome.discarded.allSatisfy { $0.reason == .stale } == true)
        // A review that names the merge commit is no review of what people saw.
        #expect(try judge(merge, prHead: prHead).decision == .approvalRequired)
        // Without --pr-head the judged merge commit is what reviews must name: fail closed.
        #expect(try judge(prHead, prHead: nil).decision == .approvalRequired)
        let fresh = try judge(prHead, prHead: prHead)
        #expect(fresh.decision == .pass && fresh.exitCode == 0)
    }
}

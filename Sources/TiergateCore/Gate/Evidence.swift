import Foundation

/// Step 8 of the gate: the approvals given (`--approved-by`, `--approvals`, `--members`) weighed against those needed.
extension Gate {
    static func weighEvidence(
        _ request: GateRequest, required: [RequiredApproval], policy: Policy, revisions: Revisions
    ) throws(TiergateError) -> ApprovalOutcome {
        // The commit reviewers saw: `--pr-head` when CI judges a merge result, else the head itself.
        var reviewed = revisions.head
        if let prHead = request.prHead {
            guard !request.staged else {
                throw TiergateError(.usage, "--pr-head names the commit reviewers saw; --staged has no reviews", fix: "drop --pr-head")
            }
            guard !prHead.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TiergateError(.usage, "--pr-head is empty", fix: "pass the pull request's head commit (in GitHub Actions, github.event.pull_request.head.sha)")
            }
            reviewed = try revisions.reader.commit(prHead)
        }
        var given = request.approvedBy.map { GivenApproval(login: $0, source: "--approved-by") }
        var discarded: [DiscardedApproval] = []
        if let path = request.approvalsFile {
            let data = try read(path, request, what: "approvals")
            let doc = try ApprovalsDocument.read(data, path: path, reviewedCommit: reviewed?.hex, allowStale: policy.allowStale)
            given += doc.given
            discarded += doc.discarded
        }
        var teams: TeamMembers?
        if let path = request.membersFile {
            teams = try TeamMembers.read(try read(path, request, what: "members"), path: path)
        }
        return ApprovalMatcher.match(
            required: required, given: given, discarded: discarded, author: request.author, groups: policy.groups,
            distinctApprovers: policy.distinctApprovers, teams: teams)
    }

    /// An evidence file given on the command line (`--approvals`, `--members`).
    private static func read(_ path: String, _ request: GateRequest, what: String) throws(TiergateError) -> Data {
        guard let data = FileManager.default.contents(atPath: Paths.absolute(path, from: request.workingDirectory)) else {
            throw TiergateError(.approvals, "cannot read the \(what) file \(path)", fix: "check the --\(what) path")
        }
        return data
    }
}

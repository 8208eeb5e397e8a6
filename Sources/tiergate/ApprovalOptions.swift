import ArgumentParser
import TiergateCore

/// The approvals evidence (SPEC section 5): who approved, who wrote the change, who is in which team, which commit
/// reviewers saw. Shared by `check` and `record`, which weigh it the same way.
struct ApprovalOptions: ParsableArguments {
    @Option(help: "GitHub pull-request reviews or GitLab merge-request approvals, as JSON.")
    var approvals: String?

    @Option(name: .customLong("approved-by"), help: ArgumentHelp("An approval CI has verified (repeatable).", valueName: "LOGIN"))
    var approvedBy: [String] = []

    @Option(help: "The change's author, whose approval never counts.")
    var author: String?

    @Option(help: ArgumentHelp("Members of the policy's @org/team group entries, as JSON {\"@org/team\": [\"login\", ...]}.", valueName: "FILE"))
    var members: String?

    @Option(name: .customLong("pr-head"), help: ArgumentHelp("The commit reviewers saw, when it is not the commit judged (a merge result, a landed merge); reviews on it are fresh. Default: the commit judged.", valueName: "SHA"))
    var prHead: String?

    /// Puts the evidence into a gate request.
    func apply(to request: inout GateRequest) {
        request.approvalsFile = approvals
        request.approvedBy = approvedBy
        request.author = author
        request.membersFile = members
        request.prHead = prHead
    }
}

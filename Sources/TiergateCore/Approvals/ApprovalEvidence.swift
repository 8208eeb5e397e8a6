import Foundation

/// Why an approval does not count.
public enum DiscardReason: String, Sendable, Codable {
    case stale
    case author
    case notAMember = "not a member"
    case superseded
    case notNeeded = "not needed"
}

public struct DiscardedApproval: Sendable, Hashable {
    public var login: String
    public var reason: DiscardReason
    public var detail: String?
}

/// An approval a person gave, before membership and matching.
public struct GivenApproval: Sendable, Hashable {
    public var login: String
    /// Where it came from: `github`, `gitlab` or `--approved-by`.
    public var source: String
}

/// The approvals file of `--approvals`: a GitHub pull-request reviews document or a GitLab merge-request
/// approvals document, detected by shape.
public enum ApprovalsDocument {
    struct GitHubReview: Decodable {
        struct User: Decodable { let login: String }
        let user: User?
        let state: String
        let commit_id: String?
        let submitted_at: String?
    }

    struct GitLabApprovals: Decodable {
        struct Approver: Decodable {
            struct User: Decodable { let username: String }
            let user: User
        }
        let approved_by: [Approver]
    }

    /// The approvals that stand, and the ones discarded on the document's own terms (stale, superseded).
    public static func read(_ data: Data, path: String, headCommit: String?, allowStale: Bool) throws(TiergateError) -> (given: [GivenApproval], discarded: [DiscardedApproval]) {
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data) } catch {
            throw TiergateError(.approvals, "the approvals file \(path) is not JSON", fix: "pass the JSON of GitHub's pull request reviews API or GitLab's merge request approvals API")
        }
        let decoder = JSONDecoder()
        if top is [Any] {
            guard let reviews = try? decoder.decode([GitHubReview].self, from: data) else {
                throw TiergateError(.approvals, "the approvals file \(path) is a JSON array but not GitHub reviews (each needs user.login and state)", fix: "pass the output of GET /repos/OWNER/REPO/pulls/N/reviews")
            }
            return github(reviews, headCommit: headCommit, allowStale: allowStale)
        }
        if let object = top as? [String: Any], object["approved_by"] != nil {
            guard let doc = try? decoder.decode(GitLabApprovals.self, from: data) else {
                throw TiergateError(.approvals, "the approvals file \(path) has approved_by but not in GitLab's shape (approved_by[].user.username)", fix: "pass the output of GET /projects/ID/merge_requests/IID/approvals")
            }
            // GitLab's document has no commit per approval: GitLab itself resets approvals on push when the
            // project is set to, so they are taken as given for the current head.
            return (doc.approved_by.map { GivenApproval(login: $0.user.username, source: "gitlab") }, [])
        }
        throw TiergateError(.approvals, "the approvals file \(path) is neither GitHub reviews nor GitLab approvals", fix: "pass the JSON of GitHub's pull request reviews API or GitLab's merge request approvals API")
    }

    /// For each reviewer only the latest APPROVED / CHANGES_REQUESTED / DISMISSED review counts; COMMENTED and
    /// PENDING reviews change nothing. An approval on another commit than the head is stale.
    static func github(_ reviews: [GitHubReview], headCommit: String?, allowStale: Bool) -> (given: [GivenApproval], discarded: [DiscardedApproval]) {
        var latest: [String: (index: Int, review: GitHubReview)] = [:]
        var approvedBefore = Set<String>()
        let ordered = reviews.enumerated().sorted { ($0.element.submitted_at ?? "", $0.offset) < ($1.element.submitted_at ?? "", $1.offset) }
        var order: [String] = []
        for (i, r) in ordered {
            guard let login = r.user?.login else { continue }
            switch r.state.uppercased() {
            case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
                if let previous = latest[login], previous.review.state.uppercased() == "APPROVED" { approvedBefore.insert(login) }
                if latest[login] == nil { order.append(login) }
                latest[login] = (i, r)
            default:
                continue
            }
        }
        var given: [GivenApproval] = []
        var discarded: [DiscardedApproval] = []
        for login in order {
            guard let r = latest[login]?.review else { continue }
            switch r.state.uppercased() {
            case "APPROVED":
                if !allowStale && (headCommit == nil || r.commit_id?.lowercased() != headCommit?.lowercased()) {
                    discarded.append(DiscardedApproval(login: login, reason: .stale, detail: "approved \(r.commit_id.map { String($0.prefix(12)) } ?? "another commit"), not the head"))
                } else {
                    given.append(GivenApproval(login: login, source: "github"))
                }
            case "CHANGES_REQUESTED" where approvedBefore.contains(login):
                discarded.append(DiscardedApproval(login: login, reason: .superseded, detail: "changes requested after approving"))
            case "DISMISSED" where approvedBefore.contains(login):
                discarded.append(DiscardedApproval(login: login, reason: .superseded, detail: "approval dismissed"))
            default:
                break
            }
        }
        return (given, discarded)
    }
}

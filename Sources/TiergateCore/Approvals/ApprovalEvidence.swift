import Foundation

/// Why an approval does not count.
package enum DiscardReason: String, Sendable, Codable {
    case stale
    case author
    case notAMember = "not a member"
    case superseded
    case notNeeded = "not needed"
    /// A review without `submitted_at` or without a reviewer login: it cannot be ordered or attributed.
    case incomplete
}

package struct DiscardedApproval: Sendable, Hashable {
    package var login: String
    package var reason: DiscardReason
    package var detail: String?
}

/// An approval a person gave, before membership and matching.
package struct GivenApproval: Sendable, Hashable {
    package var login: String
    /// Where it came from: `github`, `gitlab` or `--approved-by`.
    package var source: String
}

/// What a review with no reviewer login is listed as (no GitHub login contains a space or a parenthesis).
let unknownReviewer = "(no login)"

/// The approvals file of `--approvals`: a GitHub pull-request reviews document or a GitLab merge-request
/// approvals document, detected by shape.
package enum ApprovalsDocument {
    struct GitHubReview: Decodable {
        struct User: Decodable { let login: String? }
        let user: User?
        let state: String
        let commit_id: String?
        let submitted_at: String?

        /// The reviewer's login, or nil for a deleted account (null user) or an empty login.
        var login: String? {
            guard let l = user?.login?.trimmingCharacters(in: .whitespacesAndNewlines), !l.isEmpty else { return nil }
            return l
        }
    }

    struct GitLabApprovals: Decodable {
        struct Approver: Decodable {
            struct User: Decodable { let username: String }
            let user: User
        }
        let approved_by: [Approver]
    }

    /// The approvals that stand, and the ones discarded on the document's own terms (stale, superseded,
    /// incomplete). `reviewedCommit` is the commit reviewers must have approved for an approval to be fresh:
    /// `--pr-head`, else the head.
    package static func read(_ data: Data, path: String, reviewedCommit: String?, allowStale: Bool) throws(TiergateError) -> (given: [GivenApproval], discarded: [DiscardedApproval]) {
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data) } catch {
            throw TiergateError(.approvals, "the approvals file \(path) is not JSON", fix: "pass the JSON of GitHub's pull request reviews API or GitLab's merge request approvals API")
        }
        let decoder = JSONDecoder()
        if top is [Any] {
            guard let reviews = try? decoder.decode([GitHubReview].self, from: data) else {
                throw TiergateError(.approvals, "the approvals file \(path) is a JSON array but not GitHub reviews (each needs user.login and state)", fix: "pass the output of GET /repos/OWNER/REPO/pulls/N/reviews")
            }
            return github(reviews, reviewedCommit: reviewedCommit, allowStale: allowStale)
        }
        if let object = top as? [String: Any], object["approved_by"] != nil {
            guard let doc = try? decoder.decode(GitLabApprovals.self, from: data) else {
                throw TiergateError(.approvals, "the approvals file \(path) has approved_by but not in GitLab's shape (approved_by[].user.username)", fix: "pass the output of GET /projects/ID/merge_requests/IID/approvals")
            }
            // GitLab's document has no commit per approval: GitLab itself resets approvals on push when the
            // project is set to, so they are taken as given for the current head.
            var given: [GivenApproval] = []
            var discarded: [DiscardedApproval] = []
            for a in doc.approved_by {
                let login = a.user.username.trimmingCharacters(in: .whitespacesAndNewlines)
                if login.isEmpty {
                    discarded.append(DiscardedApproval(login: unknownReviewer, reason: .incomplete, detail: "an approval without a username"))
                } else {
                    given.append(GivenApproval(login: login, source: "gitlab"))
                }
            }
            return (given, discarded)
        }
        throw TiergateError(.approvals, "the approvals file \(path) is neither GitHub reviews nor GitLab approvals", fix: "pass the JSON of GitHub's pull request reviews API or GitLab's merge request approvals API")
    }

    /// For each reviewer (logins compared case-insensitively, as GitHub's are) only the latest APPROVED /
    /// CHANGES_REQUESTED / DISMISSED review counts; COMMENTED and PENDING reviews change nothing. An approval on
    /// another commit than `reviewedCommit` is stale.
    ///
    /// A review without a login or a readable `submitted_at` never counts as an approval (it cannot be
    /// attributed or ordered). Fail closed the other way round: a CHANGES_REQUESTED or DISMISSED review without
    /// a time is taken as the reviewer's latest, since nothing shows it came before the approval.
    static func github(_ reviews: [GitHubReview], reviewedCommit: String?, allowStale: Bool) -> (given: [GivenApproval], discarded: [DiscardedApproval]) {
        struct Reviewer {
            var login: String
            var latest: GitHubReview?
            var approvedBefore = false
            var incompleteApproval: String?
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let isoFraction = ISO8601DateFormatter()
        isoFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func time(_ r: GitHubReview) -> Date? {
            guard let s = r.submitted_at else { return nil }
            return iso.date(from: s) ?? isoFraction.date(from: s)
        }

        var byKey: [String: Reviewer] = [:]
        var order: [String] = []
        var discarded: [DiscardedApproval] = []
        // Timed reviews by time (then by position); untimed ones after all of them, by position.
        let ordered = reviews.enumerated().map { (offset: $0.offset, review: $0.element, time: time($0.element)) }
            .sorted { a, b in
                switch (a.time, b.time) {
                case let (x?, y?): return x != y ? x < y : a.offset < b.offset
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a.offset < b.offset
                }
            }
        for (_, r, t) in ordered {
            let state = r.state.uppercased()
            guard state == "APPROVED" || state == "CHANGES_REQUESTED" || state == "DISMISSED" else { continue }
            guard let login = r.login else {
                if state == "APPROVED" {
                    discarded.append(
                        DiscardedApproval(login: unknownReviewer, reason: .incomplete, detail: "an approval without a reviewer login (deleted account or incomplete record)"))
                }
                continue
            }
            let key = login.lowercased()
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = Reviewer(login: login)
            }
            if state == "APPROVED" && t == nil {
                byKey[key]?.incompleteApproval =
                    r.submitted_at == nil
                    ? "an approval without submitted_at (pending or incomplete): it cannot be ordered, so it never counts"
                    : "an approval whose submitted_at is not an ISO 8601 time: it cannot be ordered, so it never counts"
                continue
            }
            if let previous = byKey[key]?.latest, previous.state.uppercased() == "APPROVED" { byKey[key]?.approvedBefore = true }
            byKey[key]?.latest = r
            byKey[key]?.login = login
        }

        var given: [GivenApproval] = []
        for key in order {
            guard let person = byKey[key] else { continue }
            let login = person.login
            switch person.latest?.state.uppercased() {
            case "APPROVED":
                let commit = person.latest?.commit_id
                if !allowStale && (reviewedCommit == nil || commit?.lowercased() != reviewedCommit?.lowercased()) {
                    let seen = reviewedCommit.map { "the reviewed head \($0.prefix(12))" } ?? "the head"
                    discarded.append(DiscardedApproval(login: login, reason: .stale, detail: "approved \(commit.map { String($0.prefix(12)) } ?? "another commit"), not \(seen)"))
                } else {
                    given.append(GivenApproval(login: login, source: "github"))
                }
                continue
            case "CHANGES_REQUESTED" where person.approvedBefore:
                discarded.append(DiscardedApproval(login: login, reason: .superseded, detail: "changes requested after approving"))
                continue
            case "DISMISSED" where person.approvedBefore:
                discarded.append(DiscardedApproval(login: login, reason: .superseded, detail: "approval dismissed"))
                continue
            default:
                break
            }
            if let detail = person.incompleteApproval {
                discarded.append(DiscardedApproval(login: login, reason: .incomplete, detail: detail))
            }
        }
        return (given, discarded)
    }
}

/// `--members FILE`: the members of the team entries (`@org/team` on GitHub, `@group/subgroup` on GitLab) of
/// the policy's groups, as CI fetched them from the platform. tiergate never asks the platform itself.
package struct TeamMembers: Sendable, Hashable {
    /// Team entry, lowercased (`@acme/security`) → member logins.
    package private(set) var teams: [String: [String]] = [:]

    package init(_ teams: [String: [String]]) {
        for (team, logins) in teams { self.teams[team.lowercased(), default: []] += logins }
    }

    /// The members of one team entry, or nil when the file does not list it.
    package func members(of team: String) -> [String]? { teams[team.lowercased()] }

    /// A policy group entry that stands for a team rather than a login.
    package static func isTeam(_ entry: String) -> Bool { entry.hasPrefix("@") }

    /// Reads `{"@org/team": ["login", ...]}`. Anything else is exit 2.
    package static func read(_ data: Data, path: String) throws(TiergateError) -> TeamMembers {
        let fix = "pass a JSON object of team to logins, e.g. {\"@acme/security\": [\"sam\", \"sasha\"]}"
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data) } catch {
            throw TiergateError(.approvals, "the members file \(path) is not JSON", fix: fix)
        }
        guard let object = top as? [String: Any] else {
            throw TiergateError(.approvals, "the members file \(path) is not a JSON object of teams", fix: fix)
        }
        var teams: [String: [String]] = [:]
        for key in object.keys.sorted() {
            guard isTeam(key), key.count > 1 else {
                throw TiergateError(.approvals, "the members file \(path) has a key that is not a team entry (it must start with @, as in the policy's groups)", fix: fix)
            }
            guard let list = object[key] as? [Any], let logins = list as? [String], logins.count == list.count else {
                throw TiergateError(.approvals, "the members file \(path) does not map \(key) to a list of logins", fix: fix)
            }
            teams[key] = logins.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        return TeamMembers(teams)
    }
}

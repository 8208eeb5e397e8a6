import Foundation

/// When and on which commit each approver approved, as the approvals evidence says: the gate decides who counts,
/// this only looks up the evidence behind each approval that counted, for the decision record.
struct ReviewTrail {
    struct Review {
        var source: String
        var at: String?
        var commit: String?
    }

    /// Lower-cased login → the approval that counts for it.
    private var reviews: [String: Review] = [:]

    /// Reads the `--approvals` document again (the gate has read and validated it already). GitHub: each
    /// reviewer's latest `APPROVED` review with a time; GitLab: `approved_at` when the server sends it.
    init(approvalsFile: String?, workingDirectory: String) {
        guard let approvalsFile else { return }
        let full = approvalsFile.hasPrefix("/") ? approvalsFile : workingDirectory + "/" + approvalsFile
        guard let data = FileManager.default.contents(atPath: full) else { return }
        let decoder = JSONDecoder()
        if let github = try? decoder.decode([ApprovalsDocument.GitHubReview].self, from: data) {
            var latest: [String: (Date, ApprovalsDocument.GitHubReview)] = [:]
            for r in github where r.state.uppercased() == "APPROVED" {
                guard let login = r.login, let at = r.submitted_at, let time = Self.time(at) else { continue }
                let key = login.lowercased()
                if let seen = latest[key], seen.0 > time { continue }
                latest[key] = (time, r)
            }
            for (key, (_, r)) in latest { reviews[key] = Review(source: "github", at: r.submitted_at, commit: r.commit_id) }
        } else if let gitlab = try? decoder.decode(GitLabApprovals.self, from: data) {
            for a in gitlab.approved_by {
                reviews[a.user.username.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()] = Review(source: "gitlab", at: a.approved_at, commit: nil)
            }
        }
    }

    /// The evidence behind one counted approval. An approval the document does not hold, or whose review the gate
    /// discarded (stale, superseded) while `--approved-by` also names the login, came from `--approved-by`.
    func approver(_ login: String, discarded: Set<String>, approvedBy: Set<String>) -> DecisionRecord.Approver {
        let key = login.lowercased()
        let fromFlag = approvedBy.contains(key) && discarded.contains(key)
        guard let r = reviews[key], !fromFlag else {
            return DecisionRecord.Approver(login: login, source: "--approved-by", reviewedAt: nil, reviewedCommit: nil)
        }
        return DecisionRecord.Approver(login: login, source: r.source, reviewedAt: r.at, reviewedCommit: r.commit)
    }

    private struct GitLabApprovals: Decodable {
        struct Approver: Decodable {
            struct User: Decodable { let username: String }
            let user: User
            let approved_at: String?
        }
        let approved_by: [Approver]
    }

    private static func time(_ s: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fraction = ISO8601DateFormatter()
        fraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: s) ?? fraction.date(from: s)
    }
}

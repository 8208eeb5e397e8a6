import Foundation
import Testing

@testable import TiergateCore

@Suite("Approvals evidence and matching", .temporaryDirectories)
struct ApprovalTests {
    /// A change that needs tier 2 (security, privacy, platform), on a repository whose head we know.
    func tier2Change() throws -> ChangeRepository {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        return r
    }

    func reviews(_ items: [(String, String, String, String)]) -> String {
        let objs = items.map { login, state, commit, at in
            "{\"user\": {\"login\": \"\(login)\"}, \"state\": \"\(state)\", \"commit_id\": \"\(commit)\", \"submitted_at\": \"\(at)\", \"body\": \"\"}"
        }
        return "[" + objs.joined(separator: ",") + "]"
    }

    func writeFile(_ text: String) throws -> String {
        let path = try makeTemporaryDirectory("approvals") + "/approvals.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func outcome(_ r: ChangeRepository, file: String? = nil, approvedBy: [String] = [], author: String? = nil) throws -> ApprovalOutcome {
        let report = try r.check {
            $0.approvalsFile = file
            $0.approvedBy = approvedBy
            $0.author = author
        }
        return try #require(report.approvals?.outcome)
    }

    @Test("GitHub reviews on the head commit satisfy the groups; exit 0")
    func githubApproved() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile(reviews([("sam", "APPROVED", h, "2026-11-20T10:00:00Z"), ("priya", "APPROVED", h, "2026-11-20T10:01:00Z"), ("pat", "APPROVED", h, "2026-11-20T10:02:00Z")]))
        let report = try r.check { $0.approvalsFile = file }
        #expect(report.approvals?.outcome.satisfied == true)
        #expect(report.decision == .pass && report.exitCode == 0)
        #expect(report.approvals?.outcome.groups.map(\.approvedBy) == [["sam"], ["priya"], ["pat"]])
    }

    @Test("stale: an approval given on another commit does not count, unless allowStale")
    func stale() throws {
        let r = try tier2Change()
        let old = try r.repo.git(["rev-parse", "main"])
        let file = try writeFile(reviews([("sam", "APPROVED", old, "2026-11-20T10:00:00Z")]))
        let o = try outcome(r, file: file)
        #expect(o.discarded.contains { $0.login == "sam" && $0.reason == .stale })
        #expect(o.groups.first { $0.group == "security" }?.satisfied == false)
        // allowStale comes from the base policy.
        let r2 = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: groupsPolicy + "approvals: {allowStale: true}\n")
        try r2.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let file2 = try writeFile(reviews([("sam", "APPROVED", "0000000000000000000000000000000000000000", "2026-11-20T10:00:00Z")]))
        #expect(try outcome(r2, file: file2).groups.first { $0.group == "security" }?.satisfied == true)
    }

    @Test("author: the change's author never counts, even when a member")
    func author() throws {
        let r = try tier2Change()
        let o = try outcome(r, approvedBy: ["sam"], author: "SAM")
        #expect(o.discarded.contains { $0.login == "sam" && $0.reason == .author })
        #expect(o.groups.first { $0.group == "security" }?.satisfied == false)
    }

    @Test("not a member: a login in no group of the base policy; not needed: a member of no required group")
    func membership() throws {
        let r = try tier2Change()
        let o = try outcome(r, approvedBy: ["mallory", "lee"])
        #expect(o.discarded.contains { $0.login == "mallory" && $0.reason == .notAMember })
        #expect(o.discarded.contains { $0.login == "lee" && $0.reason == .notNeeded })
        #expect(o.groups.allSatisfy { $0.approvedBy.isEmpty })
    }

    @Test("superseded: a later CHANGES_REQUESTED or DISMISSED cancels an approval; COMMENTED changes nothing")
    func superseded() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile(reviews([
            ("sam", "APPROVED", h, "2026-11-20T10:00:00Z"), ("sam", "CHANGES_REQUESTED", h, "2026-11-20T11:00:00Z"),
            ("priya", "APPROVED", h, "2026-11-20T10:00:00Z"), ("priya", "DISMISSED", h, "2026-11-20T12:00:00Z"),
            ("pat", "APPROVED", h, "2026-11-20T10:00:00Z"), ("pat", "COMMENTED", h, "2026-11-20T13:00:00Z"),
        ]))
        let o = try outcome(r, file: file)
        #expect(o.discarded.filter { $0.reason == .superseded }.map(\.login).sorted() == ["priya", "sam"])
        #expect(o.groups.first { $0.group == "platform" }?.approvedBy == ["pat"])
        #expect(o.groups.first { $0.group == "security" }?.approvedBy == [])
    }

    @Test("the latest review counts even when the array is out of order")
    func latestByTime() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile(reviews([("sam", "APPROVED", h, "2026-11-21T10:00:00Z"), ("sam", "CHANGES_REQUESTED", h, "2026-11-20T10:00:00Z")]))
        #expect(try outcome(r, file: file).groups.first { $0.group == "security" }?.approvedBy == ["sam"])
    }

    @Test("a reviewer's latest review is picked by login case-insensitively; the later review's spelling is shown")
    func caseInsensitiveLatest() throws {
        let r = try tier2Change()
        let h = r.head
        let approveThenObject = try writeFile(reviews([("sam", "APPROVED", h, "2026-11-20T10:00:00Z"), ("SAM", "CHANGES_REQUESTED", h, "2026-11-20T11:00:00Z")]))
        let o = try outcome(r, file: approveThenObject)
        #expect(o.discarded.map { "\($0.login):\($0.reason.rawValue)" } == ["SAM:superseded"])
        #expect(o.groups.first { $0.group == "security" }?.approvedBy == [])
        let objectThenApprove = try writeFile(reviews([("Sam", "CHANGES_REQUESTED", h, "2026-11-20T10:00:00Z"), ("sam", "APPROVED", h, "2026-11-20T11:00:00Z")]))
        #expect(try outcome(r, file: objectThenApprove).groups.first { $0.group == "security" }?.approvedBy == ["sam"])
    }

    @Test("group membership, --approved-by and --author compare logins case-insensitively")
    func caseInsensitiveMembership() throws {
        let policy = groupsPolicy.replacingOccurrences(of: "security: [sam, sasha]", with: "security: [Sam, sasha]")
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let o = try outcome(r, approvedBy: ["SAM", "sam", "PRIYA", "Pat"])
        #expect(o.satisfied && o.groups.map { $0.approvedBy.map { $0.lowercased() } } == [["sam"], ["priya"], ["pat"]], "one person, one approval, whatever the case")
        let authored = try outcome(r, approvedBy: ["Sam"], author: "sAm")
        #expect(authored.discarded.map(\.reason) == [.author])
    }

    @Test("reviews without a time or a login never count; each discarded approval is listed as incomplete")
    func incompleteReviews() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile("""
            [{"user": {"login": "sam"}, "state": "APPROVED", "commit_id": "\(h)"},
             {"user": {"login": "priya"}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": null},
             {"user": {"login": "pat"}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "yesterday"},
             {"user": null, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-20T10:00:00Z"},
             {"user": {"login": ""}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-20T10:00:00Z"},
             {"user": {}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-20T10:00:00Z"},
             {"user": {"login": "paul"}, "state": "COMMENTED", "commit_id": "\(h)"}]
            """)
        let o = try outcome(r, file: file)
        #expect(o.groups.allSatisfy { $0.approvedBy.isEmpty })
        #expect(o.discarded.allSatisfy { $0.reason == .incomplete })
        #expect(o.discarded.map(\.login) == ["(no login)", "(no login)", "(no login)", "sam", "priya", "pat"])
        #expect(o.discarded.first { $0.login == "sam" }?.detail?.contains("submitted_at") == true)
    }

    @Test("an untimed approval beside a complete one: the complete one decides, listed once")
    func incompleteBesideComplete() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile("""
            [{"user": {"login": "sam"}, "state": "APPROVED", "commit_id": "\(h)"},
             {"user": {"login": "Sam"}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-20T10:00:00Z"}]
            """)
        let o = try outcome(r, file: file)
        #expect(o.groups.first { $0.group == "security" }?.approvedBy == ["Sam"])
        #expect(o.discarded.isEmpty)
    }

    @Test("a CHANGES_REQUESTED or DISMISSED review without a time cancels the approval: nothing shows it came first")
    func untimedObjection() throws {
        let r = try tier2Change()
        let h = r.head
        let file = try writeFile("""
            [{"user": {"login": "sam"}, "state": "CHANGES_REQUESTED", "commit_id": "\(h)"},
             {"user": {"login": "sam"}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-21T10:00:00Z"},
             {"user": {"login": "priya"}, "state": "DISMISSED", "commit_id": "\(h)", "submitted_at": "not a time"},
             {"user": {"login": "priya"}, "state": "APPROVED", "commit_id": "\(h)", "submitted_at": "2026-11-21T10:00:00Z"}]
            """)
        let o = try outcome(r, file: file)
        #expect(o.discarded.map { "\($0.login):\($0.reason.rawValue)" } == ["sam:superseded", "priya:superseded"])
        #expect(o.groups.allSatisfy { $0.approvedBy.isEmpty })
    }

    @Test("review times are compared as times, not as text (fractional seconds, offsets)")
    func timesAreParsed() throws {
        let r = try tier2Change()
        let h = r.head
        // 10:30+02:00 is 08:30Z, before the 09:00Z approval; as text it would sort after it.
        let file = try writeFile(reviews([("sam", "APPROVED", h, "2026-11-20T09:00:00.5Z"), ("sam", "CHANGES_REQUESTED", h, "2026-11-20T10:30:00+02:00")]))
        #expect(try outcome(r, file: file).groups.first { $0.group == "security" }?.approvedBy == ["sam"])
    }

    /// A tier-2 change under a policy whose security group is a team.
    func teamChange(_ security: String = "[\"@acme/security\"]") throws -> ChangeRepository {
        let policy = groupsPolicy.replacingOccurrences(of: "security: [sam, sasha]", with: "security: \(security)")
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")], policy: policy)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        return r
    }

    @Test("--members: a team entry stands for the members the file lists (team and logins case-insensitive)")
    func members() throws {
        let r = try teamChange("[\"@acme/security\", sasha]")
        let file = try writeFile("{\"@Acme/Security\": [\"Sam\", \"sid\"], \"@acme/other\": [\"mallory\"]}")
        let report = try r.check { $0.membersFile = file; $0.approvedBy = ["sam", "priya", "pat"] }
        let o = try #require(report.approvals?.outcome)
        #expect(o.satisfied && report.decision == .pass)
        #expect(o.groups.first { $0.group == "security" }?.approvedBy == ["sam"])
        #expect(o.groups.allSatisfy { $0.unresolvedTeams.isEmpty })
        // A member of another team in the file is not a member of this group.
        let other = try #require(try r.check { $0.membersFile = file; $0.approvedBy = ["mallory"] }.approvals?.outcome)
        #expect(other.discarded.map(\.reason) == [.notAMember])
        // The plain login beside the team entry still counts without a members file.
        let plain = try #require(try r.check { $0.approvedBy = ["sasha"] }.approvals?.outcome)
        #expect(plain.groups.first { $0.group == "security" }?.approvedBy == ["sasha"])
    }

    @Test("a team entry without a members file, or absent from it, matches nobody, and every report says so")
    func unresolvedTeam() throws {
        let r = try teamChange()
        let none = try r.check { $0.approvedBy = ["sam"] }
        let security = try #require(none.approvals?.outcome.groups.first { $0.group == "security" })
        #expect(security.approvedBy.isEmpty && !security.satisfied)
        #expect(security.unresolvedTeams == [UnresolvedTeam(team: "@acme/security", reason: .noMembersFile)])
        #expect(none.approvals?.outcome.discarded.map { "\($0.login):\($0.reason.rawValue)" } == ["sam:not a member"])
        #expect(none.approvals?.outcome.discarded.first?.detail?.contains("team entries match nobody") == true)
        // The team entry is never a login of its own.
        let spelled = try #require(try r.check { $0.approvedBy = ["@acme/security", "@ACME/security"] }.approvals?.outcome)
        #expect(spelled.groups.first { $0.group == "security" }?.approvedBy == [] && spelled.discarded.map(\.reason) == [.notAMember])
        let text = try TextReporter(color: false).render(none)
        #expect(text.contains("team @acme/security matches nobody: no --members file was given"))
        let md = try MarkdownReporter().render(none)
        #expect(md.contains("team `@acme/security` matches nobody: no --members file was given"))
        #expect(!md.contains(" @acme/security"), "the team is never mentioned (notified) in the comment")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try JSONReporter().render(none).utf8)) as? [String: Any])
        let required = try #require((json["approvals"] as? [String: Any])?["required"] as? [[String: Any]])
        let teams = try #require(required.first { $0["group"] as? String == "security" }?["unresolvedTeams"] as? [[String: String]])
        #expect(teams == [["team": "@acme/security", "reason": "no members file"]])
        #expect(required.first { $0["group"] as? String == "privacy" }?["unresolvedTeams"] == nil, "the key is absent when every entry resolves")

        let file = try writeFile("{\"@acme/other\": [\"sam\"]}")
        let absent = try r.check { $0.membersFile = file; $0.approvedBy = ["sam"] }
        let g = try #require(absent.approvals?.outcome.groups.first { $0.group == "security" })
        #expect(g.approvedBy.isEmpty && g.unresolvedTeams.map(\.reason) == [.notInMembersFile])
        #expect(try TextReporter(color: false).render(absent).contains("the --members file does not list it"))
    }

    @Test("a malformed or unreadable members file is exit 2", arguments: [
        "not json", "[\"sam\"]", "{\"acme/security\": [\"sam\"]}", "{\"@acme/security\": \"sam\"}", "{\"@acme/security\": [\"sam\", 3]}", "{\"@\": []}",
    ])
    func badMembersFile(_ text: String) throws {
        let r = try teamChange()
        let file = try writeFile(text)
        #expect { try r.check { $0.membersFile = file } } throws: { ($0 as? TiergateError)?.kind == .approvals }
        #expect { try r.check { $0.membersFile = "/no/such/members.json" } } throws: { ($0 as? TiergateError)?.kind == .approvals }
    }

    @Test("--pr-head: reviews on that commit are fresh; a revision name is resolved; empty or unknown is exit 2")
    func prHead() throws {
        let r = try tier2Change()
        let reviewed = r.head
        try r.change(["apps/b/microapp.yaml": app("b")])
        let file = try writeFile(reviews([("sam", "APPROVED", reviewed, "2026-11-20T10:00:00Z"), ("priya", "APPROVED", reviewed, "2026-11-20T10:01:00Z"), ("pat", "APPROVED", reviewed, "2026-11-20T10:02:00Z")]))
        #expect(try outcome(r, file: file).missing == 3, "by default the head is the commit reviewers must have seen")
        #expect(try r.check { $0.approvalsFile = file; $0.prHead = reviewed }.decision == .pass)
        #expect(try r.check { $0.approvalsFile = file; $0.prHead = "HEAD~1" }.decision == .pass)
        let stale = try #require(try r.check { $0.approvalsFile = file; $0.prHead = "HEAD" }.approvals?.outcome)
        #expect(stale.discarded.allSatisfy { $0.reason == .stale } && stale.discarded.count == 3)
        #expect(throws: TiergateError.self) { try r.check { $0.approvalsFile = file; $0.prHead = "" } }
        #expect(throws: TiergateError.self) { try r.check { $0.approvalsFile = file; $0.prHead = "0123456789abcdef0123456789abcdef01234567" } }
        #expect(throws: TiergateError.self) { try r.check { $0.staged = true; $0.base = nil; $0.prHead = reviewed } }
    }

    @Test("reports with unresolved teams and incomplete reviews validate against schemas/report.schema.json")
    func schema() throws {
        let r = try teamChange()
        let h = r.head
        let file = try writeFile("[{\"user\": {\"login\": \"sam\"}, \"state\": \"APPROVED\", \"commit_id\": \"\(h)\"}, {\"user\": null, \"state\": \"APPROVED\"}]")
        let members = try writeFile("{\"@acme/other\": []}")
        let dir = try makeTemporaryDirectory("schema")
        var files: [String] = []
        for (i, report) in [try r.check { $0.approvalsFile = file }, try r.check { $0.approvalsFile = file; $0.membersFile = members }].enumerated() {
            let json = try JSONReporter().render(report)
            #expect(json.contains("\"unresolvedTeams\"") && json.contains("\"incomplete\""))
            let f = "\(dir)/report-\(i).json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: f))
            files.append(f)
        }
        let result = try run(try Project.venvTool("check-jsonschema"), ["--schemafile", Project.path("schemas/report.schema.json")] + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test("distinct approvers: a maximum matching where a greedy assignment would fail")
    func matching() {
        // ana is in security and privacy, bo only in security. Greedy in order would give ana to security and leave
        // privacy empty; the matching gives bo to security and ana to privacy.
        let groups = ["security": ["ana", "bo"], "privacy": ["ana"]]
        let required = [RequiredApproval(group: "security", count: 1, reason: "t"), RequiredApproval(group: "privacy", count: 1, reason: "t")]
        for given in [["ana", "bo"], ["bo", "ana"]] {
            let o = ApprovalMatcher.match(
                required: required, given: given.map { GivenApproval(login: $0, source: "t") }, discarded: [], author: nil, groups: groups,
                distinctApprovers: true)
            #expect(o.satisfied, "order \(given)")
            #expect(o.groups.first { $0.group == "privacy" }?.approvedBy == ["ana"])
            #expect(o.groups.first { $0.group == "security" }?.approvedBy == ["bo"])
        }
        // One person cannot fill two groups.
        let one = ApprovalMatcher.match(
            required: required, given: [GivenApproval(login: "ana", source: "t")], discarded: [], author: nil, groups: groups, distinctApprovers: true)
        #expect(one.missing == 1)
        // Without distinctApprovers, ana fills both.
        let both = ApprovalMatcher.match(
            required: required, given: [GivenApproval(login: "ana", source: "t")], discarded: [], author: nil, groups: groups, distinctApprovers: false)
        #expect(both.satisfied)
    }

    @Test("counts above one need that many distinct people; extra approvers are not needed")
    func counts() {
        let groups = ["platform": ["pat", "paul", "pia"]]
        let required = [RequiredApproval(group: "platform", count: 2, reason: "policy change")]
        let o = ApprovalMatcher.match(
            required: required, given: ["pat", "paul", "pia"].map { GivenApproval(login: $0, source: "t") }, discarded: [], author: nil,
            groups: groups, distinctApprovers: true)
        #expect(o.satisfied && o.groups[0].approvedBy.count == 2)
        #expect(o.discarded.map(\.reason) == [.notNeeded])
    }

    @Test("a GitLab approvals document is detected and used")
    func gitlab() throws {
        let r = try tier2Change()
        let file = try writeFile("{\"id\": 5, \"approved_by\": [{\"user\": {\"username\": \"sam\", \"id\": 1}}, {\"user\": {\"username\": \"priya\"}}]}")
        let o = try outcome(r, file: file)
        #expect(o.groups.filter(\.satisfied).map(\.group) == ["security", "privacy"])
    }

    @Test("an approvals file in another shape, not JSON, or missing is exit 2", arguments: ["{\"reviews\": []}", "not json", "[{\"foo\": 1}]"])
    func badFile(_ text: String) throws {
        let r = try tier2Change()
        let file = try writeFile(text)
        #expect(throws: TiergateError.self) { try r.check { $0.approvalsFile = file } }
        #expect(throws: TiergateError.self) { try r.check { $0.approvalsFile = "/no/such/file.json" } }
    }

    @Test("commit trailers never count")
    func trailers() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])], message: "change\n\nApproved-by: sam\nApproved-by: priya\nApproved-by: pat")
        let report = try r.check()
        #expect(report.approvals?.outcome.missing == 3)
        #expect(report.decision == .approvalRequired)
    }
}

@Suite("check: decision and exit status", .temporaryDirectories)
struct CheckDecisionTests {
    @Test("exit 3 when approvals are missing; --ignore-approvals passes; exit 1 wins over 3; --fail-on")
    func exitCodes() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted")])])
        let missing = try r.check()
        #expect(missing.decision == .approvalRequired && missing.exitCode == 3 && missing.summary.approvalsMissing == 3)
        let ignored = try r.check { $0.ignoreApprovals = true }
        #expect(ignored.decision == .pass && ignored.exitCode == 0 && ignored.approvals?.ignored == true)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("logSink: siem", "logSink: splunk")])])
        let blocked = try r.check()
        #expect(blocked.decision == .blocked && blocked.exitCode == 1)
        let never = try r.check { $0.failOn = .never }
        #expect(never.decision == .approvalRequired)
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: restricted"), ("  owner: ops", "  owner: ops\n  ownr: x")])])
        #expect(try r.check { $0.ignoreApprovals = true }.decision == .pass)
        #expect(try r.check { $0.ignoreApprovals = true; $0.failOn = .warning }.decision == .blocked)
    }

    @Test("base resolution: --base, then TIERGATE_BASE, refs/remotes/origin/GITHUB_BASE_REF, CI_MERGE_REQUEST_DIFF_BASE_SHA, HEAD~1")
    func baseDefaults() {
        #expect(Gate.baseRevision(explicit: "x", environment: ["TIERGATE_BASE": "t"]) == "x")
        #expect(Gate.baseRevision(explicit: nil, environment: ["TIERGATE_BASE": "t", "GITHUB_BASE_REF": "main"]) == "t")
        #expect(Gate.baseRevision(explicit: nil, environment: ["GITHUB_BASE_REF": "main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "abc"]) == "refs/remotes/origin/main")
        #expect(Gate.baseRevision(explicit: nil, environment: ["CI_MERGE_REQUEST_DIFF_BASE_SHA": "abc"]) == "abc")
        #expect(Gate.baseRevision(explicit: nil, environment: ["TIERGATE_BASE": "", "GITHUB_BASE_REF": ""]) == "HEAD~1")
    }

    @Test("each base-resolution rule, on a real repository with the variables set")
    func baseDefaultsInRepository() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("monthlyCapUSD: 10", "monthlyCapUSD: 11")])])
        try r.change(["apps/b/microapp.yaml": app("b")])
        let main = try r.repo.git(["rev-parse", "main"])
        let first = try r.repo.git(["rev-parse", "HEAD~1"])
        try r.repo.git(["update-ref", "refs/remotes/origin/main", main])
        func base(_ env: [String: String]) throws -> (String?, [String]) {
            let report = try r.check { $0.base = nil; $0.environment = env }
            return (report.base?.commit, report.apps.map(\.name))
        }
        #expect(try base(["TIERGATE_BASE": "main"]) == (main, ["a", "b"]))
        #expect(try base(["GITHUB_BASE_REF": "main"]) == (main, ["a", "b"]))
        #expect(try base(["CI_MERGE_REQUEST_DIFF_BASE_SHA": first]) == (first, ["b"]))
        #expect(try base([:]) == (first, ["b"]))
        let report = try r.check { $0.base = nil; $0.environment = ["GITHUB_BASE_REF": "main"] }
        #expect(report.base?.rev == "refs/remotes/origin/main")
    }

    @Test("the comparison is with the merge base: changes on the base branch after the fork are not the change's")
    func mergeBase() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.write("apps/c/microapp.yaml", app("c"))
        try r.repo.commit("main moves on")
        try r.repo.git(["checkout", "-q", "change"])
        let report = try r.check()
        #expect(report.apps.map(\.name) == ["b"])
        #expect(report.base?.commit == (try r.repo.git(["merge-base", "main", "change"])))
        #expect(report.base?.rev == "main")
    }

    @Test("unknown revisions and unrelated histories are exit 2")
    func revisionFailures() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        #expect(throws: TiergateError.self) { try r.check { $0.base = "nope" } }
        #expect(throws: TiergateError.self) { try r.check { $0.head = "nope" } }
        try r.repo.git(["checkout", "-q", "--orphan", "island"])
        try r.repo.commit("unrelated")
        #expect {
            try r.check { $0.base = "main"; $0.head = "island" }
        } throws: { ($0 as? TiergateError)?.message.contains("no common ancestor") == true }
    }

    @Test("a shallow clone without the merge base: exit 2 naming fetch-depth: 0")
    func shallow() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/b/microapp.yaml": app("b")])
        try r.change(["apps/c/microapp.yaml": app("c")])
        let clone = try makeTemporaryDirectory("shallow") + "/clone"
        try r.repo.git(["clone", "-q", "--depth", "1", "--no-single-branch", "file://\(r.path)", clone])
        var req = GateRequest(workingDirectory: clone, environment: [:], today: CheckExample.today)
        req.base = "origin/main"
        req.head = "origin/change"
        #expect {
            try Gate.run(req)
        } throws: { e in
            guard let e = e as? TiergateError else { return false }
            return (e.kind == .shallowHistory || e.kind == .revision) && (e.fix ?? "").contains("fetch-depth: 0")
        }
    }

    @Test("a bare repository and a linked worktree work")
    func bareAndWorktree() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.change(["apps/a/microapp.yaml": app("a", [("dataClass: internal", "dataClass: confidential")])])
        let bare = try makeTemporaryDirectory("bare") + "/bare.git"
        try r.repo.git(["clone", "-q", "--bare", r.path, bare])
        var req = GateRequest(workingDirectory: bare, environment: [:], today: CheckExample.today)
        req.base = "main"
        req.head = "change"
        #expect(try Gate.run(req).apps.first?.check?.headTier == 1)
        let wt = try makeTemporaryDirectory("wt") + "/wt"
        try r.repo.git(["checkout", "-q", "main"])
        try r.repo.git(["worktree", "add", "-q", wt, "change"])
        var w = GateRequest(workingDirectory: wt, environment: [:], today: CheckExample.today)
        w.base = "main"
        #expect(try Gate.run(w).apps.first?.check?.tierChange == .escalated)
    }

    @Test("--staged compares the index with HEAD; approvals are advisory")
    func staged() throws {
        let r = try ChangeRepository(base: ["apps/a/microapp.yaml": app("a")])
        try r.repo.write("apps/a/microapp.yaml", app("a", [("dataClass: internal", "dataClass: restricted")]))
        try r.repo.write("apps/b/microapp.yaml", app("b"))
        try r.repo.git(["add", "apps/a/microapp.yaml"])  // b is not staged
        let report = try r.check { $0.staged = true; $0.base = nil }
        #expect(report.apps.map(\.name) == ["a"])
        #expect(report.head?.commit == nil && report.approvals?.advisory == true)
        #expect(report.decision == .pass, "missing approvals are advisory under --staged")
        #expect(report.summary.approvalsMissing == 3)
        try r.repo.write("apps/a/microapp.yaml", app("a", [("logSink: siem", "logSink: splunk")]))
        try r.repo.git(["add", "-A"])
        #expect(try r.check { $0.staged = true; $0.base = nil }.decision == .blocked)
    }

    @Test("--staged before the first commit treats everything staged as added")
    func stagedInitial() throws {
        let repo = try TestRepository()
        try repo.write("apps/a/microapp.yaml", app("a"))
        try repo.git(["add", "-A"])
        var req = GateRequest(workingDirectory: repo.path, environment: [:], today: CheckExample.today)
        req.staged = true
        let report = try Gate.run(req)
        #expect(report.apps.map { $0.check?.change } == [.added])
        #expect(report.base?.commit == nil)
    }
}

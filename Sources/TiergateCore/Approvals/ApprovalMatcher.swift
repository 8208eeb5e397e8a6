/// One group's requirement for a change, with why it is asked.
package struct RequiredApproval: Sendable, Hashable {
    package var group: String
    package var count: Int
    package var reason: String
}

/// The outcome per group.
package struct GroupApproval: Sendable, Hashable {
    package var group: String
    package var count: Int
    package var reasons: [String]
    package var approvedBy: [String]
    /// Team entries of the group that match nobody (no `--members` file, or a team the file does not list).
    package var unresolvedTeams: [UnresolvedTeam] = []
    /// Everyone whose approval would count for the group (its logins and the members of its resolved team
    /// entries, as the policy and the members file spell them; never the author), for the reports to say whom
    /// to ask.
    package var eligible: [String] = []

    package var satisfied: Bool { approvedBy.count >= count }
    package var missing: Int { max(0, count - approvedBy.count) }
}

/// A team entry (`@org/team`) of a policy group that matches nobody, and why.
package struct UnresolvedTeam: Sendable, Hashable {
    package enum Reason: String, Sendable {
        case noMembersFile = "no members file"
        case notInMembersFile = "not in the members file"
    }
    package var team: String
    package var reason: Reason

    /// One line for the reports.
    package var note: String { "team \(team) matches nobody: \(explanation)" }

    package var explanation: String {
        switch reason {
        case .noMembersFile: "no --members file was given"
        case .notInMembersFile: "the --members file does not list it"
        }
    }
}

package struct ApprovalOutcome: Sendable, Hashable {
    package var groups: [GroupApproval]
    package var discarded: [DiscardedApproval]

    package var missing: Int { groups.map(\.missing).reduce(0, +) }
    package var satisfied: Bool { missing == 0 }
}

/// Decides which approvals count for which group. With `distinctApprovers`, one person fills at most one
/// group's slot and the assignment is a maximum bipartite matching, so the answer never depends on order.
package enum ApprovalMatcher {
    package static func match(
        required: [RequiredApproval], given: [GivenApproval], discarded already: [DiscardedApproval],
        author: String?, groups: [String: [String]], distinctApprovers: Bool, teams: TeamMembers? = nil
    ) -> ApprovalOutcome {
        // Union per group: the highest count asked, every reason.
        var order: [String] = []
        var counts: [String: Int] = [:]
        var reasons: [String: [String]] = [:]
        for r in required {
            if counts[r.group] == nil { order.append(r.group) }
            counts[r.group] = max(counts[r.group] ?? 0, r.count)
            if !(reasons[r.group] ?? []).contains(r.reason) { reasons[r.group, default: []].append(r.reason) }
        }
        // A group's members: its logins, and the members of its team entries as the members file lists them.
        // A team entry itself is never a login, and one the file does not list matches nobody.
        var members: [String: Set<String>] = [:]
        var spelled: [String: [String]] = [:]
        var unresolved: [String: [UnresolvedTeam]] = [:]
        for (group, entries) in groups {
            var logins = Set<String>()
            var names: [String] = []
            func add(_ login: String) {
                let key = login.lowercased()
                // The author is a member like anyone (their approval is discarded as the author's, below), but
                // never someone to ask.
                guard !key.isEmpty, logins.insert(key).inserted, key != author?.lowercased() else { return }
                names.append(login)
            }
            for entry in entries {
                guard TeamMembers.isTeam(entry) else {
                    add(entry)
                    continue
                }
                if let listed = teams?.members(of: entry) {
                    listed.filter { !TeamMembers.isTeam($0) }.forEach(add)
                } else {
                    unresolved[group, default: []].append(UnresolvedTeam(team: entry, reason: teams == nil ? .noMembersFile : .notInMembersFile))
                }
            }
            members[group] = logins
            spelled[group] = names.sorted { $0.lowercased() < $1.lowercased() }
        }
        let someTeamsUnresolved = !unresolved.isEmpty
        var discarded = already
        // Each person once, in a fixed order.
        var seen = Set<String>()
        var people: [String] = []
        for g in given.sorted(by: { $0.login.lowercased() < $1.login.lowercased() }) {
            let login = g.login.lowercased()
            guard !login.isEmpty, seen.insert(login).inserted else { continue }
            if let author, login == author.lowercased() {
                discarded.append(DiscardedApproval(login: g.login, reason: .author, detail: "the change's author never approves it"))
                continue
            }
            let groupsOfPerson = order.filter { members[$0]?.contains(login) == true }
            if groupsOfPerson.isEmpty {
                let anyGroup = members.values.contains { $0.contains(login) }
                discarded.append(
                    DiscardedApproval(
                        login: g.login, reason: anyGroup ? .notNeeded : .notAMember,
                        detail: anyGroup
                            ? "member of no group this change needs"
                            : "not listed in any group of the base policy"
                                + (!someTeamsUnresolved ? "" : "; some of its team entries match nobody (see the required approvals)")))
                continue
            }
            people.append(g.login)
        }

        var approvedBy: [String: [String]] = [:]
        if distinctApprovers {
            let assignment = maximumMatching(people: people, order: order, counts: counts, members: members)
            for (person, group) in assignment { approvedBy[group, default: []].append(person) }
            for p in people where assignment[p] == nil {
                discarded.append(DiscardedApproval(login: p, reason: .notNeeded, detail: "every group this person could satisfy is already satisfied by others"))
            }
        } else {
            var used = Set<String>()
            for g in order {
                let eligible = people.filter { members[g]?.contains($0.lowercased()) == true }
                let take = Array(eligible.prefix(counts[g] ?? 0))
                approvedBy[g] = take
                used.formUnion(take)
            }
            for p in people where !used.contains(p) {
                discarded.append(DiscardedApproval(login: p, reason: .notNeeded, detail: "the groups this person belongs to are already satisfied"))
            }
        }
        let outcome = order.map { g in
            GroupApproval(
                group: g, count: counts[g] ?? 1, reasons: reasons[g] ?? [], approvedBy: (approvedBy[g] ?? []).sorted(),
                unresolvedTeams: unresolved[g] ?? [], eligible: spelled[g] ?? [])
        }
        return ApprovalOutcome(groups: outcome, discarded: discarded)
    }

    /// Kuhn's augmenting paths, with an explicit BFS (no recursion), over slots: group g has counts[g] slots.
    static func maximumMatching(people: [String], order: [String], counts: [String: Int], members: [String: Set<String>]) -> [String: String] {
        var slots: [String] = []
        for g in order { slots += Array(repeating: g, count: counts[g] ?? 0) }
        let edges: [[Int]] = people.map { p in
            slots.indices.filter { members[slots[$0]]?.contains(p.lowercased()) == true }
        }
        var slotOwner = [Int?](repeating: nil, count: slots.count)
        var personSlot = [Int?](repeating: nil, count: people.count)
        for start in people.indices {
            // BFS from `start` over alternating paths; parent maps a slot to the person who reached it.
            var parentOfSlot = [Int?](repeating: nil, count: slots.count)
            var visited = [Bool](repeating: false, count: slots.count)
            var queue = [start]
            var head = 0
            var freeSlot: Int?
            search: while head < queue.count {
                let p = queue[head]
                head += 1
                for s in edges[p] where !visited[s] {
                    visited[s] = true
                    parentOfSlot[s] = p
                    guard let owner = slotOwner[s] else {
                        freeSlot = s
                        break search
                    }
                    queue.append(owner)
                }
            }
            // Augment: walk back flipping assignments.
            var s = freeSlot
            while let slot = s, let p = parentOfSlot[slot] {
                let previous = personSlot[p]
                slotOwner[slot] = p
                personSlot[p] = slot
                s = previous
            }
        }
        var out: [String: String] = [:]
        for (i, s) in personSlot.enumerated() { if let s { out[people[i]] = slots[s] } }
        return out
    }
}

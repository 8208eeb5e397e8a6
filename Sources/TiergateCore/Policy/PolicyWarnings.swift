/// Policy mistakes the loader cannot see, because they depend on the revision or on how the gate is run.
package enum PolicyWarnings {
    /// `exception-unknown-app`: exceptions that name an app the revision does not have (a misspelled name
    /// excepts nothing, silently). `names` are every app name at the revision.
    package static func unknownExceptionApps(_ policy: Policy, names: Set<String>, path: String) -> [Finding] {
        var reported = Set<String>()
        return policy.exceptions.compactMap { e in
            guard !names.contains(e.app), reported.insert(e.app + "\u{0}" + e.check).inserted else { return nil }
            return Finding(
                .exceptionUnknownApp,
                message: "the exception for \(e.check) names the app '\(e.app)', which does not exist at this revision, so it excepts nothing: fix the name, or remove the exception",
                path: path, mark: e.mark)
        }
    }

    /// Team entries (`@org/team`) of the policy's groups: they match only the members `check --members FILE`
    /// lists (SPEC section 5), and nobody without it. One line per group that has some.
    package static func teamEntries(_ policy: Policy) -> [String] {
        policy.groups.keys.sorted().compactMap { group in
            let teams = (policy.groups[group] ?? []).filter(TeamMembers.isTeam)
            guard !teams.isEmpty else { return nil }
            return "the group '\(group)' lists \(teams.joined(separator: ", ")): a team entry matches only the members that `tiergate check --members FILE` lists, and nobody without that file"
        }
    }
}

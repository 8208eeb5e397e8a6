/// Keeps credentials out of every output (SPEC section 8): a token pasted as a value, a key, a list item's name,
/// a label, a path segment or anything a message quotes is cut out before a report, `explain`, `inventory` or an
/// error message is written. `SecretScanner` decides what looks like a credential; this is the one place that
/// acts on it, and every output passes through it (`Reporter.render`, `ExplainRenderer`, `InventoryRenderer`,
/// `TiergateError.description`).
package enum Redactor {
    /// What stands in for a credential inside a text (a word, a path segment, a key).
    package static let placeholder = "(redacted)"
    /// What stands in for a whole value that looks like a credential.
    package static let valuePlaceholder = ManifestValue.string("(redacted: looks like a credential)")

    /// Whether `s` holds something that looks like a credential (as a value under `key`, when there is one).
    @inline(__always)
    package static func leaks(_ s: String, key: String? = nil) -> Bool { SecretScanner.scan(s, key: key) != nil }

    /// Any text: a name, a key, a path, a message. What looks like a credential is replaced by `placeholder`, as
    /// narrowly as still hides it: the path part (between `.`, `:`, `=`, `@`), else the path segment (between
    /// `/`), else the word (between spaces, quotes, brackets, commas), else the whole text (a private key block
    /// spans words). Text without a credential is returned as it is, after one scan.
    package static func text(_ s: String) -> String { leaks(s) ? redact(Substring(s), level: 0) : s }

    /// Text of several lines (a policy file as `policy show` prints it): line by line.
    package static func lines(_ s: String) -> String {
        guard leaks(s) else { return s }
        return s.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { text(String(String.UnicodeScalarView($0))) }
            .joined(separator: "\n")
    }

    /// Separators, from the widest pieces (words) to the narrowest (parts of a path segment).
    private static let levels = 3

    private static func isSeparator(_ c: UInt8, level: Int) -> Bool {
        switch level {
        case 0:
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|"):
                return true
            default: return false
            }
        case 1: return c == UInt8(ascii: "/") || c == UInt8(ascii: "\\")
        default:
            switch c {
            case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "?"),
                UInt8(ascii: "&"):
                return true
            default: return false
            }
        }
    }

    private static func redact(_ s: Substring, level: Int) -> String {
        let whole = String(s)
        guard leaks(whole) else { return whole }
        guard level < levels else { return placeholder }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var start = s.utf8.startIndex
        var i = start
        let end = s.utf8.endIndex
        // Separators are ASCII, so the pieces between them are whole characters.
        while i < end {
            let c = s.utf8[i]
            if isSeparator(c, level: level) {
                out += redact(s[start..<i], level: level + 1)
                out.unicodeScalars.append(Unicode.Scalar(c))
                start = s.utf8.index(after: i)
            }
            i = s.utf8.index(after: i)
        }
        out += redact(s[start..<end], level: level + 1)
        // A credential that spans pieces (a private key block, a JWT split at its dots) hides the whole.
        return leaks(out) ? placeholder : out
    }

    /// A value under `key`: a string that looks like a credential there (a random string under `apiToken`
    /// included) becomes `valuePlaceholder`; map keys are redacted as text.
    package static func value(_ v: ManifestValue, key: String?, depth: Int = 0) -> ManifestValue {
        guard depth <= YAMLLimits.maxDepth else { return valuePlaceholder }
        switch v {
        case .string(let s): return leaks(s, key: key) ? valuePlaceholder : v
        case .list(let items): return .list(items.map { value($0, key: key, depth: depth + 1) })
        case .map(let m):
            return .map(Dictionary(m.map { (text($0.key), value($0.value, key: $0.key, depth: depth + 1)) }, uniquingKeysWith: { a, _ in a }))
        default: return v
        }
    }

    /// Field changes: each value by the key it sits under (the last key of its path), then the path itself,
    /// which holds keys and list items' names (`metadata.labels.<key>`, `spec.integrations[<name>]`). A list or
    /// map whose one-line form (as the text report writes it) still looks like a credential, from pieces that
    /// do not on their own, is hidden whole.
    package static func fieldChanges(_ changes: [FieldChange]) -> [FieldChange] {
        changes.map { c in
            let key = lastKey(of: c.path)
            return FieldChange(path: text(c.path), from: c.from.map { changed($0, key: key) }, to: c.to.map { changed($0, key: key) })
        }
    }

    private static func changed(_ v: ManifestValue, key: String?) -> ManifestValue {
        let redacted = value(v, key: key)
        guard !redacted.isScalar else { return redacted }
        return leaks(redacted.description) ? valuePlaceholder : redacted
    }

    /// The last key of a field path: `spec.secrets[0].ref` → `ref`, `spec.regions[1]` → `regions`.
    static func lastKey(of path: String) -> String? {
        guard !path.isEmpty else { return nil }
        let u = path.utf8
        let start = u.lastIndex(of: UInt8(ascii: ".")).map { u.index(after: $0) } ?? u.startIndex
        let end = u[start...].firstIndex(of: UInt8(ascii: "[")) ?? u.endIndex
        return String(path[start..<end])
    }

    /// A report, an explanation, inventory rows: every string they carry.
    package static func redact<T: StringCarrying>(_ x: T) -> T {
        x.mappingStrings(text)
    }

    /// A report: field changes by key first (a random value under a secret-like key), then every string.
    package static func redact(_ report: Report) -> Report {
        var r = report
        for i in r.apps.indices {
            if let changes = r.apps[i].check?.fieldChanges, !changes.isEmpty {
                r.apps[i].check?.fieldChanges = fieldChanges(changes)
            }
        }
        return r.mappingStrings(text)
    }
}

/// A value whose strings can be rewritten one by one (redacted, made terminal-safe), keeping its shape. Every
/// string field is visited: a new string field must be added to `mappingStrings`. Where a type's memberwise
/// initializer lists every field, `mappingStrings` calls it, so the compiler asks for a new non-optional field
/// (an optional `var` defaults to nil there and would be dropped, not leaked); types that copy `self` do not get
/// even that. `StringCarryingTests` walks real reports by reflection and fails on any string left unvisited.
package protocol StringCarrying {
    func mappingStrings(_ f: (String) -> String) -> Self
}

extension TerminalText {
    /// A report, an explanation or inventory rows with every string made terminal-safe.
    package static func escape<T: StringCarrying>(_ x: T) -> T { x.mappingStrings(escape) }
}

extension ManifestValue {
    /// The value with every string and map key rewritten.
    func mappingStrings(_ f: (String) -> String, depth: Int = 0) -> ManifestValue {
        guard depth <= YAMLLimits.maxDepth else { return .null }
        switch self {
        case .string(let s): return .string(f(s))
        case .list(let items): return .list(items.map { $0.mappingStrings(f, depth: depth + 1) })
        case .map(let m):
            return .map(Dictionary(m.map { (f($0.key), $0.value.mappingStrings(f, depth: depth + 1)) }, uniquingKeysWith: { a, _ in a }))
        default: return self
        }
    }
}

extension Finding: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> Finding {
        var x = self
        x.id = f(id)
        x.message = f(message)
        x.path = f(path)
        x.field = field.map(f)
        x.app = app.map(f)
        x.suppressed = suppressed.map { Suppression(reason: f($0.reason), expires: f($0.expires)) }
        return x
    }
}

extension RevisionInfo: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> RevisionInfo {
        RevisionInfo(rev: f(rev), commit: commit.map(f))
    }
}

extension PolicyInfo: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> PolicyInfo {
        PolicyInfo(source: source, path: path.map(f), blob: blob.map(f), commit: commit.map(f), changed: changed)
    }
}

extension AppReport: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> AppReport {
        AppReport(name: f(name), path: f(path), tier: tier, findings: findings.mappingStrings(f), check: check?.mappingStrings(f))
    }
}

extension AppCheckInfo: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> AppCheckInfo {
        var c = self
        c.previousPath = previousPath.map(f)
        c.previousName = previousName.map(f)
        c.fieldChanges = fieldChanges.map { FieldChange(path: f($0.path), from: $0.from?.mappingStrings(f), to: $0.to?.mappingStrings(f)) }
        c.requiredApprovals = requiredApprovals.map { RequiredApproval(group: f($0.group), count: $0.count, reason: f($0.reason)) }
        c.risk = risk?.mappingStrings(f)
        return c
    }
}

extension ApprovalsReport: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> ApprovalsReport {
        var x = self
        x.author = author.map(f)
        x.outcome.groups = outcome.groups.map { g in
            var g = g
            g.group = f(g.group)
            g.reasons = g.reasons.map(f)
            g.approvedBy = g.approvedBy.map(f)
            g.eligible = g.eligible.map(f)
            g.unresolvedTeams = g.unresolvedTeams.map { UnresolvedTeam(team: f($0.team), reason: $0.reason) }
            return g
        }
        x.outcome.discarded = outcome.discarded.map { DiscardedApproval(login: f($0.login), reason: $0.reason, detail: $0.detail.map(f)) }
        return x
    }
}

extension Report: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> Report {
        var x = self
        x.toolVersion = f(toolVersion)
        x.base = base?.mappingStrings(f)
        x.head = head?.mappingStrings(f)
        x.policy = policy.mappingStrings(f)
        x.apps = apps.map { $0.mappingStrings(f) }
        x.findings = findings.map { $0.mappingStrings(f) }
        x.approvals = approvals?.mappingStrings(f)
        x.policyImpact = policyImpact?.mappingStrings(f)
        x.descriptions = Dictionary(descriptions.map { (f($0.key), f($0.value)) }, uniquingKeysWith: { a, _ in a })
        return x
    }
}

extension AppExplanation: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> AppExplanation {
        AppExplanation(
            name: f(name), path: f(path), source: source.mappingStrings(f), policy: policy.mappingStrings(f),
            explanation: explanation.mappingStrings(f), firedRules: firedRules.mappingStrings(f), approvals: approvals.mappingStrings(f),
            tierName: tierName.map(f))
    }
}

extension AppExplanation.Source: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> AppExplanation.Source {
        switch self {
        case .workingTree(let path): .workingTree(path: f(path))
        case .revision(let r): .revision(r.mappingStrings(f))
        }
    }
}

extension AppExplanation.FiredRule: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> AppExplanation.FiredRule {
        AppExplanation.FiredRule(id: f(id), raiseTier: raiseTier, approvals: approvals.mappingStrings(f), requirementMet: requirementMet)
    }
}

extension TierExplanation: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> TierExplanation {
        var e = self
        e.dimensions = dimensions.map { var d = $0; d.name = f(d.name); d.value = f(d.value); return d }
        e.template = template.map(f)
        e.templateBounds = templateBounds.map(f)
        e.templateDeviations = templateDeviations.map(f)
        e.raisingRules = raisingRules.map { RaisingRule(id: f($0.id), raiseTier: $0.raiseTier) }
        e.customConnectors = customConnectors.map(f)
        e.decidedBy = decidedBy.map(f)
        return e
    }
}

extension ApprovalRequirement: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> ApprovalRequirement {
        ApprovalRequirement(group: f(group), count: count)
    }
}

extension InventoryRow: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> InventoryRow {
        InventoryRow(
            name: f(name), path: f(path), owner: f(owner), tier: tier, dataClass: f(dataClass), state: f(state), expiresAt: f(expiresAt),
            daysLeft: daysLeft, expired: expired, attestationDue: attestationDue, monthlyCapUSD: monthlyCapUSD, integrations: integrations.map(f),
            pastRetirement: pastRetirement, template: template.map(f))
    }
}

extension Array: StringCarrying where Element: StringCarrying {
    package func mappingStrings(_ f: (String) -> String) -> [Element] { map { $0.mappingStrings(f) } }
}

extension TiergateError {
    /// The error as it may be shown: no credential, one line, no control character.
    package var inert: TiergateError {
        TiergateError(
            kind, TerminalText.escape(Redactor.text(message)), fix: fix.map { TerminalText.escape(Redactor.text($0)) },
            details: details.map { TerminalText.escape(Redactor.text($0)) })
    }
}

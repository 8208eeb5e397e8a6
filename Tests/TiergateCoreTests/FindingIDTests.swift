import Foundation
import Testing

@testable import TiergateCore

/// `FindingID` is the one table of built-in finding ids: these tests hold it to SPEC section 4, to the README's
/// "Checks" section (which its SARIF `helpUri`s point to) and to the YAML layer's problem kinds.
@Suite("Finding ids")
struct FindingIDTests {
    /// SPEC section 4's table, id and default severity, copied by hand (`template-unknown` / `template-deviation`
    /// share a row there).
    static let spec: [String: Severity] = [
        "yaml-syntax": .error, "yaml-duplicate-key": .error, "yaml-unsupported": .error, "yaml-limits": .error,
        "yaml-encoding": .error, "yaml-ambiguous-scalar": .warning, "schema": .error, "unknown-field": .warning,
        "not-a-manifest-file": .error, "manifest-outside-include": .error, "path-name-mismatch": .error,
        "duplicate-app-name": .error, "owner-unknown": .error, "secret-ref-scheme": .error, "secret-literal": .error,
        "connector-custom": .info, "egress-allowlist-empty": .error, "endpoint-undeclared": .warning,
        "residency-region": .error, "ttl-max": .error, "ttl-expired": .error, "renewal-justification": .error,
        "retire-by-passed": .error, "attestation-overdue": .warning, "logging-siem": .error, "template-unknown": .error,
        "template-deviation": .warning, "policy-invalid": .error, "exception-expired": .warning,
        "exception-unknown-app": .warning,
        // Issue 14 (SPEC section 10's policy changes): the weakenings a policy change makes.
        "policy-weakened": .warning,
    ]

    @Test("the ids and default severities are SPEC section 4's, no more and no fewer")
    func matchesSpec() {
        #expect(Self.spec.count == 31)
        #expect(Set(FindingID.allCases.map(\.rawValue)) == Set(Self.spec.keys))
        for id in FindingID.allCases {
            #expect(Self.spec[id.rawValue] == id.defaultSeverity, "\(id.rawValue)")
        }
        #expect(FindingID.allNames == Set(Self.spec.keys))
    }

    @Test("every YAML problem kind reports under a finding id, at that id's severity")
    func yamlKinds() {
        for kind in YAMLProblem.Kind.allCases {
            #expect(Self.spec[kind.rawValue] == kind.defaultSeverity, "\(kind.rawValue)")
        }
        #expect(YAMLProblem.Kind.ambiguousScalar.defaultSeverity == .warning && YAMLProblem.Kind.syntax.defaultSeverity == .error)
    }

    @Test("a built-in finding starts at its id's default severity; a rule's at the rule's")
    func findingSeverity() throws {
        #expect(Finding(.connectorCustom, message: "m", path: "p", mark: .start).severity == .info)
        #expect(Finding(.endpointUndeclared, message: "m", path: "p", mark: .start).severity == .warning)
        let rule = try #require(Policy.builtIn.rules.first)
        let f = Finding(rule: rule, path: "p", mark: .start, field: "spec", app: "a")
        #expect(f.id == rule.id && f.severity == rule.severity && f.message == rule.message && f.builtIn == nil)
        #expect(Finding(.schema, message: "m", path: "p", mark: .start).builtIn == .schema)
    }

    /// Only the security exposures carry a SARIF security-severity, at the values the table's comment argues.
    @Test("security-severity: secrets, egress and residency only, as numbers on the 0-10 scale")
    func securitySeverity() {
        let expected: [FindingID: String] = [
            .secretLiteral: "9.0", .secretRefScheme: "8.0", .egressAllowlistEmpty: "7.0", .residencyRegion: "7.0", .endpointUndeclared: "5.0",
        ]
        for id in FindingID.allCases {
            #expect(id.securitySeverity == expected[id], "\(id.rawValue)")
            if let s = id.securitySeverity { #expect(Double(s).map { (0...10).contains($0) } == true) }
        }
    }

    @Test("help: a plain text and a Markdown form of what the check guards against and how to fix it")
    func help() {
        for id in FindingID.allCases {
            #expect(!id.helpText.contains("`") && !id.helpText.contains("**"), "\(id.rawValue)")
            #expect(id.helpMarkdown.hasPrefix("**What it guards against.** ") && id.helpMarkdown.contains("\n\n**How to fix it.** "), "\(id.rawValue)")
            #expect(id.helpText.count > 60 && id.summary.count > 10, "\(id.rawValue)")
        }
        #expect(FindingID.ttlMax.helpText.contains("spec.lifecycle.ttlDays") && FindingID.ttlMax.helpMarkdown.contains("`spec.lifecycle.ttlDays`"))
    }

    @Test("helpUri is an absolute https URL of the README, ending in the id's anchor")
    func helpURI() throws {
        #expect(FindingID.ttlMax.helpURI == "https://github.com/tiergate/tiergate/blob/main/README.md#ttl-max")
        for id in FindingID.allCases {
            let url = try #require(URL(string: id.helpURI))
            #expect(url.scheme == "https" && url.host == "github.com" && url.fragment == id.rawValue, "\(id.helpURI)")
        }
    }

    // MARK: The README

    static let begin = "<!-- checks: begin (FindingID, Sources/TiergateCore/Checks/FindingID.swift, written out) -->"
    static let end = "<!-- checks: end -->"

    /// The README's section for one id, as the table says it.
    static func section(_ id: FindingID) -> String {
        var facts = ["default severity `\(id.defaultSeverity.rawValue)`"]
        if id.isIntegrity { facts.append("an integrity check: a policy cannot lower it, turn it off or except it") }
        if let s = id.securitySeverity { facts.append("SARIF security-severity \(s)") }
        return "### `\(id.rawValue)`\n\n\(id.summary) (\(facts.joined(separator: "; "))).\n\n\(id.helpMarkdown)\n"
    }

    static func readme() throws -> String { String(decoding: try Project.bytes("README.md"), as: UTF8.self) }

    @Test("the README's Checks section is the table written out, every id in order")
    func readmeSection() throws {
        let text = try Self.readme()
        let start = try #require(text.range(of: Self.begin + "\n\n"), "README.md has no \(Self.begin)")
        let stop = try #require(text.range(of: "\n" + Self.end, range: start.upperBound..<text.endIndex))
        let written = String(text[start.upperBound..<stop.lowerBound])
        let expected = FindingID.allCases.map(Self.section).joined(separator: "\n")
        #expect(written == expected, "README.md's Checks section should read:\n\(expected)")
    }

    /// GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces to `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { c -> Character? in
            if c == " " { return "-" }
            return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
        })
    }

    @Test("every id's README anchor is the anchor of exactly one heading (markdown-it-py's reading of the README)")
    func readmeAnchors() throws {
        let python = try Project.venvTool("python")
        let r = try run(python, [Project.path("Tests/helpers/markdown_audit.py")], input: try Self.readme())
        #expect(r.status == 0, "\(r.stderr)")
        let audit = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let headings = try #require(audit["headings"] as? [String])
        let anchors = headings.map(Self.anchor)
        for id in FindingID.allCases {
            #expect(anchors.count { $0 == id.readmeAnchor } == 1, "\(id.readmeAnchor) in \(anchors)")
        }
        #expect(Self.anchor("`yaml-syntax`") == "yaml-syntax" && Self.anchor("Use in CI") == "use-in-ci")
    }
}

package enum PolicyTestFormat: String, Sendable, CaseIterable { case text, json, junit }

/// Renders `tiergate policy test`: each case passes or fails with what differed.
package enum PolicyTestRenderer {
    /// The report with no credential in it, terminal-safe except as JSON (which escapes it itself).
    package static func render(_ report: PolicyTestReport, as format: PolicyTestFormat) -> String {
        let r = Redactor.redact(report)
        switch format {
        case .text: return text(TerminalText.escape(r))
        case .json: return json(r)
        case .junit: return junit(TerminalText.escape(r))
        }
    }

    static func policyText(_ p: PolicyInfo) -> String {
        p.source == .default ? "the built-in default policy" : "the policy \(p.path ?? "?")"
    }

    static func text(_ r: PolicyTestReport) -> String {
        var out = "tiergate policy test: \(r.failed == 0 ? "PASS" : "FAIL") — \(r.passed) passed, \(r.failed) failed; \(policyText(r.policy)), tests in \(r.directory)\n"
        for c in r.results {
            out += "  \(c.passed ? "pass" : "FAIL")  \(c.name) (\(c.file):\(c.line))\n"
            for f in c.failures { out += "        \(f)\n" }
        }
        return out
    }

    static func json(_ r: PolicyTestReport) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.header(command: "policy-test")
        w.key("policy")
        w.object { $0.policyFields(r.policy) }
        w.field("directory", r.directory)
        w.key("cases")
        w.objects(r.results) { w, c in
            w.field("name", c.name)
            w.field("file", c.file)
            w.field("line", c.line)
            w.field("passed", c.passed)
            w.key("failures")
            w.stringArray(c.failures)
            outcome(&w, "expected", tier: c.expectedTier, findings: c.expectedFindings, approvals: c.expectedApprovals)
            outcome(&w, "actual", tier: c.actualTier, findings: c.actualFindings, approvals: c.actualApprovals)
        }
        w.key("summary")
        w.object { w in
            w.field("passed", r.passed)
            w.field("failed", r.failed)
        }
        w.endObject()
        return w.text
    }

    /// A case's `expected` or `actual`: its tier, finding ids and approvals (null: the case does not say).
    private static func outcome(_ w: inout JSONWriter, _ key: String, tier: Int?, findings: [String], approvals: [ApprovalRequirement]?) {
        w.key(key)
        w.object { w in
            w.field("tier", tier)
            w.key("findings")
            w.stringArray(findings)
            w.key("approvals")
            if let approvals { w.approvalRequirements(approvals) } else { w.null() }
        }
    }

    /// One test case per policy test case, the test file as its class name.
    static func junit(_ r: PolicyTestReport) -> String {
        let head = "tests=\"\(r.results.count)\" failures=\"\(r.failed)\" errors=\"0\" skipped=\"0\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tiergate\" \(head)>\n"
        out += "  <testsuite name=\"tiergate policy test\" \(head)>\n"
        for c in r.results {
            out += "    <testcase classname=\"\(XMLText.attribute(c.file))\" name=\"\(XMLText.attribute(c.name))\" file=\"\(XMLText.attribute(c.file))\" line=\"\(c.line)\">\n"
            if !c.passed {
                out += "      <failure message=\"\(XMLText.attribute(c.failures.joined(separator: "; ")))\" type=\"policy-test\">\(XMLText.content(c.failures.joined(separator: "\n")))</failure>\n"
            }
            out += "    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }
}

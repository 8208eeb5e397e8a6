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
        w.beginObject()
        w.field("source", r.policy.source.rawValue)
        w.field("path", r.policy.path)
        w.field("blob", r.policy.blob)
        w.endObject()
        w.field("directory", r.directory)
        w.key("cases")
        w.beginArray()
        for c in r.results {
            w.beginObject()
            w.field("name", c.name)
            w.field("file", c.file)
            w.field("line", c.line)
            w.field("passed", c.passed)
            w.key("failures")
            w.stringArray(c.failures)
            w.key("expected")
            w.beginObject()
            w.field("tier", c.expectedTier)
            w.key("findings")
            w.stringArray(c.expectedFindings)
            w.key("approvals")
            if let a = c.expectedApprovals { w.approvalRequirements(a) } else { w.null() }
            w.endObject()
            w.key("actual")
            w.beginObject()
            w.field("tier", c.actualTier)
            w.key("findings")
            w.stringArray(c.actualFindings)
            w.key("approvals")
            w.approvalRequirements(c.actualApprovals)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.key("summary")
        w.beginObject()
        w.field("passed", r.passed)
        w.field("failed", r.failed)
        w.endObject()
        w.endObject()
        return w.text
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

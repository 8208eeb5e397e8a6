/// JUnit XML: one test case per app (failing when it has a blocking finding), named by the app's name and path
/// so that CI's test history follows the app across tier changes; one for findings about files, and for `check`
/// one for the required approvals.
package struct JUnitReporter: Reporter {
    package init() {}

    package func render(prepared report: Report) throws(TiergateError) -> String {
        var cases: [String] = []
        var failures = 0
        var skipped = 0
        let suite = "tiergate \(report.command.rawValue)"

        /// `about` says what the case stands for today (the change and the tiers); it goes into the failure
        /// message and the output, never the name, so that a test's history survives a tier change.
        func testCase(classname: String, name: String, file: String?, about: String?, findings: [Finding]) {
            let blocking = findings.filter(report.blocks)
            var xml = "    <testcase classname=\"\(XMLText.attribute(classname))\" name=\"\(XMLText.attribute(name))\"" + (file.map { " file=\"\(XMLText.attribute($0))\"" } ?? "") + ">\n"
            if !blocking.isEmpty {
                failures += 1
                let message = (about.map { $0 + ": " } ?? "") + "\(blocking.count) blocking finding\(blocking.count == 1 ? "" : "s"): " + blocking.map(\.id).joined(separator: ", ")
                xml += "      <failure message=\"\(XMLText.attribute(message))\" type=\"\(XMLText.attribute(blocking[0].id))\">\(XMLText.content(lines(blocking)))</failure>\n"
            }
            let other = findings.filter { !report.blocks($0) }
            let output = (about.map { [$0] } ?? []) + (other.isEmpty ? [] : [lines(other)])
            if !output.isEmpty { xml += "      <system-out>\(XMLText.content(output.joined(separator: "\n")))</system-out>\n" }
            xml += "    </testcase>\n"
            cases.append(xml)
        }

        for app in report.apps {
            var about: String?
            if let c = app.check {
                about = "\(c.change.rawValue), tier \(c.baseTier.map(String.init) ?? "-") -> \(c.headTier.map(String.init) ?? "-") (\(c.tierChange.rawValue))"
            } else if let t = app.tier {
                about = "tier \(t)"
            }
            // The app's name and path: stable while the app is, whatever its tier does.
            testCase(classname: "tiergate.apps", name: "\(app.name) (\(app.path))", file: app.path, about: about, findings: app.findings)
        }
        if !report.findings.isEmpty {
            for path in Set(report.findings.map(\.path)).sorted() {
                testCase(classname: "tiergate.files", name: path, file: path, about: nil, findings: report.findings.filter { $0.path == path })
            }
        }
        if report.command == .check, let a = report.approvals {
            var xml = "    <testcase classname=\"tiergate.approvals\" name=\"required approvals\">\n"
            let summary = a.outcome.groups.map { "\($0.group): \($0.approvedBy.count)/\($0.count)" + ($0.approvedBy.isEmpty ? "" : " by \($0.approvedBy.joined(separator: ", "))") }
            if a.ignored || a.advisory {
                skipped += 1
                xml += "      <skipped message=\"\(a.ignored ? "approvals ignored (--ignore-approvals)" : "approvals are advisory (--staged)")\"/>\n"
            } else if !a.outcome.satisfied {
                failures += 1
                xml += "      <failure message=\"\(XMLText.attribute("\(a.outcome.missing) approval\(a.outcome.missing == 1 ? "" : "s") missing"))\" type=\"approvals\">\(XMLText.content(summary.joined(separator: "\n")))</failure>\n"
            }
            if !summary.isEmpty { xml += "      <system-out>\(XMLText.content(summary.joined(separator: "\n")))</system-out>\n" }
            xml += "    </testcase>\n"
            cases.append(xml)
        }
        let head = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tiergate\" \(head)>\n  <testsuite name=\"\(XMLText.attribute(suite))\" \(head)>\n"
            + cases.joined() + "  </testsuite>\n</testsuites>\n"
    }

    private func lines(_ findings: [Finding]) -> String {
        findings.map { "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue) [\($0.id)] \($0.message)" + ($0.suppressed.map { " (suppressed until \($0.expires))" } ?? "") }
            .joined(separator: "\n")
    }
}

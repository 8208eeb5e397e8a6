// What both libFuzzer targets check about every output (built into each by ci/fuzz.sh). A broken property
// stops the run with the input saved, like a crash.
//
// - every finding id is a known one (a built-in id, or the id of one of the policy's rules);
// - JSON, SARIF, GitLab, explain and inventory JSON parse (JSONSerialization); JUnit parses as XML; the
//   commit status is JSON with a description within GitHub's limit;
// - no string of a report, once redacted, is one SecretScanner calls a credential, and no credential of the
//   input appears in any output;
// - text, github, table and csv hold no control character but their own line breaks; every github line is a
//   workflow command of tiergate's; the Markdown has one heading, tiergate's own, and no line opens a block
//   tiergate never writes (what a repository string at the start of a line would do).

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Stops the run with the input saved. The message goes to stderr first: -O drops a precondition's message.
func fail(_ what: String, _ output: String) -> Never {
    let message = "fuzz: \(what)\n--- output ---\n\(output.prefix(4000))\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    abort()
}

/// Whether this input also gets the checks that are slow under ASan (Foundation's JSON and XML parsers): one
/// input in sixteen, chosen by the input's own bytes so that a saved input, run alone, is checked the same way.
func isFullyChecked(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
    for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash % 16 == 0
}

func parsesAsJSON(_ what: String, _ text: String) {
    guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil else { fail("\(what) is not JSON", text) }
}

func parsesAsXML(_ what: String, _ text: String) {
    guard XMLParser(data: Data(text.utf8)).parse() else { fail("\(what) is not well-formed XML", text) }
}

/// The credentials of an input: every key or value SecretScanner flags by its shape (a random value under a
/// secret-like key is left to the unit tests: the same text may be an app's name), and every word of one that it
/// flags on its own (a token inside a description or a rule's message).
func credentials(in root: YAMLNode) -> [String] {
    var found: [String] = []
    root.forEachString { text, _, _, _ in
        guard SecretScanner.scan(text, key: nil) != nil else { return }
        found.append(text)
        for word in text.split(whereSeparator: { " \t\n\r'\"`()[]{}<>,;|".contains($0) }) where SecretScanner.scan(String(word), key: nil) != nil {
            found.append(String(word))
        }
    }
    return found
}

func holdsNoSecret(_ what: String, _ text: String, secrets: [String]) {
    for secret in secrets where text.contains(secret) { fail("\(what) holds the input's credential \(secret)", text) }
}

/// What the Redactor promises: no string it leaves looks like a credential.
func redactedClean<T: StringCarrying>(_ what: String, _ x: T) {
    _ = Redactor.redact(x).mappingStrings { s in
        if SecretScanner.scan(s, key: nil) != nil { fail("\(what): a redacted string still looks like a credential", s) }
        return s
    }
}

func holdsNoControl(_ what: String, _ text: String, allowing: Set<Unicode.Scalar> = ["\n"]) {
    if let u = text.unicodeScalars.first(where: { TerminalText.isUnsafe($0.value) && !allowing.contains($0) }) {
        fail("\(what) holds U+\(String(u.value, radix: 16))", text)
    }
}

/// Every format of one report, checked. `knownIDs`: the built-in finding ids and the policy's rule ids.
func renderAll(_ report: Report, knownIDs: Set<String>, secrets: [String], fully: Bool) {
    for f in report.allFindings where !knownIDs.contains(f.id) { fail("unknown finding id \(f.id)", f.message) }
    redactedClean("report", Redactor.redact(report))
    // The Foundation-encoded formats (slow under ASan) on the fully checked inputs only.
    for format in ReportFormat.allCases where fully || ![.sarif, .gitlab].contains(format) {
        let out: String
        do { out = try format.reporter(ReporterOptions(sourceLinkBase: "https://github.com/o/r/blob/")).render(report) } catch {
            fail("\(format) failed: \(error)", "")
        }
        holdsNoSecret("\(format)", out, secrets: secrets)
        switch format {
        case .json, .sarif, .gitlab: if format == .json || fully { parsesAsJSON("\(format)", out) }
        case .junit: if fully { parsesAsXML("junit", out) }
        case .status:
            // A commit status body: JSON, and a description GitHub accepts (it counts UTF-16 code units).
            guard let body = try? JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any],
                let description = body["description"] as? String, description.utf16.count <= StatusReporter.descriptionLimit
            else { fail("status is not a commit status GitHub accepts", out) }
        case .text: holdsNoControl("text", out)
        case .github:
            holdsNoControl("github", out)
            for line in out.split(separator: "\n") where !(line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice ")) {
                fail("github line not tiergate's", String(line))
            }
        case .markdown:
            holdsNoControl("markdown", out)
            let headings = out.split(separator: "\n").filter { $0.drop(while: { $0 == " " }).hasPrefix("#") }
            guard headings.count == 1, headings[0].hasPrefix("### ") else { fail("markdown headings \(headings)", out) }
            for line in out.split(separator: "\n") where startsForeignBlock(line) { fail("markdown line opens a block tiergate never writes", String(line)) }
        }
    }
}

/// Whether a Markdown line starts block syntax tiergate never writes, which only a repository string that
/// reached the start of a line could: a quote, a fenced or indented code block, a setext underline, a link
/// reference definition, a `*`, `+` or numbered list item, or HTML other than tiergate's own tags. (The heading
/// is checked on its own; tiergate's lists are `- `, its tables are the policy-impact table.)
func startsForeignBlock(_ line: Substring) -> Bool {
    let ownHTML = ["<!-- tiergate-report -->", "<details>", "<details open>", "</details>", "<sub>"]
    if line.hasPrefix("<") { return !ownHTML.contains { line.hasPrefix($0) } }
    if line.hasPrefix("    ") || line.hasPrefix("\t") { return true }
    let text = line.drop { $0 == " " }
    if [">", "```", "~~~", "* ", "+ "].contains(where: { text.hasPrefix($0) }) { return true }
    if !text.isEmpty && (text.allSatisfy { $0 == "=" } || text.allSatisfy { $0 == "-" }) { return true }
    if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") { return true }
    let digits = text.prefix { $0.isASCII && $0.isNumber }
    return !digits.isEmpty && (text.dropFirst(digits.count).hasPrefix(". ") || text.dropFirst(digits.count).hasPrefix(") "))
}

/// The report `lint` writes for these apps.
func lintReport(_ apps: [EvaluatedApp], fileFindings: [Finding], policy: Policy) -> Report {
    let appReports = apps.map { AppReport(name: $0.name ?? "", path: $0.path, tier: $0.tier, findings: $0.findings) }
    let all = appReports.flatMap(\.findings) + fileFindings
    var report = Report(
        command: .lint, toolVersion: "fuzz", base: nil, head: RevisionInfo(rev: "HEAD", commit: nil),
        policy: PolicyInfo(source: .default, path: nil, blob: nil), decision: .pass, apps: appReports, findings: fileFindings,
        summary: Summary(findings: all, apps: appReports.count))
    report.describeFindings(policy: policy)
    return report
}

/// The finding ids a report may hold under `policy`.
func knownFindingIDs(_ policy: Policy) -> Set<String> {
    FindingID.allNames.union(policy.rules.map(\.id))
}

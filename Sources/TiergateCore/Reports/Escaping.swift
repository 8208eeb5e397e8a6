import Foundation

/// The escaping layer: one kind of escaping per kind of output, so that every string that comes from a
/// repository (names, paths, titles, keys, values, and the messages that quote them) is inert wherever it is
/// written (SPEC section 8). Reporters, `explain`, `inventory` and error messages call these; none escapes on
/// its own.

/// Text for a terminal, a CI log or any UI that shows text as it is: the characters that move the cursor,
/// start an escape sequence, break a line or reorder text are written as visible `\u{…}` escapes.
package enum TerminalText {
    /// C0 controls (tab and line feed included), DEL, C1 controls, the line and paragraph separators, the bidi
    /// embeddings, overrides and isolates, and the bidi marks.
    @inline(__always)
    package static func isUnsafe(_ v: UInt32) -> Bool {
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        guard v >= 0x61C else { return false }
        return v == 0x61C || v == 0x200E || v == 0x200F || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// `s` with every unsafe character written as `\u{1B}`. Text without one is returned as it is.
    package static func escape(_ s: String) -> String {
        guard hasUnsafe(s) else { return s }
        return s.replacingScalars { isUnsafe($0.value) ? visible($0.value) : nil }
    }

    /// `\u{1B}`: how an unsafe character is written.
    static func visible(_ v: UInt32) -> String { "\\u{" + hex(v) + "}" }

    /// Whether `s` holds an unsafe character. Most text is plain ASCII, which is decided byte by byte.
    @inline(__always)
    static func hasUnsafe(_ s: String) -> Bool {
        var ascii = true
        for c in s.utf8 {
            if c < 0x20 || c == 0x7F { return true }
            if c >= 0x80 { ascii = false }
        }
        return !ascii && s.unicodeScalars.contains(where: { isUnsafe($0.value) })
    }

    /// Text of several lines shown as it is (a policy file, a usage message): each line escaped, the line
    /// breaks kept (a CR before one dropped).
    package static func lines(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isUnsafe($0.value) && $0 != "\n" }) else { return s }
        // By scalars: "\r\n" is one Character.
        return s.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escape(String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0))) }.joined(separator: "\n")
    }

    /// Upper-case hexadecimal, at least two digits.
    static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return s.count < 2 ? "0" + s : s
    }
}

/// GitHub Actions workflow commands (`::error file=…,title=…::message`). The text is first made terminal-safe,
/// so no repository string can end the command's line and start a command of its own (`::stop-commands::`,
/// `::add-mask::`); then the runner's own escapes are applied, as GitHub documents them.
package enum WorkflowCommand {
    /// A command's message.
    package static func data(_ s: String) -> String {
        percent(TerminalText.escape(s), property: false)
    }

    /// A command's property value (`file=`, `title=`): also `:` and `,`, which end a property.
    package static func property(_ s: String) -> String {
        percent(TerminalText.escape(s), property: true)
    }

    private static func percent(_ s: String, property: Bool) -> String {
        s.replacingScalars { c in
            switch c {
            case "%": "%25"
            case "\r": "%0D"
            case "\n": "%0A"
            case ":" where property: "%3A"
            case "," where property: "%2C"
            default: nil
            }
        }
    }
}

/// Markdown (CommonMark with GitHub's extensions) for PR comments, step summaries and the inventory table. A
/// repository string cannot close a code span, open a link, an image, an HTML tag, a heading, emphasis, an
/// autolink or an `@mention`, and cannot break a table row or a line.
package enum MarkdownText {
    /// Inline text. Words made only of letters, digits and harmless punctuation are written as they are; any
    /// other word (one holding `` ` ``, `*`, `_`, `[`, `<`, `&`, `\`, `|`, `@`, `#`, `~`, `://`, `www.` …) is
    /// written as a code span, where Markdown and GitHub's mention and autolink filters do nothing.
    /// `inTable`: the text sits in a table cell, where a `|` ends the cell even inside a code span.
    package static func text(_ s: String, inTable: Bool = false) -> String {
        let visible = TerminalText.escape(s)
        guard !visible.isEmpty else { return "" }
        var out = ""
        out.reserveCapacity(visible.utf8.count + 8)
        var first = true
        for word in visible.split(separator: " ", omittingEmptySubsequences: false) {
            if !first { out += " " }
            first = false
            if isPlain(word) {
                out += word
            } else {
                // Punctuation around the word stays outside its code span: `(for example `x://y`),`.
                var core = word
                while let c = core.first, "(\"'".contains(c), core.count > 1 { core.removeFirst() }
                while let c = core.last, ").,;:!?\"'".contains(c), core.count > 1 { core.removeLast() }
                out += word[word.startIndex..<core.startIndex] + code(String(core), inTable: inTable) + word[core.endIndex...]
            }
        }
        return out
    }

    /// A code span: a backtick fence longer than any run of backticks inside, padded when the text starts or
    /// ends with a backtick or a space (CommonMark strips one space on each side).
    package static func code(_ s: String, inTable: Bool = false) -> String {
        var body = TerminalText.escape(s)
        if inTable { body = body.replacingOccurrences(of: "|", with: "\\|") }
        guard !body.isEmpty else { return "` `" }
        var longest = 0
        var run = 0
        for c in body.utf8 {
            if c == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        // By bytes, not Characters: a backtick with a combining mark after it is still a backtick to Markdown.
        let first = body.utf8.first, last = body.utf8.last
        let tick = UInt8(ascii: "`"), space = UInt8(ascii: " ")
        let pad = first == tick || last == tick || (first == space && last == space)
        return pad ? "\(fence) \(body) \(fence)" : "\(fence)\(body)\(fence)"
    }

    /// Text inside raw HTML the report writes itself (`<summary><code>…</code></summary>`): no tag, no entity,
    /// no line break.
    package static func html(_ s: String) -> String {
        XMLText.attribute(TerminalText.escape(s))
    }

    /// A link target inside the repository: each path segment percent-encoded (see `URIReference`), so that it
    /// cannot end the link, and the path cannot become an absolute URI.
    package static func linkPath(_ path: String) -> String { URIReference.relativePath(path) }

    /// ASCII punctuation that means nothing in the middle of a line of Markdown, nor to GitHub's filters.
    private static func isHarmless(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: "/"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "!"),
            UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "$"), UInt8(ascii: "^"), UInt8(ascii: "{"),
            UInt8(ascii: "}"):
            true
        default:
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c >= 0x80
        }
    }

    private static func isAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

    /// A word that renders as itself: harmless characters only, and no autolink (`://`, `www.`).
    private static func isPlain(_ word: Substring) -> Bool {
        // `_` between two letters or digits cannot open or close emphasis (`GITHUB_TOKEN`).
        let u = Array(word.utf8)
        for (i, c) in u.enumerated() where !isHarmless(c) {
            guard c == UInt8(ascii: "_"), i > 0, i + 1 < u.count, isAlnum(u[i - 1]), isAlnum(u[i + 1]) else { return false }
        }
        let lower = word.lowercased()
        return !lower.contains("://") && !lower.contains("www.")
    }
}

/// XML 1.0 character data and attribute values (JUnit). Markup characters become references; control
/// characters XML cannot carry (and those a terminal acts on) become visible escapes, as in `TerminalText`.
package enum XMLText {
    /// Element content: line breaks and tabs the tool wrote are kept.
    package static func content(_ s: String) -> String { escape(s, attribute: false) }

    /// An attribute value in double or single quotes: line breaks and tabs as character references.
    package static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    static func escape(_ s: String, attribute: Bool) -> String {
        s.replacingScalars { u in
            switch u {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"" where attribute: "&quot;"
            case "'" where attribute: "&#39;"
            case "\n": attribute ? "&#10;" : nil
            case "\t": attribute ? "&#9;" : nil
            default: TerminalText.isUnsafe(u.value) || u.value == 0xFFFE || u.value == 0xFFFF ? TerminalText.visible(u.value) : nil
            }
        }
    }
}

/// HTML text (`inventory --format html`): one escape for element content and quoted attribute values alike. The
/// five markup characters become references, so no repository string can open a tag, close an attribute or
/// start an entity; what a terminal acts on (line breaks, bidi controls) becomes a visible `\u{…}` escape, as in
/// `TerminalText`, so a value cannot reorder or split what the page shows around it.
package enum HTMLText {
    package static func text(_ s: String) -> String { XMLText.attribute(TerminalText.escape(s)) }
}

/// Relative URI references for repository paths (SARIF `artifactLocation.uri`, Markdown links): every byte but
/// the unreserved characters (RFC 3986 section 2.3) is percent-encoded, `/` included only as the separator.
/// `:` is always encoded, so no first segment (`https:`, `file:`, `C:`) can be read as a scheme, and a leading
/// `/` is encoded, so the reference cannot become absolute or network-path (`//host`) either.
package enum URIReference {
    package static func relativePath(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count)
        var first = true
        for c in path.utf8 {
            let unreserved =
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
            if unreserved || (c == UInt8(ascii: "/") && !first) {
                out.unicodeScalars.append(Unicode.Scalar(c))
            } else {
                out += "%" + (c < 0x10 ? "0" : "") + String(c, radix: 16, uppercase: true)
            }
            first = false
        }
        return out
    }
}

/// CSV fields (RFC 4180) for a spreadsheet: terminal-safe, quoted when they hold a comma, a quote or a line
/// break, and a text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) starts with `'`.
package enum CSVText {
    package static func field(_ s: String) -> String {
        var text = TerminalText.escape(s)
        if let c = text.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains(c) {
            text = "'" + text
        }
        return number(text)
    }

    /// Rows of fields already escaped, as a CSV document: CRLF line ends, one after the last row too.
    package static func document(_ rows: [[String]]) -> String {
        rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A field the tool wrote itself (a number, a date, a boolean): quoted only if it must be.
    package static func number(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// JSON text: every character that could act on a terminal or a JavaScript reader is written as a `\u` escape,
/// which leaves the value unchanged for any JSON reader.
package enum JSONEscaping {
    /// Whether a scalar is written as `\uXXXX` inside a JSON string (beyond what JSON itself requires).
    @inline(__always)
    static func needsEscape(_ v: UInt32) -> Bool { v >= 0x7F && TerminalText.isUnsafe(v) }

    /// JSON text from an encoder, with those characters escaped. Outside strings JSON is ASCII, so this touches
    /// only string contents.
    package static func inert(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return json }
        return json.replacingScalars { needsEscape($0.value) ? utf16Escape($0.value) : nil }
    }

    /// `\u007f`, `\u202e`: four lower-case hex digits (every such character is in the BMP).
    static func utf16Escape(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}

extension String {
    /// The text with each character `replacement` gives a text for replaced by that text, the others kept: the
    /// one loop of the escapers above, each of which is its table.
    func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for u in unicodeScalars {
            if let r = replacement(u) { out += r } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}

/// Types plain scalars by the YAML 1.2 core schema, and tells where a YAML 1.1 reader (PyYAML, older
/// Kubernetes tooling, many deployers) would read the same text as a different value.
/// Hand-written matchers rather than regular expressions: this runs for every scalar of every manifest.
package enum ScalarResolver {
    /// The YAML 1.2 core schema reading of an untagged plain scalar.
    package static func core(_ text: String) -> ScalarValue {
        guard let c0 = text.utf8.first else { return .null }
        let count = text.utf8.count
        // Fast path: most scalars start with a letter that no typed value starts with.
        if !(isDigit(c0) || c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: ".")
            || c0 == UInt8(ascii: "~") || c0 == UInt8(ascii: "n") || c0 == UInt8(ascii: "N")
            || c0 == UInt8(ascii: "t") || c0 == UInt8(ascii: "T") || c0 == UInt8(ascii: "f")
            || c0 == UInt8(ascii: "F"))
        {
            return .string(text)
        }
        // Words longer than five letters are never null, booleans or special floats.
        if count > 5, !isDigit(c0), c0 != UInt8(ascii: "+"), c0 != UInt8(ascii: "-"), c0 != UInt8(ascii: ".") {
            return .string(text)
        }
        if let word = coreWord(text, c0, count) { return word }
        guard isDigit(c0) || c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: ".") else {
            return .string(text)
        }
        // The two shapes manifests are full of, read without copying the text: counts and dates.
        switch shape(text) {
        case .decimal(let v): return .int(v)
        case .date: return .string(text)
        case .other: break
        }
        let b = Array(text.utf8)
        if let v = coreInt(b) { return v }
        if isCoreFloat(b), let d = Double(text) { return .float(d) }
        return .string(text)
    }

    enum Shape {
        /// Decimal digits without a leading zero (or `0` itself), short enough for an Int.
        case decimal(Int)
        /// `YYYY-MM-DD` exactly.
        case date
        case other
    }

    /// Recognises the two typed shapes manifests use most, straight from the text's bytes.
    static func shape(_ text: String) -> Shape {
        let u = text.utf8
        let count = u.count
        guard count > 0 else { return .other }
        return u.withContiguousStorageIfAvailable { b -> Shape in
            if count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), isDigit(b[0]), isDigit(b[1]), isDigit(b[2]),
                isDigit(b[3]), isDigit(b[5]), isDigit(b[6]), isDigit(b[8]), isDigit(b[9])
            {
                return .date
            }
            guard count <= 18, b[0] != UInt8(ascii: "0") || count == 1 else { return .other }
            var v = 0
            for c in b {
                guard isDigit(c) else { return .other }
                v = v * 10 + Int(c - UInt8(ascii: "0"))
            }
            return .decimal(v)
        } ?? .other
    }

    /// The core schema's null, boolean and special-float words. The length and first byte pick the few
    /// spellings worth comparing, so a name like `name` or `team` is not compared with twenty words.
    private static func coreWord(_ text: String, _ c0: UInt8, _ count: Int) -> ScalarValue? {
        switch (count, c0) {
        case (1, UInt8(ascii: "~")): return .null
        case (4, UInt8(ascii: "n")), (4, UInt8(ascii: "N")):
            if text == "null" || text == "Null" || text == "NULL" { return .null }
        case (4, UInt8(ascii: "t")), (4, UInt8(ascii: "T")):
            if text == "true" || text == "True" || text == "TRUE" { return .bool(true) }
        case (5, UInt8(ascii: "f")), (5, UInt8(ascii: "F")):
            if text == "false" || text == "False" || text == "FALSE" { return .bool(false) }
        case (4, UInt8(ascii: ".")), (5, UInt8(ascii: "+")), (5, UInt8(ascii: "-")):
            return specialFloat(text)
        default: break
        }
        return nil
    }

    /// The YAML 1.1 null and boolean words (PyYAML's resolver), picked the same way.
    private static func yaml11Word(_ text: String, _ c0: UInt8, _ count: Int) -> ScalarValue? {
        switch (count, c0) {
        case (1, UInt8(ascii: "~")): return .null
        case (1, UInt8(ascii: "y")), (1, UInt8(ascii: "Y")): return .bool(true)
        case (1, UInt8(ascii: "n")), (1, UInt8(ascii: "N")): return .bool(false)
        case (2, UInt8(ascii: "o")), (2, UInt8(ascii: "O")):
            if text == "on" || text == "On" || text == "ON" { return .bool(true) }
        case (2, UInt8(ascii: "n")), (2, UInt8(ascii: "N")):
            if text == "no" || text == "No" || text == "NO" { return .bool(false) }
        case (3, UInt8(ascii: "y")), (3, UInt8(ascii: "Y")):
            if text == "yes" || text == "Yes" || text == "YES" { return .bool(true) }
        case (3, UInt8(ascii: "o")), (3, UInt8(ascii: "O")):
            if text == "off" || text == "Off" || text == "OFF" { return .bool(false) }
        case (4, UInt8(ascii: "n")), (4, UInt8(ascii: "N")), (4, UInt8(ascii: "t")), (4, UInt8(ascii: "T")),
            (5, UInt8(ascii: "f")), (5, UInt8(ascii: "F")), (4, UInt8(ascii: ".")), (5, UInt8(ascii: "+")),
            (5, UInt8(ascii: "-")):
            return coreWord(text, c0, count)
        default: break
        }
        return nil
    }

    private static func specialFloat(_ text: String) -> ScalarValue? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: return nil
        }
    }

    private static func coreInt(_ b: [UInt8]) -> ScalarValue? {
        if b.count > 2, b[0] == UInt8(ascii: "0"), b[1] == UInt8(ascii: "o") {
            let digits = b[2...]
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) else { return nil }
            return intValue(String(decoding: digits, as: UTF8.self), radix: 8)
        }
        if b.count > 2, b[0] == UInt8(ascii: "0"), b[1] == UInt8(ascii: "x") {
            let digits = b[2...]
            guard digits.allSatisfy(isHexDigit) else { return nil }
            return intValue(String(decoding: digits, as: UTF8.self), radix: 16)
        }
        var i = 0
        if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") { i = 1 }
        guard i < b.count, b[i...].allSatisfy(isDigit) else { return nil }
        return intValue(String(decoding: b, as: UTF8.self), radix: 10)
    }

    /// An integer too large for 64 bits is kept as a number, like JSON readers do.
    private static func intValue(_ s: String, radix: Int) -> ScalarValue {
        let unsigned = s.hasPrefix("+") ? String(s.dropFirst()) : s
        if let v = Int(unsigned, radix: radix) { return .int(v) }
        if radix == 10, let d = Double(unsigned) { return .float(d) }
        return .float(.infinity)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isCoreFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < b.count, isDigit(b[i]) { i += 1 }
        let intDigits = i - intStart
        var fracDigits = 0
        var sawDot = false
        if i < b.count, b[i] == UInt8(ascii: ".") {
            sawDot = true
            i += 1
            let fs = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            fracDigits = i - fs
        }
        if intDigits == 0 && (!sawDot || fracDigits == 0) { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let es = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            if i == es { return false }
        }
        return i == b.count
    }

    // MARK: YAML 1.1

    /// The YAML 1.1 reading (as PyYAML's resolver and the 1.1 type repository define it) of an untagged
    /// plain scalar. Timestamps are reported as `nil`: a 1.1 reader turns `2026-01-10` into a date, which
    /// means the same day, so it is not a change of meaning.
    package static func yaml11(_ text: String) -> ScalarValue? {
        // Fast path: a first character that starts no typed 1.1 value (most names and words).
        if let c0 = text.utf8.first, !startsTyped11(c0) { return .string(text) }
        if let c0 = text.utf8.first, text.utf8.count > 5, !isDigit(c0), c0 != UInt8(ascii: "+"), c0 != UInt8(ascii: "-"),
            c0 != UInt8(ascii: "."), c0 != UInt8(ascii: "<"), c0 != UInt8(ascii: "=")
        {
            return .string(text)
        }
        guard let c0 = text.utf8.first else { return .null }
        if let word = yaml11Word(text, c0, text.utf8.count) { return word }
        let b = Array(text.utf8)
        guard isDigit(c0) || c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: ".")
            || c0 == UInt8(ascii: "<") || c0 == UInt8(ascii: "=")
        else { return .string(text) }
        if text == "<<" || text == "=" { return nil }  // merge and value keys: handled elsewhere
        if isTimestamp(b) { return nil }
        // PyYAML's resolver tries float before int.
        if let v = yaml11Float(b) { return v }
        if let v = yaml11Int(b) { return v }
        return .string(text)
    }

    /// Characters a YAML 1.1 boolean, null, number, merge or value key can start with.
    @inline(__always)
    static func startsTyped11(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "~"),
            UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
            UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }

    /// Plain text a YAML 1.1 reader resolves to a type it then cannot construct, so it refuses the whole
    /// document: an impossible date (`2026-02-30`), the value key `=`, a merge key `<<` used as a value.
    package static func unloadable11(_ text: String) -> Bool {
        if text == "=" || text == "<<" { return true }
        var t = text
        return t.withUTF8 { u in
            // 0x_ and 0b__ match the 1.1 int pattern but hold no digit.
            var i = 0
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            if u.count - i >= 3, u[i] == UInt8(ascii: "0"), u[i + 1] == UInt8(ascii: "x") || u[i + 1] == UInt8(ascii: "b") {
                var j = i + 2
                while j < u.count, u[j] == UInt8(ascii: "_") { j += 1 }
                if j == u.count { return true }
            }
            // An impossible date: YYYY-MM-DD, alone or before a time.
            guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
            guard isDigit(u[0]), isDigit(u[1]), isDigit(u[2]), isDigit(u[3]), isDigit(u[5]), isDigit(u[6]), isDigit(u[8]),
                isDigit(u[9])
            else { return false }
            if u.count > 10 {
                let c = u[10]
                guard c == UInt8(ascii: "T") || c == UInt8(ascii: "t") || c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") else { return false }
            }
            func num(_ a: Int, _ n: Int) -> Int { (a..<(a + n)).reduce(0) { $0 * 10 + Int(u[$1] - 48) } }
            return Day(year: num(0, 4), month: num(5, 2), day: num(8, 2)) == nil
        }
    }

    /// Whether a YAML 1.1 reader would give this untagged plain scalar another value than YAML 1.2 does, or
    /// fail to load it.
    package static func isAmbiguous(_ text: String, core: ScalarValue) -> Bool {
        // Every typed core value starts with a character that can start a typed 1.1 value too, so text that
        // starts otherwise is a string to both readers.
        guard let first = text.utf8.first, startsTyped11(first) else { return false }
        if isDigit(first) {
            switch shape(text) {
            case .decimal: return false  // no leading zero, so the same integer to both readers
            case .date: return unloadable11(text)  // a date to 1.1, a string to 1.2: the same day, if it exists
            case .other: break
            }
        }
        if (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z") {
            // Only the null and boolean words start with a letter, in either reading.
            let old = yaml11Word(text, first, text.utf8.count)
            switch (old, core) {
            case (nil, .string): return false
            case (nil, _): return true
            case (let old?, _): return old != core
            }
        }
        if let c0 = text.utf8.first, isDigit(c0) || c0 == UInt8(ascii: "=") || c0 == UInt8(ascii: "<") || c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-"),
            unloadable11(text)
        {
            return true
        }
        guard let old = yaml11(text) else { return false }
        switch (old, core) {
        case (.float(let a), .float(let b)): return !(a == b || (a.isNaN && b.isNaN))
        case (.int(let a), .float(let b)): return Double(a) != b
        case (.float(let a), .int(let b)): return a != Double(b)
        default: return old != core
        }
    }

    private static func sign(_ b: [UInt8]) -> (negative: Bool, rest: ArraySlice<UInt8>) {
        if b.first == UInt8(ascii: "-") { return (true, b[1...]) }
        if b.first == UInt8(ascii: "+") { return (false, b[1...]) }
        return (false, b[...])
    }

    private static let underscore = UInt8(ascii: "_")

    /// A whole number from digit text with underscores dropped; beyond 64 bits, a Double like `core` gives.
    private static func number(_ digits: [UInt8], radix: Int, negative: Bool) -> ScalarValue? {
        let clean = digits.filter { $0 != underscore }
        guard !clean.isEmpty else { return nil }
        let text = String(decoding: clean, as: UTF8.self)
        if let v = Int(text, radix: radix) { return .int(negative ? -v : v) }
        if radix == 10, let d = Double(text) { return .float(negative ? -d : d) }
        return .float(negative ? -.infinity : .infinity)
    }

    /// PyYAML's int: `[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ |
    /// [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`, constructed with underscores removed.
    private static func yaml11Int(_ b: [UInt8]) -> ScalarValue? {
        let (negative, rest) = sign(b)
        let r = Array(rest)
        guard let first = r.first else { return nil }
        if r.count > 2, first == UInt8(ascii: "0"), r[1] == UInt8(ascii: "b") {
            guard r[2...].allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == underscore }) else { return nil }
            return number(Array(r[2...]), radix: 2, negative: negative)
        }
        if r.count > 2, first == UInt8(ascii: "0"), r[1] == UInt8(ascii: "x") {
            guard r[2...].allSatisfy({ isHexDigit($0) || $0 == underscore }) else { return nil }
            return number(Array(r[2...]), radix: 16, negative: negative)
        }
        if first == UInt8(ascii: "0") {
            if r.count == 1 { return .int(0) }
            guard r[1...].allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == underscore }) else { return nil }
            return number(Array(r[1...]), radix: 8, negative: negative) ?? .int(0)  // "0_" is 0
        }
        guard first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return nil }
        if r.allSatisfy({ isDigit($0) || $0 == underscore }) { return number(r, radix: 10, negative: negative) }
        // Sexagesimal: 1:20 is 80.
        let parts = r.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, head.allSatisfy({ isDigit($0) || $0 == underscore }),
            parts.dropFirst().allSatisfy({ sexagesimalPart($0) }), let headValue = number(Array(head), radix: 10, negative: false)
        else { return nil }
        // Beyond 64 bits it is still an integer to a 1.1 reader (and a string to 1.2).
        guard case .int(var total) = headValue else { return .float(negative ? -.infinity : .infinity) }
        for part in parts.dropFirst() {
            total = total.multipliedReportingOverflow(by: 60).partialValue &+ (Int(String(decoding: part, as: UTF8.self)) ?? 0)
        }
        return .int(negative ? -total : total)
    }

    /// `[0-5]?[0-9]`
    private static func sexagesimalPart(_ p: ArraySlice<UInt8>) -> Bool {
        switch p.count {
        case 1: return isDigit(p[p.startIndex])
        case 2: return p[p.startIndex] >= UInt8(ascii: "0") && p[p.startIndex] <= UInt8(ascii: "5") && isDigit(p[p.startIndex + 1])
        default: return false
        }
    }

    /// PyYAML's float: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9][0-9_]*([eE][-+][0-9]+)? |
    /// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*` (inf and nan are matched by name earlier).
    private static func yaml11Float(_ b: [UInt8]) -> ScalarValue? {
        guard let dot = b.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let hasSign = b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-")
        let negative = b.first == UInt8(ascii: "-")
        let body = hasSign ? Array(b[1...]) : b
        let d = hasSign ? dot - 1 : dot
        let head = body[..<d]
        var tail = body[(d + 1)...]
        // The exponent, if any: [eE][-+][0-9]+ (a sign is required in YAML 1.1).
        var exponent = ""
        if let e = tail.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            let exp = tail[(e + 1)...]
            guard exp.count >= 2, exp.first == UInt8(ascii: "+") || exp.first == UInt8(ascii: "-"), exp.dropFirst().allSatisfy(isDigit) else { return nil }
            exponent = "e" + String(decoding: exp, as: UTF8.self)
            tail = tail[..<e]
        }
        guard tail.allSatisfy({ isDigit($0) || $0 == underscore }) else { return nil }
        let fraction = String(decoding: tail.filter { $0 != underscore }, as: UTF8.self)
        if head.isEmpty {
            // \.[0-9][0-9_]*: no sign, a digit right after the dot.
            guard !hasSign, let f = tail.first, isDigit(f) else { return nil }
            return Double("0." + fraction + exponent).map { .float($0) }
        }
        guard let h0 = head.first, isDigit(h0) else { return nil }
        if head.contains(UInt8(ascii: ":")) {
            guard exponent.isEmpty else { return nil }
            let parts = head.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard let first = parts.first, first.allSatisfy({ isDigit($0) || $0 == underscore }), parts.dropFirst().allSatisfy({ sexagesimalPart($0) })
            else { return nil }
            var total = Double(String(decoding: first.filter { $0 != underscore }, as: UTF8.self)) ?? 0
            for part in parts.dropFirst() { total = total * 60 + (Double(String(decoding: part, as: UTF8.self)) ?? 0) }
            total += Double("0." + fraction) ?? 0
            return .float(negative ? -total : total)
        }
        guard head.allSatisfy({ isDigit($0) || $0 == underscore }) else { return nil }
        let whole = String(decoding: head.filter { $0 != underscore }, as: UTF8.self)
        guard let v = Double(whole + "." + (fraction.isEmpty ? "0" : fraction) + exponent) else { return nil }
        return .float(negative ? -v : v)
    }

    /// YYYY-MM-DD, or the full 1.1 timestamp form starting with one.
    static func isTimestamp(_ b: [UInt8]) -> Bool {
        guard b.count >= 8 else { return false }
        var i = 0
        while i < b.count, i < 4, isDigit(b[i]) { i += 1 }
        guard i == 4, b[4] == UInt8(ascii: "-") else { return false }
        return b.dropFirst(5).first.map(isDigit) ?? false
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }
}

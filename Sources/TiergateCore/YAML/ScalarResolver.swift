/// Types plain scalars by the YAML 1.2 core schema, and tells where a YAML 1.1 reader (PyYAML, older
/// Kubernetes tooling, many deployers) would read the same text as a different value.
/// Hand-written matchers rather than regular expressions: this runs for every scalar of every manifest.
public enum ScalarResolver {
    /// The YAML 1.2 core schema reading of an untagged plain scalar.
    public static func core(_ text: String) -> ScalarValue {
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
        switch text {
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let b = Array(text.utf8)
        if let v = coreInt(b) { return v }
        if isCoreFloat(b), let d = Double(text) { return .float(d) }
        return .string(text)
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
    public static func yaml11(_ text: String) -> ScalarValue? {
        // Fast path: a first character that starts no typed 1.1 value (most names and words).
        if let c0 = text.utf8.first, !startsTyped11(c0) { return .string(text) }
        if let c0 = text.utf8.first, text.utf8.count > 5, !isDigit(c0), c0 != UInt8(ascii: "+"), c0 != UInt8(ascii: "-"),
            c0 != UInt8(ascii: "."), c0 != UInt8(ascii: "<"), c0 != UInt8(ascii: "=")
        {
            return .string(text)
        }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "y", "Y": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let b = Array(text.utf8)
        let c0 = b[0]
        guard isDigit(c0) || c0 == UInt8(ascii: "+") || c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: ".")
            || c0 == UInt8(ascii: "<") || c0 == UInt8(ascii: "=")
        else { return .string(text) }
        if text == "<<" || text == "=" { return nil }  // merge and value keys: handled elsewhere
        if isTimestamp(b) { return nil }
        if let v = yaml11Int(b) { return v }
        if let v = yaml11Float(b) { return v }
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

    /// Whether a YAML 1.1 reader would give this untagged plain scalar another value than YAML 1.2 does.
    public static func isAmbiguous(_ text: String, core: ScalarValue) -> Bool {
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

    private static func yaml11Int(_ b: [UInt8]) -> ScalarValue? {
        let (negative, rest) = sign(b)
        guard !rest.isEmpty else { return nil }
        let underscore = UInt8(ascii: "_")
        func make(_ digits: ArraySlice<UInt8>, radix: Int) -> ScalarValue? {
            let clean = String(decoding: digits.filter { $0 != underscore }, as: UTF8.self)
            guard !clean.isEmpty, let v = Int(clean, radix: radix) else { return clean.isEmpty ? nil : .float(.infinity) }
            return .int(negative ? -v : v)
        }
        let r = Array(rest)
        if r.count > 2, r[0] == UInt8(ascii: "0"), r[1] == UInt8(ascii: "b") {
            guard r[2...].allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == underscore }) else { return nil }
            return make(r[2...], radix: 2)
        }
        if r.count > 2, r[0] == UInt8(ascii: "0"), r[1] == UInt8(ascii: "x") {
            guard r[2...].allSatisfy({ isHexDigit($0) || $0 == underscore }) else { return nil }
            return make(r[2...], radix: 16)
        }
        if r[0] == UInt8(ascii: "0") {
            if r.count == 1 { return .int(0) }
            guard r[1...].allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == underscore }) else { return nil }
            return make(r[1...], radix: 8)
        }
        guard isDigit(r[0]) else { return nil }
        if r.allSatisfy({ isDigit($0) || $0 == underscore }) { return make(r[...], radix: 10) }
        // Sexagesimal: [1-9][0-9_]*(:[0-5]?[0-9])+, e.g. 1:20 is 80.
        let parts = r.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, head.allSatisfy({ isDigit($0) || $0 == underscore }) else { return nil }
        var total = 0
        guard let h = Int(String(decoding: head.filter { $0 != underscore }, as: UTF8.self)) else { return nil }
        total = h
        for part in parts.dropFirst() {
            guard (1...2).contains(part.count), part.allSatisfy(isDigit),
                let v = Int(String(decoding: part, as: UTF8.self)), v < 60
            else { return nil }
            total = total.multipliedReportingOverflow(by: 60).partialValue + v
        }
        return .int(negative ? -total : total)
    }

    private static func yaml11Float(_ b: [UInt8]) -> ScalarValue? {
        let (negative, rest) = sign(b)
        let r = Array(rest)
        let underscore = UInt8(ascii: "_")
        // [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?  or  \.[0-9_]+([eE][-+][0-9]+)?
        var i = 0
        while i < r.count, isDigit(r[i]) || (i > 0 && r[i] == underscore) { i += 1 }
        let intDigits = i
        guard i < r.count, r[i] == UInt8(ascii: ".") else {
            return sexagesimalFloat(r, negative: negative)
        }
        i += 1
        let fracStart = i
        while i < r.count, isDigit(r[i]) || r[i] == underscore { i += 1 }
        if intDigits == 0 && i == fracStart { return nil }
        if i < r.count, r[i] == UInt8(ascii: "e") || r[i] == UInt8(ascii: "E") {
            i += 1
            guard i < r.count, r[i] == UInt8(ascii: "+") || r[i] == UInt8(ascii: "-") else { return nil }
            i += 1
            let es = i
            while i < r.count, isDigit(r[i]) { i += 1 }
            if i == es { return nil }
        }
        guard i == r.count else { return nil }
        let clean = String(decoding: r.filter { $0 != underscore }, as: UTF8.self)
        guard let d = Double(clean.hasSuffix(".") ? clean + "0" : clean) else { return nil }
        return .float(negative ? -d : d)
    }

    private static func sexagesimalFloat(_ r: [UInt8], negative: Bool) -> ScalarValue? {
        // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        guard let dot = r.lastIndex(of: UInt8(ascii: ".")), r.contains(UInt8(ascii: ":")) else { return nil }
        let parts = r[..<dot].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, !head.isEmpty, head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") })
        else { return nil }
        var total = Double(String(decoding: head.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)) ?? 0
        for part in parts.dropFirst() {
            guard (1...2).contains(part.count), part.allSatisfy(isDigit), let v = Double(String(decoding: part, as: UTF8.self)), v < 60
            else { return nil }
            total = total * 60 + v
        }
        let frac = r[(dot + 1)...].filter { $0 != UInt8(ascii: "_") }
        guard frac.allSatisfy(isDigit) else { return nil }
        total += Double("0." + String(decoding: frac, as: UTF8.self)) ?? 0
        return .float(negative ? -total : total)
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

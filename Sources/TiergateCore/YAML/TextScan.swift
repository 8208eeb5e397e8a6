/// Byte-level checks that run before libyaml sees a buffer.
enum TextScan {
    /// The 1-based line and column (in characters, as libyaml counts them) of a byte offset.
    static func mark(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let c = bytes[i]
            if c == 0x0A {
                line += 1
                column = 1
            } else if c & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return Mark(line: line, column: column)
    }

    /// Returns a problem when the buffer is not UTF-8 text (UTF-8 with a BOM is fine).
    static func encodingProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLProblem? {
        let n = bytes.count
        if n >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0xFE, bytes[3] == 0xFF {
            return YAMLProblem(.encoding, "the file is UTF-32 encoded; save it as UTF-8", at: .start)
        }
        if n >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return YAMLProblem(.encoding, "the file is UTF-16 encoded; save it as UTF-8", at: .start)
        }
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i < n {
            // Eight ASCII bytes without a NUL at a time: manifests are nearly all ASCII.
            if i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                if w & high == 0 && (w &- 0x0101_0101_0101_0101) & ~w & high == 0 {
                    i += 8
                    continue
                }
            }
            let c = bytes[i]
            if c < 0x80 {
                if c == 0 {
                    return YAMLProblem(
                        .encoding, "the file contains a NUL byte (is it UTF-16 without a byte-order mark?); save it as UTF-8",
                        at: mark(of: i, in: bytes))
                }
                i += 1
                continue
            }
            var need = 0
            var minValue: UInt32 = 0
            var value: UInt32 = 0
            switch c {
            case 0xC2...0xDF: need = 1; minValue = 0x80; value = UInt32(c & 0x1F)
            case 0xE0...0xEF: need = 2; minValue = 0x800; value = UInt32(c & 0x0F)
            case 0xF0...0xF4: need = 3; minValue = 0x10000; value = UInt32(c & 0x07)
            default: return invalid(at: i, bytes)
            }
            guard i + need < n else { return invalid(at: i, bytes) }
            for k in 1...need {
                let cc = bytes[i + k]
                guard cc & 0xC0 == 0x80 else { return invalid(at: i, bytes) }
                value = (value << 6) | UInt32(cc & 0x3F)
            }
            if value < minValue || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
                return invalid(at: i, bytes)
            }
            i += need + 1
        }
        return nil
    }

    private static func invalid(at offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> YAMLProblem {
        YAMLProblem(
            .encoding, "the file is not valid UTF-8 (byte offset \(offset)); save it as UTF-8",
            at: mark(of: offset, in: bytes))
    }
}

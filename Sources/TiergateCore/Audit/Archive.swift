/// A `.tar.gz` whose bytes depend on its files alone, so that an evidence package's own SHA-256 can be quoted in
/// an audit: ustar entries in path order with fixed owner, modes and time; gzip with no name and time 0.
///
/// The deflate stream is written here (LZ77 with hash chains, fixed Huffman codes, RFC 1951) rather than by zlib:
/// zlib's output is stable for one version and level but not promised across versions (and zlib-ng, which some
/// distributions ship as libz, differs), so the same package would get another hash on another machine. Fixed
/// codes compress JSON and CSV well enough for an archive, and the encoder is small; the tests decompress its
/// output with `gzip` and `tar`.
package enum Archive {
    package struct File: Sendable, Equatable {
        package var path: String
        package var bytes: [UInt8]

        package init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// A gzip-compressed ustar archive of `files` (paths relative, `/`-separated, each at most 255 bytes) under
    /// their directories, all dated `mtime` (seconds since 1970).
    package static func tarGzip(_ files: [File], mtime: Int64) throws(TiergateError) -> [UInt8] {
        gzip(try tar(files, mtime: mtime))
    }

    // MARK: ustar

    static func tar(_ files: [File], mtime: Int64) throws(TiergateError) -> [UInt8] {
        var directories = Set<String>()
        for f in files {
            var parts = f.path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                directories.insert(parts.joined(separator: "/") + "/")
                parts.removeLast()
            }
        }
        var entries: [(path: String, bytes: [UInt8]?)] = directories.map { ($0, nil) } + files.map { ($0.path, $0.bytes) }
        entries.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        var out: [UInt8] = []
        for e in entries {
            out += try header(path: e.path, size: e.bytes?.count ?? 0, directory: e.bytes == nil, mtime: mtime)
            if let bytes = e.bytes {
                out += bytes
                out += [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
            }
        }
        out += [UInt8](repeating: 0, count: 1024)
        // As tar itself writes it: whole records of 20 blocks.
        out += [UInt8](repeating: 0, count: (10_240 - out.count % 10_240) % 10_240)
        return out
    }

    private static func header(path: String, size: Int, directory: Bool, mtime: Int64) throws(TiergateError) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        let (prefix, name) = try split(Array(path.utf8))
        func put(_ bytes: [UInt8], at offset: Int) { for (i, b) in bytes.enumerated() { h[offset + i] = b } }
        func octal(_ value: Int64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(directory ? 0o755 : 0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(Int64(size), width: 12), at: 124)
        put(octal(mtime, width: 12), at: 136)
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        h[156] = directory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(Array("root".utf8), at: 265)
        put(Array("root".utf8), at: 297)
        put(prefix, at: 345)
        let sum = h.reduce(0) { $0 + Int64($1) }
        put(octal(sum, width: 7) + [0x20], at: 148)
        return h
    }

    /// ustar's name (100 bytes) and prefix (155 bytes), split at a `/`.
    private static func split(_ path: [UInt8]) throws(TiergateError) -> (prefix: [UInt8], name: [UInt8]) {
        if path.count <= 100 { return ([], path) }
        for i in stride(from: min(path.count - 1, 155), through: 1, by: -1) where path[i] == UInt8(ascii: "/") {
            if path.count - i - 1 <= 100 { return (Array(path[..<i]), Array(path[(i + 1)...])) }
        }
        throw TiergateError(.io, "the archive path \(String(decoding: path, as: UTF8.self)) is too long for ustar")
    }

    // MARK: gzip (RFC 1952)

    package static func gzip(_ data: [UInt8]) -> [UInt8] {
        // No name, no time, no flags; OS "unknown", so the bytes do not say where they were made.
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        out += deflate(data)
        for v in [crc32(data), UInt32(truncatingIfNeeded: data.count)] {
            out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
        }
        return out
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    package static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        crcTable.withUnsafeBufferPointer { t in
            for b in data { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    // MARK: deflate (RFC 1951), one block with the fixed codes

    private struct BitWriter {
        var bytes: [UInt8] = []
        var buffer: UInt64 = 0
        var count = 0

        /// `n` bits of `value`, least significant first.
        mutating func write(_ value: UInt32, _ n: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        /// A Huffman code, most significant bit first.
        mutating func code(_ code: UInt32, _ n: Int) {
            var reversed: UInt32 = 0
            for i in 0..<n where code & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(n - 1 - i) }
            write(reversed, n)
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            return bytes
        }
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private static func literal(_ symbol: Int, _ w: inout BitWriter) {
        switch symbol {
        case 0...143: w.code(UInt32(0x30 + symbol), 8)
        case 144...255: w.code(UInt32(0x190 + symbol - 144), 9)
        case 256...279: w.code(UInt32(symbol - 256), 7)
        default: w.code(UInt32(0xC0 + symbol - 280), 8)
        }
    }

    private static func match(length: Int, distance: Int, _ w: inout BitWriter) {
        var l = lengthBase.count - 1
        while lengthBase[l] > length { l -= 1 }
        literal(257 + l, &w)
        if lengthExtra[l] > 0 { w.write(UInt32(length - lengthBase[l]), lengthExtra[l]) }
        var d = distanceBase.count - 1
        while distanceBase[d] > distance { d -= 1 }
        w.code(UInt32(d), 5)
        if distanceExtra[d] > 0 { w.write(UInt32(distance - distanceBase[d]), distanceExtra[d]) }
    }

    static func deflate(_ data: [UInt8]) -> [UInt8] {
        let window = 32_768, minMatch = 3, maxMatch = 258, maxChain = 64
        let hashSize = 1 << 15
        var w = BitWriter()
        w.write(1, 1)  // the last block
        w.write(1, 2)  // fixed Huffman codes
        var head = [Int](repeating: -1, count: hashSize)
        var previous = [Int](repeating: -1, count: window)
        data.withUnsafeBufferPointer { d in
            func hash(_ i: Int) -> Int { (Int(d[i]) << 10 ^ Int(d[i + 1]) << 5 ^ Int(d[i + 2])) & (hashSize - 1) }
            func insert(_ i: Int) {
                guard i + minMatch <= d.count else { return }
                let h = hash(i)
                previous[i % window] = head[h]
                head[h] = i
            }
            var i = 0
            while i < d.count {
                var bestLength = 0, bestDistance = 0
                if i + minMatch <= d.count {
                    var candidate = head[hash(i)]
                    var chain = maxChain
                    let limit = min(maxMatch, d.count - i)
                    while candidate >= 0, i - candidate <= window, chain > 0 {
                        var n = 0
                        while n < limit, d[candidate + n] == d[i + n] { n += 1 }
                        if n > bestLength {
                            bestLength = n
                            bestDistance = i - candidate
                            if n == limit { break }
                        }
                        let next = previous[candidate % window]
                        // An entry of the ring that was overwritten points forward: the chain ends there.
                        if next >= candidate { break }
                        candidate = next
                        chain -= 1
                    }
                }
                if bestLength >= minMatch {
                    match(length: bestLength, distance: bestDistance, &w)
                    for k in i..<(i + bestLength) { insert(k) }
                    i += bestLength
                } else {
                    literal(Int(d[i]), &w)
                    insert(i)
                    i += 1
                }
            }
        }
        literal(256, &w)  // end of block
        return w.finish()
    }
}

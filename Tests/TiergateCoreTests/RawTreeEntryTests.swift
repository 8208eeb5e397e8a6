import Testing

@testable import TiergateCore

/// `RawTree.entry` reads tree objects a pull request's author writes byte by byte, and does it with word loads and
/// wrapping arithmetic for speed: it must read exactly what a plain byte-by-byte reading of git's format reads,
/// and refuse exactly what it refuses, with the same message.
@Suite("Raw tree entries")
struct RawTreeEntryTests {
    /// What one reading of one entry gives: the entry, the end, or a failure.
    enum Read: Equatable {
        case entry(mode: UInt32, name: Range<Int>, id: Int, next: Int)
        case end
        case failure(String)
    }

    /// The plain reading: `<octal mode, 1 to 7 digits> <name>\0<20 bytes>`, one byte at a time.
    static func plain(_ b: [UInt8], at offset: Int) -> Read {
        let n = b.count
        guard offset < n else { return .end }
        var p = offset
        var mode: UInt32 = 0
        var digits = 0
        while p < n, b[p] != UInt8(ascii: " ") {
            let c = b[p]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "7"), digits < 7 else { return .failure("its file mode") }
            mode = mode * 8 + UInt32(c - UInt8(ascii: "0"))
            digits += 1
            p += 1
        }
        guard digits > 0, p < n else { return .failure("its file mode") }
        p += 1
        let nameStart = p
        while p < n, b[p] != 0 { p += 1 }
        guard p < n, p > nameStart else { return .failure("a file name") }
        let nameEnd = p
        p += 1
        guard n - p >= 20 else { return .failure("an object id") }
        // libgit2's normalisation, as octal numbers.
        let type = mode & 0o170000
        let normalized: UInt32 =
            mode > 0o177777 ? 0 : type == 0o040000 ? 0o040000 : mode & 0o100 != 0 ? 0o100755 : type == 0o160000 ? 0o160000
            : type == 0o120000 ? 0o120000 : 0o100644
        guard normalized != 0 else { return .failure("the file mode \(String(mode, radix: 8))") }
        return .entry(mode: normalized, name: nameStart..<nameEnd, id: p, next: p + 20)
    }

    static func fast(_ b: [UInt8], at offset: Int) -> Read {
        do {
            let found = try b.withUnsafeBufferPointer { buffer throws(GitError) in try RawTree.entry(in: buffer, at: offset, path: "t") }
            guard let e = found else { return .end }
            return .entry(mode: e.mode.rawValue, name: e.name, id: e.id, next: e.next)
        } catch {
            let prefix = "the tree is malformed: cannot read "
            return .failure(error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message)
        }
    }

    /// Every entry of a buffer, as each reading goes, until the end or a failure.
    static func all(_ b: [UInt8], _ read: ([UInt8], Int) -> Read) -> [Read] {
        var out: [Read] = []
        var offset = 0
        while true {
            let r = read(b, offset)
            out.append(r)
            guard case .entry(_, _, _, let next) = r else { return out }
            offset = next
        }
    }

    /// A small deterministic generator (xorshift), so that a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let modes = ["100644", "100755", "40000", "040000", "120000", "160000", "644", "1", "0", "7777777", "17777777", "10064a", "", " "]

    @Test("the fast reading and the plain one agree on well-formed, odd and damaged trees")
    func agree() {
        var g = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var disagreements: [String] = []
        for round in 0..<4000 {
            var b: [UInt8] = []
            for _ in 0..<(1 + g.below(6)) {
                b += Array(Self.modes[g.below(Self.modes.count)].utf8) + [UInt8(ascii: " ")]
                // Names of every length around the eight-byte words, of any byte but NUL (and sometimes with one).
                for _ in 0..<g.below(20) { b.append(UInt8(1 + g.below(255))) }
                if g.below(10) == 0 { b.append(0) }
                b.append(0)
                for _ in 0..<20 { b.append(UInt8(g.below(256))) }
            }
            // Damage: cut the tail, or overwrite a byte with a NUL, a space, a digit or anything.
            switch g.below(4) {
            case 0: b.removeLast(g.below(min(b.count, 30)))
            case 1: if !b.isEmpty { b[g.below(b.count)] = [0, 0x20, UInt8(ascii: "7"), UInt8(g.below(256))][g.below(4)] }
            default: break
            }
            let plain = Self.all(b, Self.plain)
            let fast = Self.all(b, Self.fast)
            if plain != fast { disagreements.append("round \(round): \(b) plain \(plain) fast \(fast)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
    }

    @Test("a tree git writes reads entry by entry")
    func wellFormed() {
        let id = [UInt8](repeating: 0xAB, count: 20)
        let b = Array("100644 microapp.yaml".utf8) + [0] + id + Array("40000 a-longer-directory-name".utf8) + [0] + id
        #expect(
            Self.all(b, Self.fast) == [
                .entry(mode: 0o100644, name: 7..<20, id: 21, next: 41), .entry(mode: 0o040000, name: 47..<70, id: 71, next: 91), .end,
            ])
    }
}

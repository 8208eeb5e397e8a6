import Foundation
import Testing

@testable import TiergateCore

@Suite("the deterministic .tar.gz writer")
struct ArchiveTests {
    static func inputs() -> [(String, [UInt8])] {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let json = Array(String(repeating: "{\"name\":\"app-0001\",\"tier\":2,\"owner\":\"team-3\"},", count: 4000).utf8)
        // Text whose repeats lie further apart than the 32 KiB window, and runs longer than a match's 258 bytes.
        let far = random.prefix(40_000) + random.prefix(40_000)
        let runs = [UInt8](repeating: 0x61, count: 100_000) + [0x62] + [UInt8](repeating: 0x61, count: 259)
        return [("empty", []), ("one byte", [7]), ("two bytes", [7, 7]), ("random", random), ("json", json), ("far repeats", Array(far)), ("runs", runs)]
    }

    @Test("gzip -dc gives back every input; the stream checks (CRC and size) pass")
    func gzipRoundTrip() throws {
        let dir = try makeTemporaryDirectory("gz")
        for (name, bytes) in Self.inputs() {
            let file = "\(dir)/\(name).gz"
            try Data(Archive.gzip(bytes)).write(to: URL(fileURLWithPath: file))
            let test = try run("gzip", ["-t", file])
            #expect(test.status == 0, "\(name): \(test.stderr)")
            let back = try run("sh", ["-c", "gzip -dc \"$1\" | od -An -v -tx1 | tr -d ' \\n'", "sh", file])
            #expect(back.stdout == bytes.map { String(format: "%02x", $0) }.joined(), "\(name)")
        }
    }

    @Test("repetitive text compresses (JSON to under a quarter)")
    func compresses() {
        let json = Self.inputs().first { $0.0 == "json" }?.1 ?? []
        #expect(Archive.gzip(json).count * 4 < json.count)
    }

    @Test("CRC-32 of the check string is cbf43926")
    func crc() {
        #expect(Archive.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("tar extracts the files with their bytes, directories, long paths, mode 0644 and the given time; same input, same bytes")
    func tarRoundTrip() throws {
        let long = "top-" + String(repeating: "d", count: 60) + "/records/" + String(repeating: "r", count: 70) + ".json"
        let files = [
            Archive.File(path: "top/SUMMARY.md", bytes: Array("# hello\n".utf8)),
            Archive.File(path: "top/registry/end.csv", bytes: Array("a,b\r\n".utf8)),
            Archive.File(path: long, bytes: Array(repeating: 0x41, count: 1000)),
        ]
        let a = try Archive.tarGzip(files, mtime: 1_795_000_000)
        #expect(try Archive.tarGzip(files.reversed(), mtime: 1_795_000_000) == a)
        let dir = try makeTemporaryDirectory("tar")
        try Data(a).write(to: URL(fileURLWithPath: "\(dir)/a.tar.gz"))
        let out = "\(dir)/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let x = try run("tar", ["-xzf", "\(dir)/a.tar.gz", "-C", out])
        #expect(x.status == 0, "\(x.stderr)")
        for f in files {
            #expect(FileManager.default.contents(atPath: "\(out)/\(f.path)").map(Array.init) == f.bytes, "\(f.path)")
        }
        let listing = try run("tar", ["-tvzf", "\(dir)/a.tar.gz", "--utc", "--numeric-owner"])
        let lines = listing.stdout.split(separator: "\n")
        #expect(lines.count == 7)  // 4 directories, 3 files
        #expect(lines.allSatisfy { $0.contains("0/0") && $0.contains("2026-11-18") })
        #expect(lines.first { $0.hasSuffix("top/SUMMARY.md") }?.hasPrefix("-rw-r--r--") == true)
        #expect(lines.first { $0.hasSuffix("top/registry/") }?.hasPrefix("drwxr-xr-x") == true)
    }
}

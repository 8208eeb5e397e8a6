#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads manifest files from the file system (`lint PATH...`). Symbolic links are refused, as in a revision.
package enum WorkingTreeReader {
    package static func read(_ path: String, reportedAs shown: String) throws(TiergateError) -> ManifestFile {
        switch try contents(path, reportedAs: shown) {
        case .symbolicLink:
            return .notAManifest(
                path: shown,
                reason: "\(shown) is a symbolic link; tiergate does not follow links at manifest paths: commit the manifest itself")
        case .notRegularFile: return .notAManifest(path: shown, reason: "\(shown) is not a regular file")
        case .tooLarge(let size): return .tooLarge(path: shown, size: size)
        case .bytes(let bytes): return ManifestReader.read(bytes, path: shown)
        }
    }

    /// What a path holds, read without following a symbolic link, only from a regular file, and never much past
    /// `YAMLLimits.maxFileBytes` (a file that grows while read, or a `/proc` file that says 0 bytes, is cut off
    /// there and refused by the parser).
    package enum Contents {
        case bytes([UInt8])
        case symbolicLink
        /// A folder, FIFO, device or socket: reading it could block or never end.
        case notRegularFile
        /// Not read at all.
        case tooLarge(Int)
    }

    package static func contents(_ path: String, reportedAs shown: String) throws(TiergateError) -> Contents {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw TiergateError(.io, "cannot read \(shown): \(String(cString: strerror(errno)))", fix: "check the path")
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK { return .symbolicLink }
        guard type == S_IFREG else { return .notRegularFile }
        if Int(st.st_size) > YAMLLimits.maxFileBytes { return .tooLarge(Int(st.st_size)) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            throw TiergateError(.io, "cannot open \(shown): \(String(cString: strerror(errno)))", fix: "check the path")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw TiergateError(.io, "cannot read \(shown): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > YAMLLimits.maxFileBytes { break }
        }
        return .bytes(bytes)
    }
}

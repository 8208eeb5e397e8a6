#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads manifest files from the file system (`lint PATH...`). Symbolic links are refused, as in a revision.
package enum WorkingTreeReader {
    package static func read(_ path: String, reportedAs shown: String) throws(TiergateError) -> ManifestFile {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw TiergateError(.io, "cannot read \(shown): \(String(cString: strerror(errno)))", fix: "check the path")
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK {
            return .notAManifest(
                path: shown,
                reason: "\(shown) is a symbolic link; tiergate does not follow links at manifest paths: commit the manifest itself")
        }
        guard type == S_IFREG else {
            return .notAManifest(path: shown, reason: "\(shown) is not a regular file")
        }
        if Int(st.st_size) > YAMLLimits.maxFileBytes {
            return .tooLarge(path: shown, size: Int(st.st_size))  // not read at all
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
        return ManifestReader.read(bytes, path: shown)
    }
}

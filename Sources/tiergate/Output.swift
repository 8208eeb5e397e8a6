import Foundation
import TiergateCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way the tool writes: standard output, standard error, `--output`, `--report` and the step summary.
/// Plain `write(2)` calls in a loop, so a failure (a closed pipe, a full disk, `/dev/full`) is an error the
/// caller turns into exit 2 with one line on stderr, never a trap (Foundation's `FileHandle.write(_:)` traps)
/// and never a silent loss (`print` buffers and drops errors at exit). SIGPIPE is ignored (`ignoreSIGPIPE`),
/// so a closed pipe is the error EPIPE.
enum Output {
    /// Called first thing by `main`.
    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes to standard output.
    static func stdout(_ text: String) throws(TiergateError) {
        try write(text, to: STDOUT_FILENO, named: "standard output")
    }

    /// Writes to standard output.
    static func stdout(_ bytes: [UInt8]) throws(TiergateError) {
        try write(bytes, to: STDOUT_FILENO, named: "standard output")
    }

    /// Writes one line to standard error. When even that fails there is nowhere left to say so: the exit
    /// status (2) says it.
    static func stderr(_ line: String) {
        try? write(line.hasSuffix("\n") ? line : line + "\n", to: STDERR_FILENO, named: "standard error")
    }

    /// Creates or truncates a file and writes it.
    static func file(_ text: String, to path: String) throws(TiergateError) {
        try toFile(text, path, flags: O_WRONLY | O_CREAT | O_TRUNC, what: path)
    }

    /// Creates or truncates a file and writes bytes (an archive).
    static func file(_ bytes: [UInt8], to path: String) throws(TiergateError) {
        try toFile(path, flags: O_WRONLY | O_CREAT | O_TRUNC, what: path) { fd throws(TiergateError) in try write(bytes, to: fd, named: path) }
    }

    /// Appends to a file, creating it when missing (`$GITHUB_STEP_SUMMARY`).
    static func append(_ text: String, to path: String, what: String) throws(TiergateError) {
        try toFile(text, path, flags: O_WRONLY | O_CREAT | O_APPEND, what: what)
    }

    private static func toFile(_ text: String, _ path: String, flags: Int32, what: String) throws(TiergateError) {
        try toFile(path, flags: flags, what: what) { fd throws(TiergateError) in try write(text, to: fd, named: what) }
    }

    private static func toFile(_ path: String, flags: Int32, what: String, _ body: (Int32) throws(TiergateError) -> Void) throws(TiergateError) {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno, what) }
        do {
            try body(fd)
        } catch {
            close(fd)
            throw error
        }
        // A network file system may report a full disk only when the file is closed.
        guard close(fd) == 0 else { throw failure(errno, what) }
    }

    private static func write(_ text: String, to fd: Int32, named what: String) throws(TiergateError) {
        var text = text
        let failed: Int32? = text.withUTF8 { writeAll($0, fd) }
        if let failed { throw failure(failed, what) }
    }

    private static func write(_ bytes: [UInt8], to fd: Int32, named what: String) throws(TiergateError) {
        let failed: Int32? = bytes.withUnsafeBufferPointer { writeAll($0, fd) }
        if let failed { throw failure(failed, what) }
    }

    /// Writes every byte; the errno of a failure, or nil.
    private static func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, _ fd: Int32) -> Int32? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }

    private static func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, p, n)
        #else
        Darwin.write(fd, p, n)
        #endif
    }

    private static func failure(_ code: Int32, _ what: String) -> TiergateError {
        let reason = String(cString: strerror(code))
        let fix: String
        switch code {
        case EPIPE: fix = "the reader of the output went away; nothing more was written"
        case ENOSPC, EDQUOT: fix = "free some disk space or write elsewhere"
        default: fix = "check where the output goes"
        }
        return TiergateError(.io, "cannot write \(what): \(reason)", fix: fix)
    }
}

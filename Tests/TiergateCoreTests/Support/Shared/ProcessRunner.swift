import Foundation

/// What a finished program said.
struct ProcessResult {
    /// The exit status, or the signal's number when `reason` is `.uncaughtSignal`.
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: String
    var stderr: String
}

/// Where a program's standard output goes.
enum StandardOutput {
    /// Into `ProcessResult.stdout`.
    case captured
    /// To a handle the caller opened and keeps open (`/dev/full`, a pipe whose reading end is closed).
    case handle(FileHandle)
}

/// The tests' one way to run a program: git, the built `tiergate`, a Python helper. Waits for it to finish.
///
/// - `executable`: an absolute path, or a name looked up on the child's PATH.
/// - `environment`: variables set (or replaced) on top of `inheriting`, which is this process's environment
///   unless the caller passes another (`[:]` for a clean one).
/// - `input`: written to standard input, which is otherwise empty.
///
/// Standard input, output and error are served by three threads, so no amount of output or input can block
/// the child or this process.
@discardableResult
func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:], inheriting inherited: [String: String] = ProcessInfo.processInfo.environment,
    input: String? = nil, stdout: StandardOutput = .captured
) throws -> ProcessResult {
    let process = Process()
    if executable.hasPrefix("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = inherited.merging(environment) { _, new in new }

    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = input.map { _ in Pipe() }
    switch stdout {
    case .captured: process.standardOutput = outPipe
    case .handle(let handle): process.standardOutput = handle
    }
    process.standardError = errPipe
    process.standardInput = inPipe ?? FileHandle.nullDevice
    try process.run()

    let errData = Collected()
    let done = DispatchGroup()
    DispatchQueue.global().async(group: done) { errData.set((try? errPipe.fileHandleForReading.readToEnd()) ?? Data()) }
    if let inPipe, let input {
        DispatchQueue.global().async(group: done) {
            // A child that exits before reading everything closes the pipe: the write fails (EPIPE), which is its
            // business, not the test's.
            try? inPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
    }
    var outData = Data()
    if case .captured = stdout { outData = (try? outPipe.fileHandleForReading.readToEnd()) ?? Data() }
    done.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, reason: process.terminationReason,
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData.get(), as: UTF8.self))
}

/// Bytes one reading thread hands to the waiting one.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data } }
}

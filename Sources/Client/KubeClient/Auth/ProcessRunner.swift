import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived helper process (an exec credential plugin) on its own threads, so waiting
/// for it never blocks Swift's cooperative pool. A plugin that hangs, or prints without end, is
/// killed: every request of the client waits on it, so it must end.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    enum Failure: Error, Sendable, CustomStringConvertible {
        case timedOut(Duration)
        case outputTooLarge(Int)

        var description: String {
            switch self {
            case .timedOut(let limit): return "did not finish within \(limit); killed"
            case .outputTooLarge(let limit): return "printed more than \(limit) bytes; killed"
            }
        }
    }

    static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration, maximumOutputBytes: Int
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(
                        returning: try runBlocking(
                            executable: executable, arguments: arguments, environment: environment, timeout: timeout,
                            maximumOutputBytes: maximumOutputBytes))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "kubeclient-exec"
            thread.start()
        }
    }

    private static func runBlocking(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration, maximumOutputBytes: Int
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let overflow = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        // Both pipes are drained at once, so a chatty plugin cannot fill one and deadlock; each
        // keeps at most `maximumOutputBytes`. More on stdout (the credential) kills the plugin
        // and closes the pipe, which ends any child still writing to it with SIGPIPE.
        let output = PipeReader(stdout.fileHandleForReading, limit: maximumOutputBytes) {
            overflow.store(true, ordering: .relaxed)
            kill(pid, SIGKILL)
            finished.signal()
        }
        let errors = PipeReader(stderr.fileHandleForReading, limit: maximumOutputBytes, onOverflow: nil)
        let waiter = Thread {
            output.wait()
            errors.wait()
            process.waitUntilExit()
            finished.signal()
        }
        waiter.start()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard finished.wait(timeout: .now() + seconds) == .success else {
            // A grandchild may still hold the pipes open; the readers end when it does.
            kill(pid, SIGKILL)
            throw Failure.timedOut(timeout)
        }
        if overflow.load(ordering: .relaxed) { throw Failure.outputTooLarge(maximumOutputBytes) }
        return Output(status: process.terminationStatus, stdout: output.bytes, stderr: errors.bytes)
    }
}

/// Reads one pipe to its end on a thread of its own, keeping the first `limit` bytes. With
/// `onOverflow`, more than `limit` calls it and stops reading; without, the rest is discarded.
private final class PipeReader: Sendable {
    private let collected = Mutex<[UInt8]>([])
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle, limit: Int, onOverflow: (@Sendable () -> Void)?) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                let overflowed = self.collected.withLock { bytes in
                    let room = max(0, limit - bytes.count)
                    bytes.append(contentsOf: chunk.prefix(room))
                    return chunk.count > room
                }
                if overflowed, let onOverflow {
                    onOverflow()
                    try? handle.close()
                    break
                }
            }
            self.done.signal()
        }
        thread.start()
    }

    func wait() { done.wait() }
    var bytes: [UInt8] { collected.withLock { $0 } }
}

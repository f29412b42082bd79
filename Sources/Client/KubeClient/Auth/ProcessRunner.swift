import Foundation
import Synchronization

/// Runs a short-lived helper process (an exec credential plugin) on its own threads, so waiting
/// for it never blocks Swift's cooperative pool.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    static func run(executable: String, arguments: [String], environment: [String: String]) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runBlocking(executable: executable, arguments: arguments, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "kubeclient-exec"
            thread.start()
        }
    }

    private static func runBlocking(executable: String, arguments: [String], environment: [String: String]) throws -> Output {
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
        // Drain stderr concurrently so a chatty plugin cannot fill the pipe and deadlock.
        let errorBytes = Mutex<[UInt8]>([])
        let errorDone = DispatchSemaphore(value: 0)
        let errorReader = Thread {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errorBytes.withLock { $0 = [UInt8](data) }
            errorDone.signal()
        }
        errorReader.start()
        let output = [UInt8](stdout.fileHandleForReading.readDataToEndOfFile())
        errorDone.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: output, stderr: errorBytes.withLock { $0 })
    }
}

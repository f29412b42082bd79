import Foundation
import Synchronization

/// Runs a child process to completion without blocking the cooperative thread pool: pipes are
/// drained on dedicated threads, exit is observed through `terminationHandler`, and a timeout
/// terminates (then kills) the child so no test leaves a process behind.
public enum ProcessRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
        public var succeeded: Bool { status == 0 && !timedOut }
        /// stdout and stderr, for failure messages.
        public var output: String { stdout + (stderr.isEmpty ? "" : "\n[stderr]\n" + stderr) }
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outPipe = Pipe()
        let errPipe = Pipe()
        let inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        let collector = Collector()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            collector.setContinuation(continuation)
            process.terminationHandler = { finished in collector.exited(finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                collector.fail(LaunchError(description: "could not start \(executable): \(error)"))
                return
            }
            let outHandle = outPipe.fileHandleForReading
            let errHandle = errPipe.fileHandleForReading
            let inHandle = inPipe.fileHandleForWriting
            Thread.detachNewThread { collector.stdout(outHandle.readDataToEndOfFile()) }
            Thread.detachNewThread { collector.stderr(errHandle.readDataToEndOfFile()) }
            Thread.detachNewThread {
                if let stdin { inHandle.write(Data(stdin.utf8)) }
                try? inHandle.close()
            }
            let pid = process.processIdentifier
            Task.detached {
                try? await Task.sleep(for: timeout)
                guard collector.markTimedOutIfRunning() else { return }
                kill(pid, SIGTERM)
                try? await Task.sleep(for: .seconds(2))
                if collector.isRunning { kill(pid, SIGKILL) }
            }
        }
    }

    /// An absolute path for `name`, searching PATH like a shell.
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LaunchError(description: "\(name) not found on PATH")
    }

    private final class Collector: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            var status: Int32?
            var out: Data?
            var err: Data?
            var timedOut = false
        }

        private let state = Mutex(State())

        func setContinuation(_ continuation: CheckedContinuation<Result, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func exited(_ status: Int32) { update { $0.status = status } }
        func stdout(_ data: Data) { update { $0.out = data } }
        func stderr(_ data: Data) { update { $0.err = data } }

        var isRunning: Bool { state.withLock { $0.status == nil } }

        func markTimedOutIfRunning() -> Bool {
            state.withLock { state in
                guard state.status == nil else { return false }
                state.timedOut = true
                return true
            }
        }

        func fail(_ error: any Error) {
            let continuation = state.withLock { state in
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(throwing: error)
        }

        private func update(_ change: (inout State) -> Void) {
            let ready: (CheckedContinuation<Result, any Error>, Result)? = state.withLock { state in
                change(&state)
                guard let status = state.status, let out = state.out, let err = state.err, let continuation = state.continuation else {
                    return nil
                }
                state.continuation = nil
                return (
                    continuation,
                    Result(
                        status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                        timedOut: state.timedOut)
                )
            }
            if let (continuation, result) = ready { continuation.resume(returning: result) }
        }
    }
}

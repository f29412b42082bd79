import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program the tests (and the chaos run) start, with its output captured in a file (never a
/// pipe, so a chatty process can never block on a full buffer) and an exit that can be awaited
/// without blocking a thread of the cooperative pool.
public final class ChildProcess: Sendable {
    public struct Exit: Sendable, CustomStringConvertible {
        public var status: Int32
        public var signalled: Bool
        public var description: String { signalled ? "killed by signal \(status)" : "exit status \(status)" }
    }

    public struct LogFileError: Error, CustomStringConvertible {
        public var description: String
    }

    public let name: String
    public let logPath: String
    private let process: Process
    private final class ExitState: Sendable {
        let state = Mutex<(result: Exit?, waiters: [CheckedContinuation<Exit, Never>])>((nil, []))
    }
    private let exit = ExitState()

    /// Starts `executable` (an absolute path, or a name looked up on the PATH) with `arguments`.
    public init(name: String, executable: String, arguments: [String], environment: [String: String] = [:], logDirectory: String) throws {
        self.name = name
        self.logPath = "\(logDirectory)/\(name)-\(UUID().uuidString.prefix(8)).log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw LogFileError(description: "cannot create \(logPath)")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        self.process = process
        process.terminationHandler = { [exit] finished in
            let result = Exit(status: finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal)
            let waiters = exit.state.withLock { state in
                state.result = result
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: result) }
            try? log.close()
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { exit.state.withLock { $0.result == nil } }

    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        _ = kill(pid, signal)
    }

    public func waitForExit() async -> Exit {
        await withCheckedContinuation { continuation in
            let done: Exit? = exit.state.withLock { state in
                if let result = state.result { return result }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; always returns with it gone.
    public func stop(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        signal(SIGTERM)
        await waitForExit(killingAfter: grace)
    }

    /// Waits for the exit, sending SIGKILL once `limit` has passed: no test waits forever on a
    /// child that hangs. (The wait itself cannot be cancelled, so the deadline must act on the child.)
    @discardableResult
    public func waitForExit(killingAfter limit: Duration) async -> Exit {
        let deadline = Task { [weak self] in
            try await Task.sleep(for: limit)
            self?.signal(SIGKILL)
        }
        defer { deadline.cancel() }
        return await waitForExit()
    }

    public func output() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }
}

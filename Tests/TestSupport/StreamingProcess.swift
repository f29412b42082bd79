import Foundation
import Synchronization

/// A long-running child (e.g. `kubectl get -w`) whose stdout arrives line by line. Call
/// `terminate()` when done; `withStreamingProcess` does so on every exit path.
public final class StreamingProcess: Sendable {
    public let lines: AsyncStream<String>
    private let pid: Int32
    private let running = LockedValue(true)
    private let stderrText = LockedValue("")
    private let received = LockedValue<[String]>([])

    init(executable: String, arguments: [String], environment: [String: String]?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve(executable))
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream<String>.makeStream()
        self.lines = lines
        let running = self.running
        process.terminationHandler = { _ in running.withLock { $0 = false } }
        try process.run()
        pid = process.processIdentifier
        let received = self.received
        let reader = outPipe.fileHandleForReading
        let errReader = errPipe.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    received.withLock { $0.append(line) }
                    continuation.yield(line)
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
            continuation.finish()
        }
        let stderrText = self.stderrText
        Thread.detachNewThread {
            let data = errReader.readDataToEndOfFile()
            stderrText.withLock { $0 = String(decoding: data, as: UTF8.self) }
        }
    }

    /// Every stdout line so far (independent of whether `lines` is consumed).
    public var receivedLines: [String] { received.withLock { $0 } }

    /// Waits for a stdout line after the first `skipping` lines that satisfies `predicate`;
    /// returns it and its index.
    @discardableResult
    public func waitForLine(
        skipping: Int = 0, timeout: Duration = .seconds(30), where predicate: (String) -> Bool
    ) async throws -> (index: Int, line: String) {
        var found: (Int, String)?
        try await eventually("a matching output line; got \(receivedLines)", timeout: timeout) {
            let lines = receivedLines
            guard lines.count > skipping else { return false }
            if let index = lines[skipping...].firstIndex(where: predicate) { found = (index, lines[index]) }
            return found != nil
        }
        guard let found else { throw TimedOut(description: "no matching line") }
        return found
    }

    /// What the process wrote to stderr (complete once it exited).
    public var stderr: String { stderrText.withLock { $0 } }

    public var isRunning: Bool { running.withLock { $0 } }

    /// SIGTERM now, SIGKILL two seconds later if it is still running.
    public func terminate() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let pid = self.pid
        let running = self.running
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 2)
            if running.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
    }

    deinit { terminate() }
}

/// Runs `body` with a streaming child process and terminates it afterwards, even on error.
public func withStreamingProcess<T>(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    _ body: (StreamingProcess) async throws -> T
) async throws -> T {
    let process = try StreamingProcess(executable: executable, arguments: arguments, environment: environment)
    do {
        let result = try await body(process)
        process.terminate()
        return result
    } catch {
        process.terminate()
        throw error
    }
}

/// A mutex-protected value that closures can capture (a `Mutex` itself cannot be copied).
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

import Foundation

public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Polls `condition` until it holds, failing after `timeout` with `message` (and the last
/// error the condition threw, if any). Use instead of sleeps.
public func eventually(
    _ message: @autoclosure () -> String = "condition", timeout: Duration = .seconds(30), interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var lastError: (any Error)?
    while clock.now < deadline {
        do {
            if try await condition() { return }
            lastError = nil
        } catch {
            lastError = error
        }
        try await Task.sleep(for: interval)
    }
    throw TimedOut(description: "timed out after \(timeout) waiting for \(message())\(lastError.map { ": last error \($0)" } ?? "")")
}

/// The first element of `sequence` satisfying `predicate`, or a timeout error.
public func firstElement<S: AsyncSequence & Sendable>(
    of sequence: S, timeout: Duration = .seconds(30), where predicate: @escaping @Sendable (S.Element) -> Bool
) async throws -> S.Element where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element?.self) { group in
        group.addTask {
            for try await element in sequence where predicate(element) { return element }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(description: "no matching element within \(timeout)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let element = first else {
            throw TimedOut(description: "the sequence ended without a matching element")
        }
        return element
    }
}

import TestSupport
import Testing

/// `eventually` (TestSupport's one polling loop) that records a test issue on timeout instead of
/// throwing, for the runtime's tests, which go on to report what they saw.
@discardableResult
func waitUntil(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(10), _ message: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async -> Bool {
    do {
        try await eventually(message(), timeout: timeout, interval: interval, condition)
        return true
    } catch {
        Issue.record("\(error)")
        return false
    }
}

/// Runs `body` with `background` running alongside, cancelling it afterwards on every path.
func withBackground<T: Sendable>(
    _ background: @escaping @Sendable () async -> Void, _ body: () async throws -> T
) async rethrows -> T {
    let task = Task { await background() }
    defer { task.cancel() }
    let result = try await body()
    task.cancel()
    await task.value
    return result
}

import Testing

/// Polls `condition` until it holds or `timeout` passes; generous timeouts keep tests robust on
/// a loaded machine without sleeping in place of a condition.
@discardableResult
func waitUntil(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(10), _ message: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    if try await condition() { return true }
    Issue.record("timed out after \(timeout) waiting for \(message())")
    return false
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

import Foundation

/// Polls `condition` until it holds or `timeout` passes. Generous timeouts: the machine running
/// the tests may be loaded; only a wrong behaviour should make a test fail.
func waitUntil(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(250),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
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
    throw E2EError("timed out after \(timeout) waiting for \(what())" + (lastError.map { " (last error: \($0))" } ?? ""))
}

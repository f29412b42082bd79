import TestSupport

/// End-to-end waits poll more slowly and allow longer than unit tests: each poll runs kubectl,
/// and a loaded CI machine must not turn a slow release into a failure.
func waitUntil(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool
) async throws {
    try await eventually(what(), timeout: timeout, interval: .milliseconds(250), condition)
}

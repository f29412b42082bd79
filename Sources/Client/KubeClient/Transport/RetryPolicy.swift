/// When and how long to wait before repeating a request. Safe requests (GET) are retried on
/// connection errors, 429 and 5xx; any request is retried on 429, which the server sends before
/// doing anything. `Retry-After` is honoured; otherwise exponential backoff with jitter.
struct RetryPolicy: Sendable {
    var maxRetries: Int
    var baseDelay: Duration = .milliseconds(100)
    var maxDelay: Duration = .seconds(10)
    /// An API server asking for longer than this is waited for only this long per attempt.
    var maxRetryAfter: Duration = .seconds(60)

    func shouldRetry(status: Int, request: HTTPRequest, attempt: Int) -> Bool {
        // A non-2xx answer carries no events yet, so even a watch may be repeated.
        guard attempt < maxRetries else { return false }
        if status == 429 { return true }
        return request.isSafe && (500...599).contains(status) && status != 501
    }

    /// A watch that failed mid-stream may already have delivered events; its consumer re-watches
    /// from the last resourceVersion instead.
    func shouldRetryTransportError(request: HTTPRequest, attempt: Int) -> Bool {
        attempt < maxRetries && request.isSafe && !request.isWatch
    }

    func delay(attempt: Int, retryAfterSeconds: Int?) -> Duration {
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            return min(.seconds(retryAfterSeconds), maxRetryAfter)
        }
        let exponential = baseDelay * (1 << min(attempt, 16))
        let capped = min(exponential, maxDelay)
        // Jitter in [50%, 100%] so many clients do not retry in lockstep.
        return capped * Double.random(in: 0.5...1.0)
    }
}

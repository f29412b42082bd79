/// A token bucket (`rate` tokens per second, up to `burst`) that hands out reservations: the
/// caller learns how long to wait for its token rather than being blocked, so one bucket can
/// serve both synchronous rate limiters (work queue) and async throttles (client QPS).
public struct TokenBucket: Sendable {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    public init(rate: Double, burst: Int, now: ContinuousClock.Instant = .now) {
        self.rate = max(rate, 0.000_001)
        self.burst = Double(max(burst, 1))
        self.tokens = self.burst
        self.last = now
    }

    /// Takes one token (possibly going into debt) and returns how long to wait before using it.
    public mutating func reserve(now: ContinuousClock.Instant = .now) -> Duration {
        refill(now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .seconds(-tokens / rate)
    }

    /// Takes a token only if one is available now.
    public mutating func tryTake(now: ContinuousClock.Instant = .now) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        let elapsed = (now - last).seconds
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * rate)
            last = now
        }
    }
}

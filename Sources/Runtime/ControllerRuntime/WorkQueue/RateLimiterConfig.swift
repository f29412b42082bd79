/// client-go's `DefaultControllerRateLimiter`: the larger of a per-key exponential backoff and an
/// overall token bucket, so one hot failing key backs off alone while a storm of failures across
/// many keys is still capped.
public struct RateLimiterConfig: Sendable, Hashable {
    /// Delay after the first failure of a key; doubles with each further failure.
    public var baseDelay: Duration = .milliseconds(5)
    public var maxDelay: Duration = .seconds(1000)
    /// Overall retries per second and burst across all keys.
    public var qps: Double = 10
    public var burst: Int = 100

    public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(1000), qps: Double = 10, burst: Int = 100) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.qps = qps
        self.burst = burst
    }

    public static let `default` = RateLimiterConfig()

    /// The per-key part: `baseDelay * 2^(failures-1)`, capped.
    public func perKeyDelay(failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let exponent = min(failures - 1, 60)
        let seconds = baseDelay.seconds * Double(UInt64(1) << UInt64(exponent))
        return seconds >= maxDelay.seconds ? maxDelay : .seconds(seconds)
    }
}

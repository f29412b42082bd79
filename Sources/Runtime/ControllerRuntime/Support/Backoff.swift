/// Exponential backoff with full jitter for retry loops (informer relists, lease retries).
/// Jitter spreads many clients that failed together so they do not retry together.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var factor: Double
    /// Fraction of the delay that is randomised: 0.5 gives a delay in [d/2, d].
    public var jitter: Double

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(30), factor: Double = 2, jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before retry number `attempt` (0-based).
    public func delay(attempt: Int) -> Duration {
        let base = initial.seconds * power(factor, min(attempt, 62))
        let capped = min(base, maximum.seconds)
        let low = capped * (1 - jitter)
        return .seconds(Double.random(in: low...max(low, capped)))
    }
}

extension Duration {
    /// Seconds as a floating-point number, for arithmetic and logs.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000
    }
}

private func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var remaining = exponent
    while remaining > 0 {
        result *= base
        remaining -= 1
        if result.isInfinite { return result }
    }
    return result
}

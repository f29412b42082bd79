import Synchronization

/// A token bucket shared by every request of a client (client-go's default flow control): `burst`
/// requests may go at once, then `qps` per second. Callers reserve a token and sleep until it
/// is theirs, so waiting never holds a lock or a thread.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let qps: Double
    let burst: Double
    private let bucket: Mutex<Bucket>

    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = Double(max(burst, 1))
        bucket = Mutex(Bucket(tokens: Double(max(burst, 1)), updated: .now))
    }

    /// How long the caller must wait for its token (zero when one was available).
    func reserve() -> Duration {
        guard qps > 0 else { return .zero }
        return bucket.withLock { bucket in
            let now = ContinuousClock.now
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(burst, bucket.tokens + seconds * qps)
            bucket.updated = now
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? .zero : .nanoseconds(Int64(-bucket.tokens / qps * 1e9))
        }
    }

    /// How long a request sent now would wait for its token (zero when one is free); takes none.
    var backlog: Duration {
        guard qps > 0 else { return .zero }
        return bucket.withLock { bucket in
            let elapsed = ContinuousClock.now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let tokens = min(burst, bucket.tokens + seconds * qps)
            return tokens >= 1 ? .zero : .nanoseconds(Int64((1 - tokens) / qps * 1e9))
        }
    }

    func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}

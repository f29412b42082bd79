import Synchronization

/// Run-time faults for resilience tests: dropped watches, failed requests, latency, event
/// window compaction and a lagging ReplicaSet status. Settable from tests (this API), from flags and from `/kubesim/faults`.
public final class FaultInjector: Sendable {
    /// What a request should suffer before being served.
    enum Decision: Sendable {
        case serve
        case fail(StatusError)
    }

    /// A share of requests answered with an error instead of being served.
    public struct RequestFailure: Sendable, Hashable {
        /// 0...1.
        public var share: Double
        /// 500, 429 (with Retry-After), 503, 403...
        public var code: Int
        public var retryAfterSeconds: Int

        public init(share: Double, code: Int = 500, retryAfterSeconds: Int = 1) {
            self.share = min(1, max(0, share))
            self.code = code
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    struct Settings: Sendable {
        /// Mutually exclusive shares: together at most 1.
        var failures: [RequestFailure] = []
        var latency: Duration = .zero
        var dropWatchesEvery: Duration?
        var replicaSetStatusLag: Duration = .zero
    }

    private let store: ObjectStore
    private let settings = Mutex(Settings())
    private let injected = Mutex<[Int: Int]>([:])
    private let dropTask = Mutex<Task<Void, Never>?>(nil)

    init(store: ObjectStore) {
        self.store = store
    }

    deinit {
        dropTask.withLock { $0?.cancel() }
    }

    /// Ends every open watch now; clients must re-watch (from their last resourceVersion).
    public func dropWatches() {
        store.dropWatches()
    }

    /// Ends every open watch each `interval`; nil stops it.
    public func dropWatches(every interval: Duration?) {
        settings.withLock { $0.dropWatchesEvery = interval }
        let task: Task<Void, Never>? = interval.map { interval in
            Task { [store] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    store.dropWatches()
                }
            }
        }
        dropTask.withLock { current in
            current?.cancel()
            current = task
        }
    }

    /// Fails `share` (0...1) of API requests with `code` (500, 429 with Retry-After, 503, 403...).
    public func failRequests(share: Double, code: Int = 500, retryAfter: Int = 1) {
        failRequests([RequestFailure(share: share, code: code, retryAfterSeconds: retryAfter)])
    }

    /// Several kinds of failure at once (5 % answered 500 and 2 % answered 429, say); shares
    /// beyond a total of 1 are cut.
    public func failRequests(_ failures: [RequestFailure]) {
        var remaining = 1.0
        var kept: [RequestFailure] = []
        for var failure in failures where failure.share > 0 && remaining > 0 {
            failure.share = min(failure.share, remaining)
            remaining -= failure.share
            kept.append(failure)
        }
        settings.withLock { $0.failures = kept }
    }

    /// Delay added before every API request is served.
    public var latency: Duration {
        get { settings.withLock { $0.latency } }
        set { settings.withLock { $0.latency = newValue } }
    }

    public func setLatency(_ latency: Duration) {
        self.latency = latency
    }

    /// How long the simulated ReplicaSet controller's status trails what it observed, as a busy
    /// cluster's rate-limited controller does: counts (and observedGeneration) reach the API this
    /// much later, so a client sees `availableReplicas` still counting pods already deleted.
    public var replicaSetStatusLag: Duration {
        get { settings.withLock { $0.replicaSetStatusLag } }
        set { settings.withLock { $0.replicaSetStatusLag = max(.zero, newValue) } }
    }

    /// Forgets the watch event history: re-watching from an earlier resourceVersion gets 410.
    public func compactEventWindow() {
        store.compactEventWindow()
    }

    /// Requests answered with an injected error so far, by status code.
    public var injectedFailures: [Int: Int] { injected.withLock { $0 } }

    /// Clears every fault.
    public func reset() {
        settings.withLock { $0 = Settings() }
        dropWatches(every: nil)
    }

    var current: Settings { settings.withLock { $0 } }

    func decide() -> Decision {
        let failures = current.failures
        guard !failures.isEmpty else { return .serve }
        var draw = Double.random(in: 0..<1)
        for failure in failures {
            if draw < failure.share {
                injected.withLock { $0[failure.code, default: 0] += 1 }
                return .fail(Self.error(for: failure))
            }
            draw -= failure.share
        }
        return .serve
    }

    private static func error(for failure: RequestFailure) -> StatusError {
        switch failure.code {
        case 429: return .tooManyRequests(retryAfter: failure.retryAfterSeconds)
        case 503:
            return StatusError(
                code: 503, reason: "ServiceUnavailable", message: "injected fault: service unavailable",
                retryAfterSeconds: failure.retryAfterSeconds)
        case 403:
            // What a restarted API server answers while its RBAC authorizer's caches warm up.
            return StatusError(
                code: 403, reason: "Forbidden", message: "injected fault: forbidden: RBAC: the authorizer's caches are not yet synced")
        default:
            return StatusError(code: failure.code, reason: "InternalError", message: "Internal error occurred: injected fault")
        }
    }
}

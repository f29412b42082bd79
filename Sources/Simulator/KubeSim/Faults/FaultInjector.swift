import Synchronization

/// Run-time faults for resilience tests: dropped watches, failed requests, latency, event
/// window compaction and a lagging ReplicaSet status. Settable from tests (this API), from flags and from `/kubesim/faults`.
public final class FaultInjector: Sendable {
    /// What a request should suffer before being served.
    enum Decision: Sendable {
        case serve
        case fail(StatusError)
    }

    struct Settings: Sendable {
        var failureShare = 0.0
        var failureCode = 500
        var retryAfterSeconds = 1
        var latency: Duration = .zero
        var dropWatchesEvery: Duration?
        var replicaSetStatusLag: Duration = .zero
    }

    private let store: ObjectStore
    private let settings = Mutex(Settings())
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
        settings.withLock {
            $0.failureShare = min(1, max(0, share))
            $0.failureCode = code
            $0.retryAfterSeconds = retryAfter
        }
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

    /// Clears every fault.
    public func reset() {
        settings.withLock { $0 = Settings() }
        dropWatches(every: nil)
    }

    var current: Settings { settings.withLock { $0 } }

    func decide() -> Decision {
        let settings = current
        guard settings.failureShare > 0, Double.random(in: 0..<1) < settings.failureShare else { return .serve }
        switch settings.failureCode {
        case 429: return .fail(.tooManyRequests(retryAfter: settings.retryAfterSeconds))
        case 503:
            return .fail(
                StatusError(
                    code: 503, reason: "ServiceUnavailable", message: "injected fault: service unavailable",
                    retryAfterSeconds: settings.retryAfterSeconds))
        case 403:
            // What a restarted API server answers while its RBAC authorizer's caches warm up.
            return .fail(
                StatusError(
                    code: 403, reason: "Forbidden",
                    message: "injected fault: forbidden: RBAC: the authorizer's caches are not yet synced"))
        default:
            return .fail(StatusError(code: settings.failureCode, reason: "InternalError", message: "Internal error occurred: injected fault"))
        }
    }
}

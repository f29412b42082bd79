import DequeModule
import Synchronization

/// A work queue with client-go's guarantees:
/// - a key waiting in the queue is held once however often it is added;
/// - a key is never handed to two workers at once;
/// - a key added while a worker processes it is queued again, once, when that worker calls `done`;
/// - failures back off per key (exponential, capped) under an overall token bucket;
/// - `addAfter` schedules a key for later, keeping only the earliest pending time per key;
///   `reschedule` replaces that time (or cancels it): a controller's latest pass knows every
///   deadline it still has;
/// - after `shutDown`, `get` returns nil and in-flight keys can be awaited with `shutDownWithDrain`.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct Delayed {
        var deadline: ContinuousClock.Instant
        var generation: UInt64
        var task: Task<Void, Never>
    }

    private struct State {
        var queue = Deque<Key>()
        var dirty = Set<Key>()
        var processing = Set<Key>()
        var addedAt: [Key: ContinuousClock.Instant] = [:]
        var startedAt: [Key: ContinuousClock.Instant] = [:]
        var waiters = Deque<(id: UInt64, continuation: CheckedContinuation<Key?, Never>)>()
        var failures: [Key: Int] = [:]
        var delayed: [Key: Delayed] = [:]
        var bucket: TokenBucket
        var nextID: UInt64 = 0
        var shuttingDown = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let name: String
    public let rateLimiter: RateLimiterConfig
    private let metrics: RuntimeMetrics?
    private let state: Mutex<State>

    public init(name: String, rateLimiter: RateLimiterConfig = .default, metrics: RuntimeMetrics? = nil) {
        self.name = name
        self.rateLimiter = rateLimiter
        self.metrics = metrics
        self.state = Mutex(State(bucket: TokenBucket(rate: rateLimiter.qps, burst: rateLimiter.burst)))
        // Time in flight grows with nobody touching the queue (a stuck worker), so it is read
        // when scraped; client-go polls it every 500 ms instead.
        metrics?.onScrape { [weak self] in
            guard let self else { return false }
            self.publishInFlight()
            return true
        }
    }

    // MARK: Adding

    /// Queues `key` unless it is already waiting.
    public func add(_ key: Key) {
        let handoff = state.withLock { state -> (CheckedContinuation<Key?, Never>, Key)? in
            guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
            state.dirty.insert(key)
            state.addedAt[key] = .now
            metrics?.queueAdd(name)
            // Being processed: `done` will queue it again afterwards.
            guard !state.processing.contains(key) else { return nil }
            return enqueueLocked(&state, key)
        }
        if let (continuation, key) = handoff { continuation.resume(returning: key) }
    }

    /// Queues `key` after `delay`. If the key is already scheduled earlier, the earlier time wins.
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now + delay
        state.withLock { state in
            guard !state.shuttingDown else { return }
            if let existing = state.delayed[key], existing.deadline <= deadline { return }
            state.delayed[key]?.task.cancel()
            state.nextID += 1
            let generation = state.nextID
            let task = Task { [weak self] in
                guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                self?.fireDelayed(key, generation: generation)
            }
            state.delayed[key] = Delayed(deadline: deadline, generation: generation, task: task)
        }
    }

    /// Replaces the key's pending delayed add with one after `delay`, or cancels it (nil). A
    /// reconcile's result supersedes the timers earlier passes asked for: a release that finished
    /// must not wake once more at the deadline it had while in flight.
    public func reschedule(_ key: Key, after delay: Duration?) {
        state.withLock { state in
            state.delayed.removeValue(forKey: key)?.task.cancel()
        }
        if let delay { addAfter(key, delay) }
    }

    /// Queues `key` after its backoff: per-key exponential, at least the overall bucket's wait.
    public func addRateLimited(_ key: Key) {
        let delay = state.withLock { state -> Duration in
            let failures = (state.failures[key] ?? 0) + 1
            state.failures[key] = failures
            return max(rateLimiter.perKeyDelay(failures: failures), state.bucket.reserve())
        }
        metrics?.queueRetry(name)
        addAfter(key, delay)
    }

    /// Clears the key's failure count (after a success).
    public func forget(_ key: Key) {
        state.withLock { _ = $0.failures.removeValue(forKey: key) }
    }

    /// How many times the key has failed since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int {
        state.withLock { $0.failures[key] ?? 0 }
    }

    // MARK: Processing

    /// The next key to process, marking it in-flight; nil once the queue is shut down or the
    /// calling task is cancelled. Call `done` when finished with it.
    public func get() async -> Key? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let immediate = state.withLock { state -> Key?? in
                    if state.shuttingDown || Task.isCancelled { return .some(nil) }
                    if let key = state.queue.popFirst() {
                        startLocked(&state, key)
                        return .some(key)
                    }
                    state.waiters.append((id, continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Marks `key` finished; if it was added meanwhile it is queued again now.
    public func done(_ key: Key) {
        let (handoff, drained) = state.withLock { state -> ((CheckedContinuation<Key?, Never>, Key)?, [CheckedContinuation<Void, Never>]) in
            state.processing.remove(key)
            if let started = state.startedAt.removeValue(forKey: key) { metrics?.queueWork(name, .now - started) }
            var handoff: (CheckedContinuation<Key?, Never>, Key)?
            if state.dirty.contains(key), !state.shuttingDown {
                handoff = enqueueLocked(&state, key)
            }
            var drained: [CheckedContinuation<Void, Never>] = []
            if state.processing.isEmpty {
                drained = state.drainWaiters
                state.drainWaiters.removeAll()
            }
            return (handoff, drained)
        }
        if let (continuation, key) = handoff { continuation.resume(returning: key) }
        for waiter in drained { waiter.resume() }
    }

    // MARK: Introspection

    /// Keys waiting (not in flight, not delayed).
    public var count: Int { state.withLock { $0.queue.count } }
    public var processingCount: Int { state.withLock { $0.processing.count } }
    public var delayedCount: Int { state.withLock { $0.delayed.count } }
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    private func publishInFlight() {
        let now = ContinuousClock.now
        let (unfinished, longest) = state.withLock { state in
            state.startedAt.values.reduce((Duration.zero, Duration.zero)) { sums, started in
                (sums.0 + (now - started), max(sums.1, now - started))
            }
        }
        metrics?.queueInFlight(name, unfinished: unfinished, longest: longest)
    }

    // MARK: Shutdown

    /// Stops handing out keys: waiting `get` calls return nil, queued and delayed keys are dropped.
    public func shutDown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Key?, Never>] in
            state.shuttingDown = true
            for delayed in state.delayed.values { delayed.task.cancel() }
            state.delayed.removeAll()
            state.queue.removeAll()
            state.dirty.removeAll()
            metrics?.queueDepth(name, 0)
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// `shutDown`, then waits until every in-flight key is `done`.
    public func shutDownWithDrain() async {
        shutDown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.processing.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    // MARK: Internals (lock held)

    private func fireDelayed(_ key: Key, generation: UInt64) {
        let current = state.withLock { state -> Bool in
            guard state.delayed[key]?.generation == generation else { return false }
            state.delayed[key] = nil
            return true
        }
        if current { add(key) }
    }

    /// Appends `key`, or hands it straight to a waiting worker (returned for resuming outside the lock).
    private func enqueueLocked(_ state: inout State, _ key: Key) -> (CheckedContinuation<Key?, Never>, Key)? {
        if let waiter = state.waiters.popFirst() {
            startLocked(&state, key)
            return (waiter.continuation, key)
        }
        state.queue.append(key)
        metrics?.queueDepth(name, state.queue.count)
        return nil
    }

    private func startLocked(_ state: inout State, _ key: Key) {
        state.processing.insert(key)
        state.dirty.remove(key)
        let now = ContinuousClock.now
        if let added = state.addedAt.removeValue(forKey: key) { metrics?.queueLatency(name, now - added) }
        state.startedAt[key] = now
        metrics?.queueDepth(name, state.queue.count)
    }
}

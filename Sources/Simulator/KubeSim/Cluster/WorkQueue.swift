import DequeModule
import Synchronization

/// A de-duplicating queue of keys for one controller worker: a key added while already queued is
/// queued once, so a burst of events for one object costs one sync. Delayed adds are real
/// simulated delays (a pod becoming Ready, minReadySeconds elapsing), never polling.
final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var queue: Deque<Key> = []
        var queued: Set<Key> = []
        var waiter: CheckedContinuation<Key?, Never>?
        var closed = false
        /// The earliest pending delayed add per key, so a key re-armed with a later deadline
        /// (a crash-looping pod) does not pile up timers.
        var deadlines: [Key: ContinuousClock.Instant] = [:]
        var timers: [Int: Task<Void, Never>] = [:]
        var nextTimer = 0
    }

    private let state = Mutex(State())

    func add(_ key: Key) {
        let waiter: CheckedContinuation<Key?, Never>? = state.withLock { state in
            guard !state.closed, !state.queued.contains(key) else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queued.insert(key)
            state.queue.append(key)
            return nil
        }
        waiter?.resume(returning: key)
    }

    func add(_ key: Key, after delay: Duration) {
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now.advanced(by: delay)
        state.withLock { state in
            guard !state.closed else { return }
            if let existing = state.deadlines[key], existing <= deadline { return }
            state.deadlines[key] = deadline
            let id = state.nextTimer
            state.nextTimer += 1
            state.timers[id] = Task { [weak self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                guard let self else { return }
                let fire = self.state.withLock { state -> Bool in
                    state.timers[id] = nil
                    guard !state.closed else { return false }
                    if state.deadlines[key] == deadline { state.deadlines[key] = nil }
                    return true
                }
                if fire { self.add(key) }
            }
        }
    }

    /// The next key, waiting for one; nil once closed.
    func next() async -> Key? {
        await withCheckedContinuation { continuation in
            let immediate: Key?? = state.withLock { state in
                if let key = state.queue.popFirst() {
                    state.queued.remove(key)
                    return .some(key)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    var count: Int { state.withLock { $0.queue.count } }

    func close() {
        let (waiter, timers) = state.withLock { state in
            state.closed = true
            let waiter = state.waiter
            state.waiter = nil
            let timers = Array(state.timers.values)
            state.timers.removeAll()
            state.queue.removeAll()
            state.queued.removeAll()
            return (waiter, timers)
        }
        for timer in timers { timer.cancel() }
        waiter?.resume(returning: nil)
    }
}

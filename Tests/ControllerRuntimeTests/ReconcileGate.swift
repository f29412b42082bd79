import Synchronization

/// Holds reconciles at their start while closed, so a test can see keys in flight (workers busy,
/// metrics of unfinished work) and then let them all through.
final class ReconcileGate: Sendable {
    private struct State {
        var closed = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func setClosed(_ closed: Bool) { state.withLock { $0.closed = closed } }
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func releaseAll() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns at once while open; while closed, once `releaseAll` is called.
    func pass() async {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { state -> Bool in
                guard state.closed else { return false }
                state.waiting.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
    }
}

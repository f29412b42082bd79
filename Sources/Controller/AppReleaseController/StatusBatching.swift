import Foundation
import Synchronization

/// When this process last wrote each AppRelease's status, so that a change of progress figures
/// alone (pod counts, the sentences quoting them) waits until `period` has passed since that
/// write, and goes out with whatever else changed by then. Kubernetes batches Endpoints and
/// EndpointSlice writes the same way (`--endpointslice-updates-batch-period`).
///
/// While the client's own rate limit holds requests back (a mass release), progress also yields
/// to the writes that move releases along, for up to `yieldLimit` periods: figures then lag by
/// seconds, and the releases finish sooner.
///
/// Only progress waits: a phase, a condition's status or reason, a release starting, ending or
/// failing is written at once (`StatusChange.significant`). Kept in memory: after a restart the
/// first write goes out at once, which is only ever earlier.
final class StatusBatching: Sendable {
    let period: TimeInterval
    static let yieldLimit = 10.0
    private let lastWrite = Mutex<[String: Date]>([:])

    init(period: TimeInterval) {
        self.period = period
    }

    /// How long a progress-only write for `owner` (its uid) must still wait, given how long a
    /// request would now wait for the client's rate limit (`backlog`); nil: write now.
    func wait(owner: String, now: Date, backlog: Duration = .zero) -> Duration? {
        guard period > 0, let last = lastWrite.withLock({ $0[owner] }) else { return nil }
        let elapsed = now.timeIntervalSince(last)
        let remaining: TimeInterval
        if elapsed < period {
            remaining = period - elapsed
        } else if backlog > .zero && elapsed < period * Self.yieldLimit {
            remaining = min(period, period * Self.yieldLimit - elapsed)
        } else {
            return nil
        }
        return .milliseconds(Int64((remaining * 1000).rounded(.up)))
    }

    func wrote(owner: String, at date: Date) {
        lastWrite.withLock { times in
            // Entries older than the period decide nothing: drop them rather than grow with
            // every AppRelease ever written.
            if times.count > 1024 {
                times = times.filter { date.timeIntervalSince($0.value) < period }
            }
            times[owner] = date
        }
    }

    func forget(owner: String) {
        _ = lastWrite.withLock { $0.removeValue(forKey: owner) }
    }
}

import Foundation
import KubeModels
import Synchronization

/// What this controller has written and its informers have not shown yet. Acting on a cache that
/// lags behind our own writes would repeat or undo them (scale twice, append a history entry
/// twice, overwrite a newer status), so a reconcile pass waits until the caches have caught up:
/// the watch event that catches them up enqueues the key again. Entries are grouped by the
/// AppRelease (uid) the write was for, and expire, so an event that never comes (the object was
/// deleted and recreated meanwhile) cannot wedge a release.
final class WriteExpectations: Sendable {
    struct Target: Hashable, Sendable {
        var resource: String
        var name: String
    }

    private enum Expectation: Sendable {
        /// The cache must show this resourceVersion or a later one.
        case version(UInt64, expires: ContinuousClock.Instant)
        /// The cache must no longer show this object (by uid).
        case gone(uid: String, expires: ContinuousClock.Instant)
    }

    private let pending = Mutex<[String: [Target: Expectation]]>([:])
    private let lifetime: Duration
    /// The clock, injectable so that tests advance time instead of sleeping through `lifetime`.
    private let now: @Sendable () -> ContinuousClock.Instant

    static let defaultLifetime: Duration = .seconds(30)

    init(lifetime: Duration = defaultLifetime, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.now = now
    }

    /// Records the object a write for the AppRelease `owner` (its uid) returned.
    func wrote(_ resource: String, object: JSONValue, owner: String) {
        guard case let name = object.meta.name, !name.isEmpty, let version = Self.version(object) else { return }
        let expires = now() + lifetime
        pending.withLock { $0[owner, default: [:]][Target(resource: resource, name: name)] = .version(version, expires: expires) }
    }

    func deleted(_ resource: String, name: String, uid: String, owner: String) {
        let expires = now() + lifetime
        pending.withLock { $0[owner, default: [:]][Target(resource: resource, name: name)] = .gone(uid: uid, expires: expires) }
    }

    /// Whether the caches reflect every write made for `owner`; `cached` looks an object up in
    /// the cache (nil when absent). Confirmed or expired expectations are dropped.
    func caughtUp(owner: String, cached: (Target) -> JSONValue?) -> Bool {
        pending.withLock { pending in
            guard var entries = pending[owner] else { return true }
            let now = now()
            for (target, expectation) in entries {
                let object = cached(target)
                let satisfied: Bool
                switch expectation {
                case .version(let version, let expires):
                    // Absent from the cache: deleted by someone else meanwhile; nothing to wait for.
                    satisfied = now >= expires || object.map { (Self.version($0) ?? .max) >= version } ?? true
                case .gone(let uid, let expires):
                    satisfied = now >= expires || object.map { $0.meta.uid != uid } ?? true
                }
                if satisfied { entries[target] = nil }
            }
            pending[owner] = entries.isEmpty ? nil : entries
            return entries.isEmpty
        }
    }

    /// Drops everything recorded for an AppRelease that no longer exists.
    func forget(owner: String) {
        _ = pending.withLock { $0.removeValue(forKey: owner) }
    }

    /// resourceVersions are opaque by contract but integers on every API server in use (etcd
    /// revisions, kubesim's counter); a non-numeric one disables the wait rather than wedging it.
    private static func version(_ object: JSONValue) -> UInt64? {
        UInt64(object.meta.resourceVersion)
    }
}

import Foundation
import KubeModels
import Synchronization

/// What this controller has written and its informers have not shown yet. Acting on a cache that
/// lags behind our own writes would repeat or undo them (scale twice, append a history entry
/// twice, overwrite a newer status), so a reconcile pass waits until the caches have caught up:
/// the watch event that catches them up enqueues the key again. Entries expire, so an event that
/// never comes (the object was deleted and recreated meanwhile) cannot wedge a release.
final class WriteExpectations: Sendable {
    struct Target: Hashable, Sendable {
        var resource: String
        var namespace: String
        var name: String
    }

    private enum Expectation: Sendable {
        /// The cache must show this resourceVersion or a later one.
        case version(UInt64, expires: ContinuousClock.Instant)
        /// The cache must no longer show this object (by uid).
        case gone(uid: String, expires: ContinuousClock.Instant)
    }

    private let pending = Mutex<[Target: Expectation]>([:])
    private let lifetime: Duration

    init(lifetime: Duration = .seconds(30)) {
        self.lifetime = lifetime
    }

    /// Records the object a write returned (create, patch, status patch).
    func wrote(_ resource: String, object: JSONValue) {
        guard let target = Self.target(resource, object), let version = Self.version(object) else { return }
        let expires = ContinuousClock.now + lifetime
        pending.withLock { $0[target] = .version(version, expires: expires) }
    }

    func deleted(_ resource: String, namespace: String, name: String, uid: String) {
        let expires = ContinuousClock.now + lifetime
        pending.withLock { $0[Target(resource: resource, namespace: namespace, name: name)] = .gone(uid: uid, expires: expires) }
    }

    /// Whether the cached copy of the object (nil when absent) reflects our last write to it.
    func isSatisfied(_ resource: String, namespace: String, name: String, cached: JSONValue?) -> Bool {
        let target = Target(resource: resource, namespace: namespace, name: name)
        return pending.withLock { pending in
            guard let expectation = pending[target] else { return true }
            let satisfied: Bool
            switch expectation {
            case .version(let version, let expires):
                // Absent from the cache: deleted by someone else meanwhile; nothing to wait for.
                satisfied = ContinuousClock.now >= expires || cached.map { (Self.version($0) ?? .max) >= version } ?? true
            case .gone(let uid, let expires):
                satisfied = ContinuousClock.now >= expires || cached?[path: "metadata", "uid"]?.stringValue != uid
            }
            if satisfied { pending[target] = nil }
            return satisfied
        }
    }

    /// Names of objects of `resource` in `namespace` with a write not yet confirmed by a cache.
    func pendingNames(_ resource: String, namespace: String) -> [String] {
        pending.withLock { pending in
            pending.keys.filter { $0.resource == resource && $0.namespace == namespace }.map(\.name)
        }
    }

    private static func target(_ resource: String, _ object: JSONValue) -> Target? {
        guard let name = object[path: "metadata", "name"]?.stringValue else { return nil }
        return Target(resource: resource, namespace: object[path: "metadata", "namespace"]?.stringValue ?? "", name: name)
    }

    /// resourceVersions are opaque by contract but integers on every API server in use (etcd
    /// revisions, kubesim's counter); a non-numeric one disables the wait rather than wedging it.
    private static func version(_ object: JSONValue) -> UInt64? {
        object[path: "metadata", "resourceVersion"]?.stringValue.flatMap { UInt64($0) }
    }
}

/// What a reconcile pass asks of the work queue afterwards.
public enum ReconcileResult: Sendable, Hashable {
    /// Converged; nothing more until the next change.
    case done
    /// Look again after this long (pauses, deadlines); the key's failure backoff is reset.
    case requeueAfter(Duration)
    /// Look again soon, with the key's rate-limited backoff, without counting it as an error.
    case requeue
}

/// The level-triggered logic of one controller: read the world for `key`, move it one step
/// toward the desired state. Throwing requeues the key with per-key exponential backoff.
/// Reconcilers must tolerate cancellation: losing leadership cancels every in-flight pass.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}

/// A reconciler from a closure, handy for small controllers and tests.
public struct ClosureReconciler: Reconciler {
    private let body: @Sendable (ObjectKey) async throws -> ReconcileResult

    public init(_ body: @escaping @Sendable (ObjectKey) async throws -> ReconcileResult) {
        self.body = body
    }

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        try await body(key)
    }
}

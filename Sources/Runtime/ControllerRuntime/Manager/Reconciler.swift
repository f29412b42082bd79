import KubeModels

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

/// A failure that retrying cannot fix (an adoption conflict, an object that belongs to someone
/// else): the key is not requeued, as with controller-runtime's `reconcile.TerminalError`. It is
/// logged as an error and counted; the next change to a watched object queues the key again.
public struct TerminalError: Error, CustomStringConvertible {
    public let underlying: any Error

    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    public var description: String { "terminal error: \(underlying)" }
}

/// How a reconcile pass ended, as `controller_runtime_reconcile_total` counts it.
enum ReconcileOutcome: Sendable, Hashable {
    case success
    /// Retried with the key's backoff (`ReconcileResult.requeue`): controller-runtime's `Requeue`.
    case requeue
    /// Looked at again after a delay (`ReconcileResult.requeueAfter`): controller-runtime's
    /// `RequeueAfter`, a timer rather than a retry.
    case requeueAfter
    case error
    /// Not retried; also counted as an error, as controller-runtime does.
    case terminalError

    static let resultLabels = ["success", "error", "requeue", "requeue_after"]

    var resultLabel: String {
        switch self {
        case .success: "success"
        case .requeue: "requeue"
        case .requeueAfter: "requeue_after"
        case .error, .terminalError: "error"
        }
    }

    init(_ result: ReconcileResult) {
        switch result {
        case .done: self = .success
        case .requeue: self = .requeue
        case .requeueAfter: self = .requeueAfter
        }
    }
}

import KubeClient
import KubeModels
import Logging
import Synchronization

/// Hands out shared informers: one per (resource, namespace scope, label selector), so every
/// controller that needs ReplicaSets reads the same cache over the same watch.
public final class InformerFactory: Sendable {
    private struct InformerID: Hashable {
        var resource: GroupVersionResource
        var namespace: String?
        var labelSelector: String?
    }

    private struct State {
        var informers: [InformerID: Informer] = [:]
        var order: [Informer] = []
        /// Set while `run()` is active: informers created later are started through it.
        var starter: AsyncStream<Informer>.Continuation?
    }

    public let api: any KubernetesAPI
    /// The scope used when `informer(for:)` is called without a namespace: nil watches all namespaces.
    public let defaultNamespace: String?
    public let options: InformerOptions
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let state = Mutex(State())

    public init(
        api: any KubernetesAPI, defaultNamespace: String? = nil, options: InformerOptions = InformerOptions(),
        metrics: RuntimeMetrics? = nil, logger: Logger = Logger(label: "informers")
    ) {
        self.api = api
        self.defaultNamespace = defaultNamespace
        self.options = options
        self.metrics = metrics
        self.logger = logger
    }

    /// The shared informer for `resource` in the factory's default scope.
    public func informer(for resource: GroupVersionResource, labelSelector: String? = nil) -> Informer {
        informer(for: resource, namespace: defaultNamespace, labelSelector: labelSelector)
    }

    /// The shared informer for `resource` in `namespace` (nil = all namespaces).
    public func informer(for resource: GroupVersionResource, namespace: String?, labelSelector: String? = nil) -> Informer {
        let id = InformerID(resource: resource, namespace: resource.namespaced ? namespace : nil, labelSelector: labelSelector)
        return state.withLock { state in
            if let existing = state.informers[id] { return existing }
            let made = Informer(
                api: api, resource: resource, namespace: id.namespace, labelSelector: labelSelector, options: options,
                metrics: metrics, logger: logger)
            state.informers[id] = made
            state.order.append(made)
            state.starter?.yield(made)
            return made
        }
    }

    public var informers: [Informer] { state.withLock { $0.order } }

    /// True when every informer created so far has synced.
    public var hasSynced: Bool { informers.allSatisfy(\.hasSynced) }

    /// Returns once every informer created so far has synced (or the caller is cancelled).
    public func waitForSync() async {
        for informer in informers { await informer.waitForSync() }
    }

    /// Runs every informer, including ones created while running, until cancelled.
    public func run() async {
        let (stream, continuation) = AsyncStream<Informer>.makeStream()
        let existing = state.withLock { state -> [Informer] in
            state.starter = continuation
            return state.order
        }
        for informer in existing { continuation.yield(informer) }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await informer in stream {
                    group.addTask { await informer.run() }
                }
                group.cancelAll()
            }
        } onCancel: {
            continuation.finish()
        }
        state.withLock { $0.starter = nil }
    }
}

import KubeClient
import KubeModels
import Logging
import Synchronization

/// Hands out shared informers: one per (resource, namespace scope, label selector), so every
/// controller that needs ReplicaSets reads the same cache over the same watch. It also makes and
/// runs the `NamedObjectCache`s controllers ask for, which stay out of `hasSynced` and
/// `waitForSync`: they watch only what owners name, possibly a resource the cluster does not serve.
public final class InformerFactory: Sendable {
    private struct InformerID: Hashable {
        var resource: GroupVersionResource
        var namespace: String?
        var labelSelector: String?
    }

    private struct State {
        var informers: [InformerID: Informer] = [:]
        var order: [Informer] = []
        var namedCaches: [NamedObjectCache] = []
        /// Set while `run()` is active: informers and caches created later are started through it.
        var starter: AsyncStream<@Sendable () async -> Void>.Continuation?
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
            state.starter?.yield { await made.run() }
            return made
        }
    }

    /// A new cache of the `resource` objects its owners name, run with the informers. Not shared:
    /// owners are the calling controller's keys, which another controller's could collide with.
    public func namedObjectCache(for resource: GroupVersionResource) -> NamedObjectCache {
        let made = NamedObjectCache(api: api, resource: resource, options: options, metrics: metrics, logger: logger)
        state.withLock { state in
            state.namedCaches.append(made)
            state.starter?.yield { await made.run() }
        }
        return made
    }

    public var informers: [Informer] { state.withLock { $0.order } }

    /// True when every informer created so far has synced.
    public var hasSynced: Bool { informers.allSatisfy(\.hasSynced) }

    /// Returns once every informer created so far has synced (or the caller is cancelled).
    public func waitForSync() async {
        for informer in informers { await informer.waitForSync() }
    }

    /// Runs every informer and named cache, including ones created while running, until cancelled.
    public func run() async {
        let (stream, continuation) = AsyncStream<@Sendable () async -> Void>.makeStream()
        let (informers, namedCaches) = state.withLock { state -> ([Informer], [NamedObjectCache]) in
            state.starter = continuation
            return (state.order, state.namedCaches)
        }
        for informer in informers { continuation.yield { await informer.run() } }
        for cache in namedCaches { continuation.yield { await cache.run() } }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await run in stream {
                    group.addTask { await run() }
                }
                group.cancelAll()
            }
        } onCancel: {
            continuation.finish()
        }
        state.withLock { $0.starter = nil }
    }
}

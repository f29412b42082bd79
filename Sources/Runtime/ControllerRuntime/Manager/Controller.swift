import KubeModels
import Logging
import Synchronization

/// One reconciler with its work queue and workers, fed by informer event handlers.
/// Create it with `ControllerManager.addController`, then say what to watch.
public final class Controller: Sendable {
    public let name: String
    public let queue: WorkQueue<ObjectKey>
    public let workers: Int
    private let reconciler: any Reconciler
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let active = Mutex(0)

    init(name: String, reconciler: any Reconciler, workers: Int, rateLimiter: RateLimiterConfig, metrics: RuntimeMetrics?, logger: Logger) {
        self.name = name
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
        self.queue = WorkQueue(name: name, rateLimiter: rateLimiter, metrics: metrics)
        metrics?.controllerAdded(name, workers: self.workers)
    }

    // MARK: Event sources

    /// The primary resource: every change enqueues the object's own key. `filter` may skip
    /// changes that cannot matter (e.g. status-only updates).
    public func watches(
        _ informer: Informer,
        filter: @escaping @Sendable (InformerEventKind, JSONValue?, JSONValue?) -> Bool = { _, _, _ in true }
    ) {
        let queue = self.queue
        informer.onEvent { kind, old, new in
            guard filter(kind, old, new), let object = new ?? old, let key = ObjectKey(object: object) else { return }
            queue.add(key)
        }
    }

    /// Owned objects (e.g. ReplicaSets): a change enqueues the controlling owner when it is of
    /// `owner`'s group and kind (any version), in the object's namespace; for updates both the old
    /// and the new owner are enqueued. controller-runtime's `EnqueueRequestForOwner` with
    /// `OnlyControllerOwner`: a Deployment's ReplicaSet never wakes an AppRelease of the same name.
    public func owns(_ informer: Informer, owner: GroupVersionResource) {
        watches(informer) { object in Self.controllerOwner(of: object, owner: owner).map { [$0] } ?? [] }
    }

    /// Any related resource, mapped to the keys it affects; `filter` (controller-runtime's
    /// predicates) drops the events that cannot change a reconcile's outcome.
    public func watches(
        _ informer: Informer,
        filter: @escaping @Sendable (InformerEventKind, JSONValue?, JSONValue?) -> Bool = { _, _, _ in true },
        map: @escaping @Sendable (JSONValue) -> [ObjectKey]
    ) {
        let queue = self.queue
        informer.onEvent { kind, old, new in
            guard filter(kind, old, new) else { return }
            var keys = Set<ObjectKey>()
            if let old { keys.formUnion(map(old)) }
            if let new { keys.formUnion(map(new)) }
            for key in keys { queue.add(key) }
        }
    }

    /// Objects named through `cache.want(owner:…)`: the owners are enqueued when one of their
    /// objects changes and when their namespace is first listed (found or not).
    public func watches(_ cache: NamedObjectCache) {
        let queue = self.queue
        cache.onWake { owners in
            for owner in owners { queue.add(owner) }
        }
    }

    /// The controlling owner of `object` if it is of `owner`'s group and kind, as a key in the
    /// object's namespace.
    public static func controllerOwner(of object: JSONValue, owner: GroupVersionResource) -> ObjectKey? {
        let meta = object.meta
        guard let reference = meta.controller(owner) else { return nil }
        return ObjectKey(namespace: meta.namespace, name: reference.name)
    }

    // MARK: Workers

    /// Runs the workers until the queue shuts down or the task is cancelled.
    func runWorkers() async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<workers {
                group.addTask { await self.workerLoop() }
            }
        }
    }

    private func workerLoop() async {
        while !Task.isCancelled, let key = await queue.get() {
            await process(key)
        }
    }

    private func process(_ key: ObjectKey) async {
        let start = ContinuousClock.now
        let busy = active.withLock { count -> Int in
            count += 1
            return count
        }
        metrics?.activeWorkers(controller: name, count: busy)
        defer {
            let idle = active.withLock { count -> Int in
                count -= 1
                return count
            }
            metrics?.activeWorkers(controller: name, count: idle)
        }
        do {
            let result = try await reconciler.reconcile(key)
            switch result {
            case .done:
                queue.forget(key)
                queue.reschedule(key, after: nil)
            case .requeueAfter(let delay):
                queue.forget(key)
                queue.reschedule(key, after: delay)
            case .requeue:
                queue.addRateLimited(key)
            }
            metrics?.reconcileFinished(controller: name, outcome: ReconcileOutcome(result), duration: .now - start)
            queue.done(key)
        } catch let error as TerminalError {
            logger.error("reconcile failed permanently; not retrying", metadata: ["key": "\(key)", "error": "\(error.underlying)"])
            queue.forget(key)
            metrics?.reconcileFinished(controller: name, outcome: .terminalError, duration: .now - start)
            queue.done(key)
        } catch {
            if Task.isCancelled {
                // Leadership lost or hard stop: keep the key for whoever runs next. Not counted:
                // the pass was cut short, neither a result nor a failure of the reconciler, and
                // the next pass over the key is counted.
                queue.done(key)
                queue.add(key)
                return
            }
            logger.warning("reconcile failed", metadata: ["key": "\(key)", "error": "\(error)", "retries": "\(queue.numRequeues(key))"])
            queue.addRateLimited(key)
            metrics?.reconcileFinished(controller: name, outcome: .error, duration: .now - start)
            queue.done(key)
        }
    }
}

import KubeModels
import Synchronization

/// What a cluster does besides serving the API: a ReplicaSet controller, one kubelet node,
/// Endpoints / EndpointSlices for Services, and the garbage collector, all driven by the store's
/// event streams (timers only for simulated delays). `KubeSim.start` runs one when
/// `simulateCluster` is on; tests may run one directly against an `ObjectStore`.
public final class SimulatedCluster: Sendable {
    public let options: ClusterOptions
    let store: ObjectStore
    let pods = StoreInformer(.pods)
    let replicaSets = StoreInformer(.replicaSets)
    let services = StoreInformer(.services)
    let replicaSetController: ReplicaSetController
    let kubelet: Kubelet
    let endpointsController: EndpointsController
    let garbageCollector: GarbageCollector
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(store: ObjectStore, options: ClusterOptions, faults: FaultInjector) {
        self.store = store
        self.options = options
        replicaSetController = ReplicaSetController(store: store, pods: pods, replicaSets: replicaSets, faults: faults)
        kubelet = Kubelet(store: store, pods: pods, options: options)
        endpointsController = EndpointsController(store: store, pods: pods, services: services)
        garbageCollector = GarbageCollector(store: store)
    }

    /// Starts every controller and returns once their caches hold the store's current state.
    /// `faults` carries the faults the controllers themselves suffer (a lagging ReplicaSet status).
    public static func start(
        store: ObjectStore, options: ClusterOptions = ClusterOptions(), faults: FaultInjector? = nil
    ) async -> SimulatedCluster {
        // Pods now terminate gracefully (the kubelet finishes them) and propagation policies
        // leave finalizers for the garbage collector, as on a cluster with these controllers.
        store.enableGracefulDeletion(for: .pods)
        store.enablePropagationFinalizers()
        let cluster = SimulatedCluster(store: store, options: options, faults: faults ?? FaultInjector(store: store))
        cluster.launch()
        await cluster.waitForCaches()
        return cluster
    }

    private func launch() {
        let informers = [pods, replicaSets, services]
        var started: [Task<Void, Never>] = informers.map { informer in
            Task { [store] in await informer.run(store: store) }
        }
        started.append(Task { [garbageCollector] in await garbageCollector.observe() })
        started.append(Task { [replicaSetController] in await replicaSetController.run() })
        started.append(Task { [kubelet] in await kubelet.run() })
        started.append(Task { [endpointsController] in await endpointsController.run() })
        started.append(Task { [endpointsController] in await endpointsController.observeDeletions() })
        started.append(Task { [garbageCollector] in await garbageCollector.run() })
        tasks.withLock { $0 = started }
    }

    private func waitForCaches() async {
        for informer in [pods, replicaSets, services] { await informer.synced.wait() }
        await garbageCollector.synced.wait()
    }

    /// Stops every controller; pending simulated delays are cancelled.
    public func stop() async {
        let running = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for queue in [replicaSetController.queue, kubelet.queue, endpointsController.queue] as [WorkQueue<ObjectKey>] { queue.close() }
        garbageCollector.queue.close()
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}

/// The entry point `KubeSim.start` calls when `simulateCluster` is on.
typealias ClusterSimulator = SimulatedCluster

extension SimulatedCluster {
    static func start(store: ObjectStore, options: KubeSimOptions, faults: FaultInjector) async -> SimulatedCluster {
        var clusterOptions = ClusterOptions()
        clusterOptions.podReadyDelay = options.podReadyDelay
        return await start(store: store, options: clusterOptions, faults: faults)
    }
}

/// The entry point `KubeSim.start` calls when `simulateCluster` is on.
typealias ClusterSimulator = SimulatedCluster

extension SimulatedCluster {
    static func start(store: ObjectStore, options: KubeSimOptions) async -> SimulatedCluster {
        var clusterOptions = ClusterOptions()
        clusterOptions.podReadyDelay = options.podReadyDelay
        return await start(store: store, options: clusterOptions)
    }
}

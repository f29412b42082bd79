// Placeholder landed by the sim-server helper so KubeSim compiles; the sim-cluster helper owns
// this file and replaces it with the ReplicaSet controller, kubelet, endpoints and GC wiring.
final class ClusterSimulator: Sendable {
    static func start(store: ObjectStore, options: KubeSimOptions) async -> ClusterSimulator {
        ClusterSimulator()
    }

    func stop() async {}
}

import Foundation
import KubeClient
import KubeModels
import KubeSim
import KubeSimKubelet
import TestSupport
import Testing

/// `kubesim kubelet` against an API server that runs no cluster of its own (kubesim with the
/// simulation off): everything the nodes do must come through the API, as on a real control plane.
@Suite("kubesim kubelet: simulated nodes over the API")
struct StandaloneKubeletTests {
    func pod(_ name: String, image: String, node: String, grace: Int64 = 30) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "nodeName": .string(node), "terminationGracePeriodSeconds": .int(grace),
                "containers": [["name": "app", "image": .string(image)]],
            ],
        ]
    }

    func withKubelet(_ body: (KubernetesClient, StandaloneKubelet.Options) async throws -> Void) async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            fixture.sim.store.enableGracefulDeletion(for: .pods)
            let client = try KubernetesClient(kubeconfigPath: fixture.kubeconfigPath)
            defer { client.shutdown() }
            var options = StandaloneKubelet.Options()
            options.nodes = SimulatedNode.fleet(prefix: "sim", count: 2)
            options.renewInterval = .milliseconds(200)
            options.cluster.podReadyDelay = .milliseconds(100)
            options.cluster.crashLoopInterval = .milliseconds(300)
            options.cluster.maxGracePeriod = .milliseconds(300)
            let kubelet = StandaloneKubelet(api: client, options: options)
            let running = Task { try await kubelet.run() }
            defer { running.cancel() }
            try await body(client, options)
        }
    }

    func readyNodes(_ client: KubernetesClient) async throws -> [String] {
        let nodes = try await client.list(.nodes, namespace: nil, options: ListOptions(labelSelector: "kubesim.dev/simulated=true"))
        return nodes.items.filter { node in
            node[path: "status", "conditions"]?.arrayValue?.contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            } ?? false
        }.compactMap { $0[path: "metadata", "name"]?.stringValue }.sorted()
    }

    @Test func registersReadyNodesAndRenewsTheirLeases() async throws {
        try await withKubelet { client, options in
            try await eventually("both nodes registered and Ready") { try await readyNodes(client) == ["sim-0", "sim-1"] }
            let node = try await client.get(.nodes, namespace: nil, name: "sim-1")
            #expect(node[path: "status", "allocatable", "pods"]?.stringValue == "1000")
            #expect(node[path: "spec", "taints"]?.arrayValue?.first?["key"]?.stringValue == SimulatedNode.simulatedLabel)
            #expect(node[path: "status", "addresses"]?.arrayValue?.first?["address"]?.stringValue == options.nodes[1].hostIP)

            let lease = { try await client.get(.leases, namespace: "kube-node-lease", name: "sim-0") }
            try await eventually("the lease to exist") { (try? await lease()) != nil }
            let first = try await lease()
            #expect(first[path: "spec", "holderIdentity"]?.stringValue == "sim-0")
            let owner = try await client.get(.nodes, namespace: nil, name: "sim-0")
            #expect(first[path: "metadata", "ownerReferences"]?.arrayValue?.first?["uid"] == owner[path: "metadata", "uid"])
            let firstRenewal = first[path: "spec", "renewTime"]?.stringValue
            try await eventually("the lease to be renewed") {
                try await lease()[path: "spec", "renewTime"]?.stringValue != firstRenewal
            }
        }
    }

    @Test func playsBoundPodsByTheirImageAndLeavesOthersAlone() async throws {
        try await withKubelet { client, options in
            try await eventually("nodes registered") { try await readyNodes(client).count == 2 }
            for (name, image, node) in [
                ("good", "registry.example/app@sha256:1", "sim-1"), ("crashing", "registry.example/crash@sha256:2", "sim-0"),
                ("pulling", "registry.example/pullerr@sha256:3", "sim-0"), ("elsewhere", "registry.example/app@sha256:4", "other-node"),
            ] {
                try await client.create(.pods, namespace: "default", object: pod(name, image: image, node: node))
            }
            let get = { (name: String) in try await client.get(.pods, namespace: "default", name: name) }

            try await eventually("the good pod Ready on its node's address") {
                let status = try await get("good")["status"]
                return PodReady.isReady(status) && status?["hostIP"]?.stringValue == options.nodes[1].hostIP
                    && status?["podIP"]?.stringValue?.hasPrefix("10.244.") == true
            }
            try await eventually("the crashing pod to restart twice, in CrashLoopBackOff between runs") {
                let status = try await get("crashing")["status"]
                let container = status?["containerStatuses"]?.arrayValue?.first
                return (container?["restartCount"]?.intValue ?? 0) >= 2 && !PodReady.isReady(status)
            }
            try await eventually("the pulling pod in ImagePullBackOff") {
                let waiting = try await get("pulling")[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "waiting", "reason"]
                return waiting?.stringValue == "ImagePullBackOff"
            }
            #expect(try await get("elsewhere")[path: "status", "podIP"] == nil, "a pod of another node was touched")

            // Graceful deletion: the API marks the pod; the kubelet removes it after the (capped) grace.
            try await client.delete(.pods, namespace: "default", name: "good")
            try await eventually("the deleted pod to be removed by its kubelet") {
                do {
                    _ = try await get("good")
                    return false
                } catch let error as KubernetesError where error.isNotFound {
                    return true
                }
            }
        }
    }
}

/// The Ready condition of a pod status.
enum PodReady {
    static func isReady(_ status: JSONValue?) -> Bool {
        status?["conditions"]?.arrayValue?.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" } ?? false
    }
}

import Foundation
import KubeModels

/// One node that `kubesim kubelet` registers on an API server: a Node object the scheduler can
/// place pods on, and the Lease in `kube-node-lease` whose renewals keep the node-lifecycle
/// controller from marking it NotReady (the heartbeat kubelets have sent since 1.17).
public struct SimulatedNode: Sendable, Hashable {
    public static let leaseNamespace = "kube-node-lease"
    /// Every node this tool registers carries this label, and a `NoSchedule` taint of the same
    /// key (as KWOK's nodes do): only pods that tolerate it and select the label land here, so a
    /// cluster's real workloads never meet a node that runs nothing, and test pods never meet a
    /// real node that cannot pull their made-up images.
    public static let simulatedLabel = "kubesim.dev/simulated"

    public var name: String
    public var hostIP: String

    public init(name: String, hostIP: String) {
        self.name = name
        self.hostIP = hostIP
    }

    /// Nodes `prefix-0 … prefix-(count-1)` with addresses 10.250.0.1 … (data only: nothing listens there).
    public static func fleet(prefix: String, count: Int) -> [SimulatedNode] {
        (0..<count).map { SimulatedNode(name: "\(prefix)-\($0)", hostIP: "10.250.\($0 / 250).\($0 % 250 + 1)") }
    }

    /// The Node as registered: schedulable, large enough for any test, Ready.
    func object(now: Date) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Node",
            "metadata": [
                "name": .string(name),
                "labels": [
                    "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                    Self.simulatedLabel: "true",
                ],
            ],
            "spec": ["taints": [["key": .string(Self.simulatedLabel), "value": "true", "effect": "NoSchedule"]]],
            "status": status(now: now),
        ]
    }

    /// What the node reports: capacity, addresses and healthy conditions.
    func status(now: Date) -> JSONValue {
        let stamp = JSONValue.string(KubeTime.format(now))
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            [
                "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastHeartbeatTime": stamp, "lastTransitionTime": stamp,
            ]
        }
        let resources: JSONValue = ["cpu": "64", "memory": "256Gi", "pods": "1000", "ephemeral-storage": "1Ti"]
        return [
            "capacity": resources,
            "allocatable": resources,
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubesim kubelet is posting ready status"),
            ],
            "addresses": [["type": "InternalIP", "address": .string(hostIP)], ["type": "Hostname", "address": .string(name)]],
            "nodeInfo": [
                "kubeletVersion": "v1.36.0-kubesim", "kubeProxyVersion": "", "containerRuntimeVersion": "kubesim://1",
                "operatingSystem": "linux", "architecture": "amd64", "osImage": "kubesim", "kernelVersion": "kubesim",
                "machineID": .string(name), "systemUUID": .string(name), "bootID": .string(name),
            ],
        ]
    }

    /// The node's Lease, owned by the Node so that deleting the node removes it.
    func lease(nodeUID: String, duration: Duration, now: Date) -> JSONValue {
        [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": [
                "name": .string(name), "namespace": .string(Self.leaseNamespace),
                "ownerReferences": [["apiVersion": "v1", "kind": "Node", "name": .string(name), "uid": .string(nodeUID)]],
            ],
            "spec": [
                "holderIdentity": .string(name), "leaseDurationSeconds": .int(duration.components.seconds),
                "renewTime": .string(KubeTime.formatMicro(now)),
            ],
        ]
    }
}

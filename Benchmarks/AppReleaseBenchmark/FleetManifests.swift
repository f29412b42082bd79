import KubeClient
import KubeModels

/// The fleet as an application team would write it: each AppRelease (3 replicas, Rolling with
/// maxSurge 1 and maxUnavailable 0) with a Service of its name selecting its pods.
enum FleetManifests {
    static func name(_ index: Int) -> String { "app-\(index)" }

    static func appRelease(_ name: String, image: String, replicas: Int, namespace: String) -> JSONValue {
        let labels: JSONValue = ["app": .string(name)]
        return [
            "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": [
                "image": .string(image),
                "replicas": .int(Int64(replicas)),
                "selector": ["matchLabels": labels],
                "template": [
                    "metadata": ["labels": labels],
                    "spec": ["containers": [["name": "app", "ports": [["containerPort": 8080]]]]],
                ],
                // One old revision kept: every AppRelease holds two ReplicaSets after a release,
                // however many releases the scenarios make, so kubesim's load stays that of the fleet.
                "revisionHistoryLimit": 1,
                // Reverts start on the second restart (kubesim crash-loops once a second), not
                // after the default three.
                "failFast": ["maxRestarts": 1],
                "strategy": rolling,
            ],
        ]
    }

    static func service(_ name: String, namespace: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["selector": ["app": .string(name)], "ports": [["port": 80, "targetPort": 8080]]],
        ]
    }

    static let rolling: JSONValue = ["type": "Rolling", "rolling": ["maxSurge": 1, "maxUnavailable": 0]]

    /// Two steps: half the pods on the new revision, a second's pause, then all of it. Without a
    /// stable or canary Service the weight is the share of pods behind the app's one Service.
    static let canary: JSONValue = ["type": "Canary", "canary": ["steps": [["setWeight": 50], ["pause": ["duration": "1s"]]]]]

    static let canaryDescription = "setWeight 50, pause 1s"

    static func release(image: String) -> Patch { .merge(["spec": ["image": .string(image)]]) }

    /// A release that also changes the strategy (the other strategy's block removed).
    static func release(image: String, strategy: JSONValue) -> Patch {
        .merge(["spec": ["image": .string(image), "strategy": withOthersRemoved(strategy)]])
    }

    static func strategy(_ strategy: JSONValue) -> Patch { .merge(["spec": ["strategy": withOthersRemoved(strategy)]]) }

    private static func withOthersRemoved(_ strategy: JSONValue) -> JSONValue {
        var strategy = strategy
        for block in ["rolling", "canary", "blueGreen"] where strategy[block] == nil { strategy[block] = .null }
        return strategy
    }
}

/// Digest-pinned references; kubesim's kubelet reads a pod's fate from the repository name
/// (`crash` crash-loops, anything else becomes Ready after `--pod-ready-delay-ms`).
enum Digests {
    static func good(_ serial: Int) -> String { image("registry.example/bench", serial) }
    static func crash(_ serial: Int) -> String { image("registry.example/bench-crash", serial) }

    private static func image(_ repository: String, _ serial: Int) -> String {
        let hex = String(serial, radix: 16)
        return "\(repository)@sha256:\(String(repeating: "0", count: max(0, 64 - hex.count)))\(hex)"
    }
}

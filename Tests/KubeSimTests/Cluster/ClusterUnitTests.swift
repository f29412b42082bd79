import Foundation
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

/// The pure parts of the simulated cluster, without timers or a store.
@Suite struct ClusterUnitTests {
    static func pod(
        _ name: String, node: String = "kubesim-node", phase: String = "Running", ready: Bool = true, readySince: String = "2026-01-01T00:00:00Z",
        restarts: Int64 = 0, created: String = "2026-01-01T00:00:00Z"
    ) -> JSONValue {
        var pod: JSONValue = [
            "metadata": ["name": .string(name), "uid": .string(name), "creationTimestamp": .string(created)],
            "spec": [:],
            "status": [
                "phase": .string(phase),
                "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": .string(readySince)]],
                "containerStatuses": [["name": "app", "restartCount": .int(restarts)]],
            ],
        ]
        if !node.isEmpty { pod.setValue(.string(node), atPath: ["spec", "nodeName"]) }
        return pod
    }

    @Test func scaleDownOrderFollowsUpstreamRanking() {
        let pods = [
            Self.pod("old-ready"),
            Self.pod("new-ready", created: "2026-01-01T00:05:00Z"),
            Self.pod("recently-ready", readySince: "2026-01-01T00:09:00Z"),
            Self.pod("restarting", restarts: 4),
            Self.pod("not-ready", ready: false),
            Self.pod("pending", phase: "Pending", ready: false),
            Self.pod("unscheduled", node: "", phase: "Pending", ready: false),
        ]
        let order = ScaleDownOrder.victims(pods.shuffled(), count: pods.count) { _ in 0 }.map { ObjectMetadata($0).name }
        #expect(order == ["unscheduled", "pending", "not-ready", "recently-ready", "restarting", "new-ready", "old-ready"])
        // Same-second creations fall back to the controller's creation sequence.
        let twins = [Self.pod("first"), Self.pod("second")]
        let victim = ScaleDownOrder.victims(twins, count: 1) { ObjectMetadata($0).name == "second" ? 2 : 1 }
        #expect(victim.map { ObjectMetadata($0).name } == ["second"])
    }

    @Test func timestampsRoundTrip() throws {
        let date = try #require(KubeTime.parse("2026-11-25T11:20:05Z"))
        #expect(KubeTime.format(date) == "2026-11-25T11:20:05Z")
        #expect(KubeTime.parse("2026-11-25T12:20:05.5+01:00") == date.addingTimeInterval(0.5))
        #expect(KubeTime.parse("1999-02-28T23:59:59Z").map(KubeTime.format) == "1999-02-28T23:59:59Z")
        #expect(KubeTime.parse("not a time") == nil)
    }

    @Test func podIPsAreUniqueAndNotReusedAtOnce() {
        var allocator = PodIPAllocator()
        var seen: Set<String> = []
        for _ in 0..<600 {
            guard let ip = allocator.allocate() else { break }
            #expect(ip.hasPrefix("10.244."))
            #expect(!ip.hasSuffix(".0") && !ip.hasSuffix(".255"))
            seen.insert(ip)
        }
        #expect(seen.count == 600)
        allocator.release("10.244.0.1")
        #expect(allocator.allocate() != "10.244.0.1")
    }

    @Test func behaviourFollowsTheImageReference() {
        #expect(PodBehaviour(image: "ghcr.io/acme/app:crash-v2") == .crash)
        #expect(PodBehaviour(image: "app:unready") == .unready)
        #expect(PodBehaviour(image: "app:slow") == .slow)
        #expect(PodBehaviour(image: "app:PullErr") == .pullError)
        #expect(PodBehaviour(image: "nginx:1.27") == .ready)
        #expect(SimulatedPod.imageID("nginx:1.27").hasPrefix("docker.io/library/nginx@sha256:"))
        #expect(SimulatedPod.imageID("ghcr.io/acme/app:v1").hasPrefix("ghcr.io/acme/app@sha256:"))
        #expect(SimulatedPod.imageID("localhost:5000/app:v1").hasPrefix("localhost:5000/app@sha256:"))
    }

    @Test func selectorsEvaluateExpressions() throws {
        let selector = try #require(
            Selector(labelSelector: [
                "matchLabels": ["app": "web"],
                "matchExpressions": [
                    ["key": "track", "operator": "In", "values": ["stable", "canary"]], ["key": "debug", "operator": "DoesNotExist"],
                ],
            ]))
        #expect(selector.matches(["app": "web", "track": "canary"]))
        #expect(!selector.matches(["app": "web", "track": "canary", "debug": "1"]))
        #expect(!selector.matches(["app": "web"]))
        #expect(Selector(labelSelector: ["matchExpressions": [["key": "a", "operator": "Near"]]]) == nil)
    }

    @Test func informerFollowsAddsAndDeletes() async throws {
        let store = ObjectStore()
        let informer = StoreInformer(.services)
        let task = Task { await informer.run(store: store) }
        defer { task.cancel() }
        await informer.synced.wait()
        try store.create(.services, namespace: "default", object: ["metadata": ["name": "a"], "spec": ["selector": ["app": "a"]]])
        try await eventually("added") { informer.get(ObjectKey(namespace: "default", name: "a")) != nil }
        try store.delete(.services, namespace: "default", name: "a")
        try await eventually("deleted") { informer.count == 0 }
    }
}

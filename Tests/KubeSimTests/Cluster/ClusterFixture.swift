import Foundation
import Synchronization
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

/// A store with a running simulated cluster, and the small vocabulary the cluster tests share.
struct ClusterFixture {
    let store: ObjectStore
    let cluster: SimulatedCluster
    let namespace = "default"

    static func start(_ configure: (inout ClusterOptions) -> Void = { _ in }) async -> ClusterFixture {
        var options = ClusterOptions()
        options.podReadyDelay = .milliseconds(100)
        options.crashLoopInterval = .milliseconds(200)
        options.imagePullBackOffDelay = .milliseconds(200)
        options.maxGracePeriod = .milliseconds(200)
        configure(&options)
        let store = ObjectStore()
        _ = try? store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "default"]])
        let cluster = await SimulatedCluster.start(store: store, options: options)
        return ClusterFixture(store: store, cluster: cluster)
    }

    func stop() async { await cluster.stop() }

    static func replicaSetBody(
        _ name: String, replicas: Int64, image: String = "nginx:1.27", app: String? = nil, minReadySeconds: Int64? = nil,
        owner: OwnerReference? = nil
    ) -> JSONValue {
        let labels: JSONValue = ["app": .string(app ?? name), "rs": .string(name)]
        var body: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string(name), "labels": labels],
            "spec": [
                "replicas": .int(replicas),
                "selector": ["matchLabels": labels],
                "template": [
                    "metadata": ["labels": labels],
                    "spec": ["containers": [["name": "app", "image": .string(image), "ports": [["name": "http", "containerPort": 8080]]]]],
                ],
            ],
        ]
        if let minReadySeconds { body.setValue(.int(minReadySeconds), atPath: ["spec", "minReadySeconds"]) }
        if let owner { body.setValue([owner.json], atPath: ["metadata", "ownerReferences"]) }
        return body
    }

    @discardableResult
    func createReplicaSet(
        _ name: String, replicas: Int64, image: String = "nginx:1.27", app: String? = nil, minReadySeconds: Int64? = nil,
        owner: OwnerReference? = nil
    ) throws -> JSONValue {
        try store.create(
            .replicaSets, namespace: namespace,
            object: Self.replicaSetBody(name, replicas: replicas, image: image, app: app, minReadySeconds: minReadySeconds, owner: owner))
    }

    func scale(_ name: String, to replicas: Int64) throws {
        try store.mutate(.replicaSets, namespace: namespace, name: name) { current throws(StatusError) in
            var updated = current
            updated.setValue(.int(replicas), atPath: ["spec", "replicas"])
            return updated
        }
    }

    func setImage(_ name: String, _ image: String) throws {
        try store.mutate(.replicaSets, namespace: namespace, name: name) { current throws(StatusError) in
            var updated = current
            var containers = current[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
            containers[0]["image"] = .string(image)
            updated.setValue(.array(containers), atPath: ["spec", "template", "spec", "containers"])
            return updated
        }
    }

    func replicaSet(_ name: String) -> JSONValue? { try? store.get(.replicaSets, namespace: namespace, name: name) }

    /// Pods controlled by the named ReplicaSet, terminating ones included.
    func pods(of name: String) -> [JSONValue] {
        store.list(.pods, namespace: namespace).items.filter { ObjectMetadata($0).controllerReference?.name == name }
    }

    func activePods(of name: String) -> [JSONValue] { pods(of: name).filter { PodFacts($0).isActive } }

    func readyPods(of name: String) -> [JSONValue] { activePods(of: name).filter { PodFacts($0).isReady } }

    func status(_ name: String, _ field: String) -> Int64 { replicaSet(name)?[path: "status", field]?.intValue ?? 0 }

    func waitForReady(_ name: String, _ count: Int64) async throws {
        try await eventually("\(name) has \(count) ready replicas") {
            readyPods(of: name).count == count && pods(of: name).count == count && status(name, "readyReplicas") == count
        }
    }
}

/// Runs `body` against a fresh cluster and stops the cluster on every exit path.
func withCluster(
    _ configure: (inout ClusterOptions) -> Void = { _ in }, _ body: (ClusterFixture) async throws -> Void
) async throws {
    let fixture = await ClusterFixture.start(configure)
    do {
        try await body(fixture)
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}

/// Records every event of a resource (or of all resources) from now on, with when it arrived,
/// for assertions about what a watching client saw. Call `caughtUp()` before reading: delivery
/// is asynchronous.
final class StoreEventLog: Sendable {
    private final class Log: Sendable {
        let entries = Mutex<[(event: StoreEvent, arrival: Date)]>([])
        let lastSeen = Atomic<UInt64>(0)
    }

    private let log: Log
    private let task: Task<Void, Never>
    private let store: ObjectStore
    private let filter: ResourceKey?
    private let startVersion: UInt64

    init(_ store: ObjectStore, _ gvr: GroupVersionResource? = nil) {
        // Every resource's events arrive in one resourceVersion-ordered stream, so having seen a
        // version means having seen everything before it.
        let stream = store.allEvents()
        startVersion = store.currentResourceVersion
        self.store = store
        filter = gvr.map { ResourceKey($0) }
        let log = Log()
        self.log = log
        task = Task {
            for await event in stream {
                log.entries.withLock { $0.append((event, Date())) }
                log.lastSeen.store(event.resourceVersion, ordering: .releasing)
            }
        }
    }

    /// Waits until every change committed so far has been recorded.
    func caughtUp() async throws {
        let target = store.currentResourceVersion
        guard target > startVersion else { return }
        try await eventually("the event log caught up with resourceVersion \(target)") {
            log.lastSeen.load(ordering: .acquiring) >= target
        }
    }

    var recorded: [StoreEvent] { timed.map(\.event) }

    var timed: [(event: StoreEvent, arrival: Date)] {
        log.entries.withLock { entries in entries.filter { filter == nil || $0.event.key == filter } }
    }

    func stop() { task.cancel() }
}

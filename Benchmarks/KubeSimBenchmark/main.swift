// kubesim at scale: 1,000 custom resources, 3,000 ReplicaSets and 10,000 pods in one process,
// then pod status churn delivered to HTTP watches through the project's client. Prints resident
// memory, list latency, and watch throughput / delivery latency. Figures are measured, never
// assumed: run it (`swift run -c release KubeSimBenchmark`) and read them off.
import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization

struct Settings {
    var customResources = 1_000
    var replicaSets = 3_000
    var pods = 10_000
    var namespaces = 10
    var churn = 20_000
    var watchers = 4

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next().flatMap(Int.init)
            switch (flag, value) {
            case ("--custom-resources", let value?): customResources = value
            case ("--replicasets", let value?): replicaSets = value
            case ("--pods", let value?): pods = value
            case ("--churn", let value?): churn = value
            case ("--watchers", let value?): watchers = max(1, value)
            default:
                FileHandle.standardError.write(
                    Data("usage: KubeSimBenchmark [--custom-resources N] [--replicasets N] [--pods N] [--churn N] [--watchers N]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Resident set size of this process, from /proc (Linux).
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return .nan }
    return kilobytes / 1024
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

let widgetCRD: JSONValue = [
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.bench.dev"],
    "spec": [
        "group": "bench.dev", "scope": "Namespaced",
        "names": ["plural": "widgets", "singular": "widget", "kind": "Widget"],
        "versions": [
            [
                "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]
        ],
    ],
]

func pod(_ index: Int, namespace: String, owner: String) -> JSONValue {
    [
        "metadata": [
            "name": .string("\(owner)-\(index)"), "namespace": .string(namespace),
            "labels": ["app": .string(owner), "pod-template-hash": "5d4f8c9b7"],
            "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(owner), "uid": "bench", "controller": true]],
        ],
        "spec": [
            "containers": [
                [
                    "name": "app", "image": "registry.example/shop:1.4.2", "ports": [["containerPort": 8080, "protocol": "TCP"]],
                    "env": [["name": "MODE", "value": "production"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]],
                ]
            ],
            "nodeName": "kubesim-node", "restartPolicy": "Always",
        ],
        "status": [
            "phase": "Running", "podIP": .string("10.0.\(index / 250).\(index % 250)"),
            "conditions": [["type": "Ready", "status": "True"], ["type": "ContainersReady", "status": "True"]],
            "containerStatuses": [["name": "app", "ready": true, "restartCount": 0, "state": ["running": ["startedAt": "2026-01-01T00:00:00Z"]]]],
        ],
    ]
}

func replicaSet(_ name: String, namespace: String) -> JSONValue {
    [
        "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": .string(name)]],
        "spec": [
            "replicas": 3, "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": ["containers": [["name": "app", "image": "registry.example/shop:1.4.2"]]],
            ],
        ],
        "status": ["replicas": 3, "readyReplicas": 3, "availableReplicas": 3, "observedGeneration": 1],
    ]
}

/// Counts watch events per watcher and the delay from commit to receipt.
final class Delivery: Sendable {
    private struct State {
        var received = 0
        var latencies: [Double] = []
    }

    private let state = Mutex(State())
    private let sentAt: Mutex<[String: ContinuousClock.Instant]>

    init(sentAt: Mutex<[String: ContinuousClock.Instant]>.Type = Mutex<[String: ContinuousClock.Instant]>.self) {
        self.sentAt = Mutex([:])
    }

    func sent(_ resourceVersion: String, at instant: ContinuousClock.Instant) {
        sentAt.withLock { $0[resourceVersion] = instant }
    }

    func received(_ resourceVersion: String, at instant: ContinuousClock.Instant) {
        let sent = sentAt.withLock { $0[resourceVersion] }
        state.withLock { state in
            state.received += 1
            if let sent { state.latencies.append(seconds(instant - sent)) }
        }
    }

    var count: Int { state.withLock { $0.received } }
    var latencies: [Double] { state.withLock { $0.latencies } }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

let settings = Settings(arguments: CommandLine.arguments)
let clock = ContinuousClock()
let baseline = residentMegabytes()
var options = KubeSimOptions()
options.simulateCluster = false
let sim = try await KubeSim.start(options)
let store = sim.store
let namespaces = (0..<settings.namespaces).map { "bench-\($0)" }
for namespace in namespaces { try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": .string(namespace)]]) }

// MARK: Population (through the store, as the simulated controllers write)
let populateStart = clock.now
try store.create(.customResourceDefinitions, namespace: nil, object: widgetCRD)
let widgets = GroupVersionResource(group: "bench.dev", version: "v1", resource: "widgets", kind: "Widget", namespaced: true)
for index in 0..<settings.customResources {
    try store.create(
        widgets, namespace: namespaces[index % namespaces.count],
        object: ["metadata": ["name": .string("widget-\(index)")], "spec": ["replicas": 3, "image": "registry.example/shop:1.4.2"]])
}
for index in 0..<settings.replicaSets {
    try store.create(.replicaSets, namespace: namespaces[index % namespaces.count], object: replicaSet("shop-\(index)", namespace: namespaces[index % namespaces.count]))
}
for index in 0..<settings.pods {
    let owner = "shop-\(index % max(1, settings.replicaSets))"
    let namespace = namespaces[(index % max(1, settings.replicaSets)) % namespaces.count]
    try store.create(.pods, namespace: namespace, object: pod(index, namespace: namespace, owner: owner))
}
let populateTime = seconds(clock.now - populateStart)
let populated = residentMegabytes()
print("kubesim benchmark: \(settings.customResources) custom resources, \(settings.replicaSets) ReplicaSets, \(settings.pods) pods")
print("  populate: \(format(populateTime, 2)) s (\(format(Double(settings.customResources + settings.replicaSets + settings.pods) / populateTime, 0)) objects/s)")
print("  RSS: \(format(baseline)) MB at start, \(format(populated)) MB populated (\(format(populated - baseline)) MB for the objects)")

// MARK: Lists over HTTP
// Configured directly rather than from a kubeconfig: this measures serving, not config loading.
var configuration = ClientConfiguration(server: sim.baseURL)
configuration.qps = 1_000_000
configuration.burst = 1_000_000
let client = try KubernetesClient(configuration: configuration)
for (label, resource) in [("pods", GroupVersionResource.pods), ("replicasets", .replicaSets), ("widgets", widgets)] {
    let started = clock.now
    let list = try await client.list(resource, namespace: nil)
    print("  LIST \(label) (all namespaces): \(list.items.count) items in \(format(seconds(clock.now - started) * 1000, 0)) ms")
}
let pageStart = clock.now
let page = try await client.list(.pods, namespace: namespaces[0], options: ListOptions(labelSelector: "app=shop-0", limit: 500))
print("  LIST pods by label in one namespace: \(page.items.count) items in \(format(seconds(clock.now - pageStart) * 1000, 1)) ms")

// MARK: Watch delivery under churn
let startVersion = String(store.currentResourceVersion)
let deliveries = (0..<settings.watchers).map { _ in Delivery() }
var watchTasks: [Task<Void, any Error>] = []
for delivery in deliveries {
    let stream = client.watch(.pods, namespace: nil, options: WatchOptions(resourceVersion: startVersion, allowWatchBookmarks: false))
    watchTasks.append(
        Task {
            for try await event in stream where event.type == .modified {
                delivery.received(event.object[path: "metadata", "resourceVersion"]?.stringValue ?? "", at: clock.now)
                if Task.isCancelled { break }
            }
        })
}
// Unrelated churn on ReplicaSets must not reach the pod watches but shares the event window.
let podKeys: [(String, String)] = store.list(.pods).items.map { ($0[path: "metadata", "namespace"]?.stringValue ?? "", $0[path: "metadata", "name"]?.stringValue ?? "") }
let churnStart = clock.now
for step in 0..<settings.churn {
    let (namespace, name) = podKeys[step % podKeys.count]
    let updated = try store.mutate(.pods, namespace: namespace, name: name, subresource: "status") { old in
        var pod = old
        pod["status"]?["containerStatuses"] = [["name": "app", "ready": true, "restartCount": .int(Int64(step)), "state": ["running": [:]]]]
        return pod
    }
    let instant = clock.now
    let version = updated[path: "metadata", "resourceVersion"]?.stringValue ?? ""
    for delivery in deliveries { delivery.sent(version, at: instant) }
    if step % 1000 == 999 { await Task.yield() }
}
let commitTime = seconds(clock.now - churnStart)
let expected = settings.churn
let deadline = clock.now.advanced(by: .seconds(300))
while deliveries.contains(where: { $0.count < expected }), clock.now < deadline {
    try await Task.sleep(for: .milliseconds(20))
}
let deliveryTime = seconds(clock.now - churnStart)
let delivered = deliveries.map(\.count).reduce(0, +)
let latencies = deliveries.flatMap(\.latencies)
print("  churn: \(expected) pod status updates committed in \(format(commitTime, 2)) s (\(format(Double(expected) / commitTime, 0)) writes/s)")
print("  watch: \(settings.watchers) pod watches received \(delivered)/\(expected * settings.watchers) events in \(format(deliveryTime, 2)) s = \(format(Double(delivered) / deliveryTime, 0)) events/s delivered")
print("  burst delivery lag (commit to receipt): p50 \(format(percentile(latencies, 0.5) * 1000, 1)) ms, p99 \(format(percentile(latencies, 0.99) * 1000, 1)) ms")

// MARK: Paced updates: latency when the server is not saturated
let pacedDeliveries = deliveries.map { _ in Delivery() }
let pacedCounts = deliveries.map(\.count)
let pacedStreams = (0..<settings.watchers).map { _ in
    client.watch(.pods, namespace: nil, options: WatchOptions(resourceVersion: String(store.currentResourceVersion), allowWatchBookmarks: false))
}
for (index, stream) in pacedStreams.enumerated() {
    let delivery = pacedDeliveries[index]
    watchTasks.append(
        Task {
            for try await event in stream where event.type == .modified {
                delivery.received(event.object[path: "metadata", "resourceVersion"]?.stringValue ?? "", at: clock.now)
            }
        })
}
try await Task.sleep(for: .milliseconds(200))
let pacedUpdates = 500
for step in 0..<pacedUpdates {
    let (namespace, name) = podKeys[(step * 7) % podKeys.count]
    let updated = try store.mutate(.pods, namespace: namespace, name: name, subresource: "status") { old in
        var pod = old
        pod["status"]?["phase"] = .string(step % 2 == 0 ? "Running" : "Pending")
        return pod
    }
    let instant = clock.now
    for delivery in pacedDeliveries { delivery.sent(updated[path: "metadata", "resourceVersion"]?.stringValue ?? "", at: instant) }
    try await Task.sleep(for: .milliseconds(4))
}
let pacedDeadline = clock.now.advanced(by: .seconds(60))
while pacedDeliveries.contains(where: { $0.count < pacedUpdates }), clock.now < pacedDeadline {
    try await Task.sleep(for: .milliseconds(20))
}
let pacedLatencies = pacedDeliveries.flatMap(\.latencies)
_ = pacedCounts
print("  paced (~250 updates/s) delivery latency over \(settings.watchers) watches: p50 \(format(percentile(pacedLatencies, 0.5) * 1000, 2)) ms, p99 \(format(percentile(pacedLatencies, 0.99) * 1000, 2)) ms")
print("  RSS after churn with watches open: \(format(residentMegabytes())) MB")
for task in watchTasks { task.cancel() }
client.shutdown()
await sim.shutdown()

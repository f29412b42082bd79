import KubeClient
import KubeModels
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

/// Answers each key by a script that sees how often the key was reconciled before; optionally
/// blocks every pass until released.
final class ScriptedReconciler: Reconciler {
    private let counts = Mutex<[ObjectKey: Int]>([:])
    private let script: @Sendable (ObjectKey, Int) throws -> ReconcileResult
    let gate = ReconcileGate()

    init(_ script: @escaping @Sendable (ObjectKey, Int) throws -> ReconcileResult) { self.script = script }

    func setBlocking(_ block: Bool) { gate.setClosed(block) }
    var blockedCount: Int { gate.waitingCount }
    func releaseAll() { gate.releaseAll() }
    func count(_ name: String) -> Int { counts.withLock { $0[ObjectKey(namespace: "ns", name: name)] ?? 0 } }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        await gate.pass()
        let before = counts.withLock { counts -> Int in
            defer { counts[key, default: 0] += 1 }
            return counts[key] ?? 0
        }
        return try script(key, before)
    }
}

/// The metrics are controller-runtime's (names, types, labels) and say what happened.
@Suite("Runtime metrics")
struct RuntimeMetricsTests {
    static func configMap(_ name: String, namespace: String = "ns") -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
    }

    static func scrape(_ metrics: RuntimeMetrics) -> PrometheusText? { try? PrometheusText(metrics.render()) }

    static func value(_ metrics: RuntimeMetrics, _ name: String, _ labels: [String: String]) -> Double? {
        scrape(metrics)?.value(name, labels)
    }

    static let configMapKind = ["group": "", "version": "v1", "kind": "ConfigMap"]

    /// A manager without endpoints running one controller over the ConfigMaps of `fake`.
    static func manager(_ fake: FakeKubernetesAPI, workers: Int = 2, _ reconciler: ScriptedReconciler) -> ControllerManager {
        let manager = ControllerManager(api: fake, options: ManagerOptions(metricsAddress: nil, healthProbeAddress: nil))
        let controller = manager.addController(
            name: "configmaps", reconciler: reconciler, workers: workers,
            rateLimiter: RateLimiterConfig(baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)))
        controller.watches(manager.informers.informer(for: .configMaps))
        return manager
    }

    @Test("requeue (a retry with backoff) and requeue_after (a timer) are counted apart; only the retry is a workqueue retry")
    func requeueAndRequeueAfterApart() async throws {
        let fake = FakeKubernetesAPI()
        for name in ["plain", "retry", "timer"] { _ = try await fake.create(.configMaps, namespace: "ns", object: Self.configMap(name)) }
        let reconciler = ScriptedReconciler { key, before in
            switch key.name {
            case "retry": before == 0 ? .requeue : .done
            case "timer": .requeueAfter(.seconds(3600))
            default: .done
            }
        }
        let manager = Self.manager(fake, reconciler)
        try await running(manager) {
            await waitUntil("every key reconciled, the retried one twice") {
                reconciler.count("plain") == 1 && reconciler.count("retry") == 2 && reconciler.count("timer") == 1
            }
            // Counted after the reconciler returns: wait for the last pass to be recorded.
            await waitUntil("four passes recorded") {
                Self.value(manager.metrics, "controller_runtime_reconcile_time_seconds_count", ["controller": "configmaps"]) == 4
            }
            let metrics = try #require(Self.scrape(manager.metrics))
            func total(_ result: String) -> Double? {
                metrics.value("controller_runtime_reconcile_total", ["controller": "configmaps", "result": result])
            }
            #expect(total("requeue") == 1)
            #expect(total("requeue_after") == 1)
            #expect(total("success") == 2)
            #expect(total("error") == 0, "present from the start, at zero")
            #expect(metrics.value("controller_runtime_reconcile_errors_total", ["controller": "configmaps"]) == 0)
            #expect(metrics.value("workqueue_retries_total", ["name": "configmaps", "controller": "configmaps"]) == 1)
            #expect(metrics.value("controller_runtime_max_concurrent_reconciles", ["controller": "configmaps"]) == 2)
        }
    }

    @Test("every exported series has the name, type and labels the catalogue gives it")
    func seriesFollowTheCatalogue() async throws {
        let fake = FakeKubernetesAPI()
        for name in ["a", "fail"] { _ = try await fake.create(.configMaps, namespace: "ns", object: Self.configMap(name)) }
        let reconciler = ScriptedReconciler { key, _ in
            if key.name == "fail" { throw KubernetesError.transport("simulated") }
            return .done
        }
        let manager = Self.manager(fake, reconciler)
        try await running(manager) {
            await waitUntil("the failing key retried") { reconciler.count("fail") >= 2 && reconciler.count("a") == 1 }
            let metrics = try #require(Self.scrape(manager.metrics))
            let families = Dictionary(uniqueKeysWithValues: MetricFamily.all.map { ($0.name, $0) })
            for (name, type) in metrics.types {
                let family = try #require(families[name], "\(name) is exported but not in the catalogue")
                #expect(type == family.kind.rawValue, "\(name)")
            }
            for sample in metrics.samples {
                let base = ["_bucket", "_sum", "_count"].reduce(sample.name) { name, suffix in
                    families[name] == nil && name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
                }
                let family = try #require(families[base], "\(sample.name) is exported but not in the catalogue")
                let expected = Set(family.labels).union(sample.name.hasSuffix("_bucket") ? ["le"] : [])
                #expect(Set(sample.labels.keys) == expected, "\(sample.name) \(sample.labels)")
            }
            for name in [
                "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
                "controller_runtime_active_workers", "controller_runtime_max_concurrent_reconciles", "workqueue_depth", "workqueue_adds_total",
                "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds", "workqueue_unfinished_work_seconds",
                "workqueue_longest_running_processor_seconds", "workqueue_retries_total", "controller_runtime_cache_resources",
                "rest_client_requests_total", "rest_client_request_duration_seconds",
            ] {
                #expect(metrics.types[name] != nil, "\(name) missing from the scrape")
            }
            #expect(metrics.value("controller_runtime_reconcile_total", ["result": "error"]).map { $0 >= 1 } == true)
            #expect(metrics.value("rest_client_requests_total", ["code": "200", "method": "GET"]).map { $0 >= 1 } == true)
        }
    }

    @Test("workers and time in flight: a stuck reconcile shows, and clears when it finishes")
    func inFlight() async throws {
        let fake = FakeKubernetesAPI()
        _ = try await fake.create(.configMaps, namespace: "ns", object: Self.configMap("slow"))
        let reconciler = ScriptedReconciler { _, _ in .done }
        reconciler.setBlocking(true)
        let manager = Self.manager(fake, workers: 3, reconciler)
        try await running(manager) {
            await waitUntil("reconcile in flight") { reconciler.blockedCount == 1 }
            let queue = ["name": "configmaps", "controller": "configmaps"]
            #expect(Self.value(manager.metrics, "controller_runtime_active_workers", ["controller": "configmaps"]) == 1)
            #expect(Self.value(manager.metrics, "controller_runtime_max_concurrent_reconciles", ["controller": "configmaps"]) == 3)
            let first = try #require(Self.value(manager.metrics, "workqueue_longest_running_processor_seconds", queue))
            #expect(first > 0)
            await waitUntil("time in flight grows without any change to the queue") {
                (Self.value(manager.metrics, "workqueue_unfinished_work_seconds", queue) ?? 0) > first
            }
            reconciler.setBlocking(false)
            reconciler.releaseAll()
            await waitUntil("nothing in flight") {
                Self.value(manager.metrics, "workqueue_longest_running_processor_seconds", queue) == 0
                    && Self.value(manager.metrics, "workqueue_unfinished_work_seconds", queue) == 0
                    && Self.value(manager.metrics, "controller_runtime_active_workers", ["controller": "configmaps"]) == 0
            }
        }
    }

    @Test("a cache's gauge follows every add and delete, not only the first list")
    func cacheGaugeFollowsTheWatch() async throws {
        let fake = FakeKubernetesAPI()
        let manager = Self.manager(fake, ScriptedReconciler { _, _ in .done })
        try await running(manager) {
            await waitUntil("synced on an empty cluster") { manager.isReady }
            await waitUntil("reports the empty cache") { Self.value(manager.metrics, "controller_runtime_cache_resources", Self.configMapKind) == 0 }
            for index in 0..<300 { _ = try await fake.create(.configMaps, namespace: "ns", object: Self.configMap("cm-\(index)")) }
            await waitUntil("300 objects arrived by the watch") {
                Self.value(manager.metrics, "controller_runtime_cache_resources", Self.configMapKind) == 300
            }
            #expect(manager.informers.informer(for: .configMaps).count == 300)
            for index in 0..<120 { try await fake.delete(.configMaps, namespace: "ns", name: "cm-\(index)") }
            await waitUntil("deletes counted") { Self.value(manager.metrics, "controller_runtime_cache_resources", Self.configMapKind) == 180 }
        }
    }

    @Test("caches of one kind in several namespaces add up instead of overwriting each other; a stopped one no longer counts")
    func cachesOfOneKindAddUp() async throws {
        let fake = FakeKubernetesAPI()
        for index in 0..<3 { _ = try await fake.create(.configMaps, namespace: "a", object: Self.configMap("x\(index)", namespace: "a")) }
        for index in 0..<5 { _ = try await fake.create(.configMaps, namespace: "b", object: Self.configMap("x\(index)", namespace: "b")) }
        let metrics = RuntimeMetrics()
        let inA = Informer(api: fake, resource: .configMaps, namespace: "a", metrics: metrics)
        let inB = Informer(api: fake, resource: .configMaps, namespace: "b", metrics: metrics)
        let runA = Task { await inA.run() }
        defer { runA.cancel() }
        try await withBackground({ await inB.run() }) {
            await waitUntil("both listed") { Self.value(metrics, "controller_runtime_cache_resources", Self.configMapKind) == 8 }
            _ = try await fake.create(.configMaps, namespace: "a", object: Self.configMap("late", namespace: "a"))
            await waitUntil("a watched add") { Self.value(metrics, "controller_runtime_cache_resources", Self.configMapKind) == 9 }
            runA.cancel()
            await runA.value
            #expect(Self.value(metrics, "controller_runtime_cache_resources", Self.configMapKind) == 5)
        }
    }

    @Test("a NamedObjectCache counts the objects it holds, and none once its owners are gone")
    func namedObjectCacheGauge() async throws {
        let fake = FakeKubernetesAPI()
        for name in ["web", "web-preview", "db"] {
            _ = try await fake.create(
                .services, namespace: "shop",
                object: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "shop"]])
        }
        let metrics = RuntimeMetrics()
        let factory = InformerFactory(api: fake, metrics: metrics)
        let cache = factory.namedObjectCache(for: .services)
        let services = ["group": "", "version": "v1", "kind": "Service"]
        let owner = ObjectKey(namespace: "shop", name: "web")
        try await withBackground({ await factory.run() }) {
            cache.want(owner: owner, namespace: "shop", names: ["web", "web-preview"])
            await waitUntil("the two named Services counted") { Self.value(metrics, "controller_runtime_cache_resources", services) == 2 }
            cache.release(owner: owner)
            await waitUntil("released: nothing held") { Self.value(metrics, "controller_runtime_cache_resources", services) == 0 }
        }
    }
}

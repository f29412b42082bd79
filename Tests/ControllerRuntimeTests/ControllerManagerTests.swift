import KubeClient
import KubeModels
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

/// Records reconciles; optionally blocks each one until released.
final class RecordingReconciler: Reconciler {
    private struct State {
        var counts: [ObjectKey: Int] = [:]
        var cancelledObserved = 0
    }

    private let state = Mutex(State())
    let gate = ReconcileGate()

    func setBlocking(_ block: Bool) { gate.setClosed(block) }
    func releaseAll() { gate.releaseAll() }
    var blockedCount: Int { gate.waitingCount }

    var total: Int { state.withLock { $0.counts.values.reduce(0, +) } }
    var cancelledObserved: Int { state.withLock { $0.cancelledObserved } }
    func count(_ key: ObjectKey) -> Int { state.withLock { $0.counts[key] ?? 0 } }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        await gate.pass()
        state.withLock { state in
            state.counts[key, default: 0] += 1
            if Task.isCancelled { state.cancelledObserved += 1 }
        }
        if key.name.hasPrefix("fail") { throw KubernetesError.transport("simulated failure") }
        if key.name.hasPrefix("terminal") { throw TerminalError(KubernetesError.invalidRequest("owned by someone else")) }
        return .done
    }
}

/// Runs `manager` around `body`, then stops it gracefully (cancelling only if that fails).
func running<T: Sendable>(_ manager: ControllerManager, _ body: () async throws -> T) async throws -> T {
    let task = Task { try await manager.run() }
    defer { task.cancel() }
    let result = try await body()
    manager.stop()
    try await task.value
    return result
}

@Suite("Controller manager")
struct ControllerManagerTests {
    static let loopback = ListenAddress(host: "127.0.0.1", port: 0)

    func configMap(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "ns"]]
    }

    func makeManager(_ api: any KubernetesAPI, election: LeaderElectionConfig? = nil, grace: Duration = .seconds(30)) -> (ControllerManager, RecordingReconciler) {
        let manager = ControllerManager(
            api: api,
            options: ManagerOptions(
                leaderElection: election, metricsAddress: Self.loopback, healthProbeAddress: Self.loopback, gracefulShutdownTimeout: grace))
        let reconciler = RecordingReconciler()
        let controller = manager.addController(
            name: "configmaps", reconciler: reconciler, workers: 3,
            rateLimiter: RateLimiterConfig(baseDelay: .milliseconds(5), maxDelay: .milliseconds(100)))
        controller.watches(manager.informers.informer(for: .configMaps))
        return (manager, reconciler)
    }

    @Test("probes and /metrics: Prometheus text that moves when work happens, bounded labels")
    func probesAndMetrics() async throws {
        let fake = FakeKubernetesAPI()
        _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("first"))
        let (manager, reconciler) = makeManager(fake)
        try await running(manager) {
            await waitUntil("servers bound") { manager.metricsPort != nil && manager.healthProbePort != nil }
            let metricsURL = "http://127.0.0.1:\(manager.metricsPort ?? 0)/metrics"
            let healthBase = "http://127.0.0.1:\(manager.healthProbePort ?? 0)"
            #expect(try await HTTP.get(healthBase + "/healthz").0 == 200)
            await waitUntil("ready") { (try? await HTTP.get(healthBase + "/readyz").0) == 200 }
            await waitUntil("first reconciled") { reconciler.count(ObjectKey(namespace: "ns", name: "first")) == 1 }

            let before = try PrometheusText(try await HTTP.get(metricsURL).1)
            let reconciledBefore = before.value("controller_runtime_reconcile_total", ["controller": "configmaps", "result": "success"]) ?? 0
            #expect(reconciledBefore >= 1)
            #expect(before.types["controller_runtime_reconcile_time_seconds"] == "histogram")
            #expect(before.value("controller_runtime_build_info") == 1)

            _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("second"))
            _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("fail-once"))
            await waitUntil("second reconciled") { reconciler.count(ObjectKey(namespace: "ns", name: "second")) == 1 }
            await waitUntil("failing key retried") { reconciler.count(ObjectKey(namespace: "ns", name: "fail-once")) >= 2 }

            let after = try PrometheusText(try await HTTP.get(metricsURL).1)
            #expect((after.value("controller_runtime_reconcile_total", ["controller": "configmaps", "result": "success"]) ?? 0) > reconciledBefore)
            #expect((after.value("controller_runtime_reconcile_errors_total", ["controller": "configmaps"]) ?? 0) >= 1)
            #expect((after.value("workqueue_adds_total", ["name": "configmaps"]) ?? 0) >= 3)
            #expect((after.value("workqueue_retries_total", ["name": "configmaps"]) ?? 0) >= 1)
            #expect(after.value("workqueue_depth", ["name": "configmaps"]) != nil)
            #expect(after.value("workqueue_queue_duration_seconds_count", ["name": "configmaps"]) != nil)
            #expect((after.value("rest_client_requests_total", ["code": "200", "method": "GET"]) ?? 0) >= 1)
            #expect(after.value("rest_client_request_duration_seconds_count", ["verb": "GET"]) != nil)
            #expect(after.value("leader_election_master_status") == nil, "no leader election, no Lease to name")
            // Bounded cardinality: no object name or namespace ever appears as a label value.
            for sample in after.samples {
                for value in sample.labels.values {
                    #expect(!["first", "second", "fail-once", "ns"].contains(value), "\(sample.name) has per-object label \(value)")
                }
            }
        }
    }

    @Test("a terminal error is not retried, while an ordinary failure beside it is, and both are counted")
    func terminalErrorsAreNotRetried() async throws {
        let fake = FakeKubernetesAPI()
        let (manager, reconciler) = makeManager(fake)
        try await running(manager) {
            await waitUntil("servers bound") { manager.metricsPort != nil }
            _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("terminal"))
            _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("fail-always"))
            let terminal = ObjectKey(namespace: "ns", name: "terminal")
            // The retried key proves that time for retries has passed (backoff 5–100 ms).
            await waitUntil("the ordinary failure retried three times") {
                reconciler.count(ObjectKey(namespace: "ns", name: "fail-always")) >= 3
            }
            #expect(reconciler.count(terminal) == 1)
            #expect(manager.controllers.first?.queue.numRequeues(terminal) == 0)
            let metrics = try PrometheusText(try await HTTP.get("http://127.0.0.1:\(manager.metricsPort ?? 0)/metrics").1)
            #expect(metrics.value("controller_runtime_terminal_reconcile_errors_total", ["controller": "configmaps"]) == 1)
            #expect((metrics.value("controller_runtime_reconcile_errors_total", ["controller": "configmaps"]) ?? 0) >= 3)
        }
    }

    @Test("graceful stop lets the in-flight reconcile finish, then returns")
    func gracefulDrain() async throws {
        let fake = FakeKubernetesAPI()
        _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("slow"))
        let (manager, reconciler) = makeManager(fake)
        reconciler.setBlocking(true)
        let run = Task { try await manager.run() }
        defer { run.cancel() }
        await waitUntil("reconcile in flight") { reconciler.blockedCount == 1 }
        manager.stop()
        await waitUntil("queue shut down") { manager.controllers.first?.queue.isShuttingDown == true }
        #expect(reconciler.total == 0, "in-flight reconcile not cut short")
        reconciler.releaseAll()
        try await run.value
        #expect(reconciler.total == 1)
        #expect(reconciler.cancelledObserved == 0)
    }

    @Test("an invalid leader-election config fails run with a clear error")
    func invalidElection() async {
        let fake = FakeKubernetesAPI()
        let election = LeaderElectionConfig(
            leaseNamespace: "ns", leaseName: "lock", identity: "x", leaseDuration: .seconds(5), renewDeadline: .seconds(5))
        let (manager, _) = makeManager(fake, election: election)
        await #expect(throws: ConfigurationError.self) { try await manager.run() }
    }

    @Test("only the leader reconciles; the standby's warm queue takes over after a clean stop")
    func leaderGating() async throws {
        let fake = FakeKubernetesAPI()
        let settings = { (identity: String) in
            LeaderElectionConfig(
                leaseNamespace: "ns", leaseName: "lock", identity: identity, leaseDuration: .seconds(6), renewDeadline: .seconds(4),
                retryPeriod: .milliseconds(200))
        }
        let (first, firstReconciler) = makeManager(fake, election: settings("first"))
        let (second, secondReconciler) = makeManager(fake, election: settings("second"))
        let runFirst = Task { try await first.run() }
        let runSecond = Task { try await second.run() }
        defer {
            runFirst.cancel()
            runSecond.cancel()
        }
        await waitUntil("a leader") { first.isLeader || second.isLeader }
        let (leader, leaderReconciler, standby, standbyReconciler, leaderRun, standbyRun) =
            first.isLeader
            ? (first, firstReconciler, second, secondReconciler, runFirst, runSecond)
            : (second, secondReconciler, first, firstReconciler, runSecond, runFirst)
        for index in 0..<5 { _ = try await fake.create(.configMaps, namespace: "ns", object: configMap("item-\(index)")) }
        await waitUntil("leader reconciled all") { leaderReconciler.total >= 5 }
        await waitUntil("standby cache synced") { standby.informers.informer(for: .configMaps).count == 5 }
        #expect(standbyReconciler.total == 0, "standby must not reconcile")
        #expect(!standby.isLeader)
        #expect(try PrometheusText(leader.metrics.render()).value("leader_election_master_status", ["name": "lock"]) == 1)
        #expect(try PrometheusText(standby.metrics.render()).value("leader_election_master_status", ["name": "lock"]) == 0)

        leader.stop()
        try await leaderRun.value
        await waitUntil("standby leads") { standby.isLeader }
        await waitUntil("standby reconciled the backlog") { standbyReconciler.total >= 5 }
        standby.stop()
        try await standbyRun.value
    }
}

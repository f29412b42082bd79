import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

@testable import ControllerRuntime

/// The runtime over the real curl client against kubesim.
@Suite("ControllerRuntime on kubesim")
struct KubeSimIntegrationTests {
    static func client(_ fixture: KubeSimFixture) throws -> KubernetesClient {
        let kubeconfig = try KubeconfigLoader.parse(fixture.sim.kubeconfig(), file: fixture.kubeconfigPath)
        var configuration = try ClientConfiguration(kubeconfig: kubeconfig)
        configuration.qps = 5000
        configuration.burst = 5000
        return try KubernetesClient(configuration: configuration)
    }

    static func configMap(_ name: String, value: Int) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"], "data": ["v": .string(String(value))]]
    }

    @Test("informer cache equals the server after 1,000 random changes with watch drops and a 410 compaction")
    func informerChurn() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let api = try Self.client(fixture)
            let metrics = RuntimeMetrics()
            var options = InformerOptions()
            options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(200))
            let informer = Informer(api: api, resource: .configMaps, namespace: "default", options: options, metrics: metrics)
            let ledger = HandlerLedger()
            informer.onEvent(ledger.handle)
            var names = Set<String>()
            var generator = SystemRandomNumberGenerator()

            func randomChange(_ step: Int) async throws {
                let name = "cm-\(Int.random(in: 0..<150, using: &generator))"
                if names.contains(name) {
                    if Bool.random(using: &generator) {
                        var current = try await api.get(.configMaps, namespace: "default", name: name)
                        current["data"] = ["v": .string(String(step))]
                        _ = try await api.update(.configMaps, namespace: "default", object: current)
                    } else {
                        try await api.delete(.configMaps, namespace: "default", name: name)
                        names.remove(name)
                    }
                } else {
                    _ = try await api.create(.configMaps, namespace: "default", object: Self.configMap(name, value: step))
                    names.insert(name)
                }
            }

            func relists() -> Double {
                (try? PrometheusText(metrics.render()).value("informer_relists_total", ["resource": "configmaps"])) ?? 0
            }

            try await withBackground({ await informer.run() }) {
                await informer.waitForSync()
                for step in 0..<500 {
                    try await randomChange(step)
                    if step % 100 == 99 { fixture.sim.faults.dropWatches() }
                }
                // Force a 410: drop the watch, change something and compact before the informer
                // can re-watch (in-process, so faster than its HTTP round trip); retry if it won.
                var attempts = 0
                while relists() < 1 && attempts < 20 {
                    attempts += 1
                    fixture.sim.faults.dropWatches()
                    _ = try fixture.sim.store.create(.configMaps, namespace: "default", object: Self.configMap("compaction-\(attempts)", value: 0))
                    names.insert("compaction-\(attempts)")
                    fixture.sim.faults.compactEventWindow()
                    await waitUntil(timeout: .seconds(10), "re-watched or relisted") {
                        relists() >= 1 || informer.get(namespace: "default", name: "compaction-\(attempts)") != nil
                    }
                }
                #expect(relists() >= 1, "a relist after 410 Gone happened")
                for step in 500..<1000 {
                    try await randomChange(step)
                    if step % 100 == 99 { fixture.sim.faults.dropWatches() }
                }
                let server = try await api.list(.configMaps, namespace: "default")
                await waitUntil("informer converged") {
                    informer.count == server.items.count && ledger.state.withLock { $0.shadow.count } == server.items.count
                        && server.items.allSatisfy { item in
                            informer.get(namespace: "default", name: item[path: "metadata", "name"]?.stringValue ?? "") == item
                        }
                }
                let final = ledger.state.withLock { $0 }
                #expect(final.violations.isEmpty, "\(final.violations.prefix(5))")
                let expected = Dictionary(uniqueKeysWithValues: server.items.map { (ObjectKey(object: $0)?.description ?? "", $0) })
                #expect(final.shadow == expected, "handlers' view equals the server")
            }
        }
    }

    @Test("two managers on kubesim: one leader; clean stop hands over fast, a kill only after the lease expires")
    func leaderElectionOnKubeSim() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            func manager(_ identity: String) throws -> ControllerManager {
                ControllerManager(
                    api: try Self.client(fixture),
                    options: ManagerOptions(
                        leaderElection: LeaderElectionConfig(
                            leaseNamespace: "kube-system", leaseName: "apprelease-test", identity: identity, leaseDuration: .seconds(4),
                            renewDeadline: .seconds(3), retryPeriod: .milliseconds(250)),
                        metricsAddress: ListenAddress(host: "127.0.0.1", port: 0), healthProbeAddress: nil))
            }
            let a = try manager("a")
            let b = try manager("b")
            let runA = Task { try await a.run() }
            let runB = Task { try await b.run() }
            defer {
                runA.cancel()
                runB.cancel()
            }
            await waitUntil("a leader") { a.isLeader || b.isLeader }
            #expect(!(a.isLeader && b.isLeader))
            let (leader, standby, leaderRun) = a.isLeader ? (a, b, runA) : (b, a, runB)

            // Clean stop: the lease is released, the standby needs only a retry period or so. Timed
            // from the release (the end of run()), not from stop(): the graceful shutdown before
            // it (draining workers, flushing Events) is not what the lease hand-over is about, and
            // on a loaded CI machine it alone took 4.7 s.
            leader.stop()
            try await leaderRun.value
            let releasedAt = ContinuousClock.now
            await waitUntil("standby takes over") { standby.isLeader }
            #expect(ContinuousClock.now - releasedAt < .seconds(4), "faster than the 4 s lease")

            // A new standby, then kill the leader without releasing: takeover waits out the lease.
            let c = try manager("c")
            let runC = Task { try await c.run() }
            defer { runC.cancel() }
            await waitUntil("c campaigning") { (fixture.sim.requestCounts()["GET leases"] ?? 0) > 0 && c.metricsPort != nil }
            try await Task.sleep(for: .milliseconds(600))  // let c observe a couple of renewals
            let killedAt = ContinuousClock.now
            (standby === a ? runA : runB).cancel()
            await waitUntil("c takes over") { c.isLeader }
            let takeover = ContinuousClock.now - killedAt
            #expect(takeover >= .seconds(3), "took over after \(takeover), before the 4 s lease expired")
            let lease = try await Self.client(fixture).get(.leases, namespace: "kube-system", name: "apprelease-test")
            #expect(lease[path: "spec", "holderIdentity"]?.stringValue == "c")
            c.stop()
            try await runC.value
        }
    }

    @Test("the manager on kubesim: /metrics counts what the cache holds after list, adds and deletes, and names the server")
    func metricsOnKubeSim() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let api = try Self.client(fixture)
            for index in 0..<200 { _ = try await api.create(.configMaps, namespace: "default", object: Self.configMap("before-\(index)", value: index)) }
            let manager = ControllerManager(
                api: api, options: ManagerOptions(metricsAddress: ListenAddress(host: "127.0.0.1", port: 0), healthProbeAddress: nil))
            let reconciler = RecordingReconciler()
            manager.addController(name: "configmaps", reconciler: reconciler, workers: 2).watches(manager.informers.informer(for: .configMaps))
            let kind = ["group": "", "version": "v1", "kind": "ConfigMap"]
            try await running(manager) {
                await waitUntil("metrics served") { manager.metricsPort != nil }
                let url = "http://127.0.0.1:\(manager.metricsPort ?? 0)/metrics"
                func scrape() async -> PrometheusText? {
                    guard let response = try? await HTTP.get(url) else { return nil }
                    return try? PrometheusText(response.1)
                }
                // The server's own count (kubesim may hold ConfigMaps of its own), every time.
                func serverCount() async throws -> Double { Double(try await api.list(.configMaps, namespace: nil).items.count) }

                let listed = try await serverCount()
                #expect(listed >= 200)
                await waitUntil("the listed objects counted") { await scrape()?.value("controller_runtime_cache_resources", kind) == listed }
                for index in 0..<100 { _ = try await api.create(.configMaps, namespace: "default", object: Self.configMap("after-\(index)", value: index)) }
                for index in 0..<50 { try await api.delete(.configMaps, namespace: "default", name: "before-\(index)") }
                let changed = try await serverCount()
                #expect(changed == listed + 50)
                await waitUntil("watched adds and deletes counted") { await scrape()?.value("controller_runtime_cache_resources", kind) == changed }

                let metrics = try #require(await scrape())
                let host = "127.0.0.1:\(fixture.sim.port)"
                #expect((metrics.value("rest_client_requests_total", ["code": "200", "method": "GET", "host": host]) ?? 0) >= 1, "\(metrics.samples.filter { $0.name == "rest_client_requests_total" })")
                #expect(metrics.value("rest_client_request_duration_seconds_count", ["verb": "GET", "host": host]) != nil)
            }
        }
    }
}

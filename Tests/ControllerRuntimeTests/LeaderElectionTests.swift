import KubeClient
import KubeModels
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

/// Counts instances doing leader work at once; more than one is the split brain of argo-rollouts #2117.
final class ExclusivityTracker: Sendable {
    private struct State {
        var active: Set<String> = []
        var maxActive = 0
        var terms: [String] = []
    }

    private let state = Mutex(State())

    func enter(_ who: String) {
        state.withLock { state in
            state.active.insert(who)
            state.maxActive = max(state.maxActive, state.active.count)
            state.terms.append(who)
        }
    }

    func leave(_ who: String) { state.withLock { _ = $0.active.remove(who) } }

    var maxActive: Int { state.withLock { $0.maxActive } }
    var active: Set<String> { state.withLock { $0.active } }
    var terms: [String] { state.withLock { $0.terms } }
}

/// One election candidate running in the background with its own stop signal.
final class Candidate: Sendable {
    let name: String
    let elector: LeaderElector
    let api: PartitionableAPI
    let stop = OneShotSignal()
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ name: String, server: FakeKubernetesAPI, config: LeaderElectionConfig, tracker: ExclusivityTracker) {
        self.name = name
        self.api = PartitionableAPI(server)
        var config = config
        config.identity = name
        self.elector = LeaderElector(api: api, config: config)
        let stop = self.stop
        let elector = self.elector
        task.withLock {
            $0 = Task {
                await elector.run(stop: stop) {
                    tracker.enter(name)
                    // Lead until stopped (graceful) or cancelled (leadership lost).
                    await stop.wait()
                    tracker.leave(name)
                }
            }
        }
    }

    var isLeader: Bool { elector.isLeader }

    /// Graceful stop: the leading work returns and the lease is released.
    func stopGracefully() async {
        stop.fire()
        await task.withLock { $0 }?.value
    }

    /// A crash: everything is cancelled, nothing is released.
    func kill() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}

@Suite("Leader election")
struct LeaderElectionTests {
    func config(lease: Int, renew: Int, retry: Duration) -> LeaderElectionConfig {
        LeaderElectionConfig(
            leaseNamespace: "kube-system", leaseName: "test-lock", identity: "unset", leaseDuration: .seconds(lease),
            renewDeadline: .seconds(renew), retryPeriod: retry)
    }

    @Test("invalid timings are rejected with the rule named")
    func validation() {
        #expect(throws: ConfigurationError.self) { try config(lease: 10, renew: 10, retry: .seconds(2)).validate() }
        #expect(throws: ConfigurationError.self) { try config(lease: 10, renew: 5, retry: .seconds(5)).validate() }
        #expect(throws: Never.self) { try config(lease: 15, renew: 10, retry: .seconds(2)).validate() }
    }

    @Test("two candidates elect exactly one leader; a clean stop releases and the other takes over fast")
    func cleanHandover() async throws {
        let server = FakeKubernetesAPI()
        let tracker = ExclusivityTracker()
        let settings = config(lease: 8, renew: 5, retry: .milliseconds(200))
        let a = Candidate("a", server: server, config: settings, tracker: tracker)
        let b = Candidate("b", server: server, config: settings, tracker: tracker)
        await waitUntil("one leader") { a.isLeader || b.isLeader }
        // Watch them for a few retry periods: the standby must stay standby.
        for _ in 0..<20 {
            #expect(!(a.isLeader && b.isLeader))
            try await Task.sleep(for: .milliseconds(50))
        }
        let (leader, standby) = a.isLeader ? (a, b) : (b, a)
        let lease = try await server.get(.leases, namespace: "kube-system", name: "test-lock")
        #expect(lease[path: "spec", "holderIdentity"]?.stringValue == leader.name)
        #expect(lease[path: "spec", "leaseDurationSeconds"] == 8)

        let stoppedAt = ContinuousClock.now
        await leader.stopGracefully()
        await waitUntil("standby takes over") { standby.isLeader }
        let takeover = ContinuousClock.now - stoppedAt
        // Released: no need to wait out the 8 s lease.
        #expect(takeover < .seconds(8), "takeover took \(takeover)")
        let after = try await server.get(.leases, namespace: "kube-system", name: "test-lock")
        #expect(after[path: "spec", "holderIdentity"]?.stringValue == standby.name)
        #expect((after[path: "spec", "leaseTransitions"]?.intValue ?? 0) >= 1)
        await standby.kill()
        #expect(tracker.maxActive == 1)
    }

    @Test("graceful stop clears the holder like client-go's ReleaseOnCancel")
    func releaseClearsHolder() async throws {
        let server = FakeKubernetesAPI()
        let only = Candidate("solo", server: server, config: config(lease: 8, renew: 5, retry: .milliseconds(200)), tracker: ExclusivityTracker())
        await waitUntil("leading") { only.isLeader }
        await only.stopGracefully()
        let lease = try await server.get(.leases, namespace: "kube-system", name: "test-lock")
        #expect(lease[path: "spec", "holderIdentity"]?.stringValue == "")
        #expect(lease[path: "spec", "leaseDurationSeconds"] == 1)
        #expect(!only.isLeader)
    }

    @Test("a killed leader is replaced only once its lease expires")
    func killedLeader() async throws {
        let server = FakeKubernetesAPI()
        let tracker = ExclusivityTracker()
        let settings = config(lease: 3, renew: 2, retry: .milliseconds(200))
        let a = Candidate("a", server: server, config: settings, tracker: tracker)
        await waitUntil("a leads") { a.isLeader }
        let b = Candidate("b", server: server, config: settings, tracker: tracker)
        await waitUntil("b has observed the lease") { (server.requestCounts()["GET leases"] ?? 0) >= 6 }
        let killedAt = ContinuousClock.now
        await a.kill()
        await waitUntil("b takes over") { b.isLeader }
        let takeover = ContinuousClock.now - killedAt
        // b may only count from its last sight of a renewal, at most a retry period (+ jitter) before the kill.
        #expect(takeover >= .milliseconds(2_700), "took over after \(takeover), before the 3 s lease could expire")
        #expect(takeover < .seconds(20))
        await b.kill()
        #expect(tracker.maxActive == 1)
    }

    @Test("a leader that cannot renew stops its work before anyone else starts")
    func partitionedLeader() async throws {
        let server = FakeKubernetesAPI()
        let tracker = ExclusivityTracker()
        let settings = config(lease: 3, renew: 2, retry: .milliseconds(200))
        let a = Candidate("a", server: server, config: settings, tracker: tracker)
        await waitUntil("a leads") { a.isLeader }
        let b = Candidate("b", server: server, config: settings, tracker: tracker)
        a.api.setPartitioned(true)
        await waitUntil("a steps down") { !a.isLeader }
        #expect(!tracker.active.contains("a"), "a's work stopped")
        await waitUntil("b takes over") { b.isLeader }
        #expect(tracker.maxActive == 1, "never two leaders at once")
        // Healed, a stays a standby while b renews.
        a.api.setPartitioned(false)
        for _ in 0..<10 {
            #expect(!a.isLeader)
            try await Task.sleep(for: .milliseconds(50))
        }
        await a.kill()
        await b.kill()
        #expect(tracker.terms == ["a", "b"])
    }
}

import Foundation
import KubeSim
import Testing

/// Two replicas with leader election, as `manifests/` runs them: the leader is killed (SIGKILL,
/// as a node failure would) in the middle of a fleet's releases; the standby takes the Lease and
/// finishes every release exactly once, the availability floor holding throughout.
@Suite("AppRelease end to end: leader failover under load", .serialized, .timeLimit(.minutes(10)))
struct LeaderFailoverTests {
    static let apps = (0..<8).map { "app-\($0)" }
    /// Short, so the test waits seconds rather than the default 15 s for the Lease to expire.
    static let election = ["--leader-election-lease-duration", "4", "--leader-election-renew-deadline", "3", "--leader-election-retry-period", "1"]

    @Test("the leader SIGKILLed mid-release: the standby takes over, every release completes once, never below 3 ready pods")
    func standbyTakesOver() async throws {
        // Pods take 2 s to become ready, so the releases are still moving when the leader dies.
        try await Cluster.with(podReadyDelay: .seconds(2)) { cluster in
            await cluster.stopOperator()
            let arguments = cluster.leaderElectionArguments + Self.election
            let first = try cluster.startOperator(extraArguments: arguments)
            cluster.track(first)
            let holder = {
                try await cluster.kubectlOK(
                    "get", "lease", cluster.leaseName, "-n", cluster.leaseNamespace, "-o", "jsonpath={.spec.holderIdentity}")
            }
            try await waitUntil("the first replica to hold the lease") { !(try await holder()).isEmpty }
            let leaderIdentity = try await holder()
            let standby = try cluster.startOperator(extraArguments: arguments)

            let fleet = Fleet(cluster: cluster, names: Self.apps)
            let firstRevisions = try await fleet.apply(image: Images.v1)

            let pods = try PodReadinessWatch(cluster: cluster)
            try await waitUntil("the pod watch to list 3 serving pods of every app") {
                let counts = pods.servingCounts
                return counts.count == Self.apps.count && counts.values.allSatisfy { $0.last == 3 }
            }
            try await fleet.release(image: Images.v2)
            try await waitUntil("every app's new ReplicaSet to be created") {
                try await cluster.kubectlOK("get", "replicasets", "-o", "name").split(separator: "\n").count == 2 * Self.apps.count
            }
            let inFlight = try await fleet.inFlight(toward: Images.v2)
            #expect(inFlight > 0, "every release finished before the kill; the test proves nothing")

            let writesBeforeKill = cluster.sim.map(Self.writes) ?? [:]
            first.signal(SIGKILL)
            _ = await first.waitForExit()
            let killedAt = ContinuousClock.now
            try await waitUntil("the standby to take the lease", timeout: .seconds(60)) {
                let now = try await holder()
                return !now.isEmpty && now != leaderIdentity
            }
            let takeover = ContinuousClock.now - killedAt
            let done = try await cluster.kubectl(
                "wait", "--for=jsonpath={.status.stableImage}=\(Images.v2)", "appreleases", "--all", "--timeout=180s")
            #expect(done.succeeded, "\(done)")
            let finished = ContinuousClock.now - killedAt
            #expect(standby.isRunning, "the standby exited: \(standby.output().suffix(2000))")

            try await fleet.expectReleasedOnce(from: firstRevisions)
            try await waitUntil("every app back at 3 serving pods") { pods.servingCounts.values.allSatisfy { $0.last == 3 } }
            await pods.stop()
            let lowest = pods.lowestServing(onceAt: 3)
            #expect(lowest.count == Self.apps.count && lowest.values.allSatisfy { $0 >= 3 }, "lowest serving pods per app: \(lowest)")

            // Only the leader writes: each replica's user agent ends with its identity.
            if let sim = cluster.sim {
                #expect(writesBeforeKill.keys.allSatisfy { $0.hasSuffix("(\(leaderIdentity))") }, "writers before the kill: \(writesBeforeKill)")
                let newLeader = try await holder()
                let after = Self.writes(sim)
                #expect(after.keys.allSatisfy { $0.hasSuffix("(\(leaderIdentity))") || $0.hasSuffix("(\(newLeader))") }, "writers: \(after)")
                #expect(after.keys.contains { $0.hasSuffix("(\(newLeader))") }, "the new leader never wrote: \(after)")
            }
            print("failover: \(inFlight) of \(Self.apps.count) releases in flight; lease taken \(takeover) after the kill, every release done \(finished) after it")
        }
    }

    /// Write requests (leases aside: the standby tries to take the Lease) by each operator
    /// replica, from kubesim's request log.
    static func writes(_ sim: KubeSim) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (request, count) in sim.requestsByClient()
        where request.userAgent.hasPrefix("apprelease-controller/") && ["create", "update", "patch", "delete"].contains(request.verb)
            && request.resource != "leases" {
            counts[request.userAgent, default: 0] += count
        }
        return counts
    }
}

import Foundation
import Testing

/// Many releases at once, with the ReplicaSet controller's status lagging as on a busy cluster:
/// the availability floor (`replicas - maxUnavailable` ready pods) must hold for every app, at
/// every pod event, through a release and through an automatic revert.
@Suite("AppRelease end to end: a fleet released at once", .serialized, .timeLimit(.minutes(15)))
struct FleetReleaseTests {
    /// 20 by default; `APPRELEASE_E2E_FLEET_APPS=100` reproduces the load at which a real control
    /// plane's ReplicaSet status lagged enough to break the floor.
    static let apps = ProcessInfo.processInfo.environment["APPRELEASE_E2E_FLEET_APPS"].flatMap(Int.init) ?? 20
    /// On kubesim the lag is injected; a real control plane under this load lags by itself.
    static let statusLag: Duration = .milliseconds(1500)

    func names() -> [String] { (0..<Self.apps).map { "app-\($0)" } }

    func waitAll(_ cluster: Cluster, _ condition: String, timeout: Int = 240) async throws {
        let result = try await cluster.kubectl(
            "wait", "--for=\(condition)", "appreleases", "--all", "--timeout=\(timeout)s")
        #expect(result.succeeded, "\(result)")
    }

    @Test("a fleet of AppReleases (20 by default) released and then reverted at once under a lagging ReplicaSet status never drop below 3 ready pods")
    func fleetUnderStatusLag() async throws {
        try await Cluster.with { cluster in
            cluster.sim?.faults.replicaSetStatusLag = Self.statusLag
            let manifests = names().map { AppReleaseManifest(name: $0, image: Images.v1).yaml }.joined(separator: "---\n")
            try await cluster.kubectlOK("apply", "-f", "-", input: manifests)
            try await waitAll(cluster, "condition=Ready")

            let pods = try PodReadinessWatch(cluster: cluster)
            try await waitUntil("the pod watch to list 3 serving pods of every app") {
                let counts = pods.servingCounts
                return counts.count == Self.apps && counts.values.allSatisfy { $0.last == 3 }
            }

            let started = ContinuousClock.now
            try await Fleet(cluster: cluster, names: names()).release(image: Images.v2)
            try await waitAll(cluster, "jsonpath={.status.stableImage}=\(Images.v2)")
            try await waitAll(cluster, "condition=Ready")
            let released = ContinuousClock.now - started
            let afterRelease = pods.lowestServing(onceAt: 3)
            #expect(afterRelease.count == Self.apps, "apps seen: \(afterRelease.keys.sorted())")
            #expect(afterRelease.values.allSatisfy { $0 >= 3 }, "lowest serving pods per app: \(afterRelease)")

            try await Fleet(cluster: cluster, names: names()).release(image: Images.crash)
            try await waitAll(cluster, "condition=Degraded")
            try await waitAll(cluster, "jsonpath={.status.phase}=RolledBack")
            try await waitUntil("every crashing revision scaled to 0", timeout: .seconds(120)) {
                let counts = pods.servingCounts
                let sets = try await cluster.kubectlOK(
                    "get", "replicasets", "-o", #"jsonpath={range .items[*]}{.spec.replicas} {.metadata.annotations.apprelease\.dev/image}{"\n"}{end}"#)
                let crashing = sets.split(separator: "\n").filter { $0.hasSuffix(Images.crash) && !$0.hasPrefix("0 ") }
                return crashing.isEmpty && counts.values.allSatisfy { $0.last == 3 }
            }
            #expect(pods.isWatching, "the pod watch ended early")
            await pods.stop()
            let afterRevert = pods.lowestServing(onceAt: 3)
            #expect(afterRevert.values.allSatisfy { $0 >= 3 }, "lowest serving pods per app: \(afterRevert)")
            print("fleet: \(Self.apps) apps released in \(released), lowest serving pods \(afterRevert.values.min() ?? -1)")
        }
    }
}

import Foundation
import KubeSim
import Testing

/// Seen on a real 1.36 control plane: the API server restarted in the middle of a mass release,
/// was gone for 75 s, and came back answering 403 for a few seconds while its RBAC authorizer's
/// caches warmed up. The operator must ride through both and finish every release exactly once.
@Suite(
    "The API server goes away mid-release, then refuses while it warms up", .serialized, .timeLimit(.minutes(10)),
    .enabled(if: E2ELane.isKubesim, "injects faults into kubesim's API server"))
struct APIServerOutageTests {
    static let apps = (0..<8).map { "app-\($0)" }

    @Test("503 for every request and every watch cut, then 403 for every request: every release completes, nothing lost or duplicated")
    func outageThenForbidden() async throws {
        // Pods take 2 s to become ready, so the releases are still moving when the server goes.
        try await Cluster.with(podReadyDelay: .seconds(2)) { cluster in
            let sim = try #require(cluster.sim)
            let fleet = Fleet(cluster: cluster, names: Self.apps)
            let firstRevisions = try await fleet.apply(image: Images.v1)
            try await fleet.release(image: Images.v2)
            let inFlight = try await fleet.inFlight(toward: Images.v2)
            #expect(inFlight > 0, "every release finished before the outage began; the test proves nothing")

            // Gone: a restarting API server answers 503 to everything, and every open watch ends.
            sim.faults.failRequests(share: 1, code: 503, retryAfter: 1)
            sim.faults.dropWatches()
            let outageFrom = ContinuousClock.now
            let beforeOutage = Self.operatorRequests(sim)
            try await waitUntil("the operator to keep retrying through the outage", timeout: .seconds(120)) {
                Self.operatorRequests(sim) >= beforeOutage + 20
            }
            // Back, refusing while its authorizer warms up.
            sim.faults.failRequests(share: 1, code: 403)
            let forbiddenFrom = ContinuousClock.now
            let beforeForbidden = Self.operatorRequests(sim)
            try await waitUntil("the operator to keep retrying through the 403s", timeout: .seconds(120)) {
                Self.operatorRequests(sim) >= beforeForbidden + 20
            }
            sim.faults.reset()
            let backFrom = ContinuousClock.now
            print("outage: \(inFlight) of \(Self.apps.count) releases in flight; 503 for \(forbiddenFrom - outageFrom), then 403 for \(ContinuousClock.now - forbiddenFrom)")

            let released = try await cluster.kubectl(
                "wait", "--for=jsonpath={.status.stableImage}=\(Images.v2)", "appreleases", "--all", "--timeout=180s")
            #expect(released.succeeded, "\(released)")
            print("outage: every release done \(ContinuousClock.now - backFrom) after the server came back")
            let ready = try await cluster.kubectl("wait", "--for=condition=Ready", "appreleases", "--all", "--timeout=120s")
            #expect(ready.succeeded, "\(ready)")
            #expect(cluster.operatorRunning?.isRunning == true, "the operator exited during the outage")

            // The outage made no second ReplicaSet and no second history entry.
            try await fleet.expectReleasedOnce(from: firstRevisions)
            for app in Self.apps {
                try await waitUntil("\(app): the first revision scaled to 0") {
                    try await cluster.replicaSets(of: app).first { $0.name == "\(app)-\(firstRevisions[app] ?? "")" }?.replicas == 0
                }
                #expect(try await cluster.condition("Degraded", of: app) != "True", "\(app) reported a failed release")
            }
        }
    }

    /// Every request the operator has sent so far (answered or refused), from kubesim's log.
    static func operatorRequests(_ sim: KubeSim) -> Int {
        sim.requestsByClient().filter { $0.key.userAgent.hasPrefix("apprelease-controller/") }.values.reduce(0, +)
    }
}

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
            let manifests = Self.apps.map { AppReleaseManifest(name: $0, image: Images.v1).yaml }.joined(separator: "---\n")
            try await cluster.kubectlOK("apply", "-f", "-", input: manifests)
            let first = try await cluster.kubectl("wait", "--for=condition=Ready", "appreleases", "--all", "--timeout=120s")
            #expect(first.succeeded, "\(first)")
            var firstRevisions: [String: String] = [:]
            for app in Self.apps {
                firstRevisions[app] = try await cluster.field("appreleases/\(app)", ".status.currentRevision")
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for app in Self.apps { group.addTask { try await cluster.release(app, image: Images.v2) } }
                try await group.waitForAll()
            }

            let stable = try await cluster.kubectlOK("get", "appreleases", "-o", "jsonpath={.items[*].status.stableImage}")
            let inFlight = Self.apps.count - stable.split(separator: " ").filter { $0 == Images.v2 }.count
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

            for app in Self.apps {
                let revision = try await cluster.field("appreleases/\(app)", ".status.currentRevision")
                #expect(revision != firstRevisions[app], "\(app) still at its first revision")
                // Exactly one ReplicaSet per revision: the outage made no second one.
                let sets = try await cluster.replicaSets(of: app)
                #expect(Set(sets.map(\.name)) == ["\(app)-\(firstRevisions[app] ?? "")", "\(app)-\(revision)"], "\(app): \(sets)")
                try await waitUntil("\(app): the first revision scaled to 0") {
                    try await cluster.replicaSets(of: app).first { $0.name == "\(app)-\(firstRevisions[app] ?? "")" }?.replicas == 0
                }
                // One history entry for the release, not one per retry.
                let outcomes = try await cluster.field(
                    "appreleases/\(app)", #".status.history[?(@.revision=="\#(revision)")].outcome"#)
                #expect(outcomes == "Succeeded", "\(app): history entries for revision \(revision): \(outcomes)")
                #expect(try await cluster.condition("Degraded", of: app) != "True", "\(app) reported a failed release")
            }
        }
    }

    /// Every request the operator has sent so far (answered or refused), from kubesim's log.
    static func operatorRequests(_ sim: KubeSim) -> Int {
        sim.requestsByClient().filter { $0.key.userAgent.hasPrefix("apprelease-controller/") }.values.reduce(0, +)
    }
}

import Foundation
import Testing

@Suite("AppRelease end to end: operator crash", .serialized, .timeLimit(.minutes(15)))
struct OperatorRestartTests {
    @Test("the operator killed with SIGKILL mid-release and restarted finishes the same release")
    func killedMidRelease() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1, maxSurge: "3", progressDeadlineSeconds: 120))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let revision1 = try await cluster.field("appreleases/web", ".status.currentRevision")

            // `slow` pods take 10 s to become Ready: the release is certainly in flight when the kill lands.
            try await cluster.release(image: Images.slow)
            try await waitUntil("the new revision's ReplicaSet to be scaled up") {
                try await cluster.replicaSets().contains { $0.name != "web-\(revision1)" && $0.replicas > 0 }
            }
            let exit = await cluster.killOperator()
            #expect(exit?.signalled == true)
            #expect(try await cluster.condition("Ready") != "True", "the release finished before the kill; the test proves nothing")

            try cluster.startOperator()
            let ready = try await cluster.wait(for: "Ready", timeout: 120)
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.slow)
            let sets = try await cluster.replicaSets()
            #expect(sets.count == 2, "one ReplicaSet per revision, no duplicate after the restart: \(sets)")
            try await waitUntil("the old revision scaled to 0 and the new one at 3") {
                let sets = try await cluster.replicaSets()
                return sets.first { $0.name == "web-\(revision1)" }?.replicas == 0
                    && sets.first { $0.name != "web-\(revision1)" }?.replicas == 3
            }
        }
    }

    @Test("SIGTERM stops the operator cleanly: exit code 0 and the lease released for a standby")
    func gracefulShutdownReleasesTheLease() async throws {
        try await Cluster.with { cluster in
            await cluster.stopOperator()
            let running = try cluster.startOperator(extraArguments: cluster.leaderElectionArguments)
            let holder = {
                try await cluster.kubectlOK(
                    "get", "lease", cluster.leaseName, "-n", cluster.leaseNamespace, "-o", "jsonpath={.spec.holderIdentity}")
            }
            try await waitUntil("the operator to hold the lease") { !(try await holder()).isEmpty }
            running.signal(SIGTERM)
            let exit = await running.waitForExit(killingAfter: .seconds(30))
            #expect(exit.signalled == false)
            #expect(exit.status == 0, "\(exit): \(running.output())")
            #expect(try await holder().isEmpty, "a clean shutdown clears holderIdentity so a standby takes over at once")
        }
    }
}

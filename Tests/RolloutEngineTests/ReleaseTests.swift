import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

@Suite("Rolling releases")
struct ReleaseTests {
    @Test func firstReleaseCreatesTheFullReplicaSetAndBecomesStable() throws {
        var world = World(spec: specJSON(image: image(1)))
        let first = world.reconcile()
        #expect(first.creates == ["web-\(world.revision)"])
        #expect(first.events.map(\.reason) == ["ReleaseStarted"], "one Event for one decision")
        #expect(first.events.first?.message.hasSuffix("created ReplicaSet web-\(world.revision) (revision 1) with 3 replicas") == true)
        #expect(world.set(world.revision)?.replicas == 3)
        #expect(world.status.phase == .progressing)
        #expect(world.condition("Ready")?.status == .false)
        #expect(world.condition("Reconciling")?.status == .true)
        #expect(first.requeueAfterSeconds == 601)
        #expect(world.status.stableImageShort == nil, "nothing serves before a first release completes")
        world.podsStart()
        let done = world.reconcile()
        #expect(done.hasEvent("ReleaseSucceeded"))
        #expect(world.status.phase == .healthy)
        #expect(world.status.stableRevision == world.revision && world.status.stableImage == image(1))
        #expect(world.status.release == nil)
        #expect(world.status.history?.first?.outcome == .succeeded)
        #expect(world.condition("Ready")?.status == .true && world.condition("Available")?.status == .true)
        #expect(world.condition("Reconciling")?.status == .false && world.condition("Stalled")?.status == .false)
        #expect(world.status.selector == "app=web")
        #expect(world.status.currentImageShort == "web@111111111111")
        #expect(world.status.stableImageShort == "web@111111111111")
        #expect(world.status.availableReplicas == 3 && world.status.updatedReplicas == 3)
        let idle = world.reconcile()
        #expect(idle.writes.isEmpty && idle.events.isEmpty && idle.statusPatch == Optional<JSONValue>.none, "no write when nothing changed")
    }

    @Test func stableImageShortIsFilledInForAStatusWrittenBeforeItExisted() {
        var world = releasedWorld()
        world.status.stableImageShort = nil
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty)
        #expect(plan.statusPatch == ["status": ["stableImageShort": "web@111111111111"]], "one status write, that field only")
        #expect(world.reconcile().statusPatch == Optional<JSONValue>.none)
    }

    @Test func newDigestRollsWithinSurgeAndAvailability() {
        var world = releasedWorld()
        let old = world.revision
        let earlierPlans = world.plans.count
        world.patch(image: image(2))
        world.settle(minAvailable: 3, maxTotal: 4)
        #expect(world.status.phase == .healthy)
        #expect(world.status.stableRevision == world.revision)
        #expect(world.set(old)?.replicas == 0, "old revision kept at 0 for instant undo")
        #expect(world.set(world.revision)?.replicas == 3)
        #expect(world.status.observedGeneration == 2)
        #expect(world.condition("Ready")?.observedGeneration == 2)
        let scaled = world.plans.flatMap(\.scales)
        #expect(scaled.contains { $0.to > $0.from } && scaled.contains { $0.to < $0.from })
        // The release's Events say what was decided; the pods moved one by one are in the status.
        let release = world.plans.dropFirst(earlierPlans)
        #expect(release.flatMap(\.events).map(\.reason) == ["ReleaseStarted", "ReleaseSucceeded"])
        #expect(release.first?.events.first?.message.contains("created ReplicaSet web-\(world.revision)") == true)
    }

    @Test func scalingOutsideAReleaseIsAnnouncedStepByStep() {
        var world = releasedWorld()
        world.spec["replicas"] = 5
        world.generation += 1
        let scale = world.reconcile()
        #expect(scale.events.map(\.reason) == ["ScalingReplicaSet"])
        #expect(scale.events.first?.message == "Scaled up ReplicaSet web-\(world.revision) (revision 1) from 3 to 5")
    }

    @Test func statusChangesOfCountsAloneAreProgressAndVerdictsAreSignificant() {
        var world = releasedWorld()
        world.patch(image: image(2))
        let start = world.reconcile()
        #expect(start.statusChange == .significant, "a release starting is written at once")
        var sawProgress = false
        var sawVerdict = false
        for _ in 0..<40 where world.status.phase != .healthy {
            world.podsStart()
            let before = world.status
            let plan = world.reconcile()
            if plan.statusChange == .progress {
                sawProgress = true
                #expect(plan.statusPatch != Optional<JSONValue>.none)
                #expect(plan.status.phase == before.phase && plan.status.conditions?.map(\.status) == before.conditions?.map(\.status))
            }
            if plan.status.phase == .healthy {
                sawVerdict = true
                #expect(plan.statusChange == .significant, "the verdict is never batched")
            }
        }
        #expect(sawProgress && sawVerdict)
        #expect(world.reconcile().statusChange == StatusChange.none)
    }

    @Test func percentMaxUnavailableAllowsFasterRollout() {
        var world = releasedWorld(replicas: 10, maxSurge: 0, maxUnavailable: "30%")
        world.patch(image: image(2))
        world.reconcile()  // creates the new ReplicaSet at 0 (no surge)
        let step = world.reconcile()
        #expect(step.scales.map(\.to) == [7], "old goes to 70% at once")
        world.settle(minAvailable: 7, maxTotal: 10)
        #expect(world.status.phase == .healthy)
    }

    @Test func documentedStuckRolloutThenProportionalScaling() {
        // deployment.md: 10 replicas, maxSurge 3, maxUnavailable 2, an unresolvable image: the
        // rollout stops at new 5 / old 8; scaling to 15 adds 3 to old and 2 to new.
        var world = releasedWorld(replicas: 10, maxSurge: 3, maxUnavailable: 2)
        let old = world.revision
        world.patch(image: image(2))
        world.broken.insert(world.revision)
        world.settle(minAvailable: 8, maxTotal: 13, limit: 10)
        #expect(world.set(world.revision)?.replicas == 5)
        #expect(world.set(old)?.replicas == 8)
        world.spec["replicas"] = 15
        world.generation += 1
        let plan = world.reconcile()
        #expect(world.set(old)?.replicas == 11)
        #expect(world.set(world.revision)?.replicas == 7)
        #expect(plan.scales.count == 2)
    }

    @Test func scalingASettledReleaseTouchesOnlyItsReplicaSet() {
        var world = releasedWorld()
        world.spec["replicas"] = 5
        let plan = world.reconcile()
        #expect(plan.scales.map(\.to) == [5])
        #expect(world.status.phase == .progressing)
        world.podsStart()
        world.reconcile()
        #expect(world.status.phase == .healthy)
        #expect(world.status.history?.count == 1, "scaling is not a release")
    }

    @Test func newDigestSupersedesTheReleaseInFlight() {
        var world = releasedWorld()
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()  // B created with 1 (surge)
        world.podsStart()
        world.reconcile()  // stable scaled down to 2
        let intermediate = world.revision
        #expect(world.set(stable)?.replicas == 2)
        world.patch(image: image(3))
        let plan = world.reconcile()
        #expect(plan.hasEvent("ReleaseSuperseded"))
        #expect(world.status.history?.first?.outcome == .superseded)
        #expect(world.status.history?.first?.revision == intermediate)
        #expect(world.status.release?.revision == world.revision)
        #expect(world.status.stableRevision == stable, "the stable revision stays the revert target")
        world.settle(minAvailable: 3, maxTotal: 4)
        #expect(world.status.phase == .healthy)
        #expect(world.set(intermediate)?.replicas == 0 && world.set(stable)?.replicas == 0)
        // The intermediate revision was drained before the stable one.
        let downs = world.plans.flatMap(\.scales).filter { $0.to < $0.from }.map(\.name)
        if let firstStable = downs.firstIndex(of: "web-\(stable)"), let lastIntermediate = downs.lastIndex(of: "web-\(intermediate)") {
            #expect(lastIntermediate < firstStable || world.set(stable)?.replicas == 0)
        }
    }

    @Test func patchingBackReusesTheEarlierReplicaSet() {
        var world = releasedWorld()
        let first = world.revision
        world.patch(image: image(2))
        world.settle()
        world.patch(image: image(1))
        let plan = world.reconcile()
        #expect(plan.creates.isEmpty)
        #expect(plan.writes.contains(.annotateReplicaSet(name: "web-\(first)", annotations: [AppReleaseAPI.revisionNumberAnnotation: "3"])))
        world.settle(minAvailable: 3, maxTotal: 4)
        #expect(world.sets.count == 2)
        #expect(world.status.stableRevision == first && world.status.phase == .healthy)
    }

    @Test func pausedReleaseDoesNotStartAndKeepsNoDeadline() {
        var world = releasedWorld(deadline: 60)
        world.spec["paused"] = true
        world.patch(image: image(2))
        let plan = world.reconcile()
        #expect(plan.creates.isEmpty, "a paused release does not create its ReplicaSet")
        #expect(world.status.phase == .paused)
        #expect(world.condition("Paused")?.status == .true)
        #expect(world.condition("Progressing")?.status == .unknown)
        #expect(plan.requeueAfterSeconds == nil)
        world.now += 3600
        world.reconcile()
        #expect(world.status.failure == nil, "no deadline while paused")
        world.spec["paused"] = false
        let resumed = world.reconcile()
        #expect(world.status.release?.lastProgressAt == world.now, "resuming restarts the deadline clock")
        #expect(resumed.requeueAfterSeconds == 61)
        world.settle(minAvailable: 3, maxTotal: 4)
        #expect(world.status.phase == .healthy)
    }

    @Test func revisionHistoryLimitDeletesTheOldestEmptyRevisions() {
        var world = releasedWorld()
        world.spec["revisionHistoryLimit"] = 2
        for n in 2...6 {
            world.patch(image: image(n))
            world.settle()
        }
        #expect(world.sets.count == 3, "current + 2 old")
        let numbers = world.sets.map(\.revisionNumber).sorted()
        #expect(numbers == [4, 5, 6])
        #expect(world.plans.flatMap(\.deletes).count == 3)
    }

    /// The chaos run found revisions piling up while releases were superseded one after another:
    /// the clean-up waited for a release to complete, as the Deployment controller's does.
    @Test func emptyRevisionsBeyondTheLimitGoWhileReleasesAreSuperseded() {
        var world = releasedWorld()
        world.spec["revisionHistoryLimit"] = 1
        for n in 2...6 {
            world.patch(image: image(n))
            world.broken.insert(world.revision)
            for _ in 0..<3 {
                world.reconcile()
                world.podsStart()
            }
            let old = world.sets.filter { $0.replicas == 0 && $0.revision != world.revision && $0.revision != world.status.stableRevision }
            #expect(old.count <= 1, "after release \(n): \(old.map(\.name))")
        }
        #expect(world.status.release != nil, "the last release is still in flight")
        #expect(world.plans.flatMap(\.deletes).count >= 2)
    }

    @Test func historyIsBoundedNewestFirst() {
        var world = releasedWorld()
        for n in 2...14 {
            world.patch(image: image(n))
            world.settle()
        }
        #expect(world.status.history?.count == RolloutEngine.historyLimit)
        #expect(world.status.history?.first?.image == image(14))
    }
}

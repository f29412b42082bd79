import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

/// A blue/green AppRelease released once (image 1) behind Services `web` and `web-preview`
/// whose selectors carry the user's own key.
private func blueGreenWorld(autoPromotionSeconds: Int? = nil, previewReplicaCount: Int? = nil, preview: Bool = true) -> World {
    var world = World(
        spec: blueGreenSpec(
            image: image(1), preview: preview, autoPromotionSeconds: autoPromotionSeconds,
            previewReplicaCount: previewReplicaCount))
    world.services = ["web": ["app": "web"]]
    if preview { world.services["web-preview"] = ["app": "web"] }
    world.settle()
    return world
}

/// A blue/green world whose second release (image 2) was just promoted: the active Service is on
/// it, the old revision (`stable`) inside its scale-down delay.
private func promotedWorld() -> (World, stable: String) {
    var world = blueGreenWorld()
    let stable = world.revision
    world.patch(image: image(2))
    world.runUntilWaiting(keeping: "web", minServed: 3)
    world.annotations[AppReleaseAPI.promoteAnnotation] = "1"
    world.reconcile()
    #expect(world.pinned("web") == world.revision)
    return (world, stable)
}

@Suite("Blue/green releases")
struct BlueGreenTests {
    @Test func firstReleasePinsTheServicesOnceAvailable() {
        let world = blueGreenWorld()
        #expect(world.status.phase == .healthy)
        #expect(world.pinned("web") == world.revision && world.pinned("web-preview") == world.revision)
        #expect(world.services["web"]?["app"] == "web", "the user's own selector key is kept")
        #expect(world.condition("Ready")?.status == .true)
        let idle = world.plans.last
        #expect(idle?.writes.isEmpty == true)
    }

    @Test func manualPromotionSwitchesTheActiveServiceInOneWriteAfterThePreviewIsReady() {
        var world = blueGreenWorld()
        let stable = world.revision
        world.patch(image: image(2))
        let created = world.reconcile()
        #expect(created.creates == ["web-\(world.revision)"])
        #expect(world.set(world.revision)?.replicas == 3, "full size next to the stable revision")
        #expect(world.pinned("web-preview") == stable, "the preview is not pointed at a ReplicaSet without pods")

        world.runUntilWaiting(keeping: "web", minServed: 3)
        #expect(world.pinned("web") == stable, "the active Service stays on the stable revision")
        #expect(world.pinned("web-preview") == world.revision)
        #expect(world.condition("Paused")?.status == .true && world.condition("Paused")?.reason == "AwaitingPromotion")
        #expect(world.status.phase == .paused)
        #expect(world.status.message?.contains("waits for promotion") == true)
        #expect(world.condition("Ready")?.status == .false && world.condition("Reconciling")?.status == .true)

        // Waiting for promotion is not lack of progress: the deadline does not run.
        world.now += 3600
        let waiting = world.reconcile()
        #expect(world.status.release != nil && world.status.failure == nil)
        #expect(waiting.requeueAfterSeconds == nil, "an indefinite wait is ended by promote, not by a timer")
        #expect(world.switches(of: "web").count == 1, "only the first release's pinning so far")

        world.annotations[AppReleaseAPI.promoteAnnotation] = "1"
        let start = world.plans.count
        let promoted = world.reconcile()
        #expect(promoted.hasEvent("Promoted"))
        #expect(world.switches(of: "web", since: start) == [world.revision], "one write switches the active Service")
        #expect(world.status.acknowledged?.promote == "1")
        #expect(world.set(stable)?.replicas == 3, "the old revision keeps running while endpoints settle")
        #expect(promoted.requeueAfterSeconds == 30)
        #expect(world.status.message?.contains("scaled down in 30s") == true)

        world.now += 10
        world.reconcile()
        #expect(world.set(stable)?.replicas == 3)
        world.now += 20
        let scaledDown = world.reconcile()
        #expect(scaledDown.scales.map(\.to) == [0])
        world.settle(keeping: "web", minServed: 3)
        #expect(world.status.phase == .healthy && world.status.stableRevision == world.revision)
        #expect(world.switches(of: "web", since: start).count == 1)
        #expect(world.status.history?.first?.outcome == .succeeded)
    }

    @Test func automaticPromotionAfterTheDelay() {
        var world = blueGreenWorld(autoPromotionSeconds: 20)
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web", minServed: 3)
        let waiting = world.plans.last
        #expect(waiting?.requeueAfterSeconds == 20)
        #expect(world.status.message?.contains("promoting in 20s") == true)
        world.now += 19
        world.reconcile()
        #expect(world.pinned("web") == stable)
        world.now += 1
        let promoted = world.reconcile()
        #expect(promoted.hasEvent("Promoted") && world.pinned("web") == world.revision)
        world.now += 30
        world.settle(keeping: "web", minServed: 3)
        #expect(world.status.phase == .healthy && world.status.stableRevision == world.revision)
    }

    @Test func previewReplicaCountScalesUpBeforeTheSwitch() {
        var world = blueGreenWorld(previewReplicaCount: 1)
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()
        #expect(world.set(world.revision)?.replicas == 1)
        world.runUntilWaiting(keeping: "web", minServed: 3)
        world.annotations[AppReleaseAPI.promoteAnnotation] = "go"
        let promoted = world.reconcile()
        #expect(world.pinned("web") == stable, "not switched to a revision with 1 of 3 pods")
        #expect(promoted.scales.contains { $0.to == 3 })
        world.podsStart()
        world.reconcile()
        #expect(world.pinned("web") == world.revision, "switched once all 3 pods are available")
    }

    @Test func abortBeforePromotionLeavesTheActiveServiceAlone() {
        var world = blueGreenWorld()
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web", minServed: 3)
        let start = world.plans.count
        world.annotations[AppReleaseAPI.abortAnnotation] = "now"
        let aborted = world.reconcile()
        #expect(world.status.history?.first?.outcome == .aborted)
        #expect(world.switches(of: "web", since: start).isEmpty, "the active Service never left the stable revision")
        #expect(world.switches(of: "web-preview", since: start) == [stable], "the preview goes back to a revision with pods")
        #expect(aborted.scales.isEmpty, "the new revision keeps its pods until the preview is seen elsewhere")
        world.settle(keeping: "web", minServed: 3)
        #expect(world.set(world.revision)?.replicas == 0)
        #expect(world.status.phase == .rolledBack && world.condition("Degraded")?.reason == "Aborted")
    }

    @Test func failureAfterPromotionSwitchesBackBeforeScalingDown() {
        var (world, stable) = promotedWorld()
        // Inside the scale-down delay the new revision starts crashing.
        world.now += 5
        world.pods = (0..<3).map { index in
            ObservedPod(
                name: "web-\(world.revision)-\(index)", revision: world.revision, createdAt: world.now,
                containers: [ContainerSignal(name: "web", restartCount: 4, waitingReason: "CrashLoopBackOff")])
        }
        world.broken = [world.revision]
        world.podsStart()
        let start = world.plans.count
        let failed = world.reconcile()
        #expect(failed.hasEvent("ReleaseFailed"))
        guard let switchBack = failed.writes.firstIndex(of: .selectRevision(service: "web", revision: stable)) else {
            Issue.record("the active Service was not switched back")
            return
        }
        let firstScaleDown = failed.writes.firstIndex {
            if case .scaleReplicaSet(_, let from, let to, _) = $0 { return to < from }
            return false
        }
        #expect(firstScaleDown.map { $0 > switchBack } ?? true, "the selector goes back before any pod goes")
        world.settle(keeping: "web", minServed: 3)
        #expect(world.set(world.revision)?.replicas == 0 && world.set(stable)?.replicas == 3)
        #expect(world.switches(of: "web", since: start) == [stable])
        #expect(world.status.phase == .rolledBack && world.condition("Degraded")?.reason == "CrashLoop")
    }

    @Test func switchingToRollingUnpinsTheServicesFirst() {
        var world = blueGreenWorld()
        #expect(world.status.pinnedServices == ["web", "web-preview"])
        world.spec["strategy"] = ["type": "Rolling"]
        world.generation += 1
        let plan = world.reconcile()
        #expect(plan.writes == [.unpinService(service: "web"), .unpinService(service: "web-preview")])
        #expect(world.services["web"] == ["app": "web"], "back to the user's own selector")
        world.reconcile()
        #expect(world.status.pinnedServices == nil)
        world.patch(image: image(2))
        world.settle(keeping: "web", minServed: 3)
        #expect(world.status.phase == .healthy && world.servedBy("web") == 3)
        #expect(PlanAction.unpinService(service: "web").mergePatch == ["spec": ["selector": [AppReleaseAPI.revisionLabel: .null]]])
    }

    @Test func abortAfterPromotionSwitchesBackThenScalesDown() {
        var (world, stable) = promotedWorld()
        world.now += 10
        world.annotations[AppReleaseAPI.abortAnnotation] = "stop"
        let aborted = world.reconcile()
        #expect(aborted.writes.first == .selectRevision(service: "web", revision: stable), "traffic goes back first")
        #expect(aborted.scales.isEmpty, "no pod goes in the pass that moves the traffic")
        world.settle(keeping: "web", minServed: 3)
        #expect(world.set(world.revision)?.replicas == 0 && world.set(stable)?.replicas == 3)
        #expect(world.pinned("web") == stable && world.pinned("web-preview") == stable)
        #expect(world.status.history?.first?.outcome == .aborted && world.status.phase == .rolledBack)
    }

    @Test func theSelectorPatchSetsOnlyTheRevisionKey() {
        let action = PlanAction.selectRevision(service: "web", revision: "abc")
        #expect(action.mergePatch == ["spec": ["selector": [AppReleaseAPI.revisionLabel: "abc"]]])
    }

    @Test func promoteBeforeTheNewRevisionIsReadyIsIgnoredAndSaysWhy() {
        var world = blueGreenWorld()
        world.patch(image: image(2))
        world.reconcile()
        world.annotations[AppReleaseAPI.promoteAnnotation] = "early"
        let plan = world.reconcile()
        let ignored = plan.events.first { $0.reason == "PromoteIgnored" }
        #expect(ignored?.message.contains("not ready yet") == true)
        #expect(world.status.acknowledged?.promote == "early", "acted on once: it does not linger until the pods are ready")
        world.runUntilWaiting(keeping: "web", minServed: 3)
        #expect(world.status.release?.stepIndex ?? 0 == 0, "still waiting for a promotion")
    }

    @Test func aMissingActiveServiceIsReportedAndNothingMoves() {
        var world = blueGreenWorld()
        world.services["web"] = nil
        world.patch(image: image(2))
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty)
        #expect(world.condition("Ready")?.reason == "ServiceNotFound")
        #expect(world.condition("Stalled")?.status == .true)
        #expect(world.status.message?.hasPrefix("Service web (spec.strategy.blueGreen.activeService) does not exist in namespace shop") == true)
        // A missing Service is not the image's fault: the deadline waits with the release.
        world.now += 3600
        let waiting = world.reconcile()
        #expect(world.status.failure == nil && waiting.requeueAfterSeconds == nil)
        // The Service appears: the release moves on (the controller's watch wakes it), with a
        // fresh deadline.
        world.services["web"] = ["app": "web", AppReleaseAPI.revisionLabel: world.status.stableRevision ?? ""]
        world.reconcile()
        #expect(world.set(world.revision) != nil)
        #expect(world.condition("Stalled")?.status == .false)
        #expect(world.status.release?.lastProgressAt == world.now)
    }
}

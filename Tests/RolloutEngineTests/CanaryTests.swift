import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

/// A canary AppRelease released once (image 1). With `services`, Services `web-stable` and
/// `web-canary` exist; with `route`, also the HTTPRoute `web` splitting between them.
private func canaryWorld(replicas: Int = 4, steps: [JSONValue], services: Bool = false, route: Bool = false) -> World {
    var world = World(spec: canarySpec(image: image(1), replicas: replicas, steps: steps, services: services, route: route))
    if services || route {
        world.services = ["web-stable": ["app": "web"], "web-canary": ["app": "web"]]
    }
    if route { world.route = splitRoute() }
    world.settle()
    return world
}

private func failingPods(_ world: World) -> [ObservedPod] {
    [
        ObservedPod(
            name: "web-\(world.revision)-a", revision: world.revision, createdAt: world.now,
            containers: [ContainerSignal(name: "web", restartCount: 4, waitingReason: "CrashLoopBackOff")])
    ]
}

@Suite("Canary releases")
struct CanaryTests {
    static let steps: [JSONValue] = [weight(25), pause("30s"), weight(50), pause(), weight(100)]

    @Test func replicaShareStepsWithPauses() {
        var world = canaryWorld(steps: Self.steps)
        let stable = world.revision
        #expect(world.status.phase == .healthy, "a first release runs no steps")
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "none")
        #expect(world.set(world.revision)?.replicas == 1 && world.set(stable)?.replicas == 3, "25% of 4 pods")
        #expect(world.status.currentStepIndex == 1 && world.status.canaryWeight == 25)
        #expect(world.condition("Paused")?.reason == "CanaryPauseStep")
        #expect(world.status.phase == .paused)
        #expect(world.status.message == "canary at 25%, step 2/5, paused 30s more")
        #expect(world.plans.last?.requeueAfterSeconds == 30, "the timed pause is resumed by a delayed requeue")
        #expect(world.totalAvailable >= 4)

        world.now += 12
        world.reconcile()
        #expect(world.status.message == "canary at 25%, step 2/5, paused 18s more")
        world.now += 18
        world.runUntilWaiting()
        #expect(world.set(world.revision)?.replicas == 2 && world.set(stable)?.replicas == 2, "50%")
        #expect(world.status.currentStepIndex == 3)
        #expect(world.condition("Paused")?.reason == "AwaitingPromotion")
        #expect(world.status.message == "canary at 50%, step 4/5, paused until promoted")

        // An indefinite pause never times out, and never fails on the deadline.
        world.now += 7200
        world.reconcile()
        #expect(world.status.release != nil && world.status.failure == nil)

        world.annotations[AppReleaseAPI.promoteAnnotation] = "step-1"
        world.settle(minAvailable: 4)
        #expect(world.status.phase == .healthy && world.status.stableRevision == world.revision)
        #expect(world.set(stable)?.replicas == 0 && world.set(world.revision)?.replicas == 4)
        #expect(world.status.currentStepIndex == nil && world.status.canaryWeight == nil)
        let completed = world.plans.flatMap(\.events).filter { $0.reason == "StepCompleted" }
        #expect(completed.count == 5)
    }

    @Test func replicaShareRoundsLikeArgoRollouts() {
        var world = canaryWorld(replicas: 10, steps: [weight(41), pause()])
        world.patch(image: image(2))
        world.runUntilWaiting()
        #expect(world.set(world.revision)?.replicas == 4, "41% of 10 → 4")
        var small = canaryWorld(replicas: 3, steps: [weight(5), pause()])
        small.patch(image: image(2))
        small.runUntilWaiting()
        #expect(small.set(small.revision)?.replicas == 1, "at least one canary pod above 0%")
    }

    @Test func httpRouteWeightsFollowEachStepAndGoBackAfterPromotion() {
        var world = canaryWorld(replicas: 5, steps: [weight(20), pause(), weight(60), pause()], route: true)
        let stable = world.revision
        #expect(world.pinned("web-stable") == stable && world.pinned("web-canary") == stable)
        #expect(world.routeWeight("web-stable") == 100 && world.routeWeight("web-canary") == 0)
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        #expect(world.set(world.revision)?.replicas == 1 && world.set(stable)?.replicas == 5, "the stable side keeps every pod")
        #expect(world.pinned("web-canary") == world.revision && world.pinned("web-stable") == stable)
        #expect(world.routeWeight("web-stable") == 80 && world.routeWeight("web-canary") == 20)
        #expect(world.routeWeight("web-legacy") == 7, "a backendRef of another Service is never touched")

        // The weight is sent to the canary only after its Service is seen pinned to it.
        let firstWeight = world.trafficWrites.firstIndex {
            if case .setRouteWeights(_, _, let weights) = $0 { return weights.contains { $0.weight == 20 } }
            return false
        }
        let canaryPinned = world.trafficWrites.firstIndex(of: .selectRevision(service: "web-canary", revision: world.revision))
        #expect(firstWeight != nil && canaryPinned != nil && canaryPinned! < firstWeight!)

        world.annotations[AppReleaseAPI.promoteAnnotation] = "1"
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        #expect(world.set(world.revision)?.replicas == 3, "60% of 5, rounded up: capacity for the share")
        #expect(world.routeWeight("web-stable") == 40 && world.routeWeight("web-canary") == 60)

        world.annotations[AppReleaseAPI.promoteAnnotation] = "2"
        for _ in 0..<6 {
            world.reconcile()
            #expect(world.servedBy("web-stable") >= 5)
            world.podsStart()
        }
        #expect(world.pinned("web-stable") == world.revision, "after promotion the stable Service selects the new revision")
        #expect(world.routeWeight("web-stable") == 100 && world.routeWeight("web-canary") == 0)
        #expect(world.set(stable)?.replicas == 5, "the old revision waits out scaleDownDelaySeconds")
        #expect(world.status.release != nil)
        world.now += 30
        world.settle(keeping: "web-stable", minServed: 5)
        #expect(world.set(stable)?.replicas == 0)
        #expect(world.status.phase == .healthy && world.status.stableRevision == world.revision)
    }

    @Test func fullPromotionSkipsTheRemainingSteps() {
        var world = canaryWorld(steps: Self.steps)
        world.patch(image: image(2))
        world.runUntilWaiting()
        world.annotations[AppReleaseAPI.promoteAnnotation] = "full-1"
        let plan = world.reconcile()
        #expect(plan.events.contains { $0.reason == "Promoted" && $0.message.contains("Full promotion") })
        #expect(world.status.currentStepIndex == 5 && world.status.canaryWeight == 100)
        world.settle(minAvailable: 4)
        #expect(world.status.phase == .healthy && world.status.stableRevision == world.revision)
    }

    @Test func stepPromoteOnAWeightStepIsIgnoredAndTheResultSaysWhy() {
        var world = canaryWorld(steps: Self.steps)
        world.patch(image: image(2))
        world.reconcile()
        world.annotations[AppReleaseAPI.promoteAnnotation] = "too-early"
        let plan = world.reconcile()
        #expect(plan.events.first { $0.reason == "PromoteIgnored" }?.message.contains("is not a pause") == true)
        let ignored = world.status.acknowledged?.results?.promote
        #expect(ignored?.value == "too-early" && ignored?.applied == false)
        #expect(ignored?.message.contains("is not a pause") == true)

        world.runUntilWaiting()
        world.annotations[AppReleaseAPI.promoteAnnotation] = "at-the-pause"
        world.reconcile()
        let applied = world.status.acknowledged?.results?.promote
        #expect(applied == RequestResult(value: "at-the-pause", applied: true, message: "Canary step 2/5 (pause) ended by promotion"))
    }

    @Test func retryAndAbortWithNothingToActOnSayWhy() {
        var world = canaryWorld(steps: Self.steps)
        world.annotations[AppReleaseAPI.retryAnnotation] = "r"
        world.annotations[AppReleaseAPI.abortAnnotation] = "a"
        world.reconcile()
        #expect(world.status.acknowledged?.results?.retry == RequestResult(value: "r", applied: false, message: "Nothing failed: nothing to retry"))
        #expect(world.status.acknowledged?.results?.abort?.applied == false)
        world.patch(image: image(2))
        world.reconcile()
        world.annotations[AppReleaseAPI.abortAnnotation] = "a2"
        world.reconcile()
        #expect(world.status.acknowledged?.results?.abort?.applied == true)
        #expect(world.status.acknowledged?.results?.abort?.value == "a2")
    }

    @Test func abortSetsTheWeightsBackFirstAndStaysAbortedUntilRetry() {
        var world = canaryWorld(replicas: 5, steps: [weight(20), pause()], route: true)
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        world.annotations[AppReleaseAPI.abortAnnotation] = "a1"
        let aborted = world.reconcile()
        let weightsBack = aborted.writes.firstIndex {
            if case .setRouteWeights(_, _, let weights) = $0 { return weights.contains { $0.weight == 100 } }
            return false
        }
        let canaryBack = aborted.writes.firstIndex(of: .selectRevision(service: "web-canary", revision: stable))
        #expect(weightsBack != nil && canaryBack != nil)
        #expect(aborted.scales.isEmpty, "no canary pod goes before traffic is seen elsewhere")
        world.settle(keeping: "web-stable", minServed: 5)
        #expect(world.set(world.revision)?.replicas == 0 && world.routeWeight("web-canary") == 0)
        #expect(world.status.phase == .rolledBack && world.status.history?.first?.outcome == .aborted)

        // Nothing restarts it on its own.
        world.now += 3600
        world.reconcile()
        #expect(world.status.release == nil && world.status.failure?.reason == "Aborted")

        world.annotations[AppReleaseAPI.retryAnnotation] = "r1"
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        #expect(world.status.release?.stepIndex == 1 && world.routeWeight("web-canary") == 20, "a clean start from step 1")
    }

    @Test func aNewDigestAfterAnAbortStartsCleanly() {
        var world = canaryWorld(steps: Self.steps)
        world.patch(image: image(2))
        world.runUntilWaiting()
        world.annotations[AppReleaseAPI.abortAnnotation] = "a1"
        world.settle(minAvailable: 4)
        world.patch(image: image(3))
        world.runUntilWaiting(keeping: "none")
        #expect(world.status.failure == nil && world.status.release?.revision == world.revision)
        #expect(world.status.currentStepIndex == 1 && world.status.phase == .paused)
    }

    @Test(arguments: [0, 1, 2, 3])
    func failureAtAnyStepRevertsToStable(step: Int) {
        var world = canaryWorld(steps: Self.steps)
        let stable = world.revision
        world.patch(image: image(2))
        var rounds = 0
        while (world.status.release?.stepIndex ?? 0) < step && rounds < 40 {
            world.reconcile()
            world.podsStart()
            world.now += 31
            if world.condition("Paused")?.reason == "AwaitingPromotion" {
                world.annotations[AppReleaseAPI.promoteAnnotation] = "p\(rounds)"
            }
            rounds += 1
        }
        world.pods = failingPods(world)
        world.broken = [world.revision]
        world.settle(minAvailable: 4)
        #expect(world.status.phase == .rolledBack && world.condition("Degraded")?.reason == "CrashLoop")
        #expect((world.set(world.revision)?.replicas ?? 0) == 0 && world.set(stable)?.replicas == 4)
        #expect(world.status.stableRevision == stable)
    }

    @Test func scalingMidCanaryKeepsTheWeight() {
        var world = canaryWorld(steps: [weight(25), pause()])
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting()
        #expect(world.set(world.revision)?.replicas == 1 && world.set(stable)?.replicas == 3)
        world.spec["replicas"] = 8
        world.runUntilWaiting()
        world.reconcile()
        world.podsStart()
        world.reconcile()
        #expect(world.set(world.revision)?.replicas == 2 && world.set(stable)?.replicas == 6, "both sides grow with the weight")
        world.spec["replicas"] = 4
        world.reconcile()
        world.podsStart()
        world.reconcile()
        #expect(world.set(world.revision)?.replicas == 1 && world.set(stable)?.replicas == 3)
        #expect(world.status.release != nil, "scaling is not a new release")
    }

    @Test func aNewDigestMidCanarySupersedesTheOneInFlight() {
        var world = canaryWorld(replicas: 5, steps: [weight(20), pause()], route: true)
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        let superseded = world.revision
        world.patch(image: image(3))
        let next = world.reconcile()
        #expect(next.hasEvent("ReleaseSuperseded"))
        #expect(world.status.release?.revision == world.revision && world.status.release?.stepIndex == 0)
        #expect(world.routeWeight("web-canary") == 0, "no share for the canary until its Service is on the new revision")
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        #expect(world.set(superseded)?.replicas == 0, "the superseded canary is scaled away")
        #expect(world.pinned("web-canary") == world.revision && world.routeWeight("web-canary") == 20)
        #expect(world.status.stableRevision == stable)
        #expect(world.status.history?.first?.outcome == .superseded)
    }

    @Test func patchingBackToTheStableDigestEndsTheCanary() {
        var world = canaryWorld(replicas: 5, steps: [weight(20), pause()], route: true)
        let stable = world.revision
        world.patch(image: image(2))
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        let canary = world.revision
        world.patch(image: image(1))
        world.settle(keeping: "web-stable", minServed: 5)
        #expect(world.revision == stable)
        #expect(world.routeWeight("web-canary") == 0 && world.pinned("web-canary") == stable)
        #expect(world.set(canary)?.replicas == 0)
        #expect(world.status.phase == .healthy && world.status.release == nil)
        #expect(world.status.history?.first?.outcome == .superseded)
    }

    @Test func aMissingRouteOrBackendRefOrGatewayAPIIsAClearStatus() {
        var world = canaryWorld(replicas: 5, steps: [weight(20), pause()], route: true)
        world.patch(image: image(2))
        world.routeObservation = .notFound
        #expect(world.reconcile().writes.isEmpty)
        #expect(world.condition("Ready")?.reason == "HTTPRouteNotFound")
        #expect(world.status.message?.hasPrefix("HTTPRoute web (spec.strategy.canary.trafficRouting.httpRoute) does not exist") == true)

        world.routeObservation = .apiUnavailable("404 NotFound")
        world.reconcile()
        #expect(world.condition("Stalled")?.reason == "GatewayAPINotInstalled")
        #expect(world.status.message?.contains("install the Gateway API CRDs") == true)

        world.routeObservation = .found(ObservedHTTPRoute(name: "web", resourceVersion: "1", backendRefs: [.init(rule: 0, index: 0, name: "web-stable")]))
        world.reconcile()
        #expect(world.condition("Ready")?.reason == "BackendRefNotFound")
        #expect(world.status.message?.contains("no rule with backendRefs to both Service web-stable and Service web-canary") == true)

        world.routeObservation = nil
        world.runUntilWaiting(keeping: "web-stable", minServed: 5)
        #expect(world.routeWeight("web-canary") == 20)
    }
}

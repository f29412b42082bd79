import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

func crashingPod(_ revision: String, name: String, restarts: Int, waiting: String? = "CrashLoopBackOff", at date: Date)
    -> ObservedPod
{
    ObservedPod(
        name: name, revision: revision, createdAt: date,
        containers: [ContainerSignal(name: "web", restartCount: restarts, waitingReason: waiting, lastTerminationReason: "Error")])
}

@Suite("Failure detection and automatic revert")
struct FailureTests {
    @Test func deadlineFailsARevisionThatNeverBecomesAvailable() {
        var world = releasedWorld(deadline: 120)
        let stable = world.revision
        world.patch(image: image(2))
        world.broken.insert(world.revision)
        let start = world.reconcile()
        #expect(start.requeueAfterSeconds == 121)
        world.podsStart()
        world.now += 60
        let midway = world.reconcile()
        #expect(world.status.failure == nil)
        #expect(midway.requeueAfterSeconds == 61, "requeue when the deadline falls due, no polling")
        world.now += 60
        let failed = world.reconcile()
        #expect(world.status.failure?.reason == "ProgressDeadlineExceeded")
        #expect(failed.events.contains { $0.type == .warning && $0.reason == "ReleaseFailed" })
        #expect(world.status.history?.first?.outcome == .rolledBack)
        world.settle(minAvailable: 3)
        #expect(world.status.phase == .rolledBack)
        #expect(world.set(stable)?.replicas == 3 && world.set(world.revision)?.replicas == 0)
        #expect(world.condition("Degraded")?.status == .true && world.condition("Degraded")?.reason == "ProgressDeadlineExceeded")
        #expect(world.condition("Progressing")?.status == .false)
        #expect(world.condition("Ready")?.status == .false)
        #expect(world.condition("Stalled")?.status == .true && world.condition("Reconciling")?.status == .false)
        #expect(world.condition("Available")?.status == .true)
        #expect(world.status.message?.contains("rolled back to revision \(stable)") == true)
        // The printer columns: the stable image serves, the failed one is still the target.
        #expect(world.status.stableImageShort == "web@111111111111")
        #expect(world.status.currentImageShort == "web@222222222222")
    }

    @Test func flappingReadinessDoesNotPostponeTheDeadline() {
        // argo-rollouts#3765: pods crash-looping in and out of Ready must not reset the clock.
        var world = releasedWorld(deadline: 100)
        world.patch(image: image(2))
        world.reconcile()  // new ReplicaSet with 1 pod
        let revision = world.revision
        let started = world.now
        var failedAt: Date?
        for step in 1...30 {
            world.now = started + Double(step * 10)
            if let index = world.sets.firstIndex(where: { $0.revision == revision }) {
                world.sets[index].currentReplicas = world.sets[index].replicas
                world.sets[index].availableReplicas = step % 2 == 1 ? 1 : 0  // flaps
            }
            world.reconcile()
            if world.status.failure != nil {
                failedAt = world.now
                break
            }
        }
        // Progress happened once (first availability at +10 s); the deadline is +10 s + 100 s.
        #expect(failedAt == started + 110)
        #expect(world.status.failure?.reason == "ProgressDeadlineExceeded")
        #expect(world.status.history?.first?.message?.contains("1 of 3 new pods ever became available") == true)
    }

    @Test func realProgressMovesTheDeadline() {
        var world = releasedWorld(replicas: 3, maxSurge: 1, deadline: 100)
        world.patch(image: image(2))
        world.reconcile()
        for _ in 0..<6 {
            world.now += 90  // each step well inside the deadline, the whole release beyond it
            world.podsStart()
            world.reconcile()
        }
        #expect(world.status.failure == nil)
        #expect(world.status.phase == .healthy)
    }

    @Test func crashLoopRevertsScalingStableUpBeforeFailedDown() {
        var world = releasedWorld()
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()  // new: 1
        let bad = world.revision
        // One new pod became available once, so the stable was scaled down to 2 and the new up to 2.
        world.sets[world.sets.firstIndex { $0.revision == bad }!].availableReplicas = 1
        world.sets[world.sets.firstIndex { $0.revision == bad }!].currentReplicas = 1
        world.reconcile()
        world.reconcile()
        #expect(world.set(stable)?.replicas == 2 && world.set(bad)?.replicas == 2)
        world.sets[world.sets.firstIndex { $0.revision == bad }!].currentReplicas = 2
        world.pods = [
            crashingPod(bad, name: "web-\(bad)-a", restarts: 1, waiting: nil, at: world.now),
            crashingPod(bad, name: "web-\(bad)-b", restarts: 4, at: world.now),
        ]
        let failed = world.reconcile()
        #expect(world.status.failure?.reason == "CrashLoop")
        #expect(world.status.failure?.message.contains("restarted 4 times (failFast.maxRestarts is 3") == true)
        // First write: the stable ReplicaSet back to full size; the failed one is untouched.
        #expect(failed.scales.map(\.name) == ["web-\(stable)"])
        #expect(failed.scales.first?.to == 3)
        #expect(world.status.phase == .rolledBack)
        #expect(world.condition("Reconciling")?.status == .true, "revert in progress")
        // Availability: stable 2 + failed 1 = 3; the failed ReplicaSet's unavailable pod goes first,
        // its available one only once the stable pods are available.
        let next = world.reconcile()
        #expect(next.scales.map(\.to) == [1])
        #expect(world.totalAvailable >= 3)
        world.podsStart()
        world.sets[world.sets.firstIndex { $0.revision == bad }!].availableReplicas = 1
        let last = world.reconcile()
        #expect(last.scales.map(\.name) == ["web-\(bad)"] && last.scales.first?.to == 0)
        world.settle(minAvailable: 3)
        #expect(world.set(bad)?.replicas == 0 && world.set(stable)?.replicas == 3)
        #expect(world.condition("Reconciling")?.status == .false)
    }

    @Test func failedRevisionIsNotRetriedUntilTheSpecChangesOrRetryIsAsked() {
        var world = releasedWorld(deadline: 50)
        world.patch(image: image(2))
        world.broken.insert(world.revision)
        world.reconcile()
        world.now += 100
        world.settle(minAvailable: 3)
        #expect(world.status.phase == .rolledBack)
        let bad = world.revision
        // Re-reconciling (a resync, an unrelated edit) does not restart the failed release.
        world.generation += 1
        world.spec["minReadySeconds"] = 1
        #expect(world.revision == bad)
        let again = world.reconcile()
        #expect(again.writes.isEmpty && world.status.phase == .rolledBack && world.status.release == nil)
        // A retry request restarts it once.
        world.annotations[AppReleaseAPI.retryAnnotation] = "2026-01-01T00:00:00Z"
        let retried = world.reconcile()
        #expect(retried.hasEvent("RetryRequested") && retried.hasEvent("ReleaseStarted"))
        #expect(world.status.release?.revision == bad)
        #expect(world.status.acknowledged?.retry == "2026-01-01T00:00:00Z")
        #expect(world.set(bad)?.replicas == 1)
        world.now += 100
        world.settle(minAvailable: 3)
        #expect(world.status.phase == .rolledBack)
        let noRepeat = world.reconcile()
        #expect(!noRepeat.hasEvent("RetryRequested"), "the same request is acted on once")
        // A new digest is a new release.
        world.patch(image: image(3))
        world.reconcile()
        #expect(world.status.failure == nil && world.status.release?.image == image(3))
        #expect(world.condition("Degraded")?.status == .false)
    }

    @Test func imagePullErrorsFailFastAndCanBeDisabled() {
        var world = releasedWorld()
        world.patch(image: image(2))
        world.reconcile()
        let pod = ObservedPod(
            name: "web-x", revision: world.revision, createdAt: world.now,
            containers: [ContainerSignal(name: "web", waitingReason: "ImagePullBackOff", waitingMessage: "Back-off pulling image")])
        world.pods = [pod]
        var disabled = world
        disabled.spec["failFast"] = ["imagePullErrors": false]
        disabled.reconcile()
        #expect(disabled.status.failure == nil)
        world.reconcile()
        #expect(world.status.failure?.reason == "ImagePullFailed")
        #expect(world.status.failure?.message.contains("ImagePullBackOff: Back-off pulling image") == true)
    }

    @Test func failFastSignalTable() {
        let now = Date(timeIntervalSince1970: 1000)
        func signal(_ container: ContainerSignal, createdAt: Date = Date(timeIntervalSince1970: 1000)) -> String? {
            FailFast.signal(
                pods: [ObservedPod(name: "p", revision: "r", createdAt: createdAt, containers: [container])], revision: "r",
                since: now, maxRestarts: 3, imagePullErrors: true)?.reason
        }
        #expect(signal(ContainerSignal(name: "c", waitingReason: "ErrImagePull")) == "ImagePullFailed")
        #expect(signal(ContainerSignal(name: "c", waitingReason: "InvalidImageName")) == "ImagePullFailed")
        #expect(signal(ContainerSignal(name: "c", waitingReason: "CreateContainerConfigError")) == "ContainerConfigError")
        #expect(signal(ContainerSignal(name: "c", restartCount: 4)) == "CrashLoop")
        #expect(signal(ContainerSignal(name: "c", restartCount: 3)) == nil)
        #expect(signal(ContainerSignal(name: "c", restartCount: 3, waitingReason: "CrashLoopBackOff")) == "CrashLoop")
        #expect(signal(ContainerSignal(name: "c", restartCount: 1, waitingReason: "CrashLoopBackOff")) == nil)
        #expect(signal(ContainerSignal(name: "c", waitingReason: "ContainerCreating")) == nil)
        #expect(
            signal(ContainerSignal(name: "c", restartCount: 9), createdAt: Date(timeIntervalSince1970: 900)) == nil,
            "pods from before this release do not count")
        #expect(
            FailFast.signal(
                pods: [ObservedPod(name: "p", revision: "other", containers: [ContainerSignal(name: "c", restartCount: 9)])],
                revision: "r", since: now, maxRestarts: 3, imagePullErrors: true) == nil,
            "other revisions' pods do not count")
    }

    @Test func firstReleaseWithNothingToRevertToEndsDegraded() {
        var world = World(spec: specJSON(image: image(1), deadline: 30))
        world.broken.insert(world.revision)
        world.reconcile()
        world.podsStart()
        world.now += 31
        let plan = world.reconcile()
        #expect(world.status.failure?.reason == "ProgressDeadlineExceeded")
        #expect(plan.scales.isEmpty, "nothing to scale back to")
        #expect(world.status.phase == .degraded)
        #expect(world.status.message?.contains("no earlier revision to roll back to") == true)
        #expect(world.condition("Degraded")?.status == .true && world.condition("Stalled")?.status == .true)
        #expect(world.status.history?.first?.outcome == .failed)
        #expect(plan.events.contains { $0.message.contains("no earlier revision to roll back to") })
    }

    @Test func abortRequestRevertsTheReleaseInFlight() {
        var world = releasedWorld()
        world.patch(image: image(2))
        world.reconcile()
        world.annotations[AppReleaseAPI.abortAnnotation] = "1"
        let plan = world.reconcile()
        #expect(world.status.failure?.reason == "Aborted")
        #expect(world.status.history?.first?.outcome == .aborted)
        #expect(plan.events.contains { $0.reason == "ReleaseFailed" })
        world.settle(minAvailable: 3)
        #expect(world.status.phase == .rolledBack)
        #expect(world.sets.filter { $0.replicas > 0 }.count == 1)
    }

    @Test func aRestartedControllerResumesFromStatus() throws {
        // Level-triggered: the status round-trips through JSON (as it would through the API
        // server) and the next engine run continues the same release, same deadline.
        var world = releasedWorld(deadline: 100)
        world.patch(image: image(2))
        world.broken.insert(world.revision)
        world.reconcile()
        let json = try JSONValue(encoding: world.status)
        world.status = try json.decode(AppReleaseStatus.self)
        world.now += 101
        world.reconcile()
        #expect(world.status.failure?.reason == "ProgressDeadlineExceeded")
    }
}

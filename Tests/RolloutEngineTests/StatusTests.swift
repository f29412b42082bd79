import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

@Suite("Status, conditions and the status patch")
struct StatusTests {
    @Test func lastTransitionTimeMovesOnlyOnFlips() {
        var world = World(spec: specJSON(image: image(1)))
        world.reconcile()
        let readyFalseAt = world.condition("Ready")?.lastTransitionTime
        let availableAt = world.condition("InvalidSpec")?.lastTransitionTime
        world.now += 5
        world.reconcile()
        #expect(world.condition("Ready")?.lastTransitionTime == readyFalseAt)
        world.podsStart()
        world.now += 5
        world.reconcile()
        #expect(world.condition("Ready")?.status == .true)
        #expect(world.condition("Ready")?.lastTransitionTime == world.now)
        #expect(world.condition("InvalidSpec")?.lastTransitionTime == availableAt)
        let conditionTypes = Set(world.status.conditions?.map(\.type) ?? [])
        #expect(
            conditionTypes
                == ["Ready", "Available", "Progressing", "Degraded", "Paused", "InvalidSpec", "Reconciling", "Stalled"])
        #expect(world.status.conditions?.allSatisfy { $0.observedGeneration == 1 } == true)
    }

    @Test func invalidSpecActsOnNothingAndReportsOnce() {
        var world = releasedWorld()
        world.spec["image"] = "ghcr.io/acme/web:latest"
        world.generation += 1
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty)
        #expect(world.status.phase == .invalidSpec)
        #expect(world.condition("InvalidSpec")?.status == .true)
        #expect(world.condition("InvalidSpec")?.message.hasPrefix("spec.image: must be pinned by digest") == true)
        #expect(world.condition("Stalled")?.status == .true && world.condition("Ready")?.status == .false)
        #expect(world.status.observedGeneration == 2)
        #expect(plan.events.map(\.reason) == ["InvalidSpec"])
        let again = world.reconcile()
        #expect(again.events.isEmpty && again.statusPatch == nil)
        world.spec["image"] = .string(image(1))
        world.generation += 1
        world.reconcile()
        #expect(world.status.phase == .healthy && world.condition("InvalidSpec")?.status == .false)
    }

    /// The CRD's CEL rules refuse these at admission (kubesim and a real API server alike); a
    /// spec that got past them (an older CRD, admission bypassed) is still refused here.
    static let admissionBypassed: [(spec: JSONValue, report: String)] = [
        (specJSON(image: image(1), extra: ["selector": ["matchLabels": ["app": "other"]]]), "spec.selector: does not match spec.template.metadata.labels"),
        (specJSON(image: image(1), extra: ["container": "sidecar"]), "spec.container: no container named \"sidecar\""),
        (specJSON(image: image(1), deadline: 60, extra: ["minReadySeconds": 60]), "spec.progressDeadlineSeconds: must be greater than spec.minReadySeconds"),
        (
            specJSON(image: image(1), extra: ["template": ["spec": ["containers": [["name": "web"]]]]]),
            "spec.template.metadata.labels: Required value: needed as the default selector"
        ),
        (specJSON(image: image(1), maxSurge: 0, maxUnavailable: 0), "maxSurge and maxUnavailable may not both be 0"),
        (specJSON(image: image(1), maxSurge: "150%"), "spec.strategy.rolling.maxSurge: must not be greater than 100%"),
        (specJSON(image: image(1), extra: ["strategy": ["type": "BlueGreen"]]), "spec.strategy.blueGreen: Required value"),
        (specJSON(image: image(1), extra: ["strategy": ["type": "Canary"]]), "spec.strategy.canary: Required value"),
        (
            specJSON(image: image(1), extra: ["strategy": ["type": "Canary", "canary": ["steps": [["setWeight": 10, "pause": [:]]]]]]),
            "must set exactly one of setWeight or pause"
        ),
        (
            specJSON(image: image(1), extra: ["strategy": ["type": "Canary", "canary": ["stableService": "web", "trafficRouting": ["httpRoute": ["name": "web"]]]]]),
            "httpRoute: needs stableService and canaryService"
        ),
        (
            specJSON(image: image(1), extra: ["strategy": ["type": "Canary", "canary": ["stableService": "web", "canaryService": "web"]]]),
            "spec.strategy.canary.canaryService: must differ from stableService"
        ),
        (
            specJSON(image: image(1), extra: ["strategy": ["type": "BlueGreen", "blueGreen": ["activeService": "web", "previewService": "web"]]]),
            "spec.strategy.blueGreen.previewService: must differ from activeService"
        ),
    ]

    @Test("a spec only the CRD's CEL rules refuse, past admission, is InvalidSpec naming the field, and nothing is planned",
          arguments: admissionBypassed.indices)
    func celRulesHoldWhenAdmissionIsBypassed(_ index: Int) {
        let (spec, report) = Self.admissionBypassed[index]
        var world = World(spec: spec)
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty)
        #expect(world.status.phase == .invalidSpec)
        #expect(world.condition("InvalidSpec")?.status == .true)
        let message = world.condition("InvalidSpec")?.message ?? ""
        #expect(message.contains(report), "\(message)")
    }

    @Test func statusPatchNullsRemovedFields() throws {
        var world = World(spec: specJSON(image: image(1)))
        world.reconcile()
        #expect(world.status.release != nil)
        world.podsStart()
        let plan = world.reconcile()
        let patch = try #require(plan.statusPatch)
        #expect(patch[path: "status", "release"] == .null, "the finished release is removed by the merge patch")
        #expect(patch[path: "status", "stableRevision"] == .string(world.revision))
        #expect(patch[path: "status", "observedGeneration"] == Optional<JSONValue>.none, "unchanged fields are not sent")
    }

    @Test func deletingAppReleasePlansNothing() throws {
        var world = releasedWorld()
        var snapshot = world.snapshot
        snapshot.appRelease.isDeleting = true
        snapshot.appRelease.spec = specJSON(image: image(5))
        let plan = try RolloutEngine.plan(snapshot)
        #expect(plan.writes.isEmpty && plan.events.isEmpty && plan.statusPatch == nil)
        world.reconcile()
    }

    @Test func observedObjectsParseFromJSON() throws {
        let pod = ObservedPod(
            json: try JSONValue(
                parsing: #"""
                    {"metadata":{"name":"web-abc-1","labels":{"apprelease.dev/revision":"abc"},"creationTimestamp":"2026-11-25T10:00:00Z"},
                     "status":{"conditions":[{"type":"Ready","status":"False"}],
                       "containerStatuses":[{"name":"web","ready":false,"restartCount":5,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},"lastState":{"terminated":{"reason":"OOMKilled"}}}]}}
                    """#))
        #expect(pod.revision == "abc" && !pod.isReady && pod.createdAt == KubeTime.parse("2026-11-25T10:00:00Z"))
        #expect(pod.containers == [ContainerSignal(name: "web", restartCount: 5, waitingReason: "CrashLoopBackOff", waitingMessage: "back-off", lastTerminationReason: "OOMKilled")])
        let app = ObservedAppRelease(
            json: try JSONValue(
                parsing: #"{"metadata":{"name":"web","namespace":"shop","uid":"u","generation":4,"annotations":{"a":"b"}},"spec":{"image":"x"},"status":{"phase":"Healthy","conditions":"garbage"}}"#))
        #expect(app.name == "web" && app.generation == 4 && app.annotations == ["a": "b"])
        #expect(app.status == AppReleaseStatus(), "an undecodable status reads as empty")
        #expect(ObservedReplicaSet(json: ["metadata": ["name": "unrelated"]]) == nil)
    }
}

@Suite("Status when a released revision loses its pods")
struct LostAvailabilityTests {
    /// Nodes go NotReady long after the release: every pod of the released revision turns unready.
    func released(losing available: Int) -> World {
        var world = releasedWorld()
        let index = try? #require(world.sets.firstIndex { $0.revision == world.revision })
        if let index {
            world.sets[index].availableReplicas = available
            world.sets[index].readyReplicas = available
        }
        world.now += 3600
        return world
    }

    @Test func allPodsUnavailableReadsAsDownNotAsARelease() {
        var world = released(losing: 0)
        let stable = world.status.stableRevision
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty, "nothing to scale, nothing to revert: the image is not at fault")
        #expect(!plan.events.contains { $0.reason == "ReleaseFailed" || $0.reason == "ReleaseStarted" })
        #expect(world.status.phase == .unavailable)
        #expect(world.status.message == "Revision \(world.revision) is down: 0 of 3 pods available (minimum 3); no release in progress")
        #expect(world.condition("Available")?.status == .false)
        #expect(world.condition("Available")?.reason == "MinimumReplicasUnavailable")
        #expect(world.condition("Ready")?.status == .false && world.condition("Ready")?.reason == "PodsUnavailable")
        #expect(world.condition("Progressing")?.reason == "ReleaseComplete", "no ReplicaSetUpdated: nothing is being rolled out")
        #expect(world.condition("Degraded")?.status == .false, "no release failed")
        // kstatus: InProgress (Reconciling=True), as for a Deployment short of pods; never Current.
        #expect(world.condition("Reconciling")?.status == .true && world.condition("Stalled")?.status == .false)
        #expect(world.status.stableRevision == stable && world.status.release == nil)
    }

    @Test func partlyUnavailableSaysWhetherTheMinimumHolds() {
        var below = released(losing: 2)
        below.reconcile()
        #expect(below.status.phase == .unavailable)
        #expect(below.status.message?.contains("is below its minimum: 2 of 3 pods available (minimum 3)") == true)

        var world = releasedWorld(maxSurge: 1, maxUnavailable: 1)
        let index = world.sets.firstIndex { $0.revision == world.revision } ?? 0
        world.sets[index].availableReplicas = 2
        world.reconcile()
        #expect(world.status.phase == .unavailable)
        #expect(world.status.message?.contains("is short of pods: 2 of 3 pods available (minimum 2)") == true)
        #expect(world.condition("Available")?.status == .true)
    }

    @Test func podsBackMeansHealthyAgainWithoutAnyWrite() {
        var world = released(losing: 0)
        world.reconcile()
        world.podsStart()
        let plan = world.reconcile()
        #expect(plan.writes.isEmpty)
        #expect(world.status.phase == .healthy && world.condition("Ready")?.status == .true)
        #expect(world.condition("Reconciling")?.status == .false && world.condition("Available")?.status == .true)
    }

    /// Once resized, the new pods of a scale-up are "not available yet" in the same words: the
    /// numbers say it is the minimum that grew, and it is never called a rollout.
    @Test func aScaleUpReadsAsPodsNotYetAvailable() {
        var world = releasedWorld()
        world.spec["replicas"] = 5
        world.generation += 1
        let plan = world.reconcile()
        #expect(plan.writes.count == 1, "the ReplicaSet is resized")
        #expect(world.set(world.revision)?.replicas == 5)
        world.reconcile()
        #expect(world.status.phase == .unavailable)
        #expect(world.status.message?.contains("3 of 5 pods available (minimum 5)") == true)
        #expect(world.condition("Progressing")?.reason == "ReleaseComplete")
        world.podsStart()
        world.reconcile()
        #expect(world.status.phase == .healthy)
    }
}

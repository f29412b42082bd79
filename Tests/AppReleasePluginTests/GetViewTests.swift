import Foundation
import KubeModels
import Testing

@testable import AppReleasePlugin

@Suite("get: the view")
struct GetViewTests {
    static let now = Date(timeIntervalSince1970: 1_735_725_620)  // 2025-01-01T10:00:20Z

    @Test func aCanaryMidReleaseReadsAsExpected() {
        let text = ReleaseViewRenderer.render(ReleaseView(GetFixtures.canaryObjects), now: Self.now)
        #expect(text == Self.expectedCanaryView, "rendered:\n\(text)")
    }

    static let expectedCanaryView = """
        Name:       web
        Namespace:  shop
        Phase:      Paused
        Message:    canary at 25%, step 2/5, paused 18s more
        Strategy:   Canary: step 2/5, weight 25%
        Traffic:    Service web-stable (stable) → revision 7c9f8b6d5
                    Service web-canary (canary) → revision 5d6d7bdfdf
                    HTTPRoute web: weights web-stable 75, web-canary 25
        Current:    revision 5d6d7bdfdf, web@5d6d7bdfdf01
        Stable:     revision 7c9f8b6d5, web@0a1b2c3d4e5f
        Replicas:   3 desired, 4 current, 1 updated, 4 ready, 4 available

        Revisions:
          #3 5d6d7bdfdf (current)  web@5d6d7bdfdf01  2 desired, 0 ready, 0 available
            web-5d6d7bdfdf-q9w8e  ErrImagePull      0/1 ready  0 restarts  failed to pull and unpack image: not found
            web-5d6d7bdfdf-x7k2p  CrashLoopBackOff  0/1 ready  2 restarts  back-off 20s restarting failed container=app pod=web-5d6d7bdfdf-x7k2p
          #2 7c9f8b6d5 (stable)    web@0a1b2c3d4e5f  3 desired, 3 ready, 3 available
            web-7c9f8b6d5-a1b2c   Running           1/1 ready  0 restarts
            web-7c9f8b6d5-d3e4f   Running           1/1 ready  0 restarts
            web-7c9f8b6d5-g5h6i   Terminating       1/1 ready  0 restarts
          (1 older revision scaled to 0)

        Conditions not in their normal state:
          TYPE         STATUS  REASON           MESSAGE
          Ready        False   CanaryPauseStep  canary at 25%, step 2/5, paused 18s more
          Paused       True    CanaryPauseStep  the release waits until 2025-01-01T10:00:35Z
          Reconciling  True    CanaryPauseStep  canary at 25%, step 2/5, paused 18s more

        Events:
          LAST SEEN  TYPE    REASON             MESSAGE
          20s        Normal  ReleaseStarted     Release of revision 5d6d7bdfdf started
          19s        Normal  ScalingReplicaSet  Scaled up ReplicaSet web-5d6d7bdfdf (revision 3) from 0 to 2 (x2)
          15s        Normal  StepCompleted      Step 1/5 completed: canary at 25%

        """

    @Test func onlyConditionsOutOfTheirNormalStateAreShown() {
        let view = ReleaseView(GetFixtures.canaryObjects)
        #expect(view.conditions.map(\.type) == ["Ready", "Paused", "Reconciling"])
        let settled = ReleaseView(ReleaseObjects(appRelease: StatusFixtures.ready))
        #expect(settled.conditions.isEmpty)
        #expect(ReleaseViewRenderer.render(settled, now: Self.now).contains("Conditions:  all in their normal state\n"))
    }

    @Test func aStaleStatusIsSaidToBeStale() {
        let view = ReleaseView(ReleaseObjects(appRelease: StatusFixtures.staleReady))
        #expect(view.staleStatus == "waiting for the controller to observe generation 2 (the status is for generation 1)")
    }

    @Test func revisionsAreOwnedNewestFirstAndScaledDownOnesCounted() {
        let view = ReleaseView(GetFixtures.canaryObjects)
        #expect(view.revisions.map(\.revision) == [StatusFixtures.newRevision, StatusFixtures.stableRevision])
        #expect(view.revisions.map(\.roles) == [["current"], ["stable"]])
        #expect(view.revisions.first?.image == "web@5d6d7bdfdf01")
        #expect(view.hiddenRevisions == 1)
    }

    @Test func eventsAreTheLastFewOfThisAppReleaseOldestFirst() {
        let view = ReleaseView(GetFixtures.canaryObjects)
        #expect(view.events.map(\.reason) == ["ReleaseStarted", "ScalingReplicaSet", "StepCompleted"])
        var many = GetFixtures.canaryObjects
        many.events = (0..<10).map { GetFixtures.event("web.e\($0)", reason: "R\($0)", message: "", at: "2025-01-01T10:00:1\($0)Z") }
        #expect(ReleaseView(many).events.map(\.reason) == ["R4", "R5", "R6", "R7", "R8", "R9"])
    }
}

@Suite("get: pod status as kubectl prints it")
struct GetPodStatusTests {
    static func status(_ statusJSON: String, deleting: Bool = false, initContainers: Bool = false) -> PodSummary {
        var pod = GetFixtures.pod("p", revision: "r", status: statusJSON, deleting: deleting)
        if initContainers { pod["spec"]?["initContainers"] = [["name": "migrate"]] }
        return PodSummary(json: pod)
    }

    @Test func statusesReadAsInKubectl() {
        #expect(Self.status(GetFixtures.running).status == "Running")
        #expect(Self.status(GetFixtures.running).isHealthy)
        #expect(Self.status(GetFixtures.crashLooping).status == "CrashLoopBackOff")
        #expect(Self.status(GetFixtures.crashLooping).restarts == 2)
        #expect(Self.status(GetFixtures.crashLooping).ready == "0/1")
        #expect(Self.status(GetFixtures.pullError).status == "ErrImagePull")
        #expect(Self.status(GetFixtures.pullError).detail == "failed to pull and unpack image: not found")
        #expect(Self.status(#"{"phase": "Pending"}"#).status == "Pending")
        #expect(Self.status(GetFixtures.running, deleting: true).status == "Terminating")
        let initializing = #"{"phase": "Pending", "initContainerStatuses": [{"name": "migrate", "state": {"waiting": {"reason": "PodInitializing"}}}]}"#
        #expect(Self.status(initializing, initContainers: true).status == "Init:0/1")
        let completed = #"{"phase": "Running", "containerStatuses": [{"name": "app", "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]}"#
        #expect(Self.status(completed).status == "OOMKilled")
    }
}

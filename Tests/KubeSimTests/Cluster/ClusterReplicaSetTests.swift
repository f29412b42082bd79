import Foundation
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

@Suite struct ClusterReplicaSetTests {
    @Test func podsAreCreatedFromTheTemplateAndBecomeReady() async throws {
        try await withCluster { fixture in
            let rs = try fixture.createReplicaSet("web", replicas: 3)
            try await fixture.waitForReady("web", 3)
            try await eventually("available and observed") {
                fixture.status("web", "availableReplicas") == 3 && fixture.status("web", "fullyLabeledReplicas") == 3
                    && fixture.status("web", "observedGeneration") == 1 && fixture.status("web", "replicas") == 3
            }
            let pods = fixture.pods(of: "web")
            var ips: Set<String> = []
            for pod in pods {
                let meta = MetaView(pod)
                #expect(meta.name.wholeMatch(of: /web-[a-z0-9]{5}/) != nil)
                #expect(meta.labels == ["app": "web", "rs": "web"])
                let ref = try #require(meta.controllerRef)
                #expect(ref.uid == MetaView(rs).uid && ref.kind == "ReplicaSet" && ref.blockOwnerDeletion)
                let facts = PodFacts(pod)
                #expect(facts.phase == "Running")
                #expect(facts.nodeName == "kubesim-node")
                #expect(facts.podIP.hasPrefix("10.244."))
                ips.insert(facts.podIP)
                let types = pod[path: "status", "conditions"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
                #expect(Set(types) == ["PodScheduled", "Initialized", "ContainersReady", "Ready"])
                #expect(pod[path: "status", "conditions"]?.arrayValue?.allSatisfy { $0["lastTransitionTime"]?.stringValue != nil } == true)
                let container = try #require(pod[path: "status", "containerStatuses"]?.arrayValue?.first)
                #expect(container["name"] == "app" && container["image"] == "nginx:1.27" && container["ready"] == true)
                #expect(container["started"] == true && container["restartCount"] == 0)
                #expect(container["imageID"]?.stringValue?.hasPrefix("docker.io/library/nginx@sha256:") == true)
                #expect(container[path: "state", "running", "startedAt"]?.stringValue != nil)
            }
            #expect(ips.count == 3)
        }
    }

    @Test func crashingImageLoopsWithClimbingRestarts() async throws {
        try await withCluster { fixture in
            try fixture.createReplicaSet("crasher", replicas: 1, image: "example.com/app:crash")
            var sawBackOff = false
            try await eventually("restartCount climbs past 3") {
                guard let pod = fixture.pods(of: "crasher").first,
                    let container = pod[path: "status", "containerStatuses"]?.arrayValue?.first
                else { return false }
                #expect(!PodFacts(pod).isReady)
                #expect(PodFacts(pod).phase == "Running")
                if container[path: "state", "waiting", "reason"] == "CrashLoopBackOff" { sawBackOff = true }
                return (container["restartCount"]?.intValue ?? 0) >= 3
            }
            #expect(sawBackOff)
            let container = try #require(fixture.pods(of: "crasher").first?[path: "status", "containerStatuses"]?.arrayValue?.first)
            #expect(container[path: "lastState", "terminated", "exitCode"] == 1)
            #expect(fixture.status("crasher", "readyReplicas") == 0)
            #expect(fixture.status("crasher", "replicas") == 1)
        }
    }

    @Test func pullErrorImageBacksOffAndStaysPending() async throws {
        try await withCluster { fixture in
            let recorder = StoreEventLog(fixture.store, .pods)
            defer { recorder.stop() }
            try fixture.createReplicaSet("broken", replicas: 1, image: "registry.example/app:pullerr")
            try await eventually("ImagePullBackOff") {
                fixture.pods(of: "broken").first?[path: "status", "containerStatuses"]?.arrayValue?.first?[
                        path: "state", "waiting", "reason"] == "ImagePullBackOff"
            }
            let reasons = recorder.recorded.compactMap {
                $0.object[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "waiting", "reason"]?.stringValue
            }
            #expect(reasons.first == "ErrImagePull")
            let pod = try #require(fixture.pods(of: "broken").first)
            #expect(PodFacts(pod).phase == "Pending")
            #expect(!PodFacts(pod).isReady)
        }
    }

    @Test func unreadyAndSlowImagesFollowTheirSchedules() async throws {
        try await withCluster({ $0.slowReadyDelay = .seconds(1) }) { fixture in
            try fixture.createReplicaSet("never", replicas: 1, image: "app:unready")
            try fixture.createReplicaSet("slow", replicas: 1, image: "app:slow")
            try fixture.createReplicaSet("quick", replicas: 1)
            try await fixture.waitForReady("quick", 1)
            // The quick pod was created last and is ready after 100 ms; the slow one needs a second.
            #expect(fixture.readyPods(of: "slow").isEmpty)
            try await fixture.waitForReady("slow", 1)
            // The unready pod has had over a second, ten times a normal pod's delay.
            let never = try #require(fixture.pods(of: "never").first)
            #expect(PodFacts(never).phase == "Running")
            #expect(!PodFacts(never).isReady)
            #expect(never[path: "status", "containerStatuses"]?.arrayValue?.first?["started"] == true)
        }
    }

    @Test func scaleDownPrefersNotReadyThenNewestPods() async throws {
        try await withCluster({ $0.podReadyDelay = .milliseconds(300) }) { fixture in
            try fixture.createReplicaSet("web", replicas: 2)
            try await fixture.waitForReady("web", 2)
            let original = Set(fixture.pods(of: "web").map { MetaView($0).name })

            // Two new pods that are not yet ready go first.
            try fixture.scale("web", to: 4)
            try await eventually("4 pods exist") { fixture.activePods(of: "web").count == 4 }
            let notReady = fixture.activePods(of: "web").filter { !PodFacts($0).isReady }.map { MetaView($0).name }
            try fixture.scale("web", to: 2)
            try await eventually("back to 2 pods") { fixture.pods(of: "web").count == 2 }
            let survivors = Set(fixture.pods(of: "web").map { MetaView($0).name })
            if notReady.count == 2 {
                #expect(survivors == original)
            } else {
                Issue.record("new pods became ready before the scale-down was observed; the machine is very slow")
            }

            // Among ready pods, the newest goes first.
            try fixture.scale("web", to: 3)
            try await fixture.waitForReady("web", 3)
            let newest = try #require(Set(fixture.pods(of: "web").map { MetaView($0).name }).subtracting(original).first)
            try fixture.scale("web", to: 2)
            try await eventually("back to 2 pods") { fixture.pods(of: "web").count == 2 }
            #expect(Set(fixture.pods(of: "web").map { MetaView($0).name }) == original)
            #expect(!fixture.pods(of: "web").contains { MetaView($0).name == newest })
        }
    }

    @Test func availabilityWaitsForMinReadySeconds() async throws {
        try await withCluster { fixture in
            let recorder = StoreEventLog(fixture.store, .replicaSets)
            defer { recorder.stop() }
            try fixture.createReplicaSet("careful", replicas: 2, minReadySeconds: 2)
            try await eventually("available") { fixture.status("careful", "availableReplicas") == 2 }
            let availableAt = Date()
            let statuses = recorder.recorded.compactMap { $0.object["status"] }
            // A status with every pod ready but none available was written first.
            #expect(statuses.contains { $0["readyReplicas"] == 2 && $0["availableReplicas"] == nil })
            let readySince = fixture.readyPods(of: "careful").compactMap { PodFacts($0).readySince }
            #expect(readySince.count == 2)
            for since in readySince {
                // Ready times have second precision; availability comes at least minReadySeconds later.
                #expect(availableAt.timeIntervalSince(since) >= 2)
            }
        }
    }

    @Test func deletedPodTerminatesGracefullyAndIsReplaced() async throws {
        try await withCluster { fixture in
            try fixture.createReplicaSet("web", replicas: 1)
            try await fixture.waitForReady("web", 1)
            let victim = try #require(fixture.pods(of: "web").first)
            let outcome = try fixture.store.delete(.pods, namespace: "default", name: MetaView(victim).name)
            guard case .pending(let terminating) = outcome else {
                Issue.record("a pod with a grace period is not removed at once")
                return
            }
            #expect(MetaView(terminating).isDeleting)
            try await eventually("the pod is gone and replaced") {
                !fixture.pods(of: "web").contains { MetaView($0).uid == MetaView(victim).uid } && fixture.readyPods(of: "web").count == 1
            }
        }
    }
}

import Foundation
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

@Suite struct ClusterEndpointsTests {
    static func createService(_ fixture: ClusterFixture, app: String, targetPort: JSONValue = "http") throws {
        try fixture.store.create(
            .services, namespace: "default",
            object: [
                "metadata": ["name": .string(app), "labels": ["tier": "front"]],
                "spec": ["selector": ["app": .string(app)], "ports": [["name": "web", "port": 80, "targetPort": targetPort]]],
            ])
    }

    static func endpoints(_ fixture: ClusterFixture, _ name: String) -> (ready: [String], notReady: [String], ports: [JSONValue]) {
        guard let endpoints = try? fixture.store.get(.endpoints, namespace: "default", name: name) else { return ([], [], []) }
        let subsets = endpoints["subsets"]?.arrayValue ?? []
        let ready = subsets.flatMap { $0["addresses"]?.arrayValue ?? [] }.compactMap { $0["ip"]?.stringValue }
        let notReady = subsets.flatMap { $0["notReadyAddresses"]?.arrayValue ?? [] }.compactMap { $0["ip"]?.stringValue }
        return (ready.sorted(), notReady.sorted(), subsets.flatMap { $0["ports"]?.arrayValue ?? [] })
    }

    static func slices(_ fixture: ClusterFixture, _ name: String) -> [JSONValue] {
        fixture.store.list(.endpointSlices, namespace: "default", labelSelector: ["kubernetes.io/service-name": name]).items
    }

    @Test func endpointsFollowReadyAndNotReadyPods() async throws {
        try await withCluster { fixture in
            try Self.createService(fixture, app: "web")
            try fixture.createReplicaSet("web-v1", replicas: 2, app: "web")
            try fixture.createReplicaSet("web-broken", replicas: 1, image: "app:unready", app: "web")
            try await fixture.waitForReady("web-v1", 2)
            let readyIPs = fixture.readyPods(of: "web-v1").map { PodFacts($0).podIP }.sorted()
            let unreadyIPs = fixture.activePods(of: "web-broken").map { PodFacts($0).podIP }
            try await eventually("Endpoints list ready and not-ready pods") {
                let current = Self.endpoints(fixture, "web")
                return current.ready == readyIPs && current.notReady == unreadyIPs
            }
            #expect(Self.endpoints(fixture, "web").ports == [["name": "web", "port": 8080, "protocol": "TCP"]])
            let endpointsObject = try fixture.store.get(.endpoints, namespace: "default", name: "web")
            #expect(endpointsObject[path: "metadata", "labels", "tier"] == "front")

            let slices = Self.slices(fixture, "web")
            #expect(slices.count == 1)
            let slice = try #require(slices.first)
            #expect(slice["addressType"] == "IPv4")
            #expect(ObjectMetadata(slice).controllerReference?.kind == "Service")
            let conditions = (slice["endpoints"]?.arrayValue ?? []).map {
                ($0["addresses"]?.arrayValue?.first?.stringValue ?? "", $0[path: "conditions", "ready"]?.boolValue ?? false)
            }
            #expect(conditions.filter(\.1).map(\.0).sorted() == readyIPs)
            #expect(conditions.filter { !$0.1 }.map(\.0) == unreadyIPs)

            // Scaling down removes the address; the slice shows it terminating until it is gone.
            try fixture.scale("web-v1", to: 1)
            try await eventually("one ready address left") { Self.endpoints(fixture, "web").ready.count == 1 }
            try await eventually("the slice drops the terminated pod") {
                Self.slices(fixture, "web").first?["endpoints"]?.arrayValue?.count == 2
            }
        }
    }

    @Test func serviceNeverLosesServingEndpointsDuringAReplacement() async throws {
        try await withCluster { fixture in
            try Self.createService(fixture, app: "shop", targetPort: 8080)
            try fixture.createReplicaSet("shop-v1", replicas: 2, app: "shop")
            try await fixture.waitForReady("shop-v1", 2)
            try await eventually("v1 serves") { Self.endpoints(fixture, "shop").ready.count == 2 }
            let recorder = StoreEventLog(fixture.store, .endpoints)
            defer { recorder.stop() }
            try fixture.createReplicaSet("shop-v2", replicas: 2, app: "shop")
            try await fixture.waitForReady("shop-v2", 2)
            try fixture.scale("shop-v1", to: 0)
            let v2IPs = fixture.readyPods(of: "shop-v2").map { PodFacts($0).podIP }.sorted()
            try await eventually("only v2 serves") { Self.endpoints(fixture, "shop").ready == v2IPs }
            try await recorder.caughtUp()
            let versions = recorder.recorded.filter { $0.name == "shop" }
            #expect(!versions.isEmpty)
            for event in versions {
                #expect(event.type != .deleted)
                let ready = (event.object["subsets"]?.arrayValue ?? []).flatMap { $0["addresses"]?.arrayValue ?? [] }
                #expect(!ready.isEmpty, "an Endpoints version without serving addresses: \(event.object)")
            }
            // Each write changed something.
            for (previous, next) in zip(versions, versions.dropFirst()) {
                #expect(previous.object["subsets"] != next.object["subsets"])
            }
        }
    }

    @Test func switchingTheSelectorMovesEndpointsInOneStep() async throws {
        try await withCluster { fixture in
            try fixture.createReplicaSet("blue", replicas: 2)
            try fixture.createReplicaSet("green", replicas: 2)
            try fixture.store.create(
                .services, namespace: "default",
                object: ["metadata": ["name": "active"], "spec": ["selector": ["app": "blue"], "ports": [["port": 80]]]])
            try await fixture.waitForReady("blue", 2)
            try await fixture.waitForReady("green", 2)
            let blue = fixture.readyPods(of: "blue").map { PodFacts($0).podIP }.sorted()
            let green = fixture.readyPods(of: "green").map { PodFacts($0).podIP }.sorted()
            try await eventually("blue serves") { Self.endpoints(fixture, "active").ready == blue }
            let log = StoreEventLog(fixture.store, .endpoints)
            defer { log.stop() }
            try fixture.store.mutate(.services, namespace: "default", name: "active") { current throws(StatusError) in
                var updated = current
                updated.setValue(["app": "green"], atPath: ["spec", "selector"])
                return updated
            }
            try await eventually("green serves") { Self.endpoints(fixture, "active").ready == green }
            // One write replaced blue by green: no empty or mixed version in between.
            try await log.caughtUp()
            let versions = log.recorded.filter { $0.name == "active" }
            #expect(versions.count == 1)
        }
    }

    @Test func deletedEndpointsAreRecreated() async throws {
        try await withCluster { fixture in
            try Self.createService(fixture, app: "web")
            try fixture.createReplicaSet("web", replicas: 1)
            try await eventually("endpoints exist") { Self.endpoints(fixture, "web").ready.count == 1 && Self.slices(fixture, "web").count == 1 }
            let oldSlice = try #require(Self.slices(fixture, "web").first)
            try fixture.store.delete(.endpoints, namespace: "default", name: "web")
            try fixture.store.delete(.endpointSlices, namespace: "default", name: ObjectMetadata(oldSlice).name)
            try await eventually("both come back") {
                Self.endpoints(fixture, "web").ready.count == 1
                    && Self.slices(fixture, "web").map { ObjectMetadata($0).uid }.filter { $0 != ObjectMetadata(oldSlice).uid }.count == 1
            }
        }
    }

    @Test func deletingTheServiceRemovesItsEndpoints() async throws {
        try await withCluster { fixture in
            try Self.createService(fixture, app: "web")
            try fixture.createReplicaSet("web", replicas: 1)
            try await eventually("endpoints exist") { Self.endpoints(fixture, "web").ready.count == 1 && Self.slices(fixture, "web").count == 1 }
            try fixture.store.delete(.services, namespace: "default", name: "web")
            try await eventually("endpoints and slices are gone") {
                (try? fixture.store.get(.endpoints, namespace: "default", name: "web")) == nil && Self.slices(fixture, "web").isEmpty
            }
        }
    }
}

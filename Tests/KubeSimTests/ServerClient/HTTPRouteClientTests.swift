import Foundation
import KubeClient
import KubeModels
import KubeSim
import TestSupport
import Testing

/// HTTPRoutes through the project's own client, as the operator reads, watches and patches them
/// once the upstream Gateway API CRD is installed (and what it sees when it is not).
@Suite struct HTTPRouteClientTests {
    func withClient(installCRD: Bool = true, _ body: (KubernetesClient) async throws -> Void) async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try KubernetesClient(kubeconfigPath: fixture.kubeconfigPath)
            defer { client.shutdown() }
            if installCRD {
                let crd = try YAMLParser.parse(try GatewayAPIFixture.httpRouteCRD())
                try await client.create(.customResourceDefinitions, namespace: nil, object: crd)
            }
            try await body(client)
        }
    }

    func createRoute(_ client: KubernetesClient, _ name: String = "web", namespace: String = "default") async throws -> JSONValue {
        try await client.create(.httpRoutes, namespace: namespace, object: try YAMLParser.parse(GatewayAPIFixture.route(name, namespace: namespace)))
    }

    func weights(_ route: JSONValue) -> [Int64?] {
        (route[path: "spec", "rules"]?.arrayValue?.first?["backendRefs"]?.arrayValue ?? []).map { $0["weight"]?.intValue }
    }

    func setWeights(testing resourceVersion: String, stable: Int64, canary: Int64) -> Patch {
        .json([
            ["op": "test", "path": "/metadata/resourceVersion", "value": .string(resourceVersion)],
            ["op": "add", "path": "/spec/rules/0/backendRefs/0/weight", "value": .int(stable)],
            ["op": "add", "path": "/spec/rules/0/backendRefs/1/weight", "value": .int(canary)],
        ])
    }

    @Test func withoutTheCRDHTTPRoutesAreNotFound() async throws {
        try await withClient(installCRD: false) { client in
            let error = await #expect(throws: KubernetesError.self) { try await client.list(.httpRoutes, namespace: "x") }
            #expect(error?.isNotFound == true)
            // The API server's plain-text 404 for a path no API serves, not a Status.
            #expect(error?.status?.message == "404 page not found\n")
            let named = await #expect(throws: KubernetesError.self) { try await client.get(.httpRoutes, namespace: "x", name: "web") }
            #expect(named?.isNotFound == true)
            #expect(named?.status?.details == nil)
        }
    }

    @Test func aMissingRouteIsANotFoundStatus() async throws {
        try await withClient { client in
            let error = await #expect(throws: KubernetesError.self) { try await client.get(.httpRoutes, namespace: "default", name: "web") }
            #expect(error?.isNotFound == true)
            #expect(error?.status?.message == #"httproutes.gateway.networking.k8s.io "web" not found"#)
            #expect(error?.status?.details?.name == "web")
        }
    }

    @Test func jsonPatchBehindAPassingTestSetsTheWeights() async throws {
        try await withClient { client in
            let route = try await createRoute(client)
            let version = route.meta.resourceVersion
            let patched = try await client.patch(.httpRoutes, namespace: "default", name: "web", patch: setWeights(testing: version, stable: 75, canary: 25))
            #expect(weights(patched) == [75, 25])
            #expect(patched.meta.resourceVersion != version)
        }
    }

    @Test func aFailedTestIsInvalidAndChangesNothing() async throws {
        try await withClient { client in
            let route = try await createRoute(client)
            let readAt = route.meta.resourceVersion
            let edited = try await client.patch(.httpRoutes, namespace: "default", name: "web", patch: .merge(["metadata": ["labels": ["team": "edge"]]]))
            let error = await #expect(throws: KubernetesError.self) {
                try await client.patch(.httpRoutes, namespace: "default", name: "web", patch: setWeights(testing: readAt, stable: 75, canary: 25))
            }
            #expect(error?.isInvalid == true)
            #expect(error?.status?.code == 422)
            #expect(error?.status?.reason == "Invalid")
            #expect(error?.status?.message == "the server rejected our request due to an error in our request")
            let current = try await client.get(.httpRoutes, namespace: "default", name: "web")
            #expect(weights(current) == [90, 10])
            #expect(current.meta.resourceVersion == edited.meta.resourceVersion)
        }
    }

    @Test func listAndWatchOneRouteInOneNamespace() async throws {
        try await withClient { client in
            try await client.create(.namespaces, namespace: nil, object: ["metadata": ["name": "team-a"]])
            _ = try await createRoute(client, "web", namespace: "team-a")
            _ = try await createRoute(client, "api", namespace: "team-a")
            _ = try await createRoute(client, "web", namespace: "default")
            let listed = try await client.list(.httpRoutes, namespace: "team-a", options: ListOptions(fieldSelector: "metadata.name=web"))
            #expect(listed.items.map(\.meta.key.description) == ["team-a/web"])

            let stream = client.watch(
                .httpRoutes, namespace: "team-a", options: WatchOptions(fieldSelector: "metadata.name=web", resourceVersion: listed.resourceVersion))
            // Changes to the other routes are not this watch's; the first event is web's.
            for (name, namespace) in [("api", "team-a"), ("web", "default"), ("web", "team-a")] {
                try await client.patch(.httpRoutes, namespace: namespace, name: name, patch: .merge(["metadata": ["labels": ["seen": "yes"]]]))
            }
            let event = try await firstElement(of: stream) { $0.type != .bookmark }
            #expect(event.type == .modified)
            #expect(event.object.meta.namespace == "team-a")
            #expect(event.object.meta.name == "web")
            #expect(event.object[path: "metadata", "labels", "seen"] == "yes")
        }
    }
}

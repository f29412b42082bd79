import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import RolloutEngine
import TestSupport
import Testing

@testable import AppReleaseController

/// The executor's traffic writes against the fake API server: exactly the patch the engine
/// planned, nothing else of the object touched, and a stale route read as "look again".
@Suite("Plan executor: traffic actions")
struct PlanExecutorTrafficTests {
    static let namespace = ReconcilerHarness.namespace

    static func executor(_ harness: ReconcilerHarness) throws -> PlanExecutor {
        let appRelease = try #require(harness.appReleases.get(ReconcilerHarness.key))
        return PlanExecutor(
            api: harness.api, appRelease: appRelease, events: harness.events, expectations: WriteExpectations(), logger: .init(label: "test"),
            replicaSetUIDs: [:])
    }

    static func lastPatch(_ harness: ReconcilerHarness, _ resource: String) -> Patch? {
        harness.api.requestLog().last { $0.verb == "PATCH" && $0.resource == resource }?.patch
    }

    static let service: JSONValue = [
        "apiVersion": "v1", "kind": "Service",
        "metadata": ["name": "web", "namespace": .string(namespace), "labels": ["team": "shop"], "annotations": ["note": "theirs"]],
        "spec": ["selector": ["app": "web", "tier": "front"], "ports": [["port": 80, "targetPort": 8080]], "type": "ClusterIP"],
    ]

    static let route: JSONValue = [
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": ["name": "web", "namespace": .string(namespace)],
        "spec": [
            "parentRefs": [["name": "gateway"]], "hostnames": ["shop.example"],
            "rules": [
                ["matches": [["path": ["type": "PathPrefix", "value": "/"]]], "backendRefs": [["name": "web", "port": 80], ["name": "web-canary", "port": 80, "weight": 0]]]
            ],
        ],
    ]

    @Test("selectRevision merge-patches only the revision key of the selector")
    func selectRevisionTouchesOnlyItsKey() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service)
            let executor = try Self.executor(harness)

            for revision in ["abc123", "def456"] {
                let action = PlanAction.selectRevision(service: "web", revision: revision)
                #expect(try await executor.apply([action]) == .done)
                #expect(Self.lastPatch(harness, "services") == .merge(["spec": ["selector": [.init(stringLiteral: AppReleaseAPI.revisionLabel): .string(revision)]]]))
                let stored = try #require(harness.stored(.services, "web"))
                #expect(stored[path: "spec", "selector"] == ["app": "web", "tier": "front", .init(stringLiteral: AppReleaseAPI.revisionLabel): .string(revision)])
                var untouched = stored
                untouched["spec"]?["selector"] = Self.service[path: "spec", "selector"]
                untouched["metadata"]?["resourceVersion"] = nil
                untouched["metadata"]?["uid"] = nil
                #expect(untouched == Self.service, "a field other than the revision key changed")
            }
        }
    }

    @Test("selectRevision on a Service that is gone asks for another look")
    func selectRevisionMissingService() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            let outcome = try await Self.executor(harness).apply([.selectRevision(service: "web", revision: "abc")])
            guard case .retryLater = outcome else {
                Issue.record("expected retryLater, got \(outcome)")
                return
            }
        }
    }

    @Test("setRouteWeights sends the engine's JSON patch, guarded by a resourceVersion test, and sets only the weights")
    func setRouteWeightsSendsTheJSONPatch() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            let created = try await harness.api.create(.httpRoutes, namespace: Self.namespace, object: Self.route)
            let version = created.meta.resourceVersion
            let action = PlanAction.setRouteWeights(
                route: "web", resourceVersion: version, weights: [RouteWeight(rule: 0, index: 0, weight: 80), RouteWeight(rule: 0, index: 1, weight: 20)])

            #expect(try await Self.executor(harness).apply([action]) == .done)
            let sent = try #require(Self.lastPatch(harness, "httproutes"))
            #expect(sent == action.jsonPatch.map(Patch.json))
            guard case .json(let operations) = sent else { return }
            #expect(operations.arrayValue?.first == ["op": "test", "path": "/metadata/resourceVersion", "value": .string(version)])

            let stored = try #require(harness.stored(.httpRoutes, "web"))
            let refs = stored[path: "spec", "rules"]?.arrayValue?.first?["backendRefs"]?.arrayValue ?? []
            #expect(refs.map { $0["weight"] } == [80, 20])
            var untouched = stored
            untouched["spec"]?["rules"] = Self.route[path: "spec", "rules"]
            untouched["metadata"]?["resourceVersion"] = nil
            untouched["metadata"]?["uid"] = nil
            #expect(untouched == Self.route, "a field other than the weights changed")
        }
    }

    @Test("setRouteWeights on a route changed since it was read (422 from the failed test) asks for another look and changes nothing")
    func setRouteWeightsOnAStaleRoute() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            let created = try await harness.api.create(.httpRoutes, namespace: Self.namespace, object: Self.route)
            // Someone else edits the route after the engine read it.
            let edited = try await harness.api.patch(
                .httpRoutes, namespace: Self.namespace, name: "web", patch: .merge(["spec": ["hostnames": ["shop.example", "www.shop.example"]]]))
            let action = PlanAction.setRouteWeights(
                route: "web", resourceVersion: created.meta.resourceVersion, weights: [RouteWeight(rule: 0, index: 1, weight: 50)])

            let outcome = try await Self.executor(harness).apply([action])
            guard case .retryLater(let why) = outcome else {
                Issue.record("expected retryLater, got \(outcome)")
                return
            }
            #expect(why.contains("422"), "\(why)")
            #expect(harness.stored(.httpRoutes, "web") == edited, "a stale weight was written")

            // A route that is gone is also "look again".
            try await harness.api.delete(.httpRoutes, namespace: Self.namespace, name: "web", options: DeleteOptions())
            guard case .retryLater = try await Self.executor(harness).apply([action]) else {
                Issue.record("expected retryLater for a missing route")
                return
            }
        }
    }
}

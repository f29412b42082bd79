import AppReleaseAPI
import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import RolloutEngine
import TestSupport
import Testing

@testable import AppReleaseController

/// What the reconciler watches for the Services and HTTPRoute an AppRelease names, and what the
/// engine's snapshot then holds, against the fake API server.
@Suite("AppRelease traffic wiring")
struct TrafficWiringTests {
    static let key = ReconcilerHarness.key
    static let namespace = ReconcilerHarness.namespace
    static let blueGreen: JSONValue = ["type": "BlueGreen", "blueGreen": ["activeService": "web", "previewService": "web-preview"]]
    static let canary: JSONValue = [
        "type": "Canary",
        "canary": [
            "stableService": "web", "canaryService": "web-canary", "trafficRouting": ["httpRoute": ["name": "web"]],
            "steps": [["setWeight": 20]],
        ],
    ]

    static func service(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": ["selector": ["app": "web"]]]
    }

    static let route: JSONValue = [
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": ["name": "web", "namespace": .string(namespace)],
        "spec": ["rules": [["backendRefs": [["name": "web", "port": 80, "weight": 100], ["name": "web-canary", "port": 80, "weight": 0]]]]],
    ]

    /// What the engine would be given for the AppRelease as cached now; nil while not listed.
    static func traffic(_ harness: ReconcilerHarness) -> EngineBridge.Traffic? {
        guard let appRelease = harness.appReleases.get(key) else { return nil }
        return EngineBridge.traffic(TrafficNames(spec: appRelease["spec"] ?? .null), namespace: namespace, caches: harness.reconciler.caches)
    }

    static func woke(_ harness: ReconcilerHarness) -> Bool { harness.woken.withLock { $0.contains(key) } }

    @Test("names come from the strategy in use only, without the engine's validation")
    func namesFollowTheStrategyType() {
        #expect(TrafficNames(spec: ["strategy": Self.blueGreen]) == TrafficNames(services: ["web", "web-preview"]))
        #expect(TrafficNames(spec: ["strategy": Self.canary]) == TrafficNames(services: ["web", "web-canary"], httpRoute: "web"))
        // Rolling (also by default) names nothing, even with a leftover section of another type.
        #expect(TrafficNames(spec: ["strategy": ["type": "Rolling", "blueGreen": ["activeService": "web"]]]) == .none)
        #expect(TrafficNames(spec: ["strategy": ["blueGreen": ["activeService": "web"]]]) == .none)
        #expect(TrafficNames(spec: ["image": "x"]) == .none)
        let switchedToRolling: JSONValue = ["spec": ["strategy": ["type": "Rolling"]], "status": ["pinnedServices": ["web"]]]
        #expect(TrafficNames(appRelease: switchedToRolling).services == ["web"], "watched until its pin is removed")
        // A malformed field outside the strategy does not hide the names; empty names are none.
        #expect(TrafficNames(spec: ["replicas": "three", "strategy": Self.blueGreen]).services == ["web", "web-preview"])
        #expect(TrafficNames(spec: ["strategy": ["type": "BlueGreen", "blueGreen": ["activeService": ""]]]) == .none)
    }

    @Test("a Rolling AppRelease causes no Service or HTTPRoute request at all")
    func rollingWatchesNothing() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            _ = try await harness.reconciler.reconcile(Self.key)
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(Self.key)
            #expect(harness.services.watchedNamespaces.isEmpty)
            #expect(harness.httpRoutes.watchedNamespaces.isEmpty)
            let traffic = harness.api.requestLog().filter { $0.resource == "services" || $0.resource == "httproutes" }
            #expect(traffic.isEmpty, "\(traffic)")
        }
    }

    @Test("a BlueGreen AppRelease watches only the Services it names; once listed, the snapshot holds those that exist")
    func blueGreenSnapshot() async throws {
        try await ReconcilerHarness.with { harness in
            for name in ["web", "db"] {
                _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service(name))
            }
            try await harness.createAppRelease(strategy: Self.blueGreen)
            _ = try await harness.reconciler.reconcile(Self.key)
            #expect(harness.services.watchedNamespaces == [Self.namespace])
            #expect(harness.httpRoutes.watchedNamespaces.isEmpty, "no route named, no route watched")
            try await eventually("the listing wakes the AppRelease") { Self.woke(harness) }

            let traffic = try #require(Self.traffic(harness))
            // web-preview does not exist: absent from the list, as the engine expects.
            #expect(traffic == EngineBridge.Traffic(services: [ObservedService(name: "web", selector: ["app": "web"])], httpRoute: nil))
            #expect(Set(harness.services.cachedObjects(namespace: Self.namespace).map(\.meta.name)) == ["web"], "an unnamed Service was cached")
            let appRelease = try #require(harness.appReleases.get(Self.key))
            let snapshot = EngineBridge.snapshot(
                appRelease: appRelease, replicaSets: [], traffic: traffic, caches: harness.reconciler.caches, now: Date())
            #expect(snapshot.services == traffic.services)
            #expect(snapshot.httpRoute == nil)
            #expect(try await harness.reconciler.reconcile(Self.key) != .requeueAfter(AppReleaseReconciler.cacheSyncRecheck))

            // The preview Service appears: the watch wakes the AppRelease and the snapshot has it.
            harness.woken.withLock { $0.removeAll() }
            _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service("web-preview"))
            try await eventually("woken by the new Service") { Self.woke(harness) }
            #expect(Self.traffic(harness)?.services.map(\.name) == ["web", "web-preview"])
        }
    }

    @Test("until the named Services are listed the pass plans nothing and waits; the listing wakes it")
    func waitsForTheListing() async throws {
        try await ReconcilerHarness.with { harness in
            _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service("web"))
            // The Service list fails until served again: the cache cannot answer yet.
            harness.api.setServed(.services, false)
            try await harness.createAppRelease(strategy: Self.blueGreen)
            #expect(try await harness.reconciler.reconcile(Self.key) == .requeueAfter(AppReleaseReconciler.cacheSyncRecheck))
            #expect(harness.api.objects(.replicaSets).isEmpty, "planned from caches that did not know the Services")
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?["status"] == nil)

            harness.api.setServed(.services, true)
            try await eventually("the listing wakes the AppRelease") { Self.woke(harness) }
            #expect(try await harness.reconciler.reconcile(Self.key) != .requeueAfter(AppReleaseReconciler.cacheSyncRecheck))
        }
    }

    @Test("a Canary naming an HTTPRoute on a cluster without the Gateway API observes apiUnavailable; installing it heals")
    func canaryRouteWithoutGatewayAPI() async throws {
        try await ReconcilerHarness.with { harness in
            harness.api.setServed(.httpRoutes, false)
            for name in ["web", "web-canary"] {
                _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service(name))
            }
            try await harness.createAppRelease(strategy: Self.canary)
            _ = try await harness.reconciler.reconcile(Self.key)
            try await eventually("the missing API observed") {
                if case .apiUnavailable = Self.traffic(harness)?.httpRoute { return true }
                return false
            }
            #expect(Self.traffic(harness)?.services.map(\.name) == ["web", "web-canary"])
            #expect(Self.woke(harness))
            // Services and the rest of the operator are unaffected: the pass goes on to the engine.
            #expect(try await harness.reconciler.reconcile(Self.key) != .requeueAfter(AppReleaseReconciler.cacheSyncRecheck))

            // The Gateway API CRDs are installed and the route created: no restart needed.
            harness.api.setServed(.httpRoutes, true)
            let created = try await harness.api.create(.httpRoutes, namespace: Self.namespace, object: Self.route)
            try await eventually("the route observed") { Self.traffic(harness)?.httpRoute == .found(ObservedHTTPRoute(json: created)) }
            guard case .found(let route) = Self.traffic(harness)?.httpRoute else { return }
            #expect(route.backendRefs.map(\.effectiveWeight) == [100, 0])
        }
    }

    @Test("a route that does not exist is observed as notFound once listed")
    func canaryRouteNotFound() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease(strategy: Self.canary)
            _ = try await harness.reconciler.reconcile(Self.key)
            try await eventually("listed") { Self.traffic(harness)?.httpRoute == .notFound }
            #expect(Self.traffic(harness)?.services == [], "neither Service exists")
        }
    }

    @Test("a deleted AppRelease, or one switched to Rolling, stops the watches it caused")
    func releaseOnDeletionAndOnRolling() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease(strategy: Self.canary)
            _ = try await harness.reconciler.reconcile(Self.key)
            #expect(harness.services.watchedNamespaces == [Self.namespace])
            #expect(harness.httpRoutes.watchedNamespaces == [Self.namespace])

            _ = try await harness.api.patch(
                .appReleases, namespace: Self.namespace, name: ReconcilerHarness.name, patch: .merge(["spec": ["strategy": ["type": "Rolling"]]]))
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(Self.key)
            #expect(harness.services.watchedNamespaces.isEmpty)
            #expect(harness.httpRoutes.watchedNamespaces.isEmpty)

            _ = try await harness.api.patch(
                .appReleases, namespace: Self.namespace, name: ReconcilerHarness.name, patch: .merge(["spec": ["strategy": Self.blueGreen]]))
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(Self.key)
            #expect(harness.services.watchedNamespaces == [Self.namespace])

            try await harness.api.delete(.appReleases, namespace: Self.namespace, name: ReconcilerHarness.name, options: DeleteOptions())
            try await harness.waitForCaches()
            #expect(try await harness.reconciler.reconcile(Self.key) == .done)
            #expect(harness.services.watchedNamespaces.isEmpty)
        }
    }

    @Test("after patching a Service the pass waits until the named cache shows the write")
    func waitsForItsOwnServiceWrite() async throws {
        try await ReconcilerHarness.with { harness in
            _ = try await harness.api.create(.services, namespace: Self.namespace, object: Self.service("web"))
            try await harness.createAppRelease(strategy: Self.blueGreen)
            _ = try await harness.reconciler.reconcile(Self.key)
            try await eventually("listed") { Self.traffic(harness)?.services.isEmpty == false }
            // Settled: no write of an earlier pass is still awaited.
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(Self.key)
            try await harness.waitForCaches()
            #expect(try await harness.reconciler.reconcile(Self.key) != .requeueAfter(AppReleaseReconciler.cacheLagRecheck))

            // The caches freeze; a Service write of this AppRelease's is recorded as expected.
            harness.api.holdNewWatches()
            harness.api.dropWatches()
            let appRelease = try #require(harness.appReleases.get(Self.key))
            let executor = PlanExecutor(
                api: harness.api, appRelease: appRelease, events: harness.events, expectations: harness.reconciler.expectations,
                logger: .init(label: "test"), replicaSetUIDs: [:])
            #expect(try await executor.apply([.selectRevision(service: "web", revision: "abc")]) == .done)
            #expect(try await harness.reconciler.reconcile(Self.key) == .requeueAfter(AppReleaseReconciler.cacheLagRecheck))

            harness.api.releaseWatches()
            try await eventually("the cache shows the write") {
                harness.services.lookup(namespace: Self.namespace, name: "web").object?[path: "spec", "selector", AppReleaseAPI.revisionLabel] == "abc"
            }
            #expect(try await harness.reconciler.reconcile(Self.key) != .requeueAfter(AppReleaseReconciler.cacheLagRecheck))
        }
    }
}

import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import AppReleaseController

/// The controller registered with a manager, against the fake API server: what the operator does
/// on a cluster without the Gateway API CRDs.
@Suite("AppRelease operator wiring")
struct OperatorWiringTests {
    @Test("without the Gateway API CRDs the operator starts, is ready and reconciles, a Canary naming a route included")
    func startsWithoutGatewayAPI() async throws {
        let api = FakeKubernetesAPI()
        api.setServed(.httpRoutes, false)
        let canary: JSONValue = [
            "type": "Canary", "canary": ["stableService": "web", "trafficRouting": ["httpRoute": ["name": "web"]], "steps": [["setWeight": 20]]],
        ]
        _ = try await api.create(.appReleases, namespace: ReconcilerHarness.namespace, object: ReconcilerHarness.appReleaseJSON(strategy: canary))
        let manager = ControllerManager(
            api: api, options: ManagerOptions(metricsAddress: nil, healthProbeAddress: nil, gracefulShutdownTimeout: .seconds(5)))
        AppReleaseController.register(in: manager, workers: 1)
        let running = Task { try await manager.run() }
        defer { running.cancel() }

        try await eventually("ready") { manager.isReady }
        try await eventually("the route's list answered 404") {
            api.requestLog().contains { $0.verb == "LIST" && $0.resource == "httproutes" }
        }
        try await eventually("reconciled: a status written") { api.objects(.appReleases)["shop/web"]?["status"] != nil }
        #expect(manager.isReady, "an unserved route made the operator unready")
        // Only the namespace the AppRelease lives in, and only what it names.
        let traffic = api.requestLog().filter { ["LIST", "WATCH"].contains($0.verb) && ["services", "httproutes"].contains($0.resource) }
        #expect(traffic.allSatisfy { $0.namespace == ReconcilerHarness.namespace }, "\(traffic)")
        #expect(traffic.allSatisfy { ["metadata.name=web", nil].contains($0.fieldSelector) }, "\(traffic)")
        manager.stop()
        try await running.value
    }
}

import Foundation
import Testing

/// Blue/green and canary releases driven as users drive them: `kubectl apply`, a digest patch,
/// request annotations, `kubectl wait`, and reads of Services and HTTPRoutes with jsonpath.
@Suite("Blue/green and canary end to end", .serialized, .timeLimit(.minutes(15)))
struct TrafficStrategyTests {
    static func blueGreen(autoPromotionSeconds: Int? = nil) -> String {
        """
            type: BlueGreen
            blueGreen:
              activeService: web
              previewService: web-preview
              scaleDownDelaySeconds: 2
        """ + (autoPromotionSeconds.map { "\n      autoPromotionSeconds: \($0)" } ?? "")
    }

    static func canary(steps: String, services: Bool = false, route: Bool = false) -> String {
        var yaml = """
                type: Canary
                canary:
                  scaleDownDelaySeconds: 2
                  steps: \(steps)
            """
        if services || route { yaml += "\n      stableService: web-stable\n      canaryService: web-canary" }
        if route { yaml += "\n      trafficRouting: {httpRoute: {name: web}}" }
        return yaml
    }

    @Test("blue/green, manual promotion: the active Service switches in one write and never has fewer than 3 ready endpoints")
    func blueGreenManualPromotion() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(
                AppReleaseManifest(image: Images.v1, strategy: Self.blueGreen(), extraServices: ["web-preview"]))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let stable = try await cluster.field("appreleases/web", ".status.currentRevision")
            #expect(try await cluster.pinnedRevision(of: "web") == stable)
            try await waitUntil("3 ready endpoints behind Service web") { try await cluster.readyEndpoints(of: "web") == 3 }
            let endpoints = try EndpointSliceWatch(cluster: cluster, service: "web")
            let selector = try ServiceSelectorWatch(cluster: cluster, service: "web")
            try await waitUntil("the watches to report the current state") {
                !endpoints.readyCounts.isEmpty && !selector.revisions.isEmpty
            }

            try await cluster.release(image: Images.v2)
            let paused = try await cluster.wait(for: "Paused")
            #expect(paused.succeeded, "\(paused)")
            #expect(try await cluster.conditionReason("Paused") == "AwaitingPromotion")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "Paused")
            let next = try await cluster.field("appreleases/web", ".status.currentRevision")
            #expect(try await cluster.pinnedRevision(of: "web") == stable, "the active Service waits for promotion")
            try await waitUntil("the preview Service on the new revision") { try await cluster.pinnedRevision(of: "web-preview") == next }
            #expect(try await cluster.readyEndpoints(of: "web-preview") == 3)

            try await cluster.request("apprelease.dev/promote")
            let ready = try await cluster.wait(for: "Ready")
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.pinnedRevision(of: "web") == next)
            #expect(try await cluster.field("appreleases/web", ".status.stableRevision") == next)
            try await waitUntil("the old revision scaled to 0 after the delay") {
                try await cluster.replicaSets().first { $0.name == "web-\(stable)" }?.replicas == 0
            }

            await endpoints.stop()
            await selector.stop()
            #expect(selector.revisions == [stable, next], "selector versions: \(selector.rawOutput)")
            let counts = endpoints.readyCounts
            #expect(counts.count > 1 && counts.allSatisfy { $0 >= 3 }, "ready endpoints per version: \(counts)")
        }
    }

    @Test("blue/green, automatic promotion; then a crashing digest is reverted without touching the active Service")
    func blueGreenAutomaticPromotionThenCrash() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(
                AppReleaseManifest(
                    image: Images.v1, strategy: Self.blueGreen(autoPromotionSeconds: 2), extraServices: ["web-preview"]))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            try await cluster.release(image: Images.v2)
            let promoted = try await cluster.wait(for: "Ready")
            #expect(promoted.succeeded, "\(promoted)")
            let stable = try await cluster.field("appreleases/web", ".status.stableRevision")
            #expect(try await cluster.field("appreleases/web", ".status.currentImage") == Images.v2)
            #expect(try await cluster.pinnedRevision(of: "web") == stable)

            try await waitUntil("3 ready endpoints behind Service web") { try await cluster.readyEndpoints(of: "web") == 3 }
            let endpoints = try EndpointSliceWatch(cluster: cluster, service: "web")
            try await waitUntil("the endpoints watch to report the current state") { !endpoints.readyCounts.isEmpty }
            try await cluster.release(image: Images.crash)
            let degraded = try await cluster.wait(for: "Degraded", timeout: 120)
            #expect(degraded.succeeded, "\(degraded)")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "RolledBack")
            #expect(try await cluster.pinnedRevision(of: "web") == stable)
            try await waitUntil("the crashing revision scaled to 0") {
                try await cluster.replicaSets().allSatisfy { $0.name == "web-\(stable)" || $0.replicas == 0 }
            }
            await endpoints.stop()
            #expect(endpoints.readyCounts.allSatisfy { $0 >= 3 }, "ready endpoints per version: \(endpoints.readyCounts)")
        }
    }

    @Test("canary by replica share: steps 25/50/100, a timed pause and a pause until promoted")
    func canaryByReplicaShare() async throws {
        try await Cluster.with { cluster in
            let steps = "[{setWeight: 25}, {pause: {duration: 3s}}, {setWeight: 50}, {pause: {}}, {setWeight: 100}]"
            try await cluster.apply(AppReleaseManifest(image: Images.v1, replicas: 4, strategy: Self.canary(steps: steps)))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let stable = try await cluster.field("appreleases/web", ".status.stableRevision")
            try await waitUntil("4 ready endpoints behind Service web") { try await cluster.readyEndpoints(of: "web") == 4 }
            let endpoints = try EndpointSliceWatch(cluster: cluster, service: "web")
            try await waitUntil("the endpoints watch to report the current state") { !endpoints.readyCounts.isEmpty }

            try await cluster.release(image: Images.v2)
            let next = try await cluster.field("appreleases/web", ".status.currentRevision")
            try await waitUntil("the timed pause at 25%") {
                try await cluster.conditionReason("Paused") == "CanaryPauseStep"
            }
            let sets = try await cluster.replicaSets()
            #expect(sets.first { $0.name == "web-\(next)" }?.replicas == 1 && sets.first { $0.name == "web-\(stable)" }?.replicas == 3)
            #expect(try await cluster.field("appreleases/web", ".status.canaryWeight") == "25")
            // The message follows the Paused condition within the status batch period.
            try await waitUntil("the message to say the canary is paused at 25%") {
                try await cluster.field("appreleases/web", ".status.message").contains("canary at 25%, step 2/5, paused")
            }

            try await waitUntil("the pause until promoted, at 50%") {
                try await cluster.conditionReason("Paused") == "AwaitingPromotion"
            }
            let half = try await cluster.replicaSets()
            #expect(half.first { $0.name == "web-\(next)" }?.replicas == 2 && half.first { $0.name == "web-\(stable)" }?.replicas == 2)
            #expect(try await cluster.field("appreleases/web", ".status.currentStepIndex") == "3")

            try await cluster.request("apprelease.dev/promote")
            let ready = try await cluster.wait(for: "Ready")
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.field("appreleases/web", ".status.stableRevision") == next)
            // The timed pause was honoured: step 2 ended at least 3 s after it began.
            let events = try await cluster.kubectlOK(
                "get", "events", "--field-selector", "involvedObject.name=web,reason=StepCompleted", "-o",
                #"jsonpath={range .items[*]}{.message}{"\n"}{end}"#)
            #expect(events.contains("step 2/5 (pause: 3s) completed"), "\(events)")
            await endpoints.stop()
            #expect(endpoints.readyCounts.allSatisfy { $0 >= 4 }, "ready endpoints per version: \(endpoints.readyCounts)")
        }
    }

    @Test("canary with an HTTPRoute: exact weights at each step, read back with kubectl, then 100/0 after promotion")
    func canaryWithHTTPRoute() async throws {
        try await Cluster.with { cluster in
            try await cluster.installGatewayAPI()
            try await cluster.kubectlOK("apply", "-f", "-", input: Self.route)
            let steps = "[{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {}}]"
            try await cluster.apply(
                AppReleaseManifest(
                    image: Images.v1, replicas: 5, strategy: Self.canary(steps: steps, route: true),
                    extraServices: ["web-stable", "web-canary"]))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let stable = try await cluster.field("appreleases/web", ".status.stableRevision")
            #expect(try await cluster.pinnedRevision(of: "web-stable") == stable)
            #expect(try await cluster.routeWeights() == "100 0 7")

            try await cluster.release(image: Images.v2)
            let next = try await cluster.field("appreleases/web", ".status.currentRevision")
            try await waitUntil("step 2 (pause) with 20% on the route") {
                try await cluster.field("appreleases/web", ".status.currentStepIndex") == "1"
            }
            #expect(try await cluster.routeWeights() == "80 20 7", "only the two split backendRefs change")
            #expect(try await cluster.pinnedRevision(of: "web-canary") == next)
            #expect(try await cluster.pinnedRevision(of: "web-stable") == stable)
            #expect(try await cluster.readyEndpoints(of: "web-stable") == 5, "the stable side keeps every pod")

            try await cluster.request("apprelease.dev/promote")
            try await waitUntil("step 4 (pause) with 60% on the route") {
                try await cluster.field("appreleases/web", ".status.currentStepIndex") == "3"
            }
            #expect(try await cluster.routeWeights() == "40 60 7")
            #expect(try await cluster.field("httproute/web", ".spec.rules[0].matches[0].path.value") == "/", "the rest of the route is kept")

            try await cluster.request("apprelease.dev/promote")
            let ready = try await cluster.wait(for: "Ready")
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.routeWeights() == "100 0 7")
            #expect(try await cluster.pinnedRevision(of: "web-stable") == next)
        }
    }

    @Test("canary: a crashing digest is reverted with the stable Service never short of pods; abort, then retry")
    func canaryCrashAbortRetry() async throws {
        try await Cluster.with { cluster in
            let steps = "[{setWeight: 50}, {pause: {}}]"
            try await cluster.apply(
                AppReleaseManifest(
                    image: Images.v1, replicas: 4, strategy: Self.canary(steps: steps, services: true),
                    extraServices: ["web-stable", "web-canary"]))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let stable = try await cluster.field("appreleases/web", ".status.stableRevision")
            try await waitUntil("4 ready endpoints behind Service web-stable") {
                try await cluster.readyEndpoints(of: "web-stable") == 4
            }
            let endpoints = try EndpointSliceWatch(cluster: cluster, service: "web-stable")
            try await waitUntil("the endpoints watch to report the current state") { !endpoints.readyCounts.isEmpty }

            try await cluster.release(image: Images.crash)
            let degraded = try await cluster.wait(for: "Degraded", timeout: 120)
            #expect(degraded.succeeded, "\(degraded)")
            #expect(try await cluster.conditionReason("Degraded") == "CrashLoop")
            try await waitUntil("the canary Service back on the stable revision and the crashing pods gone") {
                let sets = try await cluster.replicaSets()
                return try await cluster.pinnedRevision(of: "web-canary") == stable
                    && sets.allSatisfy { $0.name == "web-\(stable)" || $0.replicas == 0 }
            }

            // A good digest, aborted while it waits at its pause; it stays aborted until retried.
            try await cluster.release(image: Images.v2)
            try await waitUntil("the pause until promoted") { try await cluster.conditionReason("Paused") == "AwaitingPromotion" }
            try await cluster.request("apprelease.dev/abort")
            let aborted = try await cluster.wait(for: "Degraded")
            #expect(aborted.succeeded, "\(aborted)")
            #expect(try await cluster.conditionReason("Degraded") == "Aborted")
            #expect(try await cluster.field("appreleases/web", ".status.history[0].outcome") == "Aborted")
            try await waitUntil("the aborted canary scaled to 0") {
                try await cluster.replicaSets().allSatisfy { $0.name == "web-\(stable)" || $0.replicas == 0 }
            }
            try await cluster.request("apprelease.dev/retry")
            try await waitUntil("the retried release paused at its step again") {
                let degraded = try await cluster.condition("Degraded")
                return try await cluster.conditionReason("Paused") == "AwaitingPromotion" && degraded == "False"
            }
            try await cluster.request("apprelease.dev/promote", value: "full")
            let ready = try await cluster.wait(for: "Ready")
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.field("appreleases/web", ".status.currentImage") == Images.v2)
            await endpoints.stop()
            #expect(endpoints.readyCounts.allSatisfy { $0 >= 4 }, "ready endpoints per version: \(endpoints.readyCounts)")
        }
    }

    /// A route splitting `/` between web-stable and web-canary, plus a rule for another path to a
    /// Service of its own, whose weight must never change.
    static let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
        spec:
          parentRefs: [{name: gateway}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs:
            - {name: web-stable, port: 80, weight: 100}
            - {name: web-canary, port: 80, weight: 0}
          - matches: [{path: {type: PathPrefix, value: /legacy}}]
            backendRefs:
            - {name: web-legacy, port: 80, weight: 7}

        """
}

extension Cluster {
    /// Every backendRef's weight, rule by rule, as `kubectl get -o jsonpath` prints them.
    func routeWeights(_ name: String = "web") async throws -> String {
        try await field("httproute/\(name)", ".spec.rules[*].backendRefs[*].weight")
    }

    /// `kubectl apply` of the upstream HTTPRoute CRD, as a cluster operator installs the Gateway API.
    func installGatewayAPI() async throws {
        try await kubectlOK("apply", "-f", Binaries.repositoryRoot + "/Tests/Fixtures/gateway-api/gateway.networking.k8s.io_httproutes.yaml")
        try await waitUntil("the httproutes resource to be served", timeout: .seconds(30)) {
            try await self.kubectl("get", "httproutes").succeeded
        }
    }
}

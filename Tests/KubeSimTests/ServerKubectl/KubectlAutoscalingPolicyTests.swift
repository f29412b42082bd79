import Foundation
import KubeSim
import TestSupport
import Testing

/// HorizontalPodAutoscalers (autoscaling/v2) and PodDisruptionBudgets (policy/v1) are stored and
/// served as a real API server serves them, so manifests that ship with one apply to kubesim.
/// Nothing acts on them: kubesim has no autoscaler and no eviction API.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct KubectlAutoscalingPolicyTests {
    static let manifests = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
        spec:
          scaleTargetRef: {apiVersion: apprelease.dev/v1alpha1, kind: AppRelease, name: web}
          maxReplicas: 10
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
        spec:
          maxUnavailable: 1
          selector: {matchLabels: {app: web}}

        """

    /// A table kubectl printed, as words per line.
    func rows(_ kubectl: Kubectl, _ arguments: [String]) async throws -> [[String]] {
        try await kubectl.succeed(arguments).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    @Test func appliedWithKubectlAndReadBackByShortName() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            let created = try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.manifests)
            #expect(created.contains("horizontalpodautoscaler.autoscaling/web created"))
            #expect(created.contains("poddisruptionbudget.policy/web created"))

            let hpa = try await kubectl.succeed(
                ["get", "hpa", "web", "-o", "jsonpath={.apiVersion} {.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name} {.spec.minReplicas}"])
            #expect(hpa == "autoscaling/v2 AppRelease/web 1", "minReplicas defaults to 1, as autoscaling/v2 does")
            let pdb = try await kubectl.succeed(["get", "pdb", "web", "-o", "jsonpath={.apiVersion} {.spec.maxUnavailable}"])
            #expect(pdb == "policy/v1 1")

            let before = try await kubectl.succeed(["get", "pdb", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            let again = try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.manifests)
            #expect(again.contains("horizontalpodautoscaler.autoscaling/web unchanged"), "\(again)")
            // kubectl always sends a PDB's spec.selector (its patch strategy is "replace"), so it
            // says "configured" on a real cluster too; the server finds nothing to change.
            #expect(again.contains("poddisruptionbudget.policy/web configured"), "\(again)")
            let after = try await kubectl.succeed(["get", "pdb", "web", "-o", "jsonpath={.metadata.resourceVersion} {.metadata.generation}"])
            #expect(after == "\(before) 1", "a no-op apply writes nothing")

            // The columns kubectl users know.
            let hpaRows = try await rows(kubectl, ["get", "hpa"])
            #expect(hpaRows.first == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"])
            #expect(hpaRows.dropFirst().first?.prefix(7) == ["web", "AppRelease/web", "cpu:", "<unknown>/70%", "1", "10", "0"])
            let pdbRows = try await rows(kubectl, ["get", "pdb"])
            #expect(pdbRows.first == ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED", "DISRUPTIONS", "AGE"])
            #expect(pdbRows.dropFirst().first?.prefix(4) == ["web", "N/A", "1", "0"])
            // An HPA is in the `all` category, as on a real cluster; a PDB is not.
            let all = try await kubectl.succeed(["get", "all", "-o", "name"])
            #expect(all.contains("horizontalpodautoscaler.autoscaling/web"))
            #expect(!all.contains("poddisruptionbudget"))
        }
    }

    @Test func statusIsASubresourceAndSpecChangesBumpTheGeneration() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.manifests)
            // What an autoscaler and the disruption controller write: through /status only.
            try await kubectl.succeed(
                ["patch", "hpa", "web", "--subresource=status", "--type=merge", "-p", #"{"status":{"currentReplicas":3,"desiredReplicas":3}}"#])
            try await kubectl.succeed(
                ["patch", "pdb", "web", "--subresource=status", "--type=merge", "-p", #"{"status":{"disruptionsAllowed":2,"observedGeneration":1}}"#])
            let hpa = try await kubectl.succeed(["get", "hpa", "web", "-o", "jsonpath={.metadata.generation} {.status.currentReplicas}"])
            #expect(hpa == "1 3")
            // A status in the main resource's body is ignored, as a real API server ignores it.
            try await kubectl.succeed(["patch", "pdb", "web", "--type=merge", "-p", #"{"spec":{"maxUnavailable":2},"status":{"disruptionsAllowed":9}}"#])
            let pdb = try await kubectl.succeed(["get", "pdb", "web", "-o", "jsonpath={.metadata.generation} {.spec.maxUnavailable} {.status.disruptionsAllowed}"])
            #expect(pdb == "2 2 2")

            let resources = try await kubectl.succeed(["api-resources", "--api-group=autoscaling", "-o", "name"])
            #expect(resources.split(separator: "\n").contains("horizontalpodautoscalers.autoscaling"))
            let policy = try await kubectl.succeed(["api-resources", "--api-group=policy"])
            #expect(policy.contains("poddisruptionbudgets") && policy.contains("pdb") && policy.contains("policy/v1"), "\(policy)")
        }
    }
}

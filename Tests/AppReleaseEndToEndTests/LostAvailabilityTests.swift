import Foundation
import Testing

/// A release that completed long ago, whose pods then stop being ready: what the node lifecycle
/// controller does to every pod of a node that goes NotReady. The app is down, no release is
/// running, and the image is not at fault.
@Suite("Lost availability after a release", .serialized, .timeLimit(.minutes(10)))
struct LostAvailabilityTests {
    @Test("pods marked not ready → phase Unavailable, Ready=False PodsUnavailable, no revert; ready again → Healthy")
    func podsMarkedNotReady() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            let released = try await cluster.wait(for: "Ready")
            #expect(released.succeeded, "\(released)")
            let revision = try await cluster.field("appreleases/web", ".status.currentRevision")
            let replicaSetsBefore = try await cluster.replicaSets().map(\.name)

            let pods = try await cluster.kubectlOK("get", "pods", "-l", "app=web", "-o", "name").split(separator: "\n").map(String.init)
            #expect(pods.count == 3, "\(pods)")
            for pod in pods { try await cluster.setReadyCondition(of: pod, ready: false) }

            // The phase turns at the first pod lost; the message quoting the counts follows within
            // the status batch period (`--status-batch-period`) as the other pods go.
            try await waitUntil("phase Unavailable, and the message saying the app is down") {
                let phase = try await cluster.field("appreleases/web", ".status.phase")
                let message = try await cluster.field("appreleases/web", ".status.message")
                return phase == "Unavailable" && message.contains("is down")
            }
            #expect(try await cluster.condition("Ready") == "False")
            #expect(try await cluster.conditionReason("Ready") == "PodsUnavailable")
            #expect(try await cluster.condition("Available") == "False")
            // kstatus reads Reconciling=True as InProgress: not Current while the app is down.
            #expect(try await cluster.condition("Reconciling") == "True")
            #expect(try await cluster.condition("Degraded") != "True")
            let message = try await cluster.field("appreleases/web", ".status.message")
            #expect(message.contains("Revision \(revision) is down"), "\(message)")
            #expect(message.contains("no release in progress"), "\(message)")

            // Not a release and not a failure: same revision, no new ReplicaSet, nothing reverted.
            #expect(try await cluster.field("appreleases/web", ".status.currentRevision") == revision)
            #expect(try await cluster.field("appreleases/web", ".status.stableRevision") == revision)
            #expect(try await cluster.replicaSets().map(\.name) == replicaSetsBefore)
            let history = try await cluster.field("appreleases/web", #".status.history[?(@.outcome=="RolledBack")].revision"#)
            #expect(history.isEmpty, "history records a revert: \(history)")

            // The node comes back: the same pods are ready again, and the phase says so.
            for pod in pods { try await cluster.setReadyCondition(of: pod, ready: true) }
            let recovered = try await cluster.wait(for: "Ready")
            #expect(recovered.succeeded, "\(recovered)")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "Healthy")
            #expect(try await cluster.replicaSets().map(\.name) == replicaSetsBefore)
        }
    }
}

extension Cluster {
    /// Writes a pod's Ready condition through the status subresource, as the node lifecycle
    /// controller does for the pods of a NotReady node (and the kubelet once the node is back).
    func setReadyCondition(of pod: String, ready: Bool) async throws {
        let now = ISO8601DateFormatter().string(from: Date())
        let reason = ready ? "null" : #""NodeNotReady""#
        let patch = #"{"status":{"conditions":[{"type":"Ready","status":"\#(ready ? "True" : "False")","lastTransitionTime":"\#(now)","reason":\#(reason)}]}}"#
        try await kubectlOK("patch", pod, "--subresource=status", "--type=strategic", "-p", patch)
    }
}

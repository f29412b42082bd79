import Foundation
import KubeModels
import Testing

/// `kubectl apprelease …` run as users run it: the real kubectl finds the built plugin on the
/// PATH, against kubesim (or a real cluster) with the operator binary running. Every command is
/// judged by what the test then reads from the cluster.
@Suite("kubectl apprelease end to end", .serialized, .timeLimit(.minutes(15)))
struct PluginCommandsTests {
    /// A canary that stops twice for `promote`.
    static let twoPauses = TrafficStrategyTests.canary(steps: "[{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {}}]")
    static let v3 = Images.image("web", "v3")

    @Test("kubectl plugin list finds it; unknown AppReleases and refused images are reported kubectl-style")
    func discoveryAndErrors() async throws {
        try await Cluster.with { cluster in
            let plugins = try await cluster.kubectlPlugin(["plugin", "list"], namespaced: false)
            #expect(plugins.output.contains(cluster.binaries + "/kubectl-apprelease"), "\(plugins)")
            let help = try await cluster.apprelease("--help", namespaced: false)
            #expect(help.succeeded && help.output.contains("Exit codes: 0 success"), "\(help)")

            let missing = try await cluster.apprelease("promote", "web")
            #expect(missing.exit.status == 3, "\(missing)")
            #expect(
                missing.output.trimmingCharacters(in: .whitespacesAndNewlines)
                    == #"Error from server (NotFound): appreleases.apprelease.dev "web" not found in namespace "\#(cluster.namespace)""#,
                "\(missing)")

            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let tag = try await cluster.apprelease("set-image", "web", "registry.example/web:v2")
            #expect(tag.exit.status == 64, "\(tag)")
            #expect(tag.output.hasPrefix(#"error: image "registry.example/web:v2" has a tag ("v2") but no digest."#), "\(tag)")
            #expect(tag.output.contains("a tag can be moved to other content"), "\(tag)")
            let short = try await cluster.apprelease("set-image", "web", "registry.example/web@sha256:abc123")
            #expect(short.exit.status == 64 && short.output.contains("a digest of 6 hex characters"), "\(short)")
            #expect(try await cluster.field("appreleases/web", ".spec.image") == Images.v1, "a refused image is never written")
        }
    }

    @Test("set-image releases a digest; history numbers the revisions; undo (default and --to-revision) releases them again")
    func setImageHistoryAndUndo() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let revision1 = try await cluster.field("appreleases/web", ".status.currentRevision")
            let nothingEarlier = try await cluster.apprelease("undo", "web")
            #expect(nothingEarlier.exit.status == 1, "\(nothingEarlier)")
            #expect(nothingEarlier.output.contains("no earlier successful release to undo to"), "\(nothingEarlier)")

            let set = try await cluster.appreleaseOK("set-image", "web", Images.v2)
            #expect(set.contains("apprelease.apprelease.dev/web image updated"), "\(set)")
            #expect(try await cluster.field("appreleases/web", ".spec.image") == Images.v2)
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let revision2 = try await cluster.field("appreleases/web", ".status.currentRevision")

            let history = try await cluster.appreleaseOK("history", "web")
            let rows = history.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.first?.prefix(3) == ["REVISION", "HASH", "IMAGE"], "\(history)")
            #expect(rows.dropFirst().map { Array($0.prefix(4)) } == [
                ["1", revision1, "web@" + Self.digest(Images.v1).prefix(12), "Succeeded"],
                ["2", revision2, "web@" + Self.digest(Images.v2).prefix(12), "Succeeded"],
            ], "\(history)")
            let json = try JSONValue(parsing: try await cluster.appreleaseOK("history", "web", "-o", "json"))
            #expect(json.arrayValue?.map { $0["image"]?.stringValue } == [Images.v1, Images.v2], "\(json)")

            // Default: the previous successful image. Its ReplicaSet is reused and renumbered 3.
            let undo = try await cluster.appreleaseOK("undo", "web")
            #expect(undo.contains("apprelease.apprelease.dev/web rolled back to revision 1: \(Images.v1)"), "\(undo)")
            #expect(try await cluster.field("appreleases/web", ".spec.image") == Images.v1)
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.field("appreleases/web", ".status.currentRevision") == revision1)
            let renumbered = try await cluster.appreleaseOK("history", "web")
            #expect(renumbered.split(separator: "\n").last?.hasPrefix("3 ") == true, "\(renumbered)")
            #expect(try await cluster.replicaSets().count == 2, "undo reuses the revision's ReplicaSet")

            let toRevision = try await cluster.appreleaseOK("undo", "web", "--to-revision", "2")
            #expect(toRevision.contains("rolled back to revision 2: \(Images.v2)"), "\(toRevision)")
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.field("appreleases/web", ".status.currentImage") == Images.v2)

            let unknown = try await cluster.apprelease("undo", "web", "--to-revision", "9")
            #expect(unknown.exit.status == 1 && unknown.output.contains("unable to find revision 9 in history"), "\(unknown)")
        }
    }

    @Test("promote: a blue/green waiting for promotion switches (exit 0); a settled release is not promoted (exit 1)")
    func promoteBlueGreen() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(
                AppReleaseManifest(image: Images.v1, strategy: TrafficStrategyTests.blueGreen(), extraServices: ["web-preview"]))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            let settled = try await cluster.apprelease("promote", "web")
            #expect(settled.exit.status == 1, "\(settled)")
            #expect(settled.output.contains("error: apprelease.apprelease.dev/web: Promotion not applied:"), "\(settled)")

            try await cluster.appreleaseOK("set-image", "web", Images.v2)
            #expect(try await cluster.wait(for: "Paused").succeeded)
            #expect(try await cluster.conditionReason("Paused") == "AwaitingPromotion")
            let next = try await cluster.field("appreleases/web", ".status.currentRevision")
            let promoted = try await cluster.apprelease("promote", "web")
            #expect(promoted.succeeded, "\(promoted)")
            #expect(promoted.output.contains("apprelease.apprelease.dev/web: Revision \(next) promoted on request"), "\(promoted)")
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.pinnedRevision(of: "web") == next)
        }
    }

    @Test("canary: promote ends a pause, promote --full skips the rest, abort reverts, retry releases again")
    func promoteAbortRetryCanary() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1, replicas: 4, strategy: Self.twoPauses))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            try await cluster.appreleaseOK("set-image", "web", Images.v2)
            try await Self.waitForPause(cluster, step: 1)

            let promoted = try await cluster.appreleaseOK("promote", "web")
            #expect(promoted.contains("Canary step 2/4 (pause) ended by promotion"), "\(promoted)")
            try await Self.waitForPause(cluster, step: 3)
            let full = try await cluster.appreleaseOK("promote", "web", "--full")
            #expect(full.contains("Full promotion of revision"), "\(full)")
            #expect(try await cluster.field("appreleases/web", ".metadata.annotations.apprelease\\.dev/promote").hasPrefix("full-"))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v2)
            let nothingToAbort = try await cluster.apprelease("abort", "web")
            #expect(nothingToAbort.exit.status == 1 && nothingToAbort.output.contains("No release in flight: nothing to abort"), "\(nothingToAbort)")
            let nothingToRetry = try await cluster.apprelease("retry", "web")
            #expect(nothingToRetry.exit.status == 1 && nothingToRetry.output.contains("Nothing failed: nothing to retry"), "\(nothingToRetry)")

            try await cluster.appreleaseOK("set-image", "web", Self.v3)
            try await Self.waitForPause(cluster, step: 1)
            let aborted = try await cluster.appreleaseOK("abort", "web")
            #expect(aborted.contains("apprelease.apprelease.dev/web: Release of \(Self.v3) aborted; reverting"), "\(aborted)")
            #expect(try await cluster.wait(for: "Degraded").succeeded)
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "RolledBack")
            #expect(try await cluster.field("appreleases/web", ".status.history[0].outcome") == "Aborted")
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v2)

            let retried = try await cluster.appreleaseOK("retry", "web")
            #expect(retried.contains("Retrying revision"), "\(retried)")
            #expect(try await cluster.field("appreleases/web", ".status.failure") == "")
            try await Self.waitForPause(cluster, step: 1)
            #expect(try await cluster.field("appreleases/web", ".status.release.image") == Self.v3)
        }
    }

    @Test("pause freezes a release where it is; resume lets it run")
    func pauseAndResume() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.appreleaseOK("pause", "web").contains("apprelease.apprelease.dev/web paused"))
            #expect(try await cluster.field("appreleases/web", ".spec.paused") == "true")
            #expect(try await cluster.appreleaseOK("pause", "web").contains("already paused"))
            try await waitUntil("Paused=True, SpecPaused") { try await cluster.conditionReason("Paused") == "SpecPaused" }

            try await cluster.appreleaseOK("set-image", "web", Images.v2)
            let generation = try await cluster.field("appreleases/web", ".metadata.generation")
            try await waitUntil("the controller to observe the new image") {
                try await cluster.field("appreleases/web", ".status.observedGeneration") == generation
            }
            #expect(try await cluster.replicaSets().count == 1, "no new ReplicaSet while paused")

            #expect(try await cluster.appreleaseOK("resume", "web").contains("apprelease.apprelease.dev/web resumed"))
            #expect(try await cluster.field("appreleases/web", ".spec.paused") == "false")
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v2)
        }
    }

    @Test("a request the controller does not answer times out with exit 2 and says so")
    func requestTimesOutWithoutController() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            await cluster.stopOperator()
            let result = try await cluster.apprelease("promote", "web", "--timeout", "2s")
            #expect(result.exit.status == 2, "\(result)")
            #expect(result.output.contains("the controller has not acted on apprelease.dev/promote="), "\(result)")
            #expect(result.output.contains("is it running?"), "\(result)")
            #expect(try await cluster.field("appreleases/web", ".metadata.annotations.apprelease\\.dev/promote") != "", "the request stays set")
        }
    }

    @Test("list: the context's namespace by default, -n, and -A; -o json is kubectl's List")
    func listAcrossNamespaces() async throws {
        try await Cluster.with { cluster in
            let other = "shop-" + UUID().uuidString.prefix(6).lowercased()
            try await cluster.kubectlOK("create", "namespace", other)
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            try await cluster.kubectlOK("apply", "-f", "-", "--namespace", other, input: AppReleaseManifest(name: "api", image: Images.v2).yaml)
            #expect(try await cluster.wait(for: "Ready").succeeded)

            // A kubeconfig whose current context names the other namespace, and no -n: kubectl's default.
            let scoped = cluster.directory + "/scoped.kubeconfig"
            try FileManager.default.copyItem(atPath: cluster.kubeconfig, toPath: scoped)
            try await cluster.kubectlOK("config", "set-context", "--current", "--namespace", other, "--kubeconfig", scoped)
            let inContext = try await cluster.kubectlPlugin(["apprelease", "list"], namespaced: false, kubeconfig: scoped)
            #expect(inContext.succeeded, "\(inContext)")
            let names = inContext.output.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(names == ["api"], "\(inContext)")

            let here = try await cluster.appreleaseOK("list")
            let row = here.split(separator: "\n").dropFirst().first?.split(separator: " ").map(String.init) ?? []
            let v1 = "web@" + Self.digest(Images.v1).prefix(12)
            #expect(row == ["web", "Rolling", "Healthy", "-", "3/3", v1, v1] + row.suffix(1), "SERVING and TARGET: \(here)")

            let all = try await cluster.apprelease("list", "-A", namespaced: false)
            #expect(all.output.hasPrefix("NAMESPACE"), "\(all)")
            #expect(all.output.contains(other) && all.output.contains(cluster.namespace), "\(all)")
            let json = try JSONValue(parsing: try await cluster.appreleaseOK("list", "-o", "json"))
            #expect(json["kind"] == "List")
            #expect(json["items"]?.arrayValue?.map { $0.meta.name } == ["web"])
            if cluster.lane.isReal { _ = try? await cluster.kubectl("delete", "namespace", other, "--wait=false") }
        }
    }

    // MARK: Helpers

    static func digest(_ image: String) -> String {
        String(image.split(separator: ":").last ?? "")
    }

    /// Waits until the canary waits for `promote` at `step` (0-based `status.currentStepIndex`).
    static func waitForPause(_ cluster: Cluster, step: Int) async throws {
        try await waitUntil("the canary to wait for promotion at step index \(step)") {
            let reason = try await cluster.conditionReason("Paused")
            let index = try await cluster.field("appreleases/web", ".status.currentStepIndex")
            return reason == "AwaitingPromotion" && index == String(step)
        }
    }
}

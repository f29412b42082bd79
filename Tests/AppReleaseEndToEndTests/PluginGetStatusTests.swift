import Foundation
import Testing

/// `kubectl apprelease status` and `get`, run as users run them: through the real kubectl,
/// which finds `kubectl-apprelease` on the PATH (the build directory, put first), against the
/// operator binary on kubesim.
@Suite("kubectl apprelease status and get, end to end", .serialized, .timeLimit(.minutes(15)))
struct PluginGetStatusTests {
    @Test("status --wait exits 0 for a good digest, 2 when --timeout passes first (slow digest), then 0 once it is ready")
    func statusWaitReadyAndTimeout() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            let first = try await cluster.apprelease("status", "web", "--wait", "--timeout", "90s")
            #expect(first.exit.status == 0, "\(first)")
            #expect(first.output.contains("is ready: 3/3 available"), "\(first)")

            try await cluster.release(image: Images.v2)
            let second = try await cluster.apprelease("status", "web", "--wait", "--timeout", "90s")
            #expect(second.exit.status == 0, "\(second)")
            let revision = try await cluster.field("appreleases/web", ".status.currentRevision")
            #expect(second.output.contains("web: revision \(revision) is ready: 3/3 available"), "\(second)")

            // `slow` pods become Ready after 10 s: a 2 s limit passes first.
            try await cluster.release(image: Images.slow)
            let timedOut = try await cluster.apprelease("status", "web", "--wait", "--timeout", "2s")
            #expect(timedOut.exit.status == 2, "\(timedOut)")
            #expect(timedOut.output.contains("error: timed out after 2s waiting for web"), "\(timedOut)")
            // Without --wait the verdict is the same while the release runs.
            let now = try await cluster.apprelease("status", "web")
            #expect(now.exit.status == 2, "\(now)")
            let settled = try await cluster.apprelease("status", "web", "--wait", "--timeout", "90s")
            #expect(settled.exit.status == 0, "\(settled)")

            let view = try await cluster.apprelease("get", "web")
            #expect(view.exit.status == 0, "\(view)")
            #expect(view.output.contains("Phase:      Healthy"), "\(view)")
            #expect(view.output.contains("Conditions:  all in their normal state"), "\(view)")
            #expect(view.output.contains("Running"), "\(view)")

            let missing = try await cluster.apprelease("status", "nosuch")
            #expect(missing.exit.status == 3, "\(missing)")
            #expect(missing.output.contains(#"Error from server (NotFound): appreleases.apprelease.dev "nosuch" not found"#), "\(missing)")

            let help = try await cluster.apprelease("status", "--help")
            #expect(help.output.contains("kubectl apprelease status web --wait"), "\(help)")
        }
    }

    @Test("patch and status --wait at once: a crashing digest exits 1 although the previous release was Ready")
    func statusWaitRightAfterPatchSeesTheNewRelease() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.condition("Ready") == "True")

            // No wait between the two: the status still says Ready, for the previous generation.
            try await cluster.release(image: Images.crash)
            let failed = try await cluster.apprelease("status", "web", "--wait", "--timeout", "120s")
            #expect(failed.exit.status == 1, "\(failed)")
            #expect(failed.output.contains("failed (CrashLoop)"), "\(failed)")
            #expect(!failed.output.contains("is ready"), "\(failed)")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "RolledBack")

            // Asked again later, without --wait, the verdict is the same.
            let again = try await cluster.apprelease("status", "web")
            #expect(again.exit.status == 1, "\(again)")

            // The same race, made certain: with the operator stopped the previous release's
            // Ready stays in the status, and status --wait waits it out.
            try await cluster.release(image: Images.v2)
            let ready = try await cluster.apprelease("status", "web", "--wait", "--timeout", "90s")
            #expect(ready.exit.status == 0, "\(ready)")
            await cluster.stopOperator()
            try await cluster.release(image: Images.image("web-crash", "v4"))
            #expect(try await cluster.condition("Ready") == "True")
            let waiting = try cluster.startKubectlPlugin(["apprelease", "status", "web", "--wait", "--timeout", "120s"])
            let notObserved = "web: waiting for the controller to observe generation 4 (the status is for generation 3)"
            try await waitUntil("status --wait to say the new generation is not observed yet, or to end") {
                waiting.output().contains(notObserved) || !waiting.isRunning
            }
            #expect(waiting.isRunning, "status --wait ended before the controller saw the release:\n\(waiting.output())")
            #expect(waiting.output().contains(notObserved), "\(waiting.output())")
            try cluster.startOperator()
            let exit = await waiting.waitForExit(killingAfter: .seconds(300))
            #expect(exit.status == 1 && !exit.signalled, "\(exit)\n\(waiting.output())")
            #expect(waiting.output().contains("failed (CrashLoop)"), "\(waiting.output())")
        }
    }

    @Test("get --watch, captured while a canary runs its steps, shows each step")
    func getWatchFollowsACanary() async throws {
        try await Cluster.with { cluster in
            let steps = "[{setWeight: 25}, {pause: {duration: 2s}}, {setWeight: 50}, {pause: {duration: 2s}}]"
            try await cluster.apply(
                AppReleaseManifest(image: Images.v1, replicas: 4, strategy: TrafficStrategyTests.canary(steps: steps)))
            #expect(try await cluster.wait(for: "Ready").succeeded)

            // stdout is a file here, not a terminal: every change appends a whole view.
            let watch = try cluster.startKubectlPlugin(["apprelease", "get", "web", "--watch"])
            try await waitUntil("the first view") { watch.output().contains("Phase:      Healthy") }
            try await cluster.release(image: Images.v2)
            let done = try await cluster.apprelease("status", "web", "--wait", "--timeout", "90s")
            #expect(done.exit.status == 0, "\(done)")
            let revision = try await cluster.field("appreleases/web", ".status.currentRevision")
            try await waitUntil("a view of the completed release") {
                Self.views(watch.output()).last?.contains("Current:    revision \(revision)") == true
                    && Self.views(watch.output()).last?.contains("Phase:      Healthy") == true
            }
            #expect(watch.isRunning, "get --watch ended early:\n\(watch.output())")
            await watch.stop(grace: .seconds(2))

            let views = Self.views(watch.output())
            let strategies = views.compactMap { view in view.split(separator: "\n").first { $0.hasPrefix("Strategy:") } }.map(String.init)
            // The pauses last 2 s each: both are seen, in order, with their weights.
            let pause1 = strategies.firstIndex { $0.contains("step 2/4, weight 25%") }
            let pause2 = strategies.firstIndex { $0.contains("step 4/4, weight 50%") }
            #expect(pause1 != nil && pause2 != nil, "strategy lines: \(strategies)\n\(watch.output())")
            if let pause1, let pause2 { #expect(pause1 < pause2, "strategy lines: \(strategies)") }
            #expect(views.contains { $0.contains("Phase:      Paused") }, "\(watch.output())")
            // Pods of both revisions side by side during the canary.
            #expect(views.contains { $0.contains("(current)") && $0.contains("(stable)") }, "\(watch.output())")
            #expect(views.count >= 4, "\(watch.output())")
        }
    }

    /// The views in `get --watch` output: each starts with its `Name:` line.
    static func views(_ output: String) -> [String] {
        output.components(separatedBy: "\nName:").enumerated().map { index, part in index == 0 ? part : "Name:" + part }
            .filter { $0.hasPrefix("Name:") }
    }
}

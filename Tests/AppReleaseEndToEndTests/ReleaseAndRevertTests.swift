import Foundation
import Testing

/// The product's promise, driven exactly as a user and a CI pipeline would: `kubectl apply`,
/// `kubectl patch` of the digest, `kubectl wait`, against the operator binary.
@Suite("AppRelease end to end", .serialized, .timeLimit(.minutes(15)))
struct ReleaseAndRevertTests {
    @Test("apply → Ready; new digest → rolled out; crashing digest → reverted, never below 3 ready endpoints")
    func releaseThenRevert() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            let first = try await cluster.wait(for: "Ready")
            #expect(first.succeeded, "\(first)")
            let revision1 = try await cluster.field("appreleases/web", ".status.currentRevision")
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v1)
            try await waitUntil("3 ready endpoints behind Service web") {
                try await cluster.readyEndpoints(of: "web") == 3
            }

            let endpoints = try EndpointSliceWatch(cluster: cluster, service: "web")
            try await waitUntil("the endpoints watch to report the current state") { !endpoints.readyCounts.isEmpty }

            // Release 2: CI patches the digest and waits on Ready.
            try await cluster.release(image: Images.v2)
            let second = try await cluster.wait(for: "Ready")
            #expect(second.succeeded, "\(second)")
            let revision2 = try await cluster.field("appreleases/web", ".status.currentRevision")
            #expect(revision2 != revision1)
            #expect(try await cluster.field("appreleases/web", ".status.stableRevision") == revision2)
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v2)
            try await waitUntil("the first revision to be scaled to 0") {
                try await cluster.replicaSets().first { $0.name == "web-\(revision1)" }?.replicas == 0
            }

            // Settled: no status write when nothing changed, and no polling (only the open watches).
            try await waitUntil("the old revision's pods to be gone") {
                try await cluster.kubectlOK("get", "pods", "-l", "app=web", "-o", "name").split(separator: "\n").count == 3
            }
            if let requests = try await cluster.requestsWhileIdle(for: .seconds(3)) {
                #expect(requests.isEmpty, "API requests from a settled operator: \(requests)")
            }

            // Release 3 crash-loops: the operator reverts to release 2 on its own.
            try await cluster.release(image: Images.crash)
            let degraded = try await cluster.wait(for: "Degraded", timeout: 120)
            #expect(degraded.succeeded, "\(degraded)")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "RolledBack")
            #expect(try await cluster.field("appreleases/web", ".status.stableRevision") == revision2)
            #expect(try await cluster.condition("Ready") == "False")
            #expect(try await cluster.condition("Progressing") == "False")
            let crashRevision = try await cluster.field("appreleases/web", ".status.currentRevision")
            try await waitUntil("release 2 back at 3 ready pods and the crashing revision at 0") {
                let sets = try await cluster.replicaSets()
                let good = sets.first { $0.name == "web-\(revision2)" }
                let bad = sets.first { $0.name != "web-\(revision2)" && $0.name != "web-\(revision1)" }
                return good?.replicas == 3 && good?.ready == 3 && (bad?.replicas ?? 0) == 0
            }
            let history = try await cluster.field("appreleases/web", ".status.history[0].outcome")
            #expect(history == "RolledBack", "newest history entry, crash revision \(crashRevision)")

            // `kubectl get ar` as a user reads it (the default table, from the CRD's printer
            // columns): SERVING is release 2's image, serving again; TARGET the one that failed.
            let table = try await cluster.kubectlOK("get", "ar", "web")
            let lines = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let header = lines.first ?? []
            #expect(header == ["NAME", "STRATEGY", "DESIRED", "READY", "PHASE", "SERVING", "TARGET", "AGE"], "\(table)")
            let cells = Dictionary(zip(header, lines.dropFirst().first ?? []), uniquingKeysWith: { first, _ in first })
            #expect(cells["PHASE"] == "RolledBack", "\(table)")
            #expect(cells["SERVING"] == Self.short(Images.v2), "\(table)")
            #expect(cells["TARGET"] == Self.short(Images.crash), "\(table)")

            #expect(endpoints.isWatching, "the endpoints watch ended early:\n\(endpoints.rawOutput)")
            await endpoints.stop()
            let counts = endpoints.readyCounts
            #expect(counts.count > 1, "the watch saw no change during two releases:\n\(endpoints.rawOutput)")
            #expect(counts.allSatisfy { $0 >= 3 }, "ready endpoints per version: \(counts)")
        }
    }

    /// An image as the printer columns show it: `web@<first 12 hex digits of the digest>`.
    static func short(_ image: String) -> String {
        let parts = image.split(separator: "@")
        return "\(parts[0].split(separator: "/").last ?? "")@\(parts[1].dropFirst("sha256:".count).prefix(12))"
    }

    @Test("a digest that cannot be pulled fails fast, long before its deadline")
    func pullErrorFailsFast() async throws {
        try await Cluster.with { cluster in
            // A deadline far beyond the wait below: only fail-fast can end this release in time.
            try await cluster.apply(AppReleaseManifest(image: Images.v1, progressDeadlineSeconds: 600))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            try await cluster.release(image: Images.pullError)
            let degraded = try await cluster.wait(for: "Degraded", timeout: 90)
            #expect(degraded.succeeded, "\(degraded)")
            #expect(try await cluster.conditionReason("Progressing") == "ImagePullFailed")
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v1)
        }
    }

    @Test("a digest whose pods never become Ready fails at its progress deadline")
    func unreadyFailsAtDeadline() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1, progressDeadlineSeconds: 6))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            try await cluster.release(image: Images.unready)
            // Not before the deadline: right after the patch the release is still in progress.
            #expect(try await cluster.condition("Degraded") != "True")
            let degraded = try await cluster.wait(for: "Degraded", timeout: 90)
            #expect(degraded.succeeded, "\(degraded)")
            #expect(try await cluster.conditionReason("Progressing") == "ProgressDeadlineExceeded")
            #expect(try await cluster.field("appreleases/web", ".status.phase") == "RolledBack")
            // The release lasted at least its deadline (timestamps have whole seconds).
            let started = try await cluster.field("appreleases/web", ".status.history[0].startedAt")
            let finished = try await cluster.field("appreleases/web", ".status.history[0].finishedAt")
            let formatter = ISO8601DateFormatter()
            if let start = formatter.date(from: started), let end = formatter.date(from: finished) {
                #expect(end.timeIntervalSince(start) >= 5, "started \(started), failed \(finished)")
            } else {
                Issue.record("history[0] has no startedAt/finishedAt: '\(started)' '\(finished)'")
            }
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v1)
        }
    }
}

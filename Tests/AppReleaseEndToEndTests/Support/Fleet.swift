import Foundation
import Testing

/// AppReleases applied and released together, for the scenarios that break something in the
/// middle of many releases (an API server outage, a leader failover, a lagging status).
struct Fleet {
    let cluster: Cluster
    let names: [String]

    /// Applies each AppRelease (with its Service) at `image`, waits until every one is Ready, and
    /// returns each one's revision.
    func apply(image: String) async throws -> [String: String] {
        let manifests = names.map { AppReleaseManifest(name: $0, image: image).yaml }.joined(separator: "---\n")
        try await cluster.kubectlOK("apply", "-f", "-", input: manifests)
        let ready = try await cluster.kubectl("wait", "--for=condition=Ready", "appreleases", "--all", "--timeout=180s")
        #expect(ready.succeeded, "\(ready)")
        return try await revisions()
    }

    func revisions() async throws -> [String: String] {
        var revisions: [String: String] = [:]
        for name in names { revisions[name] = try await cluster.field("appreleases/\(name)", ".status.currentRevision") }
        return revisions
    }

    /// Patches every `spec.image` at once, as many pipelines would.
    func release(image: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { try await cluster.release(name, image: image) } }
            try await group.waitForAll()
        }
    }

    /// How many have not yet released `image` (stable image still another): a scenario that
    /// breaks something "mid-release" proves nothing when this is 0.
    func inFlight(toward image: String) async throws -> Int {
        let stable = try await cluster.kubectlOK("get", "appreleases", "-o", "jsonpath={.items[*].status.stableImage}")
        return names.count - stable.split(separator: " ").filter { $0 == image }.count
    }

    /// Each went from its revision in `first` to a new one exactly once, whatever broke meanwhile:
    /// one ReplicaSet per revision (no second one made by a retry or a new leader) and one
    /// history entry for the release.
    func expectReleasedOnce(from first: [String: String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let now = try await revisions()
        for name in names {
            let (before, after) = (first[name] ?? "", now[name] ?? "")
            #expect(after != before, "\(name) still at its first revision", sourceLocation: sourceLocation)
            let sets = try await cluster.replicaSets(of: name)
            #expect(Set(sets.map(\.name)) == ["\(name)-\(before)", "\(name)-\(after)"], "\(name): \(sets)", sourceLocation: sourceLocation)
            let outcomes = try await cluster.field("appreleases/\(name)", #".status.history[?(@.revision=="\#(after)")].outcome"#)
            #expect(outcomes == "Succeeded", "\(name): history entries for revision \(after): \(outcomes)", sourceLocation: sourceLocation)
        }
    }
}

import AppReleaseAPI
import KubeModels

/// A revision as its ReplicaSet records it: the number (`apprelease.dev/revision-number`, 1, 2, …
/// like `deployment.kubernetes.io/revision`), the hash and the image.
struct RevisionRecord: Sendable, Hashable {
    var number: Int
    var revision: String
    var image: String?

    /// The records of `replicaSets` (those an AppRelease controls); ReplicaSets without our labels
    /// are skipped. A revision released again gets the next number, as a Deployment's does.
    static func records(of replicaSets: [JSONValue]) -> [RevisionRecord] {
        replicaSets.compactMap { set in
            let meta = set.meta
            guard let revision = meta.labels[AppReleaseAPI.revisionLabel],
                let number = meta.annotations[AppReleaseAPI.revisionNumberAnnotation].flatMap({ Int($0) })
            else { return nil }
            return RevisionRecord(number: number, revision: revision, image: meta.annotations[AppReleaseAPI.imageAnnotation])
        }
    }
}

extension [RevisionRecord] {
    /// Revision hash → its current number (the highest, should two ReplicaSets carry one revision).
    var numbersByRevision: [String: Int] {
        reduce(into: [:]) { numbers, record in numbers[record.revision] = Swift.max(numbers[record.revision] ?? 0, record.number) }
    }
}

extension RevisionRecord {
    /// The records of the ReplicaSets `appRelease` controls. Someone allowed to read AppReleases
    /// but not ReplicaSets still gets the history, without numbers (and a warning saying why).
    static func load(_ context: PluginContext, for appRelease: JSONValue) async throws -> [RevisionRecord] {
        do {
            return records(of: try await context.replicaSets(of: appRelease))
        } catch PluginError.server(let reason, let message) where reason == "Forbidden" {
            StandardError.print("Warning: revision numbers unknown: \(message)")
            return []
        }
    }
}

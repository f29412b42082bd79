import Foundation

/// Watches every pod of the test's namespace with `kubectl get pods -w` and replays the events to
/// count, per app label, the pods that are Ready and not terminating after each event: the
/// availability a release promises, checked at every version the API server sent rather than
/// whenever the test happened to look.
final class PodReadinessWatch: Sendable {
    private let watch: KubectlWatch

    init(cluster: Cluster) throws {
        watch = try KubectlWatch(
            cluster: cluster, name: "pods-watch", get: ["pods"],
            columns:
                #"NAME:.object.metadata.name,APP:.object.metadata.labels.app,READY:.object.status.conditions[?(@.type=="Ready")].status,DELETING:.object.metadata.deletionTimestamp"#)
    }

    var isWatching: Bool { watch.isWatching }
    var rawOutput: String { watch.rawOutput }

    /// Per app: the serving count after every event, oldest first.
    var servingCounts: [String: [Int]] {
        var serving: [String: [String: Bool]] = [:]
        var counts: [String: [Int]] = [:]
        for fields in watch.events(columns: 4) {
            let (event, pod, app) = (fields[0], fields[1], fields[2])
            serving[app, default: [:]][pod] = event != "DELETED" && fields[3] == "True" && fields[4] == "<none>"
            counts[app, default: []].append(serving[app, default: [:]].values.count { $0 })
        }
        return counts
    }

    /// Per app: the lowest serving count once the app first had `floor` serving pods (before
    /// that, its first release was still starting).
    func lowestServing(onceAt floor: Int) -> [String: Int] {
        servingCounts.compactMapValues { counts in
            guard let first = counts.firstIndex(where: { $0 >= floor }) else { return nil }
            return counts[first...].min()
        }
    }

    func stop() async { await watch.stop() }
}

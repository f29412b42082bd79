import Foundation

/// Watches one Service with `kubectl get service -w` for the length of a release and records the
/// revision its selector pins after every version the API server sent, so a test can count the
/// writes that moved it (a blue/green switch is one write) and see that it never pointed anywhere
/// unexpected in between.
final class ServiceSelectorWatch: Sendable {
    private let watch: KubectlWatch

    init(cluster: Cluster, service: String) throws {
        watch = try KubectlWatch(
            cluster: cluster, name: "service-\(service)-watch", get: ["service", service],
            columns: #"VERSION:.object.metadata.resourceVersion,REVISION:.object.spec.selector.apprelease\.dev/revision"#)
    }

    var isWatching: Bool { watch.isWatching }

    /// The pinned revision after each observed version, oldest first, consecutive repeats merged
    /// (a version that changed something else, or a resync, is not a switch).
    var revisions: [String] {
        var result: [String] = []
        for fields in watch.events(columns: 2) where fields[0] != "DELETED" && result.last != fields[2] {
            result.append(fields[2])
        }
        return result
    }

    var rawOutput: String { watch.rawOutput }

    func stop() async { await watch.stop() }
}

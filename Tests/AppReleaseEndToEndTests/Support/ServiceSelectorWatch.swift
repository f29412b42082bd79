import Foundation

/// Watches one Service with `kubectl get service -w` for the length of a release and records the
/// revision its selector pins after every version the API server sent, so a test can count the
/// writes that moved it (a blue/green switch is one write) and see that it never pointed anywhere
/// unexpected in between.
final class ServiceSelectorWatch: Sendable {
    private let process: ChildProcess

    init(cluster: Cluster, service: String) throws {
        process = try ChildProcess(
            name: "service-\(service)-watch", executable: "kubectl",
            arguments: cluster.kubectlBaseArguments + [
                "get", "service", service, "--watch", "--output-watch-events", "--no-headers", "-o",
                #"custom-columns=EVENT:.type,VERSION:.object.metadata.resourceVersion,REVISION:.object.spec.selector.apprelease\.dev/revision"#,
            ],
            logDirectory: cluster.directory)
        cluster.track(process)
    }

    var isWatching: Bool { process.isRunning }

    /// The pinned revision after each observed version, oldest first, consecutive repeats merged
    /// (a version that changed something else, or a resync, is not a switch).
    var revisions: [String] {
        var result: [String] = []
        for line in process.output().split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 3, ["ADDED", "MODIFIED"].contains(fields[0]) else { continue }
            if result.last != fields[2] { result.append(fields[2]) }
        }
        return result
    }

    var rawOutput: String { process.output() }

    func stop() async { await process.stop(grace: .seconds(2)) }
}

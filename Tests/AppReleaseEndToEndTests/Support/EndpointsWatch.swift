import Foundation

/// Watches a Service's Endpoints with `kubectl get endpoints -w` for the length of a release and
/// records the number of ready addresses in every version the API server sent, so a test can
/// assert that availability never dipped, not only that it was fine whenever it looked.
final class EndpointsWatch: Sendable {
    private let process: ChildProcess

    init(cluster: Cluster, service: String) throws {
        process = try ChildProcess(
            name: "endpoints-watch", executable: "kubectl",
            arguments: cluster.kubectlBaseArguments + [
                // custom-columns, not jsonpath: kubectl 1.32 prints only the first object of a
                // watch with a jsonpath template.
                "get", "endpoints", service, "--watch", "--no-headers", "-o",
                "custom-columns=VERSION:.metadata.resourceVersion,READY:.subsets[*].addresses[*].ip",
            ],
            logDirectory: cluster.directory)
        cluster.track(process)
    }

    var isWatching: Bool { process.isRunning }

    /// Ready-address counts, one per observed version of the object, oldest first.
    var readyCounts: [Int] {
        process.output().split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, Int(parts[0]) != nil else { return nil }
            return parts[1] == "<none>" ? 0 : parts[1].split(separator: ",").count
        }
    }

    var rawOutput: String { process.output() }

    func stop() async { await process.stop(grace: .seconds(2)) }
}

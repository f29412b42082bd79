import Foundation

/// Watches a Service's Endpoints with `kubectl get endpoints -w` for the length of a release and
/// records the number of ready addresses in every version the API server sent, so a test can
/// assert that availability never dipped, not only that it was fine whenever it looked.
final class EndpointsWatch: Sendable {
    private let process: ChildProcess

    init(cluster: Cluster, service: String) throws {
        process = try ChildProcess(
            name: "endpoints-watch", executable: "kubectl",
            arguments: [
                "--kubeconfig", cluster.kubeconfig, "get", "endpoints", service, "--watch", "-o",
                #"jsonpath={.metadata.resourceVersion}{" "}{range .subsets[*]}{range .addresses[*]}{.ip}{","}{end}{end}{"\n"}"#,
            ],
            logDirectory: cluster.directory)
    }

    var isWatching: Bool { process.isRunning }

    /// Ready-address counts, one per observed version of the object, oldest first.
    var readyCounts: [Int] {
        process.output().split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let version = parts.first, Int(version) != nil else { return nil }
            let addresses = parts.count > 1 ? parts[1].split(separator: ",").filter { !$0.isEmpty } : []
            return addresses.count
        }
    }

    var rawOutput: String { process.output() }

    func stop() async { await process.stop(grace: .seconds(2)) }
}

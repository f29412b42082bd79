import Foundation

/// Watches a Service's EndpointSlices with `kubectl get endpointslices -w` for the length of a
/// release and records, after every slice version the API server sent, how many ready endpoints
/// the Service has across its slices, so a test can assert that availability never dipped, not
/// only that it was fine whenever it looked. Slices, not v1 Endpoints: they are what kube-proxy
/// and every gateway route by, and a real control plane's Endpoints controller may lag them by
/// minutes (Endpoints is deprecated since 1.33).
final class EndpointSliceWatch: Sendable {
    private let process: ChildProcess

    init(cluster: Cluster, service: String) throws {
        process = try ChildProcess(
            name: "endpointslices-watch", executable: "kubectl",
            arguments: cluster.kubectlBaseArguments + [
                "get", "endpointslices", "-l", "kubernetes.io/service-name=\(service)", "--watch", "--output-watch-events",
                "--no-headers", "-o",
                #"custom-columns=EVENT:.type,NAME:.object.metadata.name,READY:.object.endpoints[?(@.conditions.ready==true)].addresses[0]"#,
            ],
            logDirectory: cluster.directory)
        cluster.track(process)
    }

    var isWatching: Bool { process.isRunning }

    /// Ready endpoints of the Service after each observed slice version, oldest first.
    var readyCounts: [Int] {
        var perSlice: [String: Int] = [:]
        return process.output().split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 3, ["ADDED", "MODIFIED", "DELETED"].contains(fields[0]) else { return nil }
            perSlice[fields[1]] = fields[0] == "DELETED" || fields[2] == "<none>" ? 0 : fields[2].split(separator: ",").count
            return perSlice.values.reduce(0, +)
        }
    }

    var rawOutput: String { process.output() }

    func stop() async { await process.stop(grace: .seconds(2)) }
}

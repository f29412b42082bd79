import Foundation

/// Watches a Service's EndpointSlices with `kubectl get endpointslices -w` for the length of a
/// release and records, after every slice version the API server sent, how many ready endpoints
/// the Service has across its slices, so a test can assert that availability never dipped, not
/// only that it was fine whenever it looked. Slices, not v1 Endpoints: they are what kube-proxy
/// and every gateway route by, and a real control plane's Endpoints controller may lag them by
/// minutes (Endpoints is deprecated since 1.33).
final class EndpointSliceWatch: Sendable {
    private let watch: KubectlWatch

    init(cluster: Cluster, service: String) throws {
        watch = try KubectlWatch(
            cluster: cluster, name: "endpointslices-watch",
            get: ["endpointslices", "-l", "kubernetes.io/service-name=\(service)"],
            columns: #"NAME:.object.metadata.name,READY:.object.endpoints[?(@.conditions.ready==true)].addresses[0]"#)
    }

    var isWatching: Bool { watch.isWatching }

    /// Ready endpoints of the Service after each observed slice version, oldest first.
    var readyCounts: [Int] {
        var perSlice: [String: Int] = [:]
        return watch.events(columns: 2).map { fields in
            perSlice[fields[1]] = fields[0] == "DELETED" || fields[2] == "<none>" ? 0 : fields[2].split(separator: ",").count
            return perSlice.values.reduce(0, +)
        }
    }

    var rawOutput: String { watch.rawOutput }

    func stop() async { await watch.stop() }
}

import ArgumentParser
import Foundation
import KubeSim

/// `kubesim serve` (the default): a simulated Kubernetes API server (and cluster) on loopback.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve a simulated Kubernetes API server and cluster on loopback.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 0
    @Flag(help: "Serve HTTPS with a generated CA; require the bearer token written to the kubeconfig (or a client certificate signed by the CA).")
    var tls = false
    @Option(name: .customLong("kubeconfig-out"), help: "Write a kubeconfig for this server to FILE.") var kubeconfigOut: String?
    @Option(name: .customLong("pod-ready-delay-ms"), help: "How long ordinary pods take to become Ready.") var podReadyDelayMs = 300
    @Option(name: .customLong("event-window"), help: "Watch events kept for resumption; older resourceVersions get 410 Gone.")
    var eventWindow = 10_000
    @Flag(name: .customLong("no-cluster"), help: "Serve the API only: no ReplicaSet controller, kubelet, endpoints or garbage collector.")
    var noCluster = false
    @Option(name: .customLong("drop-watches-every"), help: "Fault: end every open watch each N seconds.") var dropWatchesEvery: Double?
    @Option(name: .customLong("fail-share"), help: "Fault: fail this share (0...1) of API requests.") var failShare: Double?
    @Option(name: .customLong("fail-code"), help: "Fault: status code of failed requests (500, 429, 503, 403...).") var failCode = 500
    @Option(name: .customLong("retry-after"), help: "Fault: Retry-After seconds on 429/503.") var retryAfter = 1
    @Option(name: .customLong("latency-ms"), help: "Fault: delay added to every API request.") var latencyMs: Int?
    @Option(
        name: .customLong("replicaset-status-lag-ms"),
        help: "Fault: the ReplicaSet controller publishes each status this long after computing it, as a busy cluster's does.")
    var replicaSetStatusLagMs: Int?

    func validate() throws {
        if let failShare, !(0...1).contains(failShare) { throw ValidationError("--fail-share must be between 0 and 1") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if podReadyDelayMs < 0 { throw ValidationError("--pod-ready-delay-ms must not be negative") }
        if eventWindow < 1 { throw ValidationError("--event-window must be at least 1") }
        if let dropWatchesEvery, dropWatchesEvery <= 0 { throw ValidationError("--drop-watches-every must be positive") }
        if let latencyMs, latencyMs < 0 { throw ValidationError("--latency-ms must not be negative") }
        if let replicaSetStatusLagMs, replicaSetStatusLagMs < 0 {
            throw ValidationError("--replicaset-status-lag-ms must not be negative")
        }
    }

    func run() async throws {
        var options = KubeSimOptions()
        options.host = host
        options.port = port
        options.tls = tls
        options.simulateCluster = !noCluster
        options.podReadyDelay = .milliseconds(podReadyDelayMs)
        options.eventWindow = eventWindow
        let sim = try await KubeSim.start(options)
        if let dropWatchesEvery { sim.faults.dropWatches(every: .milliseconds(Int64(dropWatchesEvery * 1000))) }
        if let failShare { sim.faults.failRequests(share: failShare, code: failCode, retryAfter: retryAfter) }
        if let latencyMs { sim.faults.latency = .milliseconds(latencyMs) }
        if let replicaSetStatusLagMs { sim.faults.replicaSetStatusLag = .milliseconds(replicaSetStatusLagMs) }
        if let kubeconfigOut { try sim.writeKubeconfig(to: kubeconfigOut) }
        // One line, flushed at once: scripts and tests wait for it to learn the URL.
        FileHandle.standardOutput.write(Data("kubesim listening on \(sim.baseURL)\n".utf8))
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(3600))
        }
        await sim.shutdown()
    }
}

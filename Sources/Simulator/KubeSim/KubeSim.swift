import Foundation
import KubeModels
import Synchronization

public struct KubeSimOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    /// TLS with a generated CA; then a bearer token or a client certificate signed by the CA is required.
    public var tls = false
    /// Run the ReplicaSet controller, kubelet, endpoints and garbage collector.
    public var simulateCluster = true
    /// "Anything else" images become Ready after this.
    public var podReadyDelay: Duration = .milliseconds(300)
    /// Watch events kept for resumption; older → 410 Gone.
    public var eventWindow = 10_000
    public init() {}
}

/// A simulated Kubernetes API server (and, optionally, cluster) on loopback.
public final class KubeSim: Sendable {
    public let store: ObjectStore
    public let faults: FaultInjector
    public let options: KubeSimOptions
    let metrics = ServerMetrics()
    let tokens: Mutex<Set<String>>
    private let running: Mutex<RunningState>

    struct RunningState {
        var port = 0
        var cluster: ClusterSimulator?
    }

    public var port: Int { running.withLock { $0.port } }
    public var baseURL: String { "\(options.tls ? "https" : "http")://\(options.host):\(port)" }
    public let token: String?
    public var caCertificatePEM: String? { nil }

    init(options: KubeSimOptions) {
        self.options = options
        store = ObjectStore(eventWindow: options.eventWindow)
        faults = FaultInjector(store: store)
        let token = options.tls ? "kubesim-" + UUID().uuidString.lowercased() : nil
        self.token = token
        tokens = Mutex(Set(token.map { [$0] } ?? []))
        running = Mutex(RunningState())
    }

    public static func start(_ options: KubeSimOptions) async throws -> KubeSim {
        let sim = KubeSim(options: options)
        sim.bootstrap()
        if options.simulateCluster {
            sim.store.enablePropagationFinalizers()
            let cluster = await ClusterSimulator.start(store: sim.store, options: options)
            sim.running.withLock { $0.cluster = cluster }
        }
        return sim
    }

    /// The namespaces every cluster starts with.
    func bootstrap() {
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try? store.create(
                .namespaces, namespace: nil,
                object: ["metadata": ["name": .string(name)], "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]])
        }
    }

    public func kubeconfig() -> String {
        var user = "    user: {}\n"
        if let token { user = "    user:\n      token: \(token)\n" }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubesim
              cluster:
                server: \(baseURL)

            users:
            - name: kubesim
            \(user)contexts:
            - name: kubesim
              context:
                cluster: kubesim
                user: kubesim
                namespace: default
            current-context: kubesim

            """
    }

    public func writeKubeconfig(to path: String) throws {
        try kubeconfig().write(toFile: path, atomically: true, encoding: .utf8)
    }

    public func issueClientCertificate(commonName: String) throws -> (certificatePEM: String, privateKeyPEM: String) {
        throw StatusError.internalError("TLS is not enabled")
    }

    /// An extra valid bearer token (e.g. what an exec credential plugin returns).
    public func acceptToken(_ token: String) {
        tokens.withLock { _ = $0.insert(token) }
    }

    /// Later requests bearing it get 401.
    public func revokeToken(_ token: String) {
        tokens.withLock { _ = $0.remove(token) }
    }

    public var acceptedConnections: Int { metrics.acceptedConnections }
    public var requestCount: Int { metrics.requestCount }
    public func requestCounts() -> [String: Int] { metrics.requestCounts() }

    public func shutdown() async {
        let cluster = running.withLock { state in
            defer { state.cluster = nil }
            return state.cluster
        }
        await cluster?.stop()
        faults.reset()
        store.dropWatches()
    }
}

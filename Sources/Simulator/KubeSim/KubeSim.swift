import Foundation
import KubeModels
import NIOSSL
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
        var server: APIServer?
        var progress: Task<Void, Never>?
    }

    public var port: Int { running.withLock { $0.port } }
    public var baseURL: String { "\(options.tls ? "https" : "http")://\(options.host):\(port)" }
    public let token: String?
    let authority: CertificateAuthority?
    public var caCertificatePEM: String? { try? authority?.certificatePEM }

    init(options: KubeSimOptions) throws {
        self.options = options
        store = ObjectStore(eventWindow: options.eventWindow)
        faults = FaultInjector(store: store)
        let token = options.tls ? "kubesim-" + UUID().uuidString.lowercased() : nil
        self.token = token
        tokens = Mutex(Set(token.map { [$0] } ?? []))
        running = Mutex(RunningState())
        authority = options.tls ? try CertificateAuthority() : nil
    }

    public static func start(_ options: KubeSimOptions) async throws -> KubeSim {
        let sim = try KubeSim(options: options)
        sim.bootstrap()
        if options.simulateCluster {
            sim.store.enablePropagationFinalizers()
            let cluster = await ClusterSimulator.start(store: sim.store, options: options, faults: sim.faults)
            sim.running.withLock { $0.cluster = cluster }
        }
        do {
            try await sim.startServer()
        } catch {
            await sim.shutdown()
            throw error
        }
        return sim
    }

    private func startServer() async throws {
        let handler = APIHandler(
            store: store, registry: ResourceRegistry(store: store), faults: faults, metrics: metrics,
            serverAddress: { [weak self] in "\(self?.options.host ?? "127.0.0.1"):\(self?.port ?? 0)" })
        var tlsConfiguration: TLSConfiguration?
        var authenticator: Authenticator?
        if let authority {
            let serving = try authority.issue(commonName: "kubesim", server: true)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(serving.certificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serving.privateKeyPEM.utf8), format: .pem)))
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(try authority.certificatePEM.utf8)))
            tlsConfiguration = configuration
            authenticator = Authenticator(tokens: { [weak self] token in self?.tokens.withLock { $0.contains(token) } ?? false })
        }
        let responder = KubeSimResponder(handler: handler, metrics: metrics, authenticator: authenticator)
        let server = try await APIServer.start(host: options.host, port: options.port, responder: responder, tls: tlsConfiguration)
        // Periodic progress lets idle watches bookmark a recent resourceVersion.
        let progress = Task { [store] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                store.notifyWatchProgress()
            }
        }
        running.withLock {
            $0.port = server.port
            $0.server = server
            $0.progress = progress
        }
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
        var user = "  user: {}\n"
        if let token { user = "  user:\n    token: \(token)\n" }
        var authority = ""
        if let pem = caCertificatePEM { authority = "\n    certificate-authority-data: \(Data(pem.utf8).base64EncodedString())" }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubesim
              cluster:
                server: \(baseURL)\(authority)
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
        guard let authority else { throw StatusError.badRequest("client certificates need TLS mode (KubeSimOptions.tls)") }
        return try authority.issue(commonName: commonName, organization: "kubesim:users", server: false)
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
    /// Every resource request so far, by client (user agent), RBAC verb, resource and namespace.
    public func requestsByClient() -> [ClientRequest: Int] { metrics.requestsByClient() }

    /// Stops the cluster simulation and the server; open watches end.
    public func shutdown() async {
        let (cluster, server, progress) = running.withLock { state in
            defer {
                state.cluster = nil
                state.server = nil
                state.progress = nil
            }
            return (state.cluster, state.server, state.progress)
        }
        progress?.cancel()
        await cluster?.stop()
        faults.reset()
        // Refuse new connections first: a client whose watch ends reconnects at once.
        await server?.beginShutdown()
        store.dropWatches()
        await server?.stop()
    }
}

import Foundation

/// Everything needed to talk to one API server, resolved from a kubeconfig context or from the
/// pod's service account.
public struct ClientConfiguration: Sendable {
    /// `https://host:port` (an optional path prefix is kept).
    public var server: String
    /// The namespace used when a call on a namespaced resource passes `namespace: nil` for a
    /// single object (get, create, update, patch, delete). Lists and watches with nil mean all namespaces.
    public var namespace: String
    public var tls: TLSSettings
    public var authentication: Authentication
    /// Static client certificate and key (they may also come from an exec plugin).
    public var clientCertificate: PEMSource?
    public var clientKey: PEMSource?
    /// `proxy-url`; when nil the usual proxy environment variables apply.
    public var proxyURL: String?
    /// Token bucket for all requests: sustained rate and burst.
    public var qps: Double = 50
    public var burst: Int = 100
    /// Total time for a non-watch request.
    public var requestTimeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    /// Retries of safe requests (and of any request answered 429).
    public var maxRetries = 5
    public var userAgent = "apprelease-kubeclient/0.1"
    /// Speak HTTP/2 over plain `http://` without upgrade (h2c prior knowledge); HTTPS negotiates it with ALPN.
    public var http2PriorKnowledge = false
    /// Environment used for proxy variables.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The kubeconfig context this came from, for messages.
    public var contextName: String?
    /// A response body larger than this is refused, not buffered: a list page of 500 objects at
    /// etcd's 1.5 MiB object limit fits, and a runaway answer cannot take the process past its
    /// memory limit.
    public var maximumResponseBytes = ClientConfiguration.defaultMaximumResponseBytes
    /// One watch event (one line of the stream) larger than this ends the watch with an error:
    /// the API server stores no object above a few MiB, so such a line is a fault, not data.
    public var maximumWatchEventBytes = ClientConfiguration.defaultMaximumWatchEventBytes
    /// Decoded events a watch holds for a consumer that has fallen behind, in bytes; past this the
    /// client stops reading that watch until the consumer catches up (HTTP/2 flow control then
    /// holds the server back), so a slow consumer costs time, not memory.
    public var watchBufferBytes = ClientConfiguration.defaultWatchBufferBytes
    /// An exec credential plugin still running after this is killed and the request fails:
    /// every request waits for its answer, so a hung plugin would stop the client silently.
    public var execPluginTimeout: Duration = .seconds(30)

    public static let defaultMaximumResponseBytes = 128 << 20
    public static let defaultMaximumWatchEventBytes = 16 << 20
    public static let defaultWatchBufferBytes = 4 << 20

    public init(
        server: String, namespace: String = "default", tls: TLSSettings = TLSSettings(),
        authentication: Authentication = .none, clientCertificate: PEMSource? = nil, clientKey: PEMSource? = nil
    ) {
        self.server = server
        self.namespace = namespace
        self.tls = tls
        self.authentication = authentication
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    public var isHTTPS: Bool { server.lowercased().hasPrefix("https://") }
}

public struct TLSSettings: Sendable, Hashable {
    public var certificateAuthorityData: [UInt8]?
    public var certificateAuthorityFile: String?
    public var insecureSkipVerify: Bool
    /// Name to verify the server certificate against (and send as SNI) instead of the URL's host.
    public var serverName: String?

    public init(
        certificateAuthorityData: [UInt8]? = nil, certificateAuthorityFile: String? = nil,
        insecureSkipVerify: Bool = false, serverName: String? = nil
    ) {
        self.certificateAuthorityData = certificateAuthorityData
        self.certificateAuthorityFile = certificateAuthorityFile
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}

/// PEM bytes either inline (`*-data`, handed to curl as a blob) or in a file.
public enum PEMSource: Sendable, Hashable {
    case file(String)
    case data([UInt8])
}

public enum Authentication: Sendable, Hashable {
    case none
    case bearerToken(String)
    /// Re-read whenever the file changes (projected service-account tokens rotate).
    case tokenFile(String)
    case basic(username: String, password: String)
    /// `clusterInfo` is passed in KUBERNETES_EXEC_INFO when the plugin asks for it.
    case exec(ExecConfig, clusterInfo: ExecClusterInfo?)
}

/// `ExecCredential.spec.cluster`, for plugins with `provideClusterInfo: true`.
public struct ExecClusterInfo: Sendable, Hashable {
    public var server: String
    public var certificateAuthorityData: [UInt8]?
    public var insecureSkipTLSVerify: Bool
    public var tlsServerName: String?
    public var proxyURL: String?

    public init(server: String, certificateAuthorityData: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil, proxyURL: String? = nil) {
        self.server = server
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.proxyURL = proxyURL
    }
}

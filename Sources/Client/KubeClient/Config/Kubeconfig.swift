import Foundation
import KubeModels

/// The parts of a kubeconfig (`clientcmdapi.Config`) that configure a client. Every entry records
/// the file it came from: relative paths in it are resolved against that file's directory, and
/// errors name it.
public struct Kubeconfig: Sendable, Hashable {
    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// Where `current-context` was read from.
    public var currentContextFile: String?
    /// The files this config was read from, in precedence order.
    public var files: [String] = []

    public init() {}

    public struct Cluster: Sendable, Hashable {
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        public var proxyURL: String?
        public var file: String

        public init(file: String) { self.file = file }
    }

    public struct User: Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        /// Legacy `auth-provider` plugins (removed from kubectl); reported as unsupported.
        public var authProviderName: String?
        public var file: String

        public init(file: String) { self.file = file }
    }

    public struct Context: Sendable, Hashable {
        public var cluster: String
        public var user: String
        public var namespace: String?
        public var file: String

        public init(cluster: String, user: String, namespace: String? = nil, file: String) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
            self.file = file
        }
    }
}

/// `users[].user.exec`: a credential plugin (aws eks get-token, gke-gcloud-auth-plugin, …).
public struct ExecConfig: Sendable, Hashable {
    public var command: String
    public var args: [String]
    public var env: [(name: String, value: String)]
    /// `client.authentication.k8s.io/v1` or `v1beta1`.
    public var apiVersion: String
    public var installHint: String?
    public var provideClusterInfo: Bool
    public var interactiveMode: String?

    public init(
        command: String, args: [String] = [], env: [(name: String, value: String)] = [],
        apiVersion: String = "client.authentication.k8s.io/v1", installHint: String? = nil,
        provideClusterInfo: Bool = false, interactiveMode: String? = nil
    ) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }

    public static func == (lhs: ExecConfig, rhs: ExecConfig) -> Bool {
        lhs.command == rhs.command && lhs.args == rhs.args && lhs.env.map(\.name) == rhs.env.map(\.name)
            && lhs.env.map(\.value) == rhs.env.map(\.value) && lhs.apiVersion == rhs.apiVersion
            && lhs.installHint == rhs.installHint && lhs.provideClusterInfo == rhs.provideClusterInfo
            && lhs.interactiveMode == rhs.interactiveMode
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(command)
        hasher.combine(args)
        hasher.combine(apiVersion)
    }
}

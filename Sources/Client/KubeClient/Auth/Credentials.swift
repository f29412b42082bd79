/// What one request authenticates with. Never logged.
public struct Credentials: Sendable, Hashable {
    public var bearerToken: String?
    public var basic: BasicCredentials?
    public var clientCertificate: PEMSource?
    public var clientKey: PEMSource?

    public init(bearerToken: String? = nil, basic: BasicCredentials? = nil, clientCertificate: PEMSource? = nil, clientKey: PEMSource? = nil) {
        self.bearerToken = bearerToken
        self.basic = basic
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

public struct BasicCredentials: Sendable, Hashable {
    public var username: String
    public var password: String
}

/// Supplies credentials per request and reacts to a 401.
protocol CredentialProvider: Sendable {
    func credentials() async throws -> Credentials
    /// The server rejected `rejected` with 401. Returns true when fresh credentials may now be
    /// available, so the request is worth retrying once.
    func invalidate(_ rejected: Credentials) async -> Bool
}

struct StaticCredentialProvider: CredentialProvider {
    let value: Credentials

    func credentials() async throws -> Credentials { value }
    func invalidate(_ rejected: Credentials) async -> Bool { false }
}

extension ClientConfiguration {
    func makeCredentialProvider() -> any CredentialProvider {
        let base = Credentials(clientCertificate: clientCertificate, clientKey: clientKey)
        switch authentication {
        case .none:
            return StaticCredentialProvider(value: base)
        case .bearerToken(let token):
            var credentials = base
            credentials.bearerToken = token
            return StaticCredentialProvider(value: credentials)
        case .basic(let username, let password):
            var credentials = base
            credentials.basic = BasicCredentials(username: username, password: password)
            return StaticCredentialProvider(value: credentials)
        case .tokenFile(let path):
            return TokenFileCredentialProvider(path: path, base: base)
        case .exec(let config, let clusterInfo):
            return ExecCredentialProvider(
                config: config, clusterInfo: clusterInfo, base: base, environment: environment, timeout: execPluginTimeout)
        }
    }
}

import KubeModels

/// A failed call: either the API server answered with a `Status` (any non-2xx), or the transport
/// failed before an answer arrived.
public enum KubernetesError: Error, Sendable, CustomStringConvertible {
    /// The API server's `Status` body, decoded. `code` is the HTTP status.
    case api(APIStatus)
    /// Connection refused, reset, TLS failure, timeout: no HTTP answer was received.
    case transport(String)
    /// Bad configuration or bad input detected before anything was sent.
    case invalidRequest(String)
    /// The answer (a response body, or one watch event) was larger than the client accepts
    /// (`ClientConfiguration.maximumResponseBytes`, `maximumWatchEventBytes`); never retried.
    case responseTooLarge(String)

    public var description: String {
        switch self {
        case .api(let status): return "\(status.code) \(status.reason ?? "Unknown"): \(status.message ?? "")"
        case .transport(let message): return "transport error: \(message)"
        case .invalidRequest(let message): return "invalid request: \(message)"
        case .responseTooLarge(let message): return "response too large: \(message)"
        }
    }

    public var status: APIStatus? {
        if case .api(let status) = self { return status }
        return nil
    }

    public var isNotFound: Bool { status?.code == 404 }
    public var isConflict: Bool { status?.code == 409 && status?.reason != "AlreadyExists" }
    public var isAlreadyExists: Bool { status?.reason == "AlreadyExists" }
    public var isGone: Bool { status?.code == 410 || status?.reason == "Expired" || status?.reason == "Gone" }
    public var isInvalid: Bool { status?.code == 422 || status?.reason == "Invalid" }
    public var isForbidden: Bool { status?.code == 403 }
    public var isUnauthorized: Bool { status?.code == 401 }
    public var isTooManyRequests: Bool { status?.code == 429 }
    public var isServerError: Bool { (status?.code ?? 0) >= 500 }
    public var isTransport: Bool {
        if case .transport = self { return true }
        return false
    }
}

/// `meta.k8s.io/v1` Status, as the API server returns it for errors and some deletes.
public struct APIStatus: Sendable, Hashable, Codable {
    public struct Cause: Sendable, Hashable, Codable {
        public var reason: String?
        public var message: String?
        public var field: String?
        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public struct Details: Sendable, Hashable, Codable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?
        public init(
            name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil, causes: [Cause]? = nil,
            retryAfterSeconds: Int? = nil
        ) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public var code: Int
    public var status: String?
    public var reason: String?
    public var message: String?
    public var details: Details?

    public init(code: Int, status: String? = "Failure", reason: String? = nil, message: String? = nil, details: Details? = nil) {
        self.code = code
        self.status = status
        self.reason = reason
        self.message = message
        self.details = details
    }
}

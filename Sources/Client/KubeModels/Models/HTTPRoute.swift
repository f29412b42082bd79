/// `gateway.networking.k8s.io/v1` HTTPRoute: Canary shifts traffic through backendRef weights.
/// Matches and filters are kept as JSON; only what traffic shifting needs is typed.
public struct HTTPRoute: KubernetesResource, Hashable {
    public static let resource = GroupVersionResource.httpRoutes

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: HTTPRouteSpec?
    public var status: JSONValue?

    public init(metadata: ObjectMeta, spec: HTTPRouteSpec? = nil) {
        self.apiVersion = "gateway.networking.k8s.io/v1"
        self.kind = "HTTPRoute"
        self.metadata = metadata
        self.spec = spec
    }
}

public struct HTTPRouteSpec: Codable, Sendable, Hashable {
    public var parentRefs: [ParentReference]?
    public var hostnames: [String]?
    public var rules: [HTTPRouteRule]?

    public init(parentRefs: [ParentReference]? = nil, hostnames: [String]? = nil, rules: [HTTPRouteRule]? = nil) {
        self.parentRefs = parentRefs
        self.hostnames = hostnames
        self.rules = rules
    }
}

public struct ParentReference: Codable, Sendable, Hashable {
    public var group: String?
    public var kind: String?
    public var namespace: String?
    public var name: String
    public var sectionName: String?
    public var port: Int32?

    public init(group: String? = nil, kind: String? = nil, namespace: String? = nil, name: String, sectionName: String? = nil, port: Int32? = nil) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.sectionName = sectionName
        self.port = port
    }
}

public struct HTTPRouteRule: Codable, Sendable, Hashable {
    public var name: String?
    public var matches: JSONValue?
    public var filters: JSONValue?
    public var backendRefs: [HTTPBackendRef]?

    public init(name: String? = nil, matches: JSONValue? = nil, filters: JSONValue? = nil, backendRefs: [HTTPBackendRef]? = nil) {
        self.name = name
        self.matches = matches
        self.filters = filters
        self.backendRefs = backendRefs
    }
}

public struct HTTPBackendRef: Codable, Sendable, Hashable {
    public var group: String?
    /// Defaults to Service.
    public var kind: String?
    public var name: String
    public var namespace: String?
    public var port: Int32?
    /// Relative share of traffic; the API defaults it to 1.
    public var weight: Int32?
    public var filters: JSONValue?

    public init(
        group: String? = nil, kind: String? = nil, name: String, namespace: String? = nil, port: Int32? = nil,
        weight: Int32? = nil, filters: JSONValue? = nil
    ) {
        self.group = group
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.port = port
        self.weight = weight
        self.filters = filters
    }
}

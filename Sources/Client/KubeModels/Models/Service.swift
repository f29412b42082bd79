/// `v1` Service: the selector and ports, which Blue/Green and Canary switch between revisions.
public struct Service: KubernetesResource, Hashable {
    public static let resource = GroupVersionResource.services

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ServiceSpec?

    public init(metadata: ObjectMeta, spec: ServiceSpec? = nil) {
        self.apiVersion = "v1"
        self.kind = "Service"
        self.metadata = metadata
        self.spec = spec
    }
}

public struct ServiceSpec: Codable, Sendable, Hashable {
    public var selector: [String: String]?
    public var ports: [ServicePort]?
    /// ClusterIP, NodePort, LoadBalancer, ExternalName.
    public var type: String?
    public var clusterIP: String?

    public init(selector: [String: String]? = nil, ports: [ServicePort]? = nil, type: String? = nil, clusterIP: String? = nil) {
        self.selector = selector
        self.ports = ports
        self.type = type
        self.clusterIP = clusterIP
    }
}

public struct ServicePort: Codable, Sendable, Hashable {
    public var name: String?
    public var `protocol`: String?
    public var port: Int32
    /// A number or a named port, kept as JSON (`.int` or `.string`).
    public var targetPort: JSONValue?
    public var nodePort: Int32?

    public init(name: String? = nil, protocol: String? = nil, port: Int32, targetPort: JSONValue? = nil, nodePort: Int32? = nil) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.targetPort = targetPort
        self.nodePort = nodePort
    }
}

/// Names a REST collection: `/api/v1/namespaces/{ns}/pods` or `/apis/{group}/{version}/...`.
public struct GroupVersionResource: Sendable, Hashable, CustomStringConvertible {
    /// Empty for the core ("legacy") group served under `/api`.
    public var group: String
    public var version: String
    /// The plural, lower-case resource name used in URLs.
    public var resource: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.namespaced = namespaced
    }

    /// `v1` or `apps/v1`, as written in an object's `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { group.isEmpty ? "\(resource).\(version)" : "\(resource).\(version).\(group)" }
}

extension GroupVersionResource {
    public static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false)
    public static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true)
    public static let nodes = GroupVersionResource(group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false)
    public static let services = GroupVersionResource(group: "", version: "v1", resource: "services", kind: "Service", namespaced: true)
    public static let endpoints = GroupVersionResource(group: "", version: "v1", resource: "endpoints", kind: "Endpoints", namespaced: true)
    public static let events = GroupVersionResource(group: "", version: "v1", resource: "events", kind: "Event", namespaced: true)
    public static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true)
    public static let secrets = GroupVersionResource(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true)
    public static let replicaSets = GroupVersionResource(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true)
    public static let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true)
    public static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true)
    public static let eventsV1 = GroupVersionResource(group: "events.k8s.io", version: "v1", resource: "events", kind: "Event", namespaced: true)
    public static let endpointSlices = GroupVersionResource(group: "discovery.k8s.io", version: "v1", resource: "endpointslices", kind: "EndpointSlice", namespaced: true)
    public static let customResourceDefinitions = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false)
    public static let httpRoutes = GroupVersionResource(group: "gateway.networking.k8s.io", version: "v1", resource: "httproutes", kind: "HTTPRoute", namespaced: true)
}

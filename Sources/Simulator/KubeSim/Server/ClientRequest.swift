/// One kind of request as RBAC sees it, from one client: who (by user agent), which verb, on
/// which resource, where. Tests compare these with a ClusterRole, so the verbs are RBAC's
/// (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`), not HTTP's.
public struct ClientRequest: Hashable, Sendable, CustomStringConvertible {
    public var userAgent: String
    public var verb: String
    /// The API group, "" for the core group.
    public var group: String
    /// `replicasets`, or `appreleases/status` for a subresource.
    public var resource: String
    /// Nil for cluster-wide requests (all namespaces, or cluster-scoped resources).
    public var namespace: String?

    public init(userAgent: String, verb: String, group: String, resource: String, namespace: String?) {
        self.userAgent = userAgent
        self.verb = verb
        self.group = group
        self.resource = resource
        self.namespace = namespace
    }

    public var description: String {
        "\(verb) \(group.isEmpty ? "" : group + "/")\(resource)\(namespace.map { " in \($0)" } ?? " cluster-wide") by \(userAgent)"
    }

    /// Nil for requests RBAC does not authorize as resource requests (discovery, /version, …).
    static func rbacVerb(method: String, target: RequestTarget.ResourcePath, isWatch: Bool) -> String? {
        switch method {
        case "GET", "HEAD": return isWatch ? "watch" : target.name == nil ? "list" : "get"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return target.name == nil ? "deletecollection" : "delete"
        default: return nil
        }
    }
}

import KubeModels

/// Identifies one object of a resource type: what work queues hold and reconcilers receive.
/// Cluster-scoped objects have no namespace.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object's `metadata`, or nil when it has no name.
    public init?(object: JSONValue) {
        let meta = object.meta
        guard !meta.name.isEmpty else { return nil }
        self.init(namespace: meta.namespace.isEmpty ? nil : meta.namespace, name: meta.name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the cache key format client-go uses.
    public var description: String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}

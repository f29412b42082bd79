/// Identifies one object of a resource type: what work queues hold, reconcilers receive and
/// caches are keyed by, in the operator and in kubesim alike. Cluster-scoped objects have no
/// namespace (nil, never empty).
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    /// An empty namespace means none: one spelling per key, whoever builds it.
    public init(namespace: String?, name: String) {
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
        self.name = name
    }

    /// The key of an object's `metadata`, or nil when it has no name.
    public init?(object: JSONValue) {
        guard !object.meta.name.isEmpty else { return nil }
        self = object.meta.key
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the cache key format client-go uses.
    public var description: String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    /// The key `description` spelled: neither namespaces nor names may contain a slash.
    public init(cacheKey: String) {
        guard let slash = cacheKey.firstIndex(of: "/") else {
            self.init(namespace: nil, name: cacheKey)
            return
        }
        self.init(namespace: String(cacheKey[..<slash]), name: String(cacheKey[cacheKey.index(after: slash)...]))
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}

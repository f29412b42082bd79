/// A typed model of a top-level API object, so callers can write `client.get(ReplicaSet.self, ...)`.
public protocol KubernetesResource: Codable, Sendable {
    static var resource: GroupVersionResource { get }
    var metadata: ObjectMeta { get }
}

extension JSONValue {
    /// `metadata` of an object held as JSON, decoded without decoding the rest.
    public var objectMeta: ObjectMeta? {
        guard let metadata = self["metadata"] else { return nil }
        return try? metadata.decode(ObjectMeta.self)
    }
}

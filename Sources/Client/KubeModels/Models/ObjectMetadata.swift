/// The one vocabulary for an object's `metadata`, read straight from its JSON: objects travel as
/// `JSONValue` so that no field we do not know is ever dropped, and every layer (engine, runtime,
/// controller, kubesim) reads identity, labels, owners and deletion state through this view.
public struct ObjectMetadata: Sendable {
    public let object: JSONValue

    public init(_ object: JSONValue) { self.object = object }

    private func field(_ key: String) -> JSONValue? { object[path: "metadata", key] }

    public var name: String { field("name")?.stringValue ?? "" }
    /// Empty for cluster-scoped objects.
    public var namespace: String { field("namespace")?.stringValue ?? "" }
    public var uid: String { field("uid")?.stringValue ?? "" }
    public var resourceVersion: String { field("resourceVersion")?.stringValue ?? "" }
    public var generation: Int64 { field("generation")?.intValue ?? 0 }
    /// RFC 3339; see `KubeTime`.
    public var creationTimestamp: String? { field("creationTimestamp")?.stringValue }
    public var deletionTimestamp: String? { field("deletionTimestamp")?.stringValue }
    public var isDeleting: Bool { deletionTimestamp != nil }
    public var deletionGracePeriodSeconds: Int64? { field("deletionGracePeriodSeconds")?.intValue }
    public var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    public var kind: String { object["kind"]?.stringValue ?? "" }
    public var labels: [String: String] { JSONValue.stringMap(field("labels")) }
    public var annotations: [String: String] { JSONValue.stringMap(field("annotations")) }
    public var finalizers: [String] { field("finalizers")?.arrayValue?.compactMap(\.stringValue) ?? [] }
    public var ownerReferences: [OwnerReference] { field("ownerReferences")?.arrayValue?.compactMap(OwnerReference.init(json:)) ?? [] }

    /// `namespace/name`, as work queues and caches key objects.
    public var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    /// The owner reference marked `controller: true`, if any.
    public var controllerReference: OwnerReference? { ownerReferences.first { $0.controller == true } }

    /// The controlling owner when it is of `resource`'s group and kind (any version), as
    /// controller-runtime matches owners.
    public func controller(_ resource: GroupVersionResource) -> OwnerReference? {
        controllerReference.flatMap { $0.refers(to: resource) ? $0 : nil }
    }
}

extension JSONValue {
    /// The object's metadata, typed.
    public var meta: ObjectMetadata { ObjectMetadata(self) }

    /// A JSON object of strings (labels, annotations, a selector) as a dictionary; other values are skipped.
    public static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let fields = value?.objectValue else { return [:] }
        var result: [String: String] = [:]
        result.reserveCapacity(fields.count)
        for (key, value) in fields {
            if let text = value.stringValue { result[key] = text }
        }
        return result
    }
}

extension OwnerReference {
    /// The one builder of a controller reference: `owner` controls the object and blocks its
    /// foreground deletion until the object is gone (`SetControllerReference`).
    public static func controller(apiVersion: String, kind: String, name: String, uid: String) -> OwnerReference {
        OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: true, blockOwnerDeletion: true)
    }

    /// As written in `metadata.ownerReferences`.
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { fields["controller"] = .bool(controller) }
        if let blockOwnerDeletion { fields["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .object(fields)
    }
}

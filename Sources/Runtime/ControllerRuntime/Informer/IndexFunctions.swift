import KubeModels

/// Computes the index values of an object (an object may appear under several values).
public typealias IndexFunction = @Sendable (JSONValue) -> [String]

/// Ready-made secondary indexes.
public enum IndexFunctions {
    /// Index name conventionally used with `ownerUID`.
    public static let ownerUIDIndexName = "owner-uid"

    /// The UIDs of every owner in `metadata.ownerReferences`.
    public static let ownerUID: IndexFunction = { object in object.meta.ownerReferences.map(\.uid) }

    /// The UID of the controlling owner only (`controller: true`).
    public static let controllerUID: IndexFunction = { object in
        object.meta.controllerReference.map { [$0.uid] } ?? []
    }

    /// The value of one label, e.g. `label("app")` indexes objects by their `app` label.
    public static func label(_ key: String) -> IndexFunction {
        { object in object.meta.labels[key].map { [$0] } ?? [] }
    }

    static let namespaceIndexName = "__namespace"
    static let namespace: IndexFunction = { object in
        [object.meta.namespace]
    }
}

import KubeModels

/// Read access to the `metadata` and a few well-known fields of an object held as JSON. The
/// cluster controllers keep every object as `JSONValue` so that no field they do not own is lost
/// when they write it back.
struct MetaView {
    let object: JSONValue

    init(_ object: JSONValue) { self.object = object }

    var name: String { object[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String { object[path: "metadata", "namespace"]?.stringValue ?? "" }
    var uid: String { object[path: "metadata", "uid"]?.stringValue ?? "" }
    var resourceVersion: UInt64 { UInt64(object[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0 }
    var generation: Int64 { object[path: "metadata", "generation"]?.intValue ?? 0 }
    var creationTimestamp: String { object[path: "metadata", "creationTimestamp"]?.stringValue ?? "" }
    var isDeleting: Bool { object[path: "metadata", "deletionTimestamp"]?.stringValue != nil }
    var deletionGracePeriodSeconds: Int64? { object[path: "metadata", "deletionGracePeriodSeconds"]?.intValue }
    var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    var kind: String { object["kind"]?.stringValue ?? "" }

    var labels: [String: String] { Self.stringMap(object[path: "metadata", "labels"]) }

    var finalizers: [String] { object[path: "metadata", "finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    var ownerReferences: [OwnerRef] {
        object[path: "metadata", "ownerReferences"]?.arrayValue?.compactMap(OwnerRef.init(json:)) ?? []
    }

    /// The owner reference with `controller: true`, as the ReplicaSet controller uses it.
    var controllerRef: OwnerRef? { ownerReferences.first { $0.controller } }

    var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }

    static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let fields = value?.objectValue else { return [:] }
        var result: [String: String] = [:]
        result.reserveCapacity(fields.count)
        for (key, value) in fields {
            if let text = value.stringValue { result[key] = text }
        }
        return result
    }
}

/// `namespace/name`, the identity controllers queue work by.
struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    var namespace: String
    var name: String
    var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// A `metadata.ownerReferences` entry.
struct OwnerRef: Hashable, Sendable {
    var apiVersion: String
    var kind: String
    var name: String
    var uid: String
    var controller: Bool
    var blockOwnerDeletion: Bool

    init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool, blockOwnerDeletion: Bool) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    init?(json: JSONValue) {
        guard let uid = json["uid"]?.stringValue, let kind = json["kind"]?.stringValue else { return nil }
        self.uid = uid
        self.kind = kind
        self.apiVersion = json["apiVersion"]?.stringValue ?? ""
        self.name = json["name"]?.stringValue ?? ""
        self.controller = json["controller"]?.boolValue ?? false
        self.blockOwnerDeletion = json["blockOwnerDeletion"]?.boolValue ?? false
    }

    var json: JSONValue {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
            "controller": .bool(controller), "blockOwnerDeletion": .bool(blockOwnerDeletion),
        ]
    }
}

extension JSONValue {
    /// `.array(items)`, or nil (the field left out) when empty. Beware `condition ? nil : value`
    /// with `JSONValue`: its `nil` literal becomes JSON `null` there, not an absent field.
    static func arrayOrAbsent(_ items: [JSONValue]) -> JSONValue? {
        if items.isEmpty { return Optional.none }
        return .some(.array(items))
    }

    /// Sets `value` at a path of object keys, creating intermediate objects as needed.
    mutating func setValue(_ value: JSONValue?, atPath keys: [String]) {
        guard let first = keys.first else { return }
        if keys.count == 1 {
            self[first] = value
            return
        }
        if case .object = self {} else { self = .object([:]) }
        var child = self[first] ?? .object([:])
        if case .object = child {} else { child = .object([:]) }
        child.setValue(value, atPath: Array(keys.dropFirst()))
        self[first] = child
    }
}

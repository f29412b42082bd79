import Foundation
import KubeModels

/// How a delete ended: gone now, or marked with `deletionTimestamp` while finalizers (or a
/// grace period) hold it.
public enum DeleteOutcome: Sendable {
    case deleted(JSONValue)
    case pending(JSONValue)

    public var object: JSONValue {
        switch self {
        case .deleted(let object), .pending(let object): return object
        }
    }
}

public struct StoreDeleteOptions: Sendable {
    public enum Propagation: String, Sendable { case orphan = "Orphan", background = "Background", foreground = "Foreground" }
    public var propagationPolicy: Propagation?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int?

    public init(
        propagationPolicy: Propagation? = nil, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
        gracePeriodSeconds: Int? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}

extension ObjectStore {
    /// Validation and defaulting applied to the final object of a write, inside the store's
    /// critical section (so it sees exactly what will be committed), given the stored object on
    /// an update (nil on a create). Must not call the store.
    public typealias Admission = (_ object: JSONValue, _ old: JSONValue?) throws(StatusError) -> JSONValue

    // MARK: Create

    /// Stores a new object: assigns name (from `generateName`), uid, creationTimestamp,
    /// resourceVersion and generation; 409 AlreadyExists if the name is taken.
    @discardableResult
    public func create(_ gvr: GroupVersionResource, namespace: String?, object: JSONValue, admit: Admission? = nil)
        throws(StatusError) -> JSONValue
    {
        guard case .object = object else { throw .badRequest("the body of the request was not a JSON object") }
        var object = object
        let namespace = try Self.resolveNamespace(gvr, requested: namespace, object: object)
        let key = ResourceKey(gvr)
        let explicitName = object.meta("name").flatMap { $0.isEmpty ? nil : $0 }
        let generateName = object.meta("generateName").flatMap { $0.isEmpty ? nil : $0 }
        if explicitName == nil && generateName == nil {
            throw .invalid(
                kind: gvr.kind, group: gvr.group, name: "",
                causes: [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        let now = Clock.timestamp()
        let uid = UUID().uuidString.lowercased()
        return try state.withLock { state throws(StatusError) -> JSONValue in
            var name = explicitName ?? ""
            if explicitName == nil {
                repeat { name = (generateName ?? "") + NameGenerator.suffix() } while
                    state.objects[key]?[Self.objectKey(gvr, namespace, name)] != nil
            }
            let objectKey = Self.objectKey(gvr, namespace, name)
            if state.objects[key]?[objectKey] != nil { throw .alreadyExists(gvr, name: name) }
            let resourceVersion = state.resourceVersion + 1
            let info = state.resources[key]
            object["apiVersion"] = .string(gvr.apiVersion)
            object["kind"] = .string(gvr.kind)
            object.setMeta("name", .string(name))
            object.setMeta("namespace", namespace.map { .string($0) })
            object.setMeta("uid", .string(uid))
            object.setMeta("creationTimestamp", .string(now))
            object.setMeta("resourceVersion", .string(String(resourceVersion)))
            object.setMeta("generation", (info?.tracksGeneration ?? true) ? .int(1) : nil)
            object.setMeta("deletionTimestamp", nil)
            object.setMeta("deletionGracePeriodSeconds", nil)
            if let admit { object = try admit(object, nil) }
            state.resourceVersion = resourceVersion
            state.objects[key, default: [:]][objectKey] = object
            Self.publish(
                StoreEvent(
                    type: .added, key: key, namespace: namespace, name: name, object: object, oldObject: nil,
                    resourceVersion: state.resourceVersion), in: &state)
            return object
        }
    }

    // MARK: Update

    /// Replaces an object (PUT). A non-empty `metadata.resourceVersion` must match the stored one
    /// (409 otherwise). With `subresource: "status"` only `status` is taken from `object`; without
    /// it, a resource with a status subresource keeps its stored status. Generation is bumped when
    /// anything but metadata and status changed. An update that changes nothing commits nothing.
    @discardableResult
    public func update(
        _ gvr: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String? = nil, admit: Admission? = nil
    ) throws(StatusError) -> JSONValue {
        guard case .object = object else { throw .badRequest("the body of the request was not a JSON object") }
        guard let name = object.meta("name"), !name.isEmpty else {
            throw .invalid(
                kind: gvr.kind, group: gvr.group, name: "",
                causes: [.init(reason: "FieldValueRequired", message: "Required value: name is required", field: "metadata.name")])
        }
        let namespace = try Self.resolveNamespace(gvr, requested: namespace, object: object)
        return try state.withLock { state throws(StatusError) -> JSONValue in
            try Self.commitUpdate(gvr, namespace: namespace, name: name, subresource: subresource, admit: admit, in: &state) {
                old throws(StatusError) in
                if let expected = object.meta("resourceVersion"), !expected.isEmpty, expected != old.meta("resourceVersion") {
                    throw .staleResourceVersion(gvr, name: name)
                }
                if let uid = object.meta("uid"), !uid.isEmpty, uid != old.meta("uid") {
                    throw .conflict(
                        gvr, name: name, detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.meta("uid") ?? "")")
                }
                return object
            }
        }
    }

    /// Updates the status subresource only.
    @discardableResult
    public func updateStatus(_ gvr: GroupVersionResource, namespace: String?, object: JSONValue) throws(StatusError) -> JSONValue {
        try update(gvr, namespace: namespace, object: object, subresource: "status")
    }

    /// Read-modify-write without a conflict window: `body` gets the stored object and returns the
    /// new one, under the store's lock. `body` must not call back into the store.
    @discardableResult
    public func mutate(
        _ gvr: GroupVersionResource, namespace: String?, name: String, subresource: String? = nil, admit: Admission? = nil,
        _ body: (JSONValue) throws(StatusError) -> JSONValue
    ) throws(StatusError) -> JSONValue {
        let namespace = gvr.namespaced ? namespace : nil
        return try state.withLock { state throws(StatusError) -> JSONValue in
            try Self.commitUpdate(gvr, namespace: namespace, name: name, subresource: subresource, admit: admit, in: &state, body)
        }
    }

    static func commitUpdate(
        _ gvr: GroupVersionResource, namespace: String?, name: String, subresource: String?, admit: Admission?, in state: inout State,
        _ produce: (JSONValue) throws(StatusError) -> JSONValue
    ) throws(StatusError) -> JSONValue {
        let key = ResourceKey(gvr)
        let objectKey = objectKey(gvr, namespace, name)
        guard let old = state.objects[key]?[objectKey] else { throw .notFound(gvr, name: name) }
        let proposed = try produce(old)
        let info = state.resources[key]
        let hasStatus = info?.hasStatus ?? false
        var new: JSONValue
        if subresource == "status" {
            new = old
            new["status"] = proposed["status"]
        } else {
            new = proposed
            if hasStatus { new["status"] = old["status"] }
            // Identity and server-owned metadata never come from the client.
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                new.setMeta(field, old["metadata"]?[field])
            }
            new.setMeta("name", .string(name))
            new.setMeta("namespace", namespace.map { .string($0) })
        }
        new["apiVersion"] = old["apiVersion"]
        new["kind"] = old["kind"]
        new.setMeta("resourceVersion", old["metadata"]?["resourceVersion"])
        if let admit { new = try admit(new, old) }
        if new == old { return old }
        if info?.tracksGeneration ?? true, subresource == nil {
            let ignored: Set<String> = hasStatus ? ["metadata", "status", "apiVersion", "kind"] : ["metadata", "apiVersion", "kind"]
            if new.removingFields(ignored) != old.removingFields(ignored) {
                new.setMeta("generation", .int((old["metadata"]?["generation"]?.intValue ?? 0) + 1))
            }
        }
        state.resourceVersion += 1
        new.setMeta("resourceVersion", .string(String(state.resourceVersion)))
        // The last finalizer removed from an object being deleted completes the deletion.
        let graceRemaining = state.gracefulDeletion.contains(key) && (old["metadata"]?["deletionGracePeriodSeconds"]?.intValue ?? 0) > 0
        if old.meta("deletionTimestamp") != nil, new.finalizers.isEmpty, !graceRemaining {
            state.objects[key]?[objectKey] = nil
            publish(
                StoreEvent(
                    type: .deleted, key: key, namespace: namespace, name: name, object: new, oldObject: old,
                    resourceVersion: state.resourceVersion), in: &state)
            return new
        }
        state.objects[key]?[objectKey] = new
        publish(
            StoreEvent(
                type: .modified, key: key, namespace: namespace, name: name, object: new, oldObject: old,
                resourceVersion: state.resourceVersion), in: &state)
        return new
    }

    // MARK: Delete

    /// Deletes an object, honouring preconditions, finalizers, graceful deletion and (when a
    /// garbage collector runs) foreground / orphan propagation. Deleting a namespace deletes
    /// everything in it.
    @discardableResult
    public func delete(
        _ gvr: GroupVersionResource, namespace: String?, name: String, options: StoreDeleteOptions = StoreDeleteOptions()
    ) throws(StatusError) -> DeleteOutcome {
        let namespace = gvr.namespaced ? namespace : nil
        let key = ResourceKey(gvr)
        let objectKey = Self.objectKey(gvr, namespace, name)
        let now = Date()
        let outcome = try state.withLock { state throws(StatusError) -> DeleteOutcome in
            guard var object = state.objects[key]?[objectKey] else { throw .notFound(gvr, name: name) }
            if let uid = options.preconditionUID, uid != object.meta("uid") {
                throw .conflict(
                    gvr, name: name, detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.meta("uid") ?? "")")
            }
            if let version = options.preconditionResourceVersion, version != object.meta("resourceVersion") {
                throw .conflict(
                    gvr, name: name,
                    detail: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(object.meta("resourceVersion") ?? "")")
            }
            var finalizers = object.finalizers
            if state.propagationFinalizers, object.meta("deletionTimestamp") == nil {
                switch options.propagationPolicy {
                case .foreground where !finalizers.contains("foregroundDeletion"): finalizers.append("foregroundDeletion")
                case .orphan where !finalizers.contains("orphan"): finalizers.append("orphan")
                default: break
                }
            }
            let graceful = state.gracefulDeletion.contains(key) && options.gracePeriodSeconds != 0
            let old = object
            if !finalizers.isEmpty || graceful {
                if object.meta("deletionTimestamp") != nil && finalizers == object.finalizers {
                    return .pending(object)
                }
                var grace = 0
                if graceful {
                    grace = options.gracePeriodSeconds
                        ?? object["spec"]?["terminationGracePeriodSeconds"]?.intValue.map { Int($0) } ?? 30
                }
                object.setMeta("finalizers", .arrayOrAbsent(finalizers.map { .string($0) }))
                object.setMeta("deletionTimestamp", .string(Clock.timestamp(now.addingTimeInterval(Double(grace)))))
                object.setMeta("deletionGracePeriodSeconds", .int(Int64(grace)))
                state.resourceVersion += 1
                object.setMeta("resourceVersion", .string(String(state.resourceVersion)))
                state.objects[key]?[objectKey] = object
                Self.publish(
                    StoreEvent(
                        type: .modified, key: key, namespace: namespace, name: name, object: object, oldObject: old,
                        resourceVersion: state.resourceVersion), in: &state)
                return .pending(object)
            }
            let removed = Self.remove(key, objectKey, namespace: namespace, name: name, in: &state) ?? object
            if gvr == .namespaces {
                for (otherKey, objects) in state.objects {
                    for (childKey, child) in objects where child.meta("namespace") == name {
                        _ = Self.remove(otherKey, childKey, namespace: name, name: child.meta("name") ?? "", in: &state)
                    }
                }
            }
            return .deleted(removed)
        }
        return outcome
    }

    /// Removes every object in one namespace of a resource matching a filter (deletecollection).
    @discardableResult
    public func deleteCollection(
        _ gvr: GroupVersionResource, namespace: String?, filter: (@Sendable (JSONValue) -> Bool)? = nil
    ) -> [JSONValue] {
        let items = list(gvr, namespace: namespace, filter: filter).items
        var deleted: [JSONValue] = []
        for item in items {
            if let outcome = try? delete(gvr, namespace: item.meta("namespace"), name: item.meta("name") ?? "") {
                deleted.append(outcome.object)
            }
        }
        return deleted
    }

    private static func remove(_ key: ResourceKey, _ objectKey: String, namespace: String?, name: String, in state: inout State)
        -> JSONValue?
    {
        guard var object = state.objects[key]?.removeValue(forKey: objectKey) else { return nil }
        let old = object
        state.resourceVersion += 1
        object.setMeta("resourceVersion", .string(String(state.resourceVersion)))
        publish(
            StoreEvent(
                type: .deleted, key: key, namespace: namespace, name: name, object: object, oldObject: old,
                resourceVersion: state.resourceVersion), in: &state)
        return object
    }

    static func resolveNamespace(_ gvr: GroupVersionResource, requested: String?, object: JSONValue) throws(StatusError) -> String? {
        guard gvr.namespaced else { return nil }
        let declared = object.meta("namespace").flatMap { $0.isEmpty ? nil : $0 }
        if let requested, let declared, requested != declared {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        guard let namespace = requested ?? declared else {
            throw .badRequest("a namespace is required for \(gvr.resource)")
        }
        return namespace
    }
}

import KubeModels

extension KubernetesClient {
    /// Namespaced single-object calls without a namespace use the configured one.
    func scope(_ resource: GroupVersionResource, _ namespace: String?, object: JSONValue? = nil) -> String? {
        guard resource.namespaced else { return nil }
        return namespace ?? object?[path: "metadata", "namespace"]?.stringValue ?? configuration.namespace
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        let path = ResourcePath.path(resource, namespace: scope(resource, namespace), name: name, subresource: subresource)
        return try await executeJSON(HTTPRequest(method: "GET", path: path))
    }

    public func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        let query = ResourcePath.query([
            ("labelSelector", options.labelSelector), ("fieldSelector", options.fieldSelector),
            ("limit", options.limit.map(String.init)), ("continue", options.continueToken),
            ("resourceVersion", options.resourceVersion), ("resourceVersionMatch", options.resourceVersionMatch),
            ("timeoutSeconds", options.timeoutSeconds.map(String.init)),
        ])
        let path = ResourcePath.path(resource, namespace: namespace) + query
        let value = try await executeJSON(HTTPRequest(method: "GET", path: path))
        return try Self.objectList(from: value, resource: resource)
    }

    /// List items arrive without kind/apiVersion; they are filled in so every object is self-describing.
    static func objectList(from value: JSONValue, resource: GroupVersionResource) throws -> ObjectList {
        guard case .object(var fields) = value, case .array(var items)? = fields.removeValue(forKey: "items") ?? .array([]) else {
            throw KubernetesError.transport("list of \(resource) is not a List object")
        }
        let kind = fields["kind"]?.stringValue.map { $0.hasSuffix("List") ? String($0.dropLast(4)) : $0 } ?? resource.kind
        let apiVersion = fields["apiVersion"]?.stringValue ?? resource.apiVersion
        for index in items.indices {
            guard case .object(var item) = items[index], item["kind"] == nil || item["apiVersion"] == nil else { continue }
            items[index] = .null
            if item["kind"] == nil { item["kind"] = .string(kind) }
            if item["apiVersion"] == nil { item["apiVersion"] = .string(apiVersion) }
            items[index] = .object(item)
        }
        let metadata = fields["metadata"]
        let continueToken = metadata?["continue"]?.stringValue
        return ObjectList(
            items: items, resourceVersion: metadata?["resourceVersion"]?.stringValue ?? "",
            continueToken: continueToken?.isEmpty == true ? nil : continueToken,
            remainingItemCount: metadata?["remainingItemCount"]?.intValue)
    }

    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        let ns = scope(resource, namespace, object: object)
        var name: String?
        if subresource != nil {
            guard let objectName = object[path: "metadata", "name"]?.stringValue else {
                throw KubernetesError.invalidRequest("create \(resource)/\(subresource ?? ""): object has no metadata.name")
            }
            name = objectName
        }
        let path = ResourcePath.path(resource, namespace: ns, name: name, subresource: subresource)
        return try await executeJSON(HTTPRequest(method: "POST", path: path, contentType: "application/json", body: object.serialized()))
    }

    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        guard let name = object[path: "metadata", "name"]?.stringValue, !name.isEmpty else {
            throw KubernetesError.invalidRequest("update \(resource): object has no metadata.name")
        }
        let path = ResourcePath.path(resource, namespace: scope(resource, namespace, object: object), name: name, subresource: subresource)
        return try await executeJSON(HTTPRequest(method: "PUT", path: path, contentType: "application/json", body: object.serialized()))
    }

    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        var path = ResourcePath.path(resource, namespace: scope(resource, namespace), name: name, subresource: subresource)
        let contentType: String
        let body: JSONValue
        switch patch {
        case .merge(let value):
            contentType = "application/merge-patch+json"
            body = value
        case .json(let operations):
            guard case .array = operations else {
                throw KubernetesError.invalidRequest("JSON patch of \(resource)/\(name) must be an array of operations")
            }
            contentType = "application/json-patch+json"
            body = operations
        case .strategicMerge(let value):
            contentType = "application/strategic-merge-patch+json"
            body = value
        case .apply(let value, let fieldManager, let force):
            guard !fieldManager.isEmpty else { throw KubernetesError.invalidRequest("server-side apply of \(resource)/\(name) needs a fieldManager") }
            contentType = "application/apply-patch+yaml"
            body = value
            path += ResourcePath.query([("fieldManager", fieldManager), ("force", force ? "true" : nil)])
        }
        return try await executeJSON(HTTPRequest(method: "PATCH", path: path, contentType: contentType, body: body.serialized()))
    }

    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        var body: [String: JSONValue] = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let policy = options.propagationPolicy { body["propagationPolicy"] = .string(policy.rawValue) }
        if let grace = options.gracePeriodSeconds { body["gracePeriodSeconds"] = .int(Int64(grace)) }
        var preconditions: [String: JSONValue] = [:]
        if let uid = options.preconditionUID { preconditions["uid"] = .string(uid) }
        if let version = options.preconditionResourceVersion { preconditions["resourceVersion"] = .string(version) }
        if !preconditions.isEmpty { body["preconditions"] = .object(preconditions) }
        let path = ResourcePath.path(resource, namespace: scope(resource, namespace), name: name)
        _ = try await executeJSON(HTTPRequest(method: "DELETE", path: path, contentType: "application/json", body: JSONValue.object(body).serialized()))
    }
}

import KubeModels

extension KubernetesAPI {
    /// Gets an object and decodes it as `type`.
    public func get<T: Decodable>(_ resource: GroupVersionResource, namespace: String?, name: String, as type: T.Type) async throws -> T {
        try await get(resource, namespace: namespace, name: name, subresource: nil).decode(type)
    }

    public func get<T: KubernetesResource>(_ type: T.Type, namespace: String?, name: String) async throws -> T {
        try await get(T.resource, namespace: namespace, name: name, subresource: nil).decode(type)
    }

    public func list<T: KubernetesResource>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) async throws -> [T] {
        try await list(T.resource, namespace: namespace, options: options).items.map { try $0.decode(type) }
    }

    /// Every page of a list (`limit`/`continue`), concatenated; the resourceVersion is the last page's.
    public func listAll(_ resource: GroupVersionResource, namespace: String?, options: ListOptions = ListOptions(), pageSize: Int = 500) async throws -> ObjectList {
        var options = options
        options.limit = pageSize
        var items: [JSONValue] = []
        while true {
            let page = try await list(resource, namespace: namespace, options: options)
            items.append(contentsOf: page.items)
            guard let next = page.continueToken else { return ObjectList(items: items, resourceVersion: page.resourceVersion) }
            options.continueToken = next
        }
    }

    /// Creates a typed object.
    public func create<T: KubernetesResource>(_ object: T, namespace: String? = nil) async throws -> T {
        try await create(T.resource, namespace: namespace ?? object.metadata.namespace, object: try JSONValue(encoding: object), subresource: nil).decode(T.self)
    }
}

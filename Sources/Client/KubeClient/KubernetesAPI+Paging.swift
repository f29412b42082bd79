import KubeModels

extension KubernetesAPI {
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
}

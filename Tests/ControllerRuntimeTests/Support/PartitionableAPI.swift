import KubeClient
import KubeModels
import Synchronization

/// Wraps an API so one instance can be cut off from the server (every call fails) while others
/// keep talking to it.
final class PartitionableAPI: KubernetesAPI {
    let base: any KubernetesAPI
    private let cut = Mutex(false)

    init(_ base: any KubernetesAPI) { self.base = base }

    func setPartitioned(_ partitioned: Bool) { cut.withLock { $0 = partitioned } }

    private func check() throws {
        if cut.withLock({ $0 }) { throw KubernetesError.transport("partitioned (test)") }
    }

    func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        try check()
        return try await base.get(resource, namespace: namespace, name: name, subresource: subresource)
    }
    func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try check()
        return try await base.list(resource, namespace: namespace, options: options)
    }
    func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        if cut.withLock({ $0 }) {
            return WatchStream { $0.finish(throwing: KubernetesError.transport("partitioned (test)")) }
        }
        return base.watch(resource, namespace: namespace, options: options)
    }
    func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try check()
        return try await base.create(resource, namespace: namespace, object: object, subresource: subresource)
    }
    func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try check()
        return try await base.update(resource, namespace: namespace, object: object, subresource: subresource)
    }
    func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        try check()
        return try await base.patch(resource, namespace: namespace, name: name, patch: patch, subresource: subresource)
    }
    func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        try check()
        try await base.delete(resource, namespace: namespace, name: name, options: options)
    }
}

import KubeClient
import KubeModels
import Synchronization

/// Client-side QPS / burst limit in front of any `KubernetesAPI` (client-go's `flowcontrol`).
/// A watch costs one token when opened; its events are free.
public final class ThrottledKubernetesAPI: KubernetesAPI {
    public let base: any KubernetesAPI
    private let bucket: Mutex<TokenBucket>

    public init(_ base: any KubernetesAPI, qps: Double, burst: Int) {
        self.base = base
        self.bucket = Mutex(TokenBucket(rate: qps, burst: burst))
    }

    private func admit() async throws {
        let wait = bucket.withLock { $0.reserve() }
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        try await admit()
        return try await base.get(resource, namespace: namespace, name: name, subresource: subresource)
    }

    public func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try await admit()
        return try await base.list(resource, namespace: namespace, options: options)
    }

    public func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        let base = self.base
        return WatchStream { continuation in
            let task = Task {
                do {
                    try await self.admit()
                    for try await event in base.watch(resource, namespace: namespace, options: options) { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await admit()
        return try await base.create(resource, namespace: namespace, object: object, subresource: subresource)
    }

    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await admit()
        return try await base.update(resource, namespace: namespace, object: object, subresource: subresource)
    }

    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        try await admit()
        return try await base.patch(resource, namespace: namespace, name: name, patch: patch, subresource: subresource)
    }

    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await admit()
        try await base.delete(resource, namespace: namespace, name: name, options: options)
    }
}

import KubeClient
import KubeModels

/// Wraps any `KubernetesAPI` to count requests by verb / resource / status code and time them.
/// Labels carry the resource type only, never the object's name or namespace.
public struct InstrumentedKubernetesAPI: KubernetesAPI {
    public let base: any KubernetesAPI
    public let metrics: RuntimeMetrics

    public init(_ base: any KubernetesAPI, metrics: RuntimeMetrics) {
        self.base = base
        self.metrics = metrics
    }

    private func measure<T>(_ verb: String, _ resource: GroupVersionResource, success: String = "200", _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            metrics.apiRequest(verb: verb, resource: resource.resource, code: success, duration: .now - start)
            return value
        } catch {
            metrics.apiRequest(verb: verb, resource: resource.resource, code: Self.code(of: error), duration: .now - start)
            throw error
        }
    }

    static func code(of error: any Error) -> String {
        if let error = error as? KubernetesError {
            switch error {
            case .api(let status): return String(status.code)
            case .transport: return "transport_error"
            case .invalidRequest: return "invalid_request"
            }
        }
        if error is CancellationError { return "cancelled" }
        return "error"
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        try await measure("GET", resource) { try await base.get(resource, namespace: namespace, name: name, subresource: subresource) }
    }

    public func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try await measure("LIST", resource) { try await base.list(resource, namespace: namespace, options: options) }
    }

    /// Counted when the watch ends, with the code of how it ended; no latency is recorded.
    public func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        let upstream = base.watch(resource, namespace: namespace, options: options)
        let metrics = self.metrics
        return WatchStream { continuation in
            let task = Task {
                do {
                    for try await event in upstream { continuation.yield(event) }
                    metrics.apiRequest(verb: "WATCH", resource: resource.resource, code: "200", duration: nil)
                    continuation.finish()
                } catch {
                    metrics.apiRequest(verb: "WATCH", resource: resource.resource, code: Self.code(of: error), duration: nil)
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await measure("POST", resource, success: "201") { try await base.create(resource, namespace: namespace, object: object, subresource: subresource) }
    }

    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await measure("PUT", resource) { try await base.update(resource, namespace: namespace, object: object, subresource: subresource) }
    }

    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        try await measure("PATCH", resource) { try await base.patch(resource, namespace: namespace, name: name, patch: patch, subresource: subresource) }
    }

    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await measure("DELETE", resource) { try await base.delete(resource, namespace: namespace, name: name, options: options) }
    }
}

import KubeClient
import KubeModels

/// Wraps any `KubernetesAPI` to count requests by status code, HTTP method and host and to time
/// them, as client-go's `rest_client_*` metrics do. Labels carry neither the resource nor the
/// object: client-go's say which server, not which object.
public struct InstrumentedKubernetesAPI: KubernetesAPI {
    public let base: any KubernetesAPI
    public let metrics: RuntimeMetrics
    /// The API server as `host[:port]` (client-go's `url.Host`); empty for an API that is not a
    /// server, such as a test fake.
    public let host: String

    public init(_ base: any KubernetesAPI, metrics: RuntimeMetrics, host: String? = nil) {
        self.base = base
        self.metrics = metrics
        self.host = host ?? (base as? KubernetesClient).map { Self.host(of: $0.configuration.server) } ?? ""
    }

    public var requestBacklog: Duration { base.requestBacklog }

    /// `https://10.0.0.1:6443/prefix` → `10.0.0.1:6443`.
    static func host(of server: String) -> String {
        let afterScheme = server.range(of: "://").map { server[$0.upperBound...] } ?? server[...]
        return String(afterScheme.prefix { $0 != "/" })
    }

    private func measure<T>(_ method: String, success: String = "200", _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            metrics.apiRequest(method: method, code: success, host: host, duration: .now - start)
            return value
        } catch {
            metrics.apiRequest(method: method, code: Self.code(of: error), host: host, duration: .now - start)
            throw error
        }
    }

    /// The HTTP status, or client-go's `<error>` for a request that got no answer.
    static func code(of error: any Error) -> String {
        if case .api(let status)? = error as? KubernetesError { return String(status.code) }
        return "<error>"
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        try await measure("GET") { try await base.get(resource, namespace: namespace, name: name, subresource: subresource) }
    }

    public func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try await measure("GET") { try await base.list(resource, namespace: namespace, options: options) }
    }

    /// Counted (as a GET) when the watch ends, with the code of how it ended; no latency is
    /// recorded, since a watch's lifetime is not one.
    public func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        let relay = WatchRelay(base.watch(resource, namespace: namespace, options: options))
        let metrics = self.metrics
        let host = self.host
        // Pulled one event at a time, so a slow consumer holds the client's watch back instead of
        // piling events up here.
        return WatchStream {
            do {
                if let event = try await relay.next() { return event }
                metrics.apiRequest(method: "GET", code: "200", host: host, duration: nil)
                return nil
            } catch {
                metrics.apiRequest(method: "GET", code: Self.code(of: error), host: host, duration: nil)
                throw error
            }
        }
    }

    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await measure("POST", success: "201") { try await base.create(resource, namespace: namespace, object: object, subresource: subresource) }
    }

    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try await measure("PUT") { try await base.update(resource, namespace: namespace, object: object, subresource: subresource) }
    }

    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        try await measure("PATCH") { try await base.patch(resource, namespace: namespace, name: name, patch: patch, subresource: subresource) }
    }

    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await measure("DELETE") { try await base.delete(resource, namespace: namespace, name: name, options: options) }
    }
}

/// The upstream iterator of an instrumented watch. The stream calls `next` from one consumer at a
/// time, never concurrently, which is what makes `@unchecked Sendable` sound.
private final class WatchRelay: @unchecked Sendable {
    private var iterator: WatchStream.AsyncIterator

    init(_ upstream: WatchStream) { iterator = upstream.makeAsyncIterator() }

    func next() async throws -> WatchEvent? { try await iterator.next() }
}

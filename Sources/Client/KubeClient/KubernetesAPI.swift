import KubeModels

/// Everything above the transport talks to the API server through this protocol, so the runtime
/// and the controller can be tested against a fake and run against the curl client unchanged.
/// Objects travel as `JSONValue` so that no field we do not know is ever dropped; their metadata
/// is read through `ObjectMetadata` (`object.meta`).
public protocol KubernetesAPI: Sendable {
    func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue
    func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList
    /// A watch from `options.resourceVersion`. The stream ends when the server closes it (its
    /// timeout); it throws on transport errors; an `ERROR` event (e.g. 410 Gone) is yielded as
    /// `.error` with the decoded `Status`. Cancelling the consuming task aborts the transfer.
    func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream
    @discardableResult
    func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue
    /// PUT of the whole object; `metadata.resourceVersion` in `object` makes it a compare-and-swap (409 on mismatch).
    @discardableResult
    func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue
    @discardableResult
    func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue
    func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws
    /// How long a request sent now would wait for the client's own rate limit (zero when it
    /// would go at once), so writes that can wait (progress figures) yield to those that cannot.
    var requestBacklog: Duration { get }
}

extension KubernetesAPI {
    /// Without a client-side rate limit nothing waits.
    public var requestBacklog: Duration { .zero }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String) async throws -> JSONValue {
        try await get(resource, namespace: namespace, name: name, subresource: nil)
    }
    public func list(_ resource: GroupVersionResource, namespace: String?) async throws -> ObjectList {
        try await list(resource, namespace: namespace, options: ListOptions())
    }
    @discardableResult
    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await create(resource, namespace: namespace, object: object, subresource: nil)
    }
    @discardableResult
    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue) async throws -> JSONValue {
        try await update(resource, namespace: namespace, object: object, subresource: nil)
    }
    @discardableResult
    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch) async throws -> JSONValue {
        try await self.patch(resource, namespace: namespace, name: name, patch: patch, subresource: nil)
    }
    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String) async throws {
        try await delete(resource, namespace: namespace, name: name, options: DeleteOptions())
    }
}

public typealias WatchStream = AsyncThrowingStream<WatchEvent, any Error>

public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: String?
    public var timeoutSeconds: Int?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
    }
}

public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var resourceVersion: String?
    public var allowWatchBookmarks: Bool
    /// Asks the server to end the watch after this long; informers re-watch from the last version.
    public var timeoutSeconds: Int?
    public var sendInitialEvents: Bool?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil, sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.sendInitialEvents = sendInitialEvents
    }
}

public struct ObjectList: Sendable, Hashable {
    public var items: [JSONValue]
    public var resourceVersion: String
    public var continueToken: String?
    public var remainingItemCount: Int64?

    public init(items: [JSONValue], resourceVersion: String, continueToken: String? = nil, remainingItemCount: Int64? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }
}

public struct WatchEvent: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: EventType
    /// The object, or for `.bookmark` an object carrying only `metadata.resourceVersion`,
    /// or for `.error` a `Status`.
    public var object: JSONValue

    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }
}

public enum Patch: Sendable, Hashable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge(JSONValue)
    /// RFC 6902 JSON patch (`application/json-patch+json`), an array of operations.
    case json(JSONValue)
    /// Kubernetes strategic merge patch, built-in types only.
    case strategicMerge(JSONValue)
    /// Server-side apply (`application/apply-patch+yaml`, JSON is valid YAML).
    case apply(JSONValue, fieldManager: String, force: Bool)
}

public struct DeleteOptions: Sendable, Hashable {
    public enum PropagationPolicy: String, Sendable, Hashable {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"
    }

    public var propagationPolicy: PropagationPolicy?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int?

    public init(
        propagationPolicy: PropagationPolicy? = nil, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}

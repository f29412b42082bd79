import KubeClient
import KubeModels
import KubeSim
import Synchronization

/// An in-memory API server for unit tests: one global resourceVersion, an event log for watch
/// resumption with compaction (410 Gone), paged lists over a snapshot, merge and JSON patches,
/// optimistic concurrency on update, forced watch drops, a gate that holds new watches, resources
/// it does not serve (404, as for a CRD not installed), and a log of requests.
public final class FakeKubernetesAPI: KubernetesAPI {
    public init() {}

    /// One request as the fake received it.
    public struct RecordedRequest: Sendable, Hashable {
        /// GET, LIST, WATCH, POST, PUT, PATCH, DELETE.
        public var verb: String
        public var resource: String
        public var namespace: String?
        public var name: String?
        public var fieldSelector: String?
        /// The body of a PATCH.
        public var patch: Patch?
    }

    public struct LoggedEvent {
        var rv: Int64
        var collection: String
        var namespace: String?
        var type: WatchEvent.EventType
        var object: JSONValue
    }

    private struct Watcher {
        var collection: String
        var namespace: String?
        var continuation: WatchStream.Continuation
    }

    private struct State {
        var rv: Int64 = 100
        var objects: [String: [String: JSONValue]] = [:]      // collection → "ns/name" → object
        var log: [LoggedEvent] = []
        var compactedThrough: Int64 = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcher = 0
        var snapshots: [String: [JSONValue]] = [:]
        var nextToken = 0
        var requests: [String: Int] = [:]
        var requestLog: [RecordedRequest] = []
        var unserved: Set<String> = []
        var holdWatches = false
        var heldWatches: [CheckedContinuation<Void, Never>] = []
        var failing = false
        /// Per verb and resource, what the next requests meet: nil passes, an error fails.
        var injected: [String: [KubernetesError?]] = [:]
        var uid = 0
    }

    private let state = Mutex(State())

    // MARK: Test controls

    public var currentResourceVersion: String { state.withLock { String($0.rv) } }

    public func requestCounts() -> [String: Int] { state.withLock { $0.requests } }
    /// Every request received, in order.
    public func requestLog() -> [RecordedRequest] { state.withLock { $0.requestLog } }
    public var requestCount: Int { state.withLock { $0.requests.values.reduce(0, +) } }
    public var openWatches: Int { state.withLock { $0.watchers.count } }

    /// While unserved, every request for `resource` answers 404 NotFound, as an API server does for
    /// a resource whose CRD is not installed; serving it again is installing the CRD.
    public func setServed(_ resource: GroupVersionResource, _ served: Bool) {
        state.withLock { state in
            if served { state.unserved.remove(resource.resource) } else { state.unserved.insert(resource.resource) }
        }
    }

    /// Every request fails with a transport error while set (a network partition).
    public func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    /// The next `times` requests of `verb` (GET, LIST, POST, PATCH, PUT, DELETE) on `resource`
    /// (plus `/subresource` if given), after `after` that pass, fail with `error`, as a
    /// conflicting writer or a flaky server makes them.
    public func inject(
        _ error: KubernetesError, on verb: String, _ resource: GroupVersionResource, subresource: String? = nil, times: Int = 1, after: Int = 0
    ) {
        let key = Self.injectionKey(verb, resource, subresource)
        state.withLock {
            $0.injected[key, default: []].append(contentsOf: Array(repeating: nil, count: after) + Array(repeating: error, count: times))
        }
    }

    private static func injectionKey(_ verb: String, _ resource: GroupVersionResource, _ subresource: String?) -> String {
        "\(verb) \(resource.resource)" + (subresource.map { "/\($0)" } ?? "")
    }

    private func takeInjected(_ verb: String, _ resource: GroupVersionResource, _ subresource: String?) throws {
        let key = Self.injectionKey(verb, resource, subresource)
        let error = state.withLock { state -> KubernetesError? in
            guard var queue = state.injected[key], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.injected[key] = queue
            return first
        }
        if let error { throw error }
    }

    /// Ends every open watch, as a server restart or a proxy timeout would.
    public func dropWatches() {
        let watchers = state.withLock { state -> [Watcher] in
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.continuation.finish() }
    }

    /// New watches wait until released (lets a test mutate while the informer is disconnected).
    public func holdNewWatches() { state.withLock { $0.holdWatches = true } }

    public func releaseWatches() {
        let held = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.holdWatches = false
            defer { state.heldWatches.removeAll() }
            return state.heldWatches
        }
        for waiter in held { waiter.resume() }
    }

    /// Forgets all history: watches from any older version now get 410 Gone.
    public func compact() { state.withLock { $0.compactedThrough = $0.rv; $0.log.removeAll() } }

    /// Sends a bookmark with the current version to every open watch.
    public func sendBookmarks() {
        let (watchers, rv) = state.withLock { (Array($0.watchers.values), $0.rv) }
        for watcher in watchers {
            watcher.continuation.yield(WatchEvent(type: .bookmark, object: ["metadata": ["resourceVersion": .string(String(rv))]]))
        }
    }

    public func objects(_ resource: GroupVersionResource) -> [String: JSONValue] {
        state.withLock { $0.objects[resource.resource] ?? [:] }
    }

    // MARK: KubernetesAPI

    private func count(
        _ verb: String, _ resource: GroupVersionResource, namespace: String? = nil, name: String? = nil, fieldSelector: String? = nil,
        patch: Patch? = nil
    ) throws {
        let (failing, unserved) = state.withLock { state -> (Bool, Bool) in
            state.requests["\(verb) \(resource.resource)", default: 0] += 1
            state.requestLog.append(
                RecordedRequest(verb: verb, resource: resource.resource, namespace: namespace, name: name, fieldSelector: fieldSelector, patch: patch))
            return (state.failing, state.unserved.contains(resource.resource))
        }
        if failing { throw KubernetesError.transport("partitioned (test)") }
        // What kube-apiserver answers for a group or resource it does not serve.
        if unserved { throw KubernetesError.api(APIStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")) }
    }

    private static func key(_ namespace: String?, _ name: String) -> String {
        ObjectKeyString.make(namespace, name)
    }

    private static func notFound(_ resource: GroupVersionResource, _ name: String) -> KubernetesError {
        .api(APIStatus(code: 404, reason: "NotFound", message: "\(resource.resource) \"\(name)\" not found"))
    }

    public func get(_ resource: GroupVersionResource, namespace: String?, name: String, subresource: String?) async throws -> JSONValue {
        try count("GET", resource, namespace: namespace, name: name)
        guard let object = state.withLock({ $0.objects[resource.resource]?[Self.key(namespace, name)] }) else {
            throw Self.notFound(resource, name)
        }
        return object
    }

    public func list(_ resource: GroupVersionResource, namespace: String?, options: ListOptions) async throws -> ObjectList {
        try count("LIST", resource, namespace: namespace, fieldSelector: options.fieldSelector)
        try takeInjected("LIST", resource, nil)
        return try state.withLock { state in
            var items: [JSONValue]
            if let token = options.continueToken {
                guard let remaining = state.snapshots.removeValue(forKey: token) else {
                    throw KubernetesError.api(APIStatus(code: 410, reason: "Expired", message: "continue token expired"))
                }
                items = remaining
            } else {
                items = (state.objects[resource.resource] ?? [:])
                    .filter { namespace == nil || $0.value[path: "metadata", "namespace"]?.stringValue == namespace }
                    .sorted { $0.key < $1.key }.map(\.value)
            }
            let rv = String(state.rv)
            if let limit = options.limit, limit > 0, items.count > limit {
                state.nextToken += 1
                let token = "t\(state.nextToken)"
                state.snapshots[token] = Array(items[limit...])
                return ObjectList(items: Array(items[..<limit]), resourceVersion: rv, continueToken: token)
            }
            return ObjectList(items: items, resourceVersion: rv)
        }
    }

    public func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        let (stream, continuation) = WatchStream.makeStream()
        let collection = resource.resource
        let task = Task {
            do { try self.count("WATCH", resource, namespace: namespace, fieldSelector: options.fieldSelector) } catch {
                continuation.finish(throwing: error)
                return
            }
            await withCheckedContinuation { (gate: CheckedContinuation<Void, Never>) in
                let wait = state.withLock { state -> Bool in
                    if state.holdWatches { state.heldWatches.append(gate); return true }
                    return false
                }
                if !wait { gate.resume() }
            }
            if Task.isCancelled { return continuation.finish() }
            let from = options.resourceVersion.flatMap { Int64($0) }
            let backlog = state.withLock { state -> [WatchEvent]? in
                var backlog: [WatchEvent] = []
                if let from {
                    if from < state.compactedThrough { return nil }
                    for event in state.log where event.rv > from && event.collection == collection
                        && (namespace == nil || event.namespace == namespace) {
                        backlog.append(WatchEvent(type: event.type, object: event.object))
                    }
                } else {
                    for object in (state.objects[collection] ?? [:]).values
                    where namespace == nil || object[path: "metadata", "namespace"]?.stringValue == namespace {
                        backlog.append(WatchEvent(type: .added, object: object))
                    }
                }
                state.nextWatcher += 1
                state.watchers[state.nextWatcher] = Watcher(collection: collection, namespace: namespace, continuation: continuation)
                let id = state.nextWatcher
                continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) } }
                // Yield under the lock so live events cannot overtake the backlog.
                for event in backlog { continuation.yield(event) }
                return backlog
            }
            if backlog == nil {
                continuation.yield(WatchEvent(type: .error, object: [
                    "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 410, "reason": "Expired",
                    "message": "too old resource version",
                ]))
                continuation.finish()
            }
        }
        _ = task
        return stream
    }

    public func create(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try count("POST", resource, namespace: namespace)
        try takeInjected("POST", resource, subresource)
        guard let name = object[path: "metadata", "name"]?.stringValue else {
            throw KubernetesError.api(APIStatus(code: 422, reason: "Invalid", message: "metadata.name: Required value"))
        }
        return try state.withLock { state in
            let key = Self.key(namespace, name)
            if state.objects[resource.resource]?[key] != nil {
                throw KubernetesError.api(APIStatus(code: 409, reason: "AlreadyExists", message: "\(name) already exists"))
            }
            var stored = object
            state.uid += 1
            stored["metadata"]?["uid"] = .string("uid-\(state.uid)")
            if let namespace { stored["metadata"]?["namespace"] = .string(namespace) }
            return commit(&state, resource, namespace, key, stored, .added)
        }
    }

    public func update(_ resource: GroupVersionResource, namespace: String?, object: JSONValue, subresource: String?) async throws -> JSONValue {
        try count("PUT", resource, namespace: namespace)
        guard let name = object[path: "metadata", "name"]?.stringValue else {
            throw KubernetesError.api(APIStatus(code: 422, reason: "Invalid", message: "metadata.name: Required value"))
        }
        return try state.withLock { state in
            let key = Self.key(namespace, name)
            guard let existing = state.objects[resource.resource]?[key] else { throw Self.notFound(resource, name) }
            if let expected = object[path: "metadata", "resourceVersion"]?.stringValue,
                expected != existing[path: "metadata", "resourceVersion"]?.stringValue
            {
                throw KubernetesError.api(APIStatus(code: 409, reason: "Conflict", message: "the object has been modified"))
            }
            var stored = object
            stored["metadata"]?["uid"] = existing[path: "metadata", "uid"]
            return commit(&state, resource, namespace, key, stored, .modified)
        }
    }

    public func patch(_ resource: GroupVersionResource, namespace: String?, name: String, patch: Patch, subresource: String?) async throws -> JSONValue {
        try count("PATCH", resource, namespace: namespace, name: name, patch: patch)
        try takeInjected("PATCH", resource, subresource)
        return try state.withLock { state in
            let key = Self.key(namespace, name)
            guard let existing = state.objects[resource.resource]?[key] else { throw Self.notFound(resource, name) }
            switch patch {
            case .merge(let body):
                // A resourceVersion in the patch is a precondition, as on a real API server.
                if let expected = body[path: "metadata", "resourceVersion"]?.stringValue, expected != existing.meta.resourceVersion {
                    throw KubernetesError.api(APIStatus(code: 409, reason: "Conflict", message: "the object has been modified"))
                }
                return commit(&state, resource, namespace, key, Self.merge(existing, body), .modified)
            case .json(let operations):
                // kubesim's RFC 6902 implementation: a failed `test` is a 422, as on a real API server.
                let patched: JSONValue
                do throws(StatusError) {
                    patched = try JSONPatch.apply(operations, to: existing)
                } catch {
                    throw KubernetesError.api(APIStatus(code: error.code, reason: error.reason, message: error.message))
                }
                return commit(&state, resource, namespace, key, patched, .modified)
            case .strategicMerge, .apply:
                throw KubernetesError.api(APIStatus(code: 415, reason: "UnsupportedMediaType", message: "fake supports merge and JSON patches only"))
            }
        }
    }

    public func delete(_ resource: GroupVersionResource, namespace: String?, name: String, options: DeleteOptions) async throws {
        try count("DELETE", resource, namespace: namespace, name: name)
        try state.withLock { state in
            let key = Self.key(namespace, name)
            guard let existing = state.objects[resource.resource]?[key] else { throw Self.notFound(resource, name) }
            state.objects[resource.resource]?[key] = nil
            state.rv += 1
            var final = existing
            final["metadata"]?["resourceVersion"] = .string(String(state.rv))
            publish(&state, resource, namespace, .deleted, final)
        }
    }

    private func commit(_ state: inout State, _ resource: GroupVersionResource, _ namespace: String?, _ key: String, _ object: JSONValue, _ type: WatchEvent.EventType) -> JSONValue {
        state.rv += 1
        var stored = object
        stored["metadata"]?["resourceVersion"] = .string(String(state.rv))
        state.objects[resource.resource, default: [:]][key] = stored
        publish(&state, resource, namespace, type, stored)
        return stored
    }

    private func publish(_ state: inout State, _ resource: GroupVersionResource, _ namespace: String?, _ type: WatchEvent.EventType, _ object: JSONValue) {
        state.log.append(LoggedEvent(rv: state.rv, collection: resource.resource, namespace: namespace, type: type, object: object))
        for watcher in state.watchers.values where watcher.collection == resource.resource && (watcher.namespace == nil || watcher.namespace == namespace) {
            watcher.continuation.yield(WatchEvent(type: type, object: object))
        }
    }

    public static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchFields) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchFields {
            if value == .null { result[key] = nil } else { result[key] = merge(result[key] ?? .null, value) }
        }
        return .object(result)
    }
}

enum ObjectKeyString {
    public static func make(_ namespace: String?, _ name: String) -> String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }
}

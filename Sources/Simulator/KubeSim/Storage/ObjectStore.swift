import Foundation
import KubeModels
import Synchronization

/// Storage for every resource kubesim serves: objects as `JSONValue`, one global resourceVersion,
/// a bounded event window for watch resumption and live subscriptions for watches and
/// in-process controllers. All state sits behind one mutex so every mutation and its event are
/// committed atomically and observed in resourceVersion order.
public final class ObjectStore: Sendable {
    /// Who holds a subscription: HTTP watches can be dropped by fault injection, in-process
    /// controllers are never dropped.
    public enum SubscriberKind: Sendable { case watch, controller }

    struct Subscriber {
        var key: ResourceKey?
        var namespace: String?
        var kind: SubscriberKind
        var continuation: AsyncStream<StoreEvent>.Continuation
    }

    struct State {
        var objects: [ResourceKey: [String: JSONValue]] = [:]
        var resourceVersion: UInt64 = 1
        var window: EventWindow
        var subscribers: [Int: Subscriber] = [:]
        var nextSubscriberID = 0
        var resources: [ResourceKey: ResourceInfo] = BuiltinResources.byKey
        var gracefulDeletion: Set<ResourceKey> = []
        var propagationFinalizers = false
        var lastChange: [ResourceKey: UInt64] = [:]
        /// `label=value` → object keys, per resource, for the labels in `indexedLabels`.
        var labelIndex: [ResourceKey: [String: Set<String>]] = [:]
        /// Each resource's object keys in order, kept from one list to the next until a key is
        /// added or removed: paging through 30,000 pods sorted them all again for every page.
        var sortedKeys: [ResourceKey: [String]] = [:]
        /// Subscribers whose streams ended, to be removed at the next chance (see `register`).
        let ended = EndedSubscribers()
    }

    /// Ids of subscribers whose stream has terminated. It has a lock of its own, never held while
    /// taking another, so a stream's termination handler can record an id without the store lock.
    final class EndedSubscribers: Sendable {
        private let ids = Mutex<[Int]>([])
        func add(_ id: Int) { ids.withLock { $0.append(id) } }
        func drain() -> [Int] { ids.withLock { ids in defer { ids = [] }; return ids } }
    }

    let state: Mutex<State>

    public init(eventWindow: Int = 10_000) {
        state = Mutex(State(window: EventWindow(capacity: eventWindow)))
    }

    // MARK: Configuration

    /// Registers (or replaces) the semantics of a resource, e.g. when a CRD is created.
    public func register(_ info: ResourceInfo) {
        state.withLock { $0.resources[info.key] = info }
    }

    public func unregister(_ key: ResourceKey) {
        state.withLock { _ = $0.resources.removeValue(forKey: key) }
    }

    public func resourceInfo(_ key: ResourceKey) -> ResourceInfo? {
        state.withLock { $0.resources[key] }
    }

    /// Deletes of this resource with a non-zero grace period only set `deletionTimestamp`; the
    /// object goes away when someone deletes it again with grace 0 (the kubelet, for pods).
    public func enableGracefulDeletion(for gvr: GroupVersionResource) {
        state.withLock { _ = $0.gracefulDeletion.insert(ResourceKey(gvr)) }
    }

    /// When on, `Foreground` / `Orphan` deletes add the `foregroundDeletion` / `orphan` finalizers
    /// for a garbage collector to process; when off they behave like `Background`.
    public func enablePropagationFinalizers(_ enabled: Bool = true) {
        state.withLock { $0.propagationFinalizers = enabled }
    }

    // MARK: Reads

    public var currentResourceVersion: UInt64 { state.withLock { $0.resourceVersion } }

    public func get(_ gvr: GroupVersionResource, namespace: String?, name: String) throws(StatusError) -> JSONValue {
        let key = ResourceKey(gvr)
        let objectKey = Self.objectKey(gvr, namespace, name)
        guard let object = state.withLock({ $0.objects[key]?[objectKey] }) else {
            throw .notFound(gvr, name: name)
        }
        return object
    }

    public func count(_ gvr: GroupVersionResource, namespace: String? = nil) -> Int {
        let key = ResourceKey(gvr)
        return state.withLock { state in
            guard let objects = state.objects[key] else { return 0 }
            guard let namespace, gvr.namespaced else { return objects.count }
            return objects.keys.reduce(0) { $0 + ($1.hasPrefix(namespace + "/") ? 1 : 0) }
        }
    }

    /// Objects of a resource, ordered by namespace then name. `namespace` nil means all
    /// namespaces. `after` / `limit` page through the ordered keys (`continueKey` is the last key
    /// returned when more remain).
    public func list(
        _ gvr: GroupVersionResource, namespace: String? = nil, labelSelector: [String: String]? = nil,
        filter: (@Sendable (JSONValue) -> Bool)? = nil, after: String? = nil, limit: Int? = nil
    ) -> StoreList {
        let key = ResourceKey(gvr)
        let (objects, resourceVersion, ordered) = state.withLock { state in
            let ordered = Self.indexedCandidates(key, labelSelector, in: state).map { $0.sorted() } ?? Self.sortedKeys(key, in: &state)
            return (state.objects[key] ?? [:], state.resourceVersion, ordered)
        }
        let prefix = (gvr.namespaced && namespace != nil) ? "\(namespace ?? "")/" : nil
        // Keys are ordered, so a namespace is one run of them and a page starts after a search.
        var keys = ordered[...]
        if let prefix { keys = keys[Self.firstIndex(in: keys, where: { $0 >= prefix })...].prefix(while: { $0.hasPrefix(prefix) }) }
        if let after { keys = keys[Self.firstIndex(in: keys, where: { $0 > after })...] }
        var items: [JSONValue] = []
        var continueKey: String?
        var remaining: Int = 0
        for index in keys.indices {
            guard let object = objects[keys[index]] else { continue }
            if let labelSelector, !labelSelector.allSatisfy({ object.labels[$0.key] == $0.value }) { continue }
            if let filter, !filter(object) { continue }
            if let limit, items.count >= limit {
                continueKey = keys[index - 1]
                remaining = keys.endIndex - index
                break
            }
            items.append(object)
        }
        return StoreList(items: items, resourceVersion: resourceVersion, continueKey: continueKey, remainingEstimate: remaining)
    }

    // MARK: Subscriptions

    /// Changes to one resource (optionally one namespace) from now on, for in-process controllers.
    public func events(for gvr: GroupVersionResource, namespace: String? = nil) -> AsyncStream<StoreEvent> {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream()
        let key = ResourceKey(gvr)
        state.withLock { state in
            register(Subscriber(key: key, namespace: namespace, kind: .controller, continuation: continuation), in: &state)
        }
        return stream
    }

    /// Changes to every resource from now on (e.g. a garbage collector watching all owners).
    public func allEvents() -> AsyncStream<StoreEvent> {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream()
        state.withLock { state in
            register(Subscriber(key: nil, namespace: nil, kind: .controller, continuation: continuation), in: &state)
        }
        return stream
    }

    /// A watch resuming after `resourceVersion`: the window's later events first, then live
    /// ones, with nothing missed or repeated in between. Throws 410 when the window no longer
    /// reaches back that far.
    public func watch(
        _ gvr: GroupVersionResource, namespace: String?, after resourceVersion: UInt64, kind: SubscriberKind = .watch
    ) throws(StatusError) -> AsyncStream<StoreEvent> {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream()
        let key = ResourceKey(gvr)
        let scope = gvr.namespaced ? namespace : nil
        let tooOld: UInt64? = state.withLock { state in
            guard state.window.canResume(from: resourceVersion) else { return state.window.compactedThrough }
            for event in state.window.events(after: resourceVersion) where Self.matches(event, key, scope) {
                continuation.yield(event)
            }
            register(Subscriber(key: key, namespace: scope, kind: kind, continuation: continuation), in: &state)
            return nil
        }
        if let tooOld {
            continuation.finish()
            throw .gone("too old resource version: \(resourceVersion) (\(tooOld + 1))")
        }
        return stream
    }

    /// The current objects and a subscription starting right after them, atomically (a watch
    /// without a resourceVersion: synthetic ADDED events for what exists, then changes).
    public func snapshotAndWatch(_ gvr: GroupVersionResource, namespace: String?, kind: SubscriberKind = .watch)
        -> (items: [JSONValue], resourceVersion: UInt64, events: AsyncStream<StoreEvent>)
    {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream()
        let key = ResourceKey(gvr)
        let scope = gvr.namespaced ? namespace : nil
        let (objects, resourceVersion) = state.withLock { state in
            register(Subscriber(key: key, namespace: scope, kind: kind, continuation: continuation), in: &state)
            return (state.objects[key] ?? [:], state.resourceVersion)
        }
        let prefix = scope.map { "\($0)/" }
        let items = objects.sorted { $0.key < $1.key }.filter { prefix == nil || $0.key.hasPrefix(prefix ?? "") }.map(\.value)
        return (items, resourceVersion, stream)
    }

    /// Ends every HTTP watch now (fault injection); clients must re-watch.
    public func dropWatches() {
        let dropped = state.withLock { state in
            let ids = state.subscribers.filter { $0.value.kind == .watch }.map(\.key)
            return ids.compactMap { state.subscribers.removeValue(forKey: $0)?.continuation }
        }
        // Finishing resumes the consumers: never do it while holding the lock.
        for continuation in dropped { continuation.finish() }
    }

    /// Queues a progress notification behind every event already sent to each HTTP watch.
    public func notifyWatchProgress() {
        state.withLock { state in
            for subscriber in state.subscribers.values where subscriber.kind == .watch {
                subscriber.continuation.yield(
                    StoreEvent(
                        type: .modified, key: subscriber.key ?? Self.crdKey, namespace: subscriber.namespace, name: "",
                        object: .null, oldObject: nil, resourceVersion: state.resourceVersion, isProgressNotification: true))
            }
        }
    }

    /// Forgets the event history: any watch resuming from an earlier resourceVersion gets 410.
    public func compactEventWindow() {
        state.withLock { $0.window.compact(through: $0.resourceVersion) }
    }

    /// The resourceVersion of the latest change to a resource (0 if none): a cheap cache key.
    public func lastChange(of key: ResourceKey) -> UInt64 {
        state.withLock { $0.lastChange[key] ?? 0 }
    }

    static let crdKey = ResourceKey(.customResourceDefinitions)

    /// Keeps storage semantics (status subresource, generation) in step with CRDs, in the same
    /// critical section as the CRD write so a custom resource created right after its CRD is
    /// already stored correctly. Deleting a CRD deletes its objects.
    static func applyDefinitionChange(_ event: StoreEvent, in state: inout State) {
        if let old = event.oldObject.flatMap(CustomResourceDefinition.init), let info = old.storageInfo {
            state.resources[info.key] = nil
            if event.type == .deleted {
                state.objects[info.key] = nil
                state.labelIndex[info.key] = nil
                state.sortedKeys[info.key] = nil
            }
        }
        if event.type != .deleted, let crd = CustomResourceDefinition(event.object), let info = crd.storageInfo {
            state.resources[info.key] = info
        }
    }

    public var watchCount: Int {
        state.withLock { state in
            Self.removeEndedSubscribers(in: &state)
            return state.subscribers.values.filter { $0.kind == .watch }.count
        }
    }

    private func register(_ subscriber: Subscriber, in state: inout State) {
        let id = state.nextSubscriberID
        state.nextSubscriberID += 1
        state.subscribers[id] = subscriber
        // The handler runs while the cancelled consumer's task holds its own status lock, and
        // `publish` holds the store lock while a yield resumes that consumer, which needs the task
        // lock: taking the store lock here deadlocked the whole process. Leave the id for later.
        subscriber.continuation.onTermination = { [ended = state.ended] _ in ended.add(id) }
    }

    private static func removeEndedSubscribers(in state: inout State) {
        for id in state.ended.drain() { state.subscribers[id] = nil }
    }

    static func matches(_ event: StoreEvent, _ key: ResourceKey?, _ namespace: String?) -> Bool {
        if let key, event.key != key { return false }
        if let namespace, event.namespace != namespace { return false }
        return true
    }

    static func objectKey(_ gvr: GroupVersionResource, _ namespace: String?, _ name: String) -> String {
        gvr.namespaced ? "\(namespace ?? "")/\(name)" : name
    }

    /// Labels whose values the store indexes, so that selecting on them does not scan every
    /// object of the resource: the Service name on EndpointSlices, which the endpoints controller
    /// looks up on every pod change (10,000 Services in a namespace made each lookup a scan).
    static let indexedLabels = ["kubernetes.io/service-name"]

    /// The keys a selector on an indexed label allows (a superset of the matches); nil when it
    /// names none.
    static func indexedCandidates(_ key: ResourceKey, _ selector: [String: String]?, in state: State) -> Set<String>? {
        guard let selector, let label = indexedLabels.first(where: { selector[$0] != nil }), let value = selector[label] else { return nil }
        return state.labelIndex[key]?["\(label)=\(value)"] ?? []
    }

    private static func sortedKeys(_ key: ResourceKey, in state: inout State) -> [String] {
        if let keys = state.sortedKeys[key] { return keys }
        let keys = (state.objects[key] ?? [:]).keys.sorted()
        state.sortedKeys[key] = keys
        return keys
    }

    /// The first index of ordered `keys` whose key satisfies `predicate`, which is false for a
    /// prefix of the keys and true for the rest (a binary search).
    private static func firstIndex(in keys: ArraySlice<String>, where predicate: (String) -> Bool) -> Int {
        var low = keys.startIndex
        var high = keys.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(keys[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func indexLabels(of event: StoreEvent, in state: inout State) {
        let objectKey = event.namespace.map { "\($0)/\(event.name)" } ?? event.name
        func entries(_ object: JSONValue?) -> [String] {
            guard let object else { return [] }
            let labels = object.labels
            return indexedLabels.compactMap { label in labels[label].map { "\(label)=\($0)" } }
        }
        for entry in entries(event.oldObject) + (event.type == .deleted ? entries(event.object) : []) {
            state.labelIndex[event.key]?[entry]?.remove(objectKey)
            if state.labelIndex[event.key]?[entry]?.isEmpty == true { state.labelIndex[event.key]?[entry] = nil }
        }
        guard event.type != .deleted else { return }
        for entry in entries(event.object) { state.labelIndex[event.key, default: [:]][entry, default: []].insert(objectKey) }
    }

    /// Records a committed change and fans it out; called with the lock held.
    static func publish(_ event: StoreEvent, in state: inout State) {
        indexLabels(of: event, in: &state)
        if event.type != .modified { state.sortedKeys[event.key] = nil }
        state.window.append(event)
        state.lastChange[event.key] = event.resourceVersion
        if event.key == crdKey { applyDefinitionChange(event, in: &state) }
        removeEndedSubscribers(in: &state)
        for subscriber in state.subscribers.values where matches(event, subscriber.key, subscriber.namespace) {
            subscriber.continuation.yield(event)
        }
    }
}

/// One page of a list.
public struct StoreList: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: UInt64
    /// The last key returned when more items remain; pass it as `after` for the next page.
    public var continueKey: String?
    public var remainingEstimate: Int
}

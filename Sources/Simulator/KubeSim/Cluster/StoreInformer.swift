import KubeModels
import Synchronization

/// A local, indexed cache of one resource fed by the store's event stream and shared by the
/// simulated controllers, so a burst of pod changes costs each controller a dictionary lookup
/// rather than a scan of the store. Handlers run on the informer's task after the cache is
/// updated and must only enqueue work.
final class StoreInformer: Sendable {
    typealias IndexFunction = @Sendable (JSONValue) -> [String]
    /// `(old, new)`: `old` nil for an addition, `new` nil for a deletion.
    typealias Handler = @Sendable (JSONValue?, JSONValue?) -> Void

    private struct State {
        var objects: [ObjectKey: JSONValue] = [:]
        var indexes: [String: [String: Set<ObjectKey>]] = [:]
        var indexers: [String: IndexFunction] = [:]
        var handlers: [Handler] = []
    }

    let gvr: GroupVersionResource
    private let state = Mutex(State())
    let synced = Latch()

    init(_ gvr: GroupVersionResource) {
        self.gvr = gvr
        addIndex("namespace") { [ObjectMetadata($0).namespace] }
    }

    /// Registers an index; call before `run`.
    func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { $0.indexers[name] = function }
    }

    /// Registers a handler; call before `run`.
    func addHandler(_ handler: @escaping Handler) {
        state.withLock { $0.handlers.append(handler) }
    }

    var hasSynced: Bool { synced.isOpen }

    func get(_ key: ObjectKey) -> JSONValue? { state.withLock { $0.objects[key] } }

    func list(namespace: String? = nil) -> [JSONValue] {
        state.withLock { state in
            guard let namespace else { return Array(state.objects.values) }
            return state.indexes["namespace"]?[namespace]?.compactMap { state.objects[$0] } ?? []
        }
    }

    func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        state.withLock { state in
            state.indexes[name]?[value]?.compactMap { state.objects[$0] } ?? []
        }
    }

    var count: Int { state.withLock { $0.objects.count } }

    /// Fills the cache from an atomic snapshot, then follows changes until cancelled.
    func run(store: ObjectStore) async {
        let (items, _, events) = store.snapshotAndWatch(gvr, namespace: nil, kind: .controller)
        for item in items { apply(new: item, key: ObjectMetadata(item).key) }
        synced.open()
        for await event in events {
            if Task.isCancelled { break }
            let key = ObjectKey(namespace: event.namespace, name: event.name)
            let new: JSONValue? = event.type == .deleted ? Optional.none : .some(event.object)
            apply(new: new, key: key)
        }
    }

    private func apply(new: JSONValue?, key: ObjectKey) {
        let (old, handlers) = state.withLock { state -> (JSONValue?, [Handler]) in
            let old = state.objects[key]
            if let old { Self.unindex(old, key: key, in: &state) }
            state.objects[key] = new
            if let new { Self.index(new, key: key, in: &state) }
            return (old, state.handlers)
        }
        for handler in handlers { handler(old, new) }
    }

    private static func index(_ object: JSONValue, key: ObjectKey, in state: inout State) {
        for (name, function) in state.indexers {
            for value in function(object) { state.indexes[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private static func unindex(_ object: JSONValue, key: ObjectKey, in state: inout State) {
        for (name, function) in state.indexers {
            for value in function(object) {
                state.indexes[name]?[value]?.remove(key)
                if state.indexes[name]?[value]?.isEmpty == true { state.indexes[name]?[value] = nil }
            }
        }
    }
}

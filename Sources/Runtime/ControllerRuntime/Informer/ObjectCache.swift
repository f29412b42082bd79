import KubeModels
import Synchronization

/// The informer's store: objects by `namespace/name` plus secondary indexes, behind one lock.
///
/// Objects are held as compact JSON bytes (`CachedObject`) and decoded when read. A decoded tree
/// of dictionaries and strings takes several times the memory of its bytes, and a controller
/// reads a few objects per reconcile while the cache holds every one of them: at 1,000 AppReleases
/// the trees were most of the operator's heap. Readers get fresh `JSONValue`s, so nothing they hold
/// can change under them and no reader can observe an object half-applied.
final class ObjectCache: Sendable {
    private struct State {
        var items: [String: CachedObject] = [:]
        /// In the order of every `CachedObject.indexValues`.
        var indexNames: [String] = []
        var indexers: [IndexFunction] = []
        /// index name → index value → keys
        var indices: [String: [String: Set<String>]] = [:]
    }

    /// One change a relist found, decoded only when a handler is called with it.
    struct Change {
        var kind: InformerEventKind
        var old: CachedObject?
        var new: CachedObject?
    }

    private let state = Mutex(State())

    init() {
        addIndex(IndexFunctions.namespaceIndexName, IndexFunctions.namespace)
    }

    static func key(of object: JSONValue) -> String? {
        ObjectKey(object: object)?.description
    }

    /// Registers (or replaces) an index; cached objects are decoded once to compute it, and keep
    /// their bytes.
    func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { state in
            if let position = state.indexNames.firstIndex(of: name) {
                state.indexers[position] = function
            } else {
                state.indexNames.append(name)
                state.indexers.append(function)
            }
            let indexers = state.indexers
            state.items = state.items.mapValues { $0.reindexed(by: indexers) }
            Self.rebuildIndices(&state)
        }
    }

    var count: Int { state.withLock { $0.items.count } }

    /// Decoded outside the lock: readers do not hold up the watch that writes.
    func get(_ key: String) -> JSONValue? { state.withLock { $0.items[key] }?.object }

    func list() -> [JSONValue] { state.withLock { Array($0.items.values) }.map(\.object) }

    func keys() -> [String] { state.withLock { Array($0.items.keys) } }

    func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        let found = state.withLock { state -> [CachedObject] in
            guard let keys = state.indices[name]?[value] else { return [] }
            return keys.compactMap { state.items[$0] }
        }
        return found.map(\.object)
    }

    /// The values index `name` holds for the object at `key`, without decoding it; nil when the
    /// object is not cached or there is no such index.
    func indexValues(_ name: String, of key: String) -> [String]? {
        state.withLock { state in
            guard let position = state.indexNames.firstIndex(of: name), let cached = state.items[key] else { return nil }
            return cached.indexValues[position]
        }
    }

    func hasIndex(_ name: String) -> Bool { state.withLock { $0.indexNames.contains(name) } }

    /// The form `object` is cached in, with its index values; made outside the lock.
    func compact(_ object: JSONValue) -> CachedObject {
        CachedObject(object, indexers: state.withLock { $0.indexers })
    }

    /// Inserts or replaces; returns the previous value.
    @discardableResult
    func upsert(_ key: String, _ object: JSONValue) -> JSONValue? {
        let cached = compact(object)
        let old = state.withLock { state in
            let old = state.items.updateValue(cached, forKey: key)
            Self.reindex(&state, key: key, old: old, new: cached)
            return old
        }
        return old?.object
    }

    /// Removes; returns whether it was cached. A delete event carries the object's final state,
    /// so the cached one is never decoded.
    @discardableResult
    func remove(_ key: String) -> Bool {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return false }
            Self.reindex(&state, key: key, old: old, new: nil)
            return true
        }
    }

    /// Swaps in a complete listing (made with `compact`) and reports what changed relative to the
    /// previous contents.
    func replace(with objects: [String: CachedObject]) -> [Change] {
        state.withLock { state in
            var changes: [Change] = []
            for (key, old) in state.items where objects[key] == nil {
                changes.append(Change(kind: .deleted, old: old))
            }
            for (key, new) in objects {
                if let old = state.items[key] {
                    if old.resourceVersion != new.resourceVersion || (new.resourceVersion == nil && old.object != new.object) {
                        changes.append(Change(kind: .updated, old: old, new: new))
                    }
                } else {
                    changes.append(Change(kind: .added, new: new))
                }
            }
            state.items = objects
            Self.rebuildIndices(&state)
            return changes
        }
    }

    static func resourceVersion(_ object: JSONValue) -> String? {
        object[path: "metadata", "resourceVersion"]?.stringValue
    }

    /// Objects compacted before an index was added lack its values: they are computed here.
    private static func current(_ cached: CachedObject, in state: State) -> CachedObject {
        cached.indexValues.count == state.indexers.count ? cached : cached.reindexed(by: state.indexers)
    }

    private static func rebuildIndices(_ state: inout State) {
        state.indices = [:]
        for (key, listed) in state.items {
            let cached = current(listed, in: state)
            if cached.indexValues.count != listed.indexValues.count { state.items[key] = cached }
            for (position, name) in state.indexNames.enumerated() {
                for value in cached.indexValues[position] { state.indices[name, default: [:]][value, default: []].insert(key) }
            }
        }
    }

    private static func reindex(_ state: inout State, key: String, old: CachedObject?, new: CachedObject?) {
        let new = new.map { current($0, in: state) }
        if let new { state.items[key] = new }
        for (position, name) in state.indexNames.enumerated() {
            // Every object in `items` is current, so the old one has a value list for each index.
            for value in old?.indexValues[position] ?? [] {
                state.indices[name]?[value]?.remove(key)
                if state.indices[name]?[value]?.isEmpty == true { state.indices[name]?[value] = nil }
            }
            for value in new?.indexValues[position] ?? [] { state.indices[name, default: [:]][value, default: []].insert(key) }
        }
    }
}

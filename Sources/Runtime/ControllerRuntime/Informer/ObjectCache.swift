import KubeModels
import Synchronization

/// The informer's store: objects by `namespace/name` plus secondary indexes, behind one lock.
/// Readers get `JSONValue` values (copy-on-write), so nothing they hold can change under them and
/// no reader can observe an object half-applied.
final class ObjectCache: Sendable {
    private struct State {
        var items: [String: JSONValue] = [:]
        var indexers: [String: IndexFunction] = [:]
        /// index name → index value → keys
        var indices: [String: [String: Set<String>]] = [:]
    }

    private let state = Mutex(State())

    init() {
        addIndex(IndexFunctions.namespaceIndexName, IndexFunctions.namespace)
    }

    static func key(of object: JSONValue) -> String? {
        ObjectKey(object: object)?.description
    }

    func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { state in
            state.indexers[name] = function
            var index: [String: Set<String>] = [:]
            for (key, object) in state.items {
                for value in function(object) { index[value, default: []].insert(key) }
            }
            state.indices[name] = index
        }
    }

    var count: Int { state.withLock { $0.items.count } }

    func get(_ key: String) -> JSONValue? { state.withLock { $0.items[key] } }

    func list() -> [JSONValue] { state.withLock { Array($0.items.values) } }

    func keys() -> [String] { state.withLock { Array($0.items.keys) } }

    func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        state.withLock { state in
            guard let keys = state.indices[name]?[value] else { return [] }
            return keys.compactMap { state.items[$0] }
        }
    }

    func hasIndex(_ name: String) -> Bool { state.withLock { $0.indexers[name] != nil } }

    /// Inserts or replaces; returns the previous value.
    @discardableResult
    func upsert(_ key: String, _ object: JSONValue) -> JSONValue? {
        state.withLock { state in
            let old = state.items.updateValue(object, forKey: key)
            Self.reindex(&state, key: key, old: old, new: object)
            return old
        }
    }

    @discardableResult
    func remove(_ key: String) -> JSONValue? {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return nil }
            Self.reindex(&state, key: key, old: old, new: nil)
            return old
        }
    }

    /// Swaps in a complete listing and reports what changed relative to the previous contents.
    func replace(with objects: [String: JSONValue]) -> [(InformerEventKind, JSONValue?, JSONValue?)] {
        state.withLock { state in
            var changes: [(InformerEventKind, JSONValue?, JSONValue?)] = []
            for (key, old) in state.items where objects[key] == nil {
                changes.append((.deleted, old, nil))
            }
            for (key, new) in objects {
                if let old = state.items[key] {
                    if Self.resourceVersion(old) != Self.resourceVersion(new) || (Self.resourceVersion(new) == nil && old != new) {
                        changes.append((.updated, old, new))
                    }
                } else {
                    changes.append((.added, nil, new))
                }
            }
            state.items = objects
            state.indices = state.indices.mapValues { _ in [:] }
            for (key, object) in objects {
                for (name, function) in state.indexers {
                    for value in function(object) { state.indices[name, default: [:]][value, default: []].insert(key) }
                }
            }
            return changes
        }
    }

    static func resourceVersion(_ object: JSONValue) -> String? {
        object[path: "metadata", "resourceVersion"]?.stringValue
    }

    private static func reindex(_ state: inout State, key: String, old: JSONValue?, new: JSONValue?) {
        for (name, function) in state.indexers {
            if let old {
                for value in function(old) {
                    state.indices[name]?[value]?.remove(key)
                    if state.indices[name]?[value]?.isEmpty == true { state.indices[name]?[value] = nil }
                }
            }
            if let new {
                for value in function(new) { state.indices[name, default: [:]][value, default: []].insert(key) }
            }
        }
    }
}

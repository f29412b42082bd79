import KubeModels
import Synchronization

/// Deletes objects whose owners are gone, for any kind (custom resources included), following
/// the upstream garbage collector's rules: background (owner gone first, then dependents),
/// foreground (the owner, marked with the `foregroundDeletion` finalizer, waits until every
/// dependent with `blockOwnerDeletion` is gone) and orphan (dependents lose their reference to
/// the owner, then the owner goes). It follows every resource through one ordered event stream
/// and keeps only a graph of uids, owners and dependents.
final class GarbageCollector: Sendable {
    static let foregroundFinalizer = "foregroundDeletion"
    static let orphanFinalizer = "orphan"

    struct Node {
        var resource: ResourceKey
        var namespace: String?
        var name: String
        var owners: [OwnerReference]
        var deleting: Bool
        var finalizers: [String]
    }

    private struct KindKey: Hashable {
        var group: String
        var kind: String
    }

    private struct State {
        var nodes: [String: Node] = [:]
        var dependents: [String: Set<String>] = [:]
        var kinds: [KindKey: ResourceKey] = [:]
    }

    private let store: ObjectStore
    let queue = WorkQueue<String>()
    /// Open once the collector is subscribed and has seen the objects that existed before.
    let synced = Latch()
    private let state = Mutex(State())

    init(store: ObjectStore) {
        self.store = store
        state.withLock { state in
            for info in BuiltinResources.all {
                state.kinds[KindKey(group: info.gvr.group, kind: info.gvr.kind)] = info.key
            }
        }
    }

    /// Follows every change until cancelled.
    func observe() async {
        let events = store.allEvents()
        // Objects that existed before the subscription; replayed events converge on the same graph.
        for info in BuiltinResources.all {
            for object in store.list(info.gvr).items { apply(object, resource: info.key, deleted: false) }
        }
        synced.open()
        for await event in events {
            if Task.isCancelled { break }
            apply(event.object, resource: event.key, deleted: event.type == .deleted)
        }
    }

    func run() async {
        while let uid = await queue.next() {
            process(uid)
            await Task.yield()
        }
    }

    var nodeCount: Int { state.withLock { $0.nodes.count } }

    // MARK: Graph

    private func apply(_ object: JSONValue, resource: ResourceKey, deleted: Bool) {
        let meta = ObjectMetadata(object)
        let uid = meta.uid
        guard !uid.isEmpty else { return }
        var enqueue: [String] = []
        state.withLock { state in
            let group = meta.apiVersion.contains("/") ? String(meta.apiVersion.split(separator: "/")[0]) : ""
            if !meta.kind.isEmpty { state.kinds[KindKey(group: group, kind: meta.kind)] = resource }
            let old = state.nodes[uid]
            if deleted {
                state.nodes[uid] = nil
                for owner in old?.owners ?? [] {
                    state.dependents[owner.uid]?.remove(uid)
                    if state.dependents[owner.uid]?.isEmpty == true { state.dependents[owner.uid] = nil }
                    // A foreground owner may be waiting for this dependent.
                    enqueue.append(owner.uid)
                }
                // Dependents of a vanished owner are now candidates for collection.
                enqueue.append(contentsOf: state.dependents[uid] ?? [])
                return
            }
            let node = Node(
                resource: resource, namespace: meta.namespace.isEmpty ? nil : meta.namespace, name: meta.name,
                owners: meta.ownerReferences, deleting: meta.isDeleting, finalizers: meta.finalizers)
            state.nodes[uid] = node
            let oldOwners = Set(old?.owners.map(\.uid) ?? [])
            let newOwners = Set(node.owners.map(\.uid))
            for removed in oldOwners.subtracting(newOwners) {
                state.dependents[removed]?.remove(uid)
                if state.dependents[removed]?.isEmpty == true { state.dependents[removed] = nil }
                enqueue.append(removed)
            }
            for added in newOwners.subtracting(oldOwners) { state.dependents[added, default: []].insert(uid) }
            let ownersChanged = old == nil ? !node.owners.isEmpty : old?.owners != node.owners
            if ownersChanged { enqueue.append(uid) }
            if node.deleting, old?.deleting != true || old?.finalizers != node.finalizers {
                enqueue.append(uid)
                // A dependent starting to terminate changes nothing for its owners until it is gone.
            }
        }
        for uid in enqueue { queue.add(uid) }
    }

    // MARK: Processing

    private func process(_ uid: String) {
        guard let node = state.withLock({ $0.nodes[uid] }), let info = store.resourceInfo(node.resource) else { return }
        guard let object = try? store.get(info.gvr, namespace: node.namespace, name: node.name), ObjectMetadata(object).uid == uid else {
            return
        }
        let meta = ObjectMetadata(object)
        if meta.isDeleting {
            if meta.finalizers.contains(Self.orphanFinalizer) {
                orphanDependents(of: uid)
                removeFinalizer(Self.orphanFinalizer, from: info.gvr, node: node, uid: uid)
            } else if meta.finalizers.contains(Self.foregroundFinalizer) {
                processForeground(uid, gvr: info.gvr, node: node)
            }
            return
        }
        let owners = meta.ownerReferences
        guard !owners.isEmpty else { return }
        var solid: [OwnerReference] = []
        var dangling: [OwnerReference] = []
        var waiting: [OwnerReference] = []
        for owner in owners {
            switch ownerState(owner, dependentNamespace: node.namespace) {
            case .present: solid.append(owner)
            case .absent: dangling.append(owner)
            case .waitingForDependents: waiting.append(owner)
            }
        }
        if !solid.isEmpty {
            // Kept alive by another owner: only drop the references that no longer hold.
            let drop = Set((dangling + waiting).map(\.uid))
            if !drop.isEmpty { removeOwnerReferences(drop, from: info.gvr, node: node, uid: uid) }
            return
        }
        let hasDependents = state.withLock { !($0.dependents[uid]?.isEmpty ?? true) }
        let policy: StoreDeleteOptions.Propagation
        if !waiting.isEmpty && hasDependents {
            policy = .foreground
        } else if meta.finalizers.contains(Self.orphanFinalizer) {
            policy = .orphan
        } else if meta.finalizers.contains(Self.foregroundFinalizer) {
            policy = .foreground
        } else {
            policy = .background
        }
        _ = try? store.delete(
            info.gvr, namespace: node.namespace, name: node.name, options: StoreDeleteOptions(propagationPolicy: policy, preconditionUID: uid))
    }

    /// The owner waits for its blocking dependents; the others are collected once it is gone.
    private func processForeground(_ uid: String, gvr: GroupVersionResource, node: Node) {
        let blocking = state.withLock { state in
            (state.dependents[uid] ?? []).filter { dependent in
                state.nodes[dependent]?.owners.contains { $0.uid == uid && $0.blockOwnerDeletion == true } ?? false
            }
        }
        if blocking.isEmpty {
            removeFinalizer(Self.foregroundFinalizer, from: gvr, node: node, uid: uid)
            return
        }
        for dependent in blocking { queue.add(dependent) }
    }

    private enum OwnerState { case present, absent, waitingForDependents }

    private func ownerState(_ owner: OwnerReference, dependentNamespace: String?) -> OwnerState {
        if let node = state.withLock({ $0.nodes[owner.uid] }) {
            return node.deleting && node.finalizers.contains(Self.foregroundFinalizer) ? .waitingForDependents : .present
        }
        // Not in the graph: ask the store, which is authoritative (e.g. an owner created before
        // the collector started). A kind we cannot resolve is never treated as gone.
        let group = owner.apiVersion.contains("/") ? String(owner.apiVersion.split(separator: "/")[0]) : ""
        guard let resource = state.withLock({ $0.kinds[KindKey(group: group, kind: owner.kind)] }),
            let info = store.resourceInfo(resource)
        else { return .present }
        let namespace = info.gvr.namespaced ? dependentNamespace : nil
        do {
            let object = try store.get(info.gvr, namespace: namespace, name: owner.name)
            guard ObjectMetadata(object).uid == owner.uid else { return .absent }
            let meta = ObjectMetadata(object)
            return meta.isDeleting && meta.finalizers.contains(Self.foregroundFinalizer) ? .waitingForDependents : .present
        } catch {
            return error.code == 404 ? .absent : .present
        }
    }

    private func orphanDependents(of uid: String) {
        let dependents = state.withLock { state in
            (state.dependents[uid] ?? []).compactMap { dependent in state.nodes[dependent].map { (dependent, $0) } }
        }
        for (dependentUID, node) in dependents {
            guard let info = store.resourceInfo(node.resource) else { continue }
            removeOwnerReferences([uid], from: info.gvr, node: node, uid: dependentUID)
        }
    }

    private func removeOwnerReferences(_ owners: Set<String>, from gvr: GroupVersionResource, node: Node, uid: String) {
        _ = try? store.mutate(gvr, namespace: node.namespace, name: node.name) { current throws(StatusError) in
            guard ObjectMetadata(current).uid == uid else { throw StatusError.conflict(gvr, name: node.name, detail: "recreated") }
            var updated = current
            let remaining = (current[path: "metadata", "ownerReferences"]?.arrayValue ?? []).filter {
                !owners.contains($0["uid"]?.stringValue ?? "")
            }
            updated.setValue(.arrayOrAbsent(remaining), atPath: ["metadata", "ownerReferences"])
            return updated
        }
    }

    private func removeFinalizer(_ finalizer: String, from gvr: GroupVersionResource, node: Node, uid: String) {
        _ = try? store.mutate(gvr, namespace: node.namespace, name: node.name) { current throws(StatusError) in
            guard ObjectMetadata(current).uid == uid else { throw StatusError.conflict(gvr, name: node.name, detail: "recreated") }
            var updated = current
            let remaining = ObjectMetadata(current).finalizers.filter { $0 != finalizer }
            updated.setValue(.arrayOrAbsent(remaining.map { .string($0) }), atPath: ["metadata", "finalizers"])
            return updated
        }
    }
}

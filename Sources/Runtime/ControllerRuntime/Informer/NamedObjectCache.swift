import KubeClient
import KubeModels
import Logging
import Synchronization

/// A cache of only the objects of a namespaced resource that owners name (the Services and
/// HTTPRoutes an AppRelease routes through), never every object of the resource in the cluster.
///
/// Per namespace in which some owner wants names, one namespace-scoped list + watch whose ingest
/// filter keeps only the wanted names: 10,000 owners in one namespace cost one watch, not 10,000,
/// and a namespace no owner names costs nothing. A single wanted name is also selected on the
/// server (`metadata.name=` field selector); field selectors cannot say "one of these names", so
/// more names are filtered on the client.
///
/// Objects rejected by a filter were never kept, so when a namespace's wanted set grows, a new
/// informer (a relist) is started beside the serving one, which keeps answering for the names it
/// covers until the new one has synced and takes over: owners already served never see a gap.
/// While one relist is under way further growth waits for it, so a burst of new owners costs at
/// most two relists, not one each. A shrinking set keeps the serving informer (its extra objects
/// go with the next relist, or with the last owner of the namespace).
///
/// Owners are woken (`onWake`) when a wanted object changes and when a listing first covers their
/// names (found or not), so an owner waiting for a missing object or for a sync is called back by
/// the watch, never by polling. Only the serving informer wakes owners; at a takeover the two
/// caches are compared, so nothing that changed while both ran is missed.
///
/// A list answering 404 for the collection means the server does not serve the resource (an
/// HTTPRoute without the Gateway API CRDs): lookups say `apiUnavailable` and the informer retries
/// with its backoff, so installing the CRDs later heals it without a restart. These informers are
/// not part of `InformerFactory.hasSynced`: readiness and the wait before workers never depend on
/// what owners happen to name.
public final class NamedObjectCache: Sendable {
    /// What the cache knows about one name.
    public enum Lookup: Sendable, Hashable {
        case found(JSONValue)
        /// Listed and watched: the server has no such object.
        case absent
        /// Not known yet: the name's namespace has not been listed since it was wanted (or it is
        /// not wanted at all). The owner is woken once it is.
        case notSynced
        /// The server does not serve the resource; the text says what it answered.
        case apiUnavailable(String)

        /// The object when found.
        public var object: JSONValue? {
            if case .found(let object) = self { return object }
            return nil
        }
    }

    public let resource: GroupVersionResource
    private let api: any KubernetesAPI
    private let options: InformerOptions
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeHandlers = Mutex<[@Sendable ([ObjectKey]) -> Void]>([])

    private struct State {
        var namespaces: [String: NamespaceSlot] = [:]
        var ownerNamespace: [ObjectKey: String] = [:]
        var nextGeneration = 0
        /// Set while `run()` is active: generations started later are run through it.
        var starter: AsyncStream<Generation>.Continuation?
    }

    /// One list + watch of one namespace, filtered to `names`.
    private final class Generation: Sendable {
        let id: Int
        let namespace: String
        let names: Set<String>
        let informer: Informer
        let stop = OneShotSignal()

        init(id: Int, namespace: String, names: Set<String>, informer: Informer) {
            self.id = id
            self.namespace = namespace
            self.names = names
            self.informer = informer
        }

        func object(named name: String) -> JSONValue? { informer.get(namespace: namespace, name: name) }
    }

    /// The owners of one namespace and the informers that serve them.
    private struct NamespaceSlot {
        var namesByOwner: [ObjectKey: Set<String>] = [:]
        /// name → owners wanting it; its keys are the wanted set.
        var ownersByName: [String: Set<ObjectKey>] = [:]
        /// Synced; answers lookups for the names it covers.
        var serving: Generation?
        /// Listing a wider set; takes over from `serving` once synced.
        var listing: Generation?
        /// The last list of `listing` answered 404 for the collection: the resource is not served.
        var unavailable: String?

        var isEmpty: Bool { namesByOwner.isEmpty }
        var wanted: Set<String> { Set(ownersByName.keys) }

        mutating func set(owner: ObjectKey, names: Set<String>) {
            remove(owner: owner)
            namesByOwner[owner] = names
            for name in names { ownersByName[name, default: []].insert(owner) }
        }

        mutating func remove(owner: ObjectKey) {
            guard let names = namesByOwner.removeValue(forKey: owner) else { return }
            for name in names {
                ownersByName[name]?.remove(owner)
                if ownersByName[name]?.isEmpty == true { ownersByName[name] = nil }
            }
        }

        func owners(of names: some Sequence<String>) -> Set<ObjectKey> {
            names.reduce(into: Set<ObjectKey>()) { owners, name in owners.formUnion(ownersByName[name] ?? []) }
        }
    }

    /// `metrics` counts the objects held (`controller_runtime_cache_resources`), relists and
    /// watch restarts, as for any informer.
    public init(
        api: any KubernetesAPI, resource: GroupVersionResource, options: InformerOptions = InformerOptions(), metrics: RuntimeMetrics? = nil,
        logger: Logger = Logger(label: "named-objects")
    ) {
        self.api = api
        self.resource = resource
        self.options = options
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "resource"] = "\(resource.resource)"
        self.logger = logger
    }

    // MARK: Owners

    /// Registers a callback with the owners to look again. Register before `run()`; keep it short
    /// (enqueue the keys): it runs on an informer's task.
    public func onWake(_ handler: @escaping @Sendable ([ObjectKey]) -> Void) {
        wakeHandlers.withLock { $0.append(handler) }
    }

    /// Says which names of `namespace` `owner` needs, replacing what it wanted before; no names
    /// is `release(owner:)`. Cheap when nothing changed, so a reconciler calls it every pass.
    public func want(owner: ObjectKey, namespace: String, names: Set<String>) {
        guard !names.isEmpty else { return release(owner: owner) }
        let stopped = state.withLock { state -> [Generation] in
            var stopped: [Generation] = []
            if let previous = state.ownerNamespace[owner], previous != namespace {
                stopped = Self.remove(owner: owner, from: previous, in: &state)
            }
            var slot = state.namespaces[namespace] ?? NamespaceSlot()
            guard slot.namesByOwner[owner] != names else { return stopped }
            slot.set(owner: owner, names: names)
            state.ownerNamespace[owner] = namespace
            // A listing under way is not replaced (it would never finish in a burst): the names it
            // lacks get the next one, started when it takes over.
            let covered = slot.serving?.names ?? []
            if slot.listing == nil, !names.isSubset(of: covered) {
                slot.listing = startGeneration(namespace: namespace, names: slot.wanted, in: &state)
            }
            state.namespaces[namespace] = slot
            return stopped
        }
        for generation in stopped { generation.stop.fire() }
    }

    /// Forgets everything `owner` wanted (it was deleted); the last owner of a namespace stops its watch.
    public func release(owner: ObjectKey) {
        let stopped = state.withLock { state -> [Generation] in
            guard let namespace = state.ownerNamespace[owner] else { return [] }
            return Self.remove(owner: owner, from: namespace, in: &state)
        }
        for generation in stopped { generation.stop.fire() }
    }

    private static func remove(owner: ObjectKey, from namespace: String, in state: inout State) -> [Generation] {
        state.ownerNamespace[owner] = nil
        guard var slot = state.namespaces[namespace] else { return [] }
        slot.remove(owner: owner)
        guard slot.isEmpty else {
            state.namespaces[namespace] = slot
            return []
        }
        state.namespaces[namespace] = nil
        return [slot.serving, slot.listing].compactMap { $0 }
    }

    // MARK: Reading

    /// What the cache knows about `name` in `namespace`.
    public func lookup(namespace: String, name: String) -> Lookup {
        state.withLock { state in
            guard let slot = state.namespaces[namespace] else { return .notSynced }
            if let serving = slot.serving, serving.names.contains(name) {
                return serving.object(named: name).map(Lookup.found) ?? .absent
            }
            if let message = slot.unavailable { return .apiUnavailable(message) }
            return .notSynced
        }
    }

    /// Namespaces with a list + watch running or starting (for tests and diagnostics).
    public var watchedNamespaces: Set<String> { state.withLock { Set($0.namespaces.keys) } }

    /// The objects cached for `namespace`, by the serving informer (for tests and diagnostics).
    public func cachedObjects(namespace: String) -> [JSONValue] {
        state.withLock { $0.namespaces[namespace]?.serving?.informer.list() ?? [] }
    }

    // MARK: Running

    /// Runs the namespace informers, including those started later, until cancelled.
    public func run() async {
        let (stream, continuation) = AsyncStream<Generation>.makeStream()
        let live = state.withLock { state -> [Generation] in
            state.starter = continuation
            return state.namespaces.values.flatMap { [$0.serving, $0.listing].compactMap { $0 } }
        }
        for generation in live { continuation.yield(generation) }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await generation in stream {
                    group.addTask { await self.run(generation) }
                }
                group.cancelAll()
            }
        } onCancel: {
            continuation.finish()
        }
        state.withLock { $0.starter = nil }
    }

    /// One generation: its informer until it is stopped (replaced, or its namespace released),
    /// taking over as the serving one when it first syncs.
    private func run(_ generation: Generation) async {
        // Released before `run()` got to it: not even one list.
        guard !generation.stop.isFired else { return }
        await withDiscardingTaskGroup { group in
            group.addTask { await generation.informer.run() }
            group.addTask {
                await generation.informer.waitForSync()
                if generation.informer.hasSynced { self.takeOver(generation) }
            }
            await generation.stop.wait()
            group.cancelAll()
        }
    }

    /// Creates a generation and hands it to `run()`. Called under the state lock: registering the
    /// handlers of an informer nobody else knows yet cannot wait on a lock held elsewhere.
    private func startGeneration(namespace: String, names: Set<String>, in state: inout State) -> Generation {
        state.nextGeneration += 1
        let id = state.nextGeneration
        let single = names.count == 1 ? names.first : nil
        var logger = self.logger
        logger[metadataKey: "namespace"] = "\(namespace)"
        let informer = Informer(
            api: api, resource: resource, namespace: namespace, fieldSelector: single.map { "metadata.name=\($0)" },
            options: options, metrics: metrics, logger: logger, ingestFilter: { names.contains($0.meta.name) })
        informer.onEvent { [weak self] _, old, new in
            guard let self, let object = new ?? old else { return }
            self.changed(name: object.meta.name, namespace: namespace, generation: id)
        }
        informer.onListFailure { [weak self] error in
            self?.listFailed(error, namespace: namespace, generation: id)
        }
        let generation = Generation(id: id, namespace: namespace, names: names, informer: informer)
        state.starter?.yield(generation)
        return generation
    }

    // MARK: Waking owners

    private func changed(name: String, namespace: String, generation id: Int) {
        let owners = state.withLock { state -> Set<ObjectKey> in
            guard let slot = state.namespaces[namespace], slot.serving?.id == id else { return [] }
            return slot.ownersByName[name] ?? []
        }
        wake(owners)
    }

    private func listFailed(_ error: any Error, namespace: String, generation id: Int) {
        // 404 for a collection is the one answer that means "not served"; anything else
        // (transport, 403, 5xx) is a plain failure to sync, reported as not synced.
        guard let error = error as? KubernetesError, error.isNotFound else { return }
        let message = "the API server does not serve \(resource.resource).\(resource.group)/\(resource.version) (\(error))"
        let owners = state.withLock { state -> Set<ObjectKey> in
            guard var slot = state.namespaces[namespace], slot.listing?.id == id, slot.unavailable != message else { return [] }
            slot.unavailable = message
            state.namespaces[namespace] = slot
            // Those waiting for this listing learn why it does not come; the others are served.
            let covered = slot.serving?.names ?? []
            return slot.owners(of: slot.wanted.subtracting(covered))
        }
        if !owners.isEmpty { logger.warning("resource not served", metadata: ["namespace": "\(namespace)", "error": "\(error)"]) }
        wake(owners)
    }

    /// A listing synced: it serves from now on and the previous generation stops. Its owners are
    /// woken for every wanted name that is new to them or differs from what the previous
    /// generation showed, all in one critical section with the switch, so an event is either
    /// forwarded by the serving informer or seen in this comparison.
    private func takeOver(_ generation: Generation) {
        let (owners, previous) = state.withLock { state -> (Set<ObjectKey>, Generation?) in
            guard var slot = state.namespaces[generation.namespace], slot.listing?.id == generation.id else { return ([], nil) }
            let previous = slot.serving
            slot.serving = generation
            slot.listing = nil
            slot.unavailable = nil
            let changed = generation.names.filter { name in
                guard slot.ownersByName[name] != nil else { return false }
                guard let previous, previous.names.contains(name) else { return true }
                let before = previous.object(named: name)?.meta.resourceVersion
                return before != generation.object(named: name)?.meta.resourceVersion
            }
            if !slot.wanted.isSubset(of: generation.names) {
                slot.listing = startGeneration(namespace: generation.namespace, names: slot.wanted, in: &state)
            }
            state.namespaces[generation.namespace] = slot
            return (slot.owners(of: changed), previous)
        }
        previous?.stop.fire()
        wake(owners)
    }

    private func wake(_ owners: Set<ObjectKey>) {
        guard !owners.isEmpty else { return }
        let keys = owners.sorted()
        for handler in wakeHandlers.withLock({ $0 }) { handler(keys) }
    }
}

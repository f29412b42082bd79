import KubeClient
import KubeModels
import Logging
import Synchronization

/// Tuning for list + watch.
public struct InformerOptions: Sendable, Hashable {
    /// Page size of the list (0 = unpaged).
    public var pageSize: Int = 500
    /// A watch asks the server to end after a random time in this range, so many informers
    /// started together do not all re-watch together (client-go uses 5–10 minutes).
    public var watchTimeout: ClosedRange<Int> = 300...600
    /// Backoff for failed lists and watches.
    public var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(30))
    /// Drops `metadata.managedFields` before an object is cached or handed to handlers
    /// (controller-runtime's `TransformStripManagedFields`). Server-side apply's bookkeeping is
    /// often the largest part of an object on a real cluster, and a controller that writes with
    /// patches never reads it.
    public var stripManagedFields = true

    public init() {}
}

/// One list + watch of a resource type in one scope (a namespace or all), keeping an in-memory
/// cache that readers query synchronously and notifying handlers of every change.
///
/// - The first list is paged; the watch starts from the list's resourceVersion with bookmarks.
/// - A watch that ends or breaks resumes from the last resourceVersion seen: no event is lost
///   and none is applied twice.
/// - `410 Gone` (the version was compacted away) triggers a relist; the new listing is diffed
///   against the cache so handlers still see exactly the adds, updates and deletes that happened.
/// - Failures back off exponentially with jitter.
public final class Informer: Sendable {
    public let resource: GroupVersionResource
    public let namespace: String?
    public let labelSelector: String?
    /// A field selector such as `spec.nodeName=node-1` (a kubelet's view of its own pods).
    public let fieldSelector: String?
    public let options: InformerOptions
    /// Client-side selection (see `init`): objects it rejects are never cached nor reported.
    private let ingestFilter: (@Sendable (JSONValue) -> Bool)?

    private let api: any KubernetesAPI
    private let cache = ObjectCache()
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let handlers = Mutex<[InformerEventHandler]>([])
    private let listFailureHandlers = Mutex<[@Sendable (any Error) -> Void]>([])
    private let syncState = Mutex(SyncState())
    private let synced = OneShotSignal()

    private struct SyncState {
        var lastResourceVersion: String?
        var running = false
    }

    /// `ingestFilter` selects objects on the client, for a choice selectors cannot express (a set
    /// of names: field selectors have no `in`). Rejected objects still advance the resourceVersion
    /// but are never cached nor passed to handlers, so memory follows what is selected, not what
    /// the server sends. It is fixed for the informer's life: widening it needs a new informer
    /// (a relist), since objects rejected earlier were never kept.
    public init(
        api: any KubernetesAPI, resource: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, options: InformerOptions = InformerOptions(), metrics: RuntimeMetrics? = nil, logger: Logger = Logger(label: "informer"),
        ingestFilter: (@Sendable (JSONValue) -> Bool)? = nil
    ) {
        self.api = api
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : nil
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.options = options
        self.ingestFilter = ingestFilter
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "resource"] = "\(resource.resource)"
        self.logger = logger
    }

    // MARK: Reading the cache

    /// True once the first full listing is in the cache.
    public var hasSynced: Bool { synced.isFired }

    /// Returns once the first listing is in the cache (or the caller is cancelled).
    public func waitForSync() async { await synced.wait() }

    /// The resourceVersion of the newest change applied (list, event or bookmark).
    public var lastSyncResourceVersion: String? { syncState.withLock { $0.lastResourceVersion } }

    public func get(namespace: String?, name: String) -> JSONValue? {
        cache.get(ObjectKey(namespace: namespace, name: name).description)
    }

    public func get(_ key: ObjectKey) -> JSONValue? { cache.get(key.description) }

    /// Every cached object, or those of one namespace.
    public func list(namespace: String? = nil) -> [JSONValue] {
        guard let namespace else { return cache.list() }
        return cache.byIndex(IndexFunctions.namespaceIndexName, namespace)
    }

    public var keys: [ObjectKey] { cache.keys().map(ObjectKey.init(cacheKey:)) }

    public var count: Int { cache.count }

    /// Objects whose index `name` contains `value` (e.g. `byIndex("owner-uid", uid)`).
    public func byIndex(_ name: String, _ value: String) -> [JSONValue] { cache.byIndex(name, value) }

    /// The values index `name` holds for the object at `key`, read without decoding the object;
    /// nil when it is not cached or there is no such index. A cheap way to follow a reference
    /// from an event handler (a pod's ReplicaSet to that ReplicaSet's owner).
    public func indexValues(_ name: String, of key: ObjectKey) -> [String]? { cache.indexValues(name, of: key.description) }

    /// Registers a secondary index; objects already cached are indexed immediately.
    public func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        cache.addIndex(name, function)
    }

    /// Registers a handler. Objects already in the cache are replayed to it as adds, so a handler
    /// added late sees the same world as one added before `run()`.
    public func onEvent(_ handler: @escaping InformerEventHandler) {
        handlers.withLock { handlers in
            handlers.append(handler)
            for object in cache.list() { handler(.added, nil, object) }
        }
    }

    /// Registers a handler called with the error of every failed list, before the backoff: the
    /// informer retries on its own, but a caller may need to say why it is not syncing (a 404
    /// for the whole collection means the server does not serve the resource at all).
    public func onListFailure(_ handler: @escaping @Sendable (any Error) -> Void) {
        listFailureHandlers.withLock { $0.append(handler) }
    }

    // MARK: Running

    /// Lists and watches until the calling task is cancelled.
    public func run() async {
        let alreadyRunning = syncState.withLock { state -> Bool in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRunning else {
            logger.warning("informer already running; second run() ignored")
            return
        }
        defer {
            syncState.withLock { $0.running = false }
            // A cache no longer kept up to date is no longer counted (a NamedObjectCache drops
            // the generations it stops).
            metrics?.cachedObjects(resource, cache: ObjectIdentifier(self), count: nil)
        }

        var needsList = true
        var failures = 0
        var firstList = true
        var firstWatch = true
        while !Task.isCancelled {
            if needsList {
                do {
                    if !firstList { metrics?.relist(resource: resource.resource) }
                    try await listAndReplace()
                    firstList = false
                    needsList = false
                    failures = 0
                } catch {
                    if Task.isCancelled { return }
                    for handler in listFailureHandlers.withLock({ $0 }) { handler(error) }
                    let delay = options.backoff.delay(attempt: failures)
                    failures += 1
                    logger.warning("list failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(delay)"])
                    try? await Task.sleep(for: delay)
                    continue
                }
            }

            if !firstWatch { metrics?.watchRestart(resource: resource.resource) }
            firstWatch = false
            let outcome = await watchOnce()
            switch outcome {
            case .cancelled:
                return
            case .gone:
                logger.info("watch resourceVersion expired (410 Gone); relisting")
                needsList = true
            case .ended(let sawEvents):
                // A server-side timeout or a dropped connection: resume from the last version.
                // A watch that ends at once without events is a failure in disguise; back off.
                if sawEvents {
                    failures = 0
                } else {
                    let delay = options.backoff.delay(attempt: failures)
                    failures += 1
                    try? await Task.sleep(for: delay)
                }
            case .failed(let error):
                if Task.isCancelled { return }
                let delay = options.backoff.delay(attempt: failures)
                failures += 1
                logger.warning("watch failed; re-watching", metadata: ["error": "\(error)", "retryIn": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private enum WatchOutcome {
        case ended(sawEvents: Bool)
        case gone
        case failed(any Error)
        case cancelled
    }

    private func listAndReplace() async throws {
        // Each page is compacted as it arrives, so a large listing is never held decoded at once.
        let clock = ContinuousClock()
        let started = clock.now
        var waited = Duration.zero
        var objects: [String: CachedObject] = [:]
        var listVersion: String?
        var continueToken: String?
        var pages = 0
        repeat {
            let asked = clock.now
            let page = try await api.list(
                resource, namespace: namespace,
                options: ListOptions(
                    labelSelector: labelSelector, fieldSelector: fieldSelector, limit: options.pageSize > 0 ? options.pageSize : nil, continueToken: continueToken))
            waited += clock.now - asked
            pages += 1
            if listVersion == nil { listVersion = page.resourceVersion }
            for item in page.items where accepts(item) {
                if let key = ObjectCache.key(of: item) { objects[key] = cache.compact(trimmed(item)) }
            }
            continueToken = page.continueToken.flatMap { $0.isEmpty ? nil : $0 }
        } while continueToken != nil
        try Task.checkCancellation()
        let listed = clock.now

        handlers.withLock { handlers in
            let changes = cache.replace(with: objects)
            syncState.withLock { $0.lastResourceVersion = listVersion }
            publishCount()
            for change in changes {
                let old = change.old?.object
                let new = change.new?.object
                for handler in handlers { handler(change.kind, old, new) }
            }
        }
        synced.fire()
        logger.debug(
            "listed",
            metadata: [
                "objects": "\(objects.count)", "pages": "\(pages)", "seconds": "\((clock.now - started).seconds)",
                "waitingForPages": "\(waited.seconds)", "handling": "\((clock.now - listed).seconds)",
            ])
    }

    private func watchOnce() async -> WatchOutcome {
        let timeout = Int.random(in: options.watchTimeout)
        let stream = api.watch(
            resource, namespace: namespace,
            options: WatchOptions(
                labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: lastSyncResourceVersion, allowWatchBookmarks: true,
                timeoutSeconds: timeout))
        var sawEvents = false
        do {
            for try await event in stream {
                sawEvents = true
                switch event.type {
                case .added, .modified:
                    apply(upsert: event.object)
                case .deleted:
                    apply(delete: event.object)
                case .bookmark:
                    if let version = ObjectCache.resourceVersion(event.object) {
                        syncState.withLock { $0.lastResourceVersion = version }
                    }
                case .error:
                    let code = event.object["code"]?.intValue
                    let reason = event.object["reason"]?.stringValue
                    if code == 410 || reason == "Expired" || reason == "Gone" { return .gone }
                    return .failed(KubernetesError.api(APIStatus(
                        code: Int(code ?? 500), reason: reason, message: event.object["message"]?.stringValue)))
                }
            }
        } catch let error as KubernetesError where error.isGone {
            return .gone
        } catch {
            return Task.isCancelled ? .cancelled : .failed(error)
        }
        return Task.isCancelled ? .cancelled : .ended(sawEvents: sawEvents)
    }

    private func accepts(_ object: JSONValue) -> Bool { ingestFilter?(object) ?? true }

    /// The object as it is cached and reported.
    private func trimmed(_ object: JSONValue) -> JSONValue {
        guard options.stripManagedFields, case .object(var fields) = object, case .object(var metadata)? = fields["metadata"],
            metadata["managedFields"] != nil
        else { return object }
        // Taken out first so that the metadata dictionary is uniquely referenced and edited in place.
        fields["metadata"] = nil
        metadata["managedFields"] = nil
        fields["metadata"] = .object(metadata)
        return .object(fields)
    }

    private func apply(upsert received: JSONValue) {
        guard let key = ObjectCache.key(of: received) else { return }
        guard accepts(received) else { return advance(to: received) }
        let object = trimmed(received)
        handlers.withLock { handlers in
            let old = cache.upsert(key, object)
            if let version = ObjectCache.resourceVersion(object) {
                syncState.withLock { $0.lastResourceVersion = version }
            }
            if old == nil { publishCount() }
            for handler in handlers { handler(old == nil ? .added : .updated, old, object) }
        }
    }

    private func apply(delete received: JSONValue) {
        guard let key = ObjectCache.key(of: received) else { return }
        guard accepts(received) else { return advance(to: received) }
        let object = trimmed(received)
        handlers.withLock { handlers in
            if cache.remove(key) { publishCount() }
            if let version = ObjectCache.resourceVersion(object) {
                syncState.withLock { $0.lastResourceVersion = version }
            }
            // The server's final state, as client-go's OnDelete gets it.
            for handler in handlers { handler(.deleted, object, nil) }
        }
    }

    /// Called under the handlers lock, which orders every change to the cache, so counts are
    /// published in the order they happened.
    private func publishCount() {
        metrics?.cachedObjects(resource, cache: ObjectIdentifier(self), count: cache.count)
    }

    /// Records the version of an event whose object is not cached, so a resumed watch does not
    /// replay it.
    private func advance(to object: JSONValue) {
        if let version = ObjectCache.resourceVersion(object) {
            syncState.withLock { $0.lastResourceVersion = version }
        }
    }
}

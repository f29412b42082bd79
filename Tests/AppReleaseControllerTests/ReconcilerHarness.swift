import AppReleaseAPI
import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import RolloutEngine
import Synchronization
import TestSupport

@testable import AppReleaseController

/// The reconciler wired to the fake API server through real informers, with a clock the test
/// advances: what the controller does with each answer the cluster can give.
final class ReconcilerHarness: Sendable {
    let api = FakeKubernetesAPI()
    let appReleases: Informer
    let replicaSets: Informer
    let pods: Informer
    let services: NamedObjectCache
    let httpRoutes: NamedObjectCache
    /// The AppRelease keys the named caches woke, in order.
    let woken = Mutex<[ObjectKey]>([])
    let events: EventRecorder
    let reconciler: AppReleaseReconciler
    private let clock = ManualClock()
    private let tasks = Mutex<[Task<Void, Never>]>([])

    static let name = "web"
    static let namespace = "shop"
    static let key = ObjectKey(namespace: namespace, name: name)
    static let image = "registry.example/web@sha256:" + String(repeating: "a", count: 64)

    init() {
        appReleases = Informer(api: api, resource: .appReleases)
        replicaSets = Informer(api: api, resource: .replicaSets, labelSelector: AppReleaseAPI.revisionLabel)
        pods = Informer(api: api, resource: .pods, labelSelector: AppReleaseAPI.revisionLabel)
        for informer in [replicaSets, pods] { informer.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.controllerUID) }
        var options = InformerOptions()
        options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(100))
        services = NamedObjectCache(api: api, resource: .services, options: options)
        httpRoutes = NamedObjectCache(api: api, resource: .httpRoutes, options: options)
        events = EventRecorder(api: api, component: "apprelease-controller")
        let clock = self.clock
        reconciler = AppReleaseReconciler(
            api: api,
            caches: AppReleaseCaches(
                appReleases: appReleases, replicaSets: replicaSets, pods: pods, services: services, httpRoutes: httpRoutes),
            events: events, logger: .init(label: "test"),
            expectations: WriteExpectations(lifetime: .seconds(30), now: { clock.now }), now: { clock.date })
        for cache in [services, httpRoutes] {
            cache.onWake { [weak self] keys in self?.woken.withLock { $0.append(contentsOf: keys) } }
        }
    }

    /// Starts the informers, the named caches and the event recorder; returns once the informers
    /// are synced (the named caches list only what a reconcile pass names).
    func start() async {
        let informers = [appReleases, replicaSets, pods]
        let started = informers.map { informer in Task { await informer.run() } }
            + [services, httpRoutes].map { cache in Task { await cache.run() } }
            + [Task { [events] in await events.run() }]
        tasks.withLock { $0 = started }
        for informer in informers { await informer.waitForSync() }
    }

    func stop() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }

    func advanceClock(by duration: Duration) { clock.advance(by: duration) }

    /// Runs `body` against a started harness, stopping it on every path.
    static func with(_ body: (ReconcilerHarness) async throws -> Void) async throws {
        let harness = ReconcilerHarness()
        await harness.start()
        defer { harness.stop() }
        try await body(harness)
    }

    // MARK: Objects

    var appReleaseJSON: JSONValue { Self.appReleaseJSON() }

    /// The AppRelease, with `strategy` as its `spec.strategy` when given (Rolling otherwise).
    static func appReleaseJSON(strategy: JSONValue? = nil) -> JSONValue {
        [
            "apiVersion": .string(AppReleaseAPI.apiVersion), "kind": .string(AppReleaseAPI.kind),
            "metadata": ["name": .string(name), "namespace": .string(namespace), "generation": 1],
            "spec": [
                "image": .string(image), "replicas": 3,
                "selector": ["matchLabels": ["app": "web"]],
                "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app"]]]],
                "strategy": strategy ?? ["type": "Rolling", "rolling": ["maxSurge": 1, "maxUnavailable": 0]],
            ],
        ]
    }

    /// The name of the ReplicaSet the spec's revision gets.
    var revisionReplicaSetName: String {
        get throws {
            let spec = try RolloutEngine.validate(appReleaseJSON["spec"] ?? .null).get()
            return ReplicaSetBuilder.name(appRelease: Self.name, revision: spec.revision)
        }
    }

    /// A ReplicaSet of the revision's name, labelled as ours, controlled by `owner` if given.
    func replicaSetJSON(name: String, owner: OwnerReference?) throws -> JSONValue {
        let spec = try RolloutEngine.validate(appReleaseJSON["spec"] ?? .null).get()
        var metadata: JSONValue = [
            "name": .string(name), "namespace": .string(Self.namespace),
            "labels": ["app": "web", .init(stringLiteral: AppReleaseAPI.revisionLabel): .string(spec.revision)],
        ]
        if let owner { metadata["ownerReferences"] = [owner.json] }
        return [
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": metadata,
            "spec": ["replicas": 0, "selector": ["matchLabels": ["app": "web"]], "template": ["metadata": ["labels": ["app": "web"]]]],
        ]
    }

    /// Creates the AppRelease, with `strategy` as its `spec.strategy` when given.
    @discardableResult
    func createAppRelease(strategy: JSONValue? = nil) async throws -> String {
        let created = try await api.create(.appReleases, namespace: Self.namespace, object: Self.appReleaseJSON(strategy: strategy))
        try await waitForCaches()
        return created.meta.uid
    }

    func stored(_ resource: GroupVersionResource, _ name: String) -> JSONValue? {
        api.objects(resource)["\(Self.namespace)/\(name)"]
    }

    /// Until the AppRelease and ReplicaSet caches hold exactly what the fake API server holds.
    func waitForCaches() async throws {
        func versions(_ objects: [JSONValue]) -> Set<String> { Set(objects.map { "\($0.meta.name)@\($0.meta.resourceVersion)" }) }
        try await eventually("the caches to catch up with the server") {
            versions(Array(api.objects(.appReleases).values)) == versions(appReleases.list())
                && versions(Array(api.objects(.replicaSets).values)) == versions(replicaSets.list())
        }
    }
}

/// A clock that moves only when the test says so: the monotonic instant and the wall-clock date
/// move together.
final class ManualClock: Sendable {
    private let instant = Mutex((ContinuousClock.now, Date(timeIntervalSince1970: 1_800_000_000)))
    var now: ContinuousClock.Instant { instant.withLock { $0.0 } }
    var date: Date { instant.withLock { $0.1 } }
    func advance(by duration: Duration) {
        instant.withLock { state in
            state.0 += duration
            state.1 += Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}

import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import Synchronization

/// The driver's view of the fleet, from watches (informers) on AppReleases and ReplicaSets. Each
/// milestone is stamped when its watch event arrives, so a wait that polls this view still times
/// what happened to within the watch's delivery, not to the poll's interval.
final class FleetWatch: Sendable {
    /// What the scenarios read of one AppRelease.
    struct AppView: Sendable {
        var generation: Int64
        var observedGeneration: Int64?
        var image: String
        /// The released image is stable and Ready, and the status describes this spec.
        var isReady: Bool
        /// A failed release was reverted and the stable revision restored (every stable pod
        /// available, every other revision at 0): the status says `RolledBack`, and no longer
        /// `RollingBack`.
        var isRestored: Bool
        var isObserved: Bool { observedGeneration == generation }

        init(_ object: JSONValue) {
            generation = object.meta.generation
            let status = object["status"]
            observedGeneration = status?["observedGeneration"]?.intValue
            image = object[path: "spec", "image"]?.stringValue ?? ""
            let conditions = status?["conditions"]?.arrayValue ?? []
            func condition(_ type: String) -> JSONValue? { conditions.first { $0["type"]?.stringValue == type } }
            let observed = observedGeneration == generation
            isReady =
                observed && status?["stableImage"]?.stringValue == image
                && condition(AppReleaseAPI.ConditionType.ready)?["status"]?.stringValue == "True"
            let reconciling = condition(AppReleaseAPI.ConditionType.reconciling)
            isRestored =
                observed && status?["phase"]?.stringValue == "RolledBack" && reconciling?["status"]?.stringValue == "False"
                && reconciling?["reason"]?.stringValue == AppReleaseAPI.ConditionReason.rolledBack
        }
    }

    private struct Milestone {
        var image: String
        var at: ContinuousClock.Instant
    }

    private struct State {
        var apps: [String: AppView] = [:]
        var observed: [String: ContinuousClock.Instant] = [:]
        var ready: [String: Milestone] = [:]
        var restored: [String: Milestone] = [:]
        /// App → image → when the driver first saw a ReplicaSet of that image owned by the app.
        var replicaSetsSeen: [String: [String: ContinuousClock.Instant]] = [:]
        /// App → ReplicaSets it controls now, kept from the watch so that counting them for a
        /// fleet of 10,000 reads no cached object.
        var replicaSetsOwned: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let appReleases: Informer
    private let replicaSets: Informer
    private let running = Mutex<Task<Void, Never>?>(nil)

    init(client: KubernetesClient, namespace: String) {
        appReleases = Informer(api: client, resource: .appReleases, namespace: namespace)
        replicaSets = Informer(api: client, resource: .replicaSets, namespace: namespace)
        appReleases.onEvent { [weak self] _, _, new in
            if let new { self?.appReleaseChanged(new, at: .now) }
        }
        replicaSets.onEvent { [weak self] kind, old, new in
            if kind == .added, let new { self?.replicaSetAdded(new, at: .now) }
            if kind == .deleted, let old { self?.replicaSetDeleted(old) }
        }
    }

    private func appReleaseChanged(_ object: JSONValue, at now: ContinuousClock.Instant) {
        let view = AppView(object)
        let name = object.meta.name
        state.withLock { state in
            state.apps[name] = view
            if view.isObserved, state.observed[name] == nil { state.observed[name] = now }
            if view.isReady, state.ready[name]?.image != view.image { state.ready[name] = Milestone(image: view.image, at: now) }
            if view.isRestored, state.restored[name]?.image != view.image { state.restored[name] = Milestone(image: view.image, at: now) }
        }
    }

    private func replicaSetAdded(_ object: JSONValue, at now: ContinuousClock.Instant) {
        guard let owner = object.meta.controller(.appReleases)?.name else { return }
        let image = object.meta.annotations[AppReleaseAPI.imageAnnotation]
        state.withLock { state in
            state.replicaSetsOwned[owner, default: 0] += 1
            if let image, state.replicaSetsSeen[owner, default: [:]][image] == nil { state.replicaSetsSeen[owner, default: [:]][image] = now }
        }
    }

    private func replicaSetDeleted(_ object: JSONValue) {
        guard let owner = object.meta.controller(.appReleases)?.name else { return }
        state.withLock { $0.replicaSetsOwned[owner, default: 0] -= 1 }
    }

    /// Lists and watches until `stop()`; returns once both caches hold a full listing.
    func start() async {
        let task = Task { [appReleases, replicaSets] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await appReleases.run() }
                group.addTask { await replicaSets.run() }
            }
        }
        running.withLock { $0 = task }
        await appReleases.waitForSync()
        await replicaSets.waitForSync()
    }

    func stop() async {
        let task = running.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    func view(of name: String) -> AppView? { state.withLock { $0.apps[name] } }

    /// When `name`'s status first described its spec.
    func observedTime(of name: String) -> ContinuousClock.Instant? { state.withLock { $0.observed[name] } }

    /// When `name` became Ready with `image` released.
    func readyTime(of name: String, image: String) -> ContinuousClock.Instant? {
        state.withLock { state in state.ready[name].flatMap { $0.image == image ? $0.at : nil } }
    }

    /// When `name`'s release of `image` had been reverted and the stable revision restored.
    func restoredTime(of name: String, image: String) -> ContinuousClock.Instant? {
        state.withLock { state in state.restored[name].flatMap { $0.image == image ? $0.at : nil } }
    }

    /// When a ReplicaSet of `image` owned by `name` first appeared.
    func replicaSetTime(of name: String, image: String) -> ContinuousClock.Instant? {
        state.withLock { $0.replicaSetsSeen[name]?[image] }
    }

    /// How many AppReleases own each number of ReplicaSets (`[2: 1000]`: every one owns two).
    func replicaSetsPerApp(_ names: [String]) -> [Int: Int] {
        state.withLock { state in
            var histogram: [Int: Int] = [:]
            for name in names { histogram[state.replicaSetsOwned[name] ?? 0, default: 0] += 1 }
            return histogram
        }
    }
}

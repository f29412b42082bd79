import AppReleaseAPI
import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import Logging

/// The AppRelease controller: informers on AppReleases, the ReplicaSets they own and those
/// ReplicaSets' pods, caches of the Services and HTTPRoutes they name, a work queue of AppRelease
/// keys fed by all five, and the reconciler.
public enum AppReleaseController {
    public static let name = "apprelease"
    /// The component name on Events (`kubectl describe` shows it as the source).
    public static let component = "apprelease-controller"

    /// Registers the controller with `manager` (call before `manager.run()`).
    @discardableResult
    public static func register(
        in manager: ControllerManager, workers: Int = 4,
        statusBatchPeriod: TimeInterval = AppReleaseReconciler.defaultStatusBatchPeriod, logger: Logger = Logger(label: "apprelease")
    ) -> Controller {
        // ReplicaSets and pods of ours all carry the revision label: caching only those keeps the
        // operator's memory independent of everything else running in the cluster.
        let ownedSelector = AppReleaseAPI.revisionLabel
        let appReleases = manager.informers.informer(for: .appReleases)
        let replicaSets = manager.informers.informer(for: .replicaSets, labelSelector: ownedSelector)
        let pods = manager.informers.informer(for: .pods, labelSelector: ownedSelector)
        replicaSets.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.controllerUID)
        replicaSets.addIndex(Ownership.appReleaseIndexName, Ownership.appReleaseIndex)
        pods.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.controllerUID)
        // Only what BlueGreen and Canary releases name, watched from their first reconcile on:
        // nothing for Rolling, and no HTTPRoute watch (so no failure) on a cluster without the
        // Gateway API unless a release names a route.
        let services = manager.informers.namedObjectCache(for: .services)
        let httpRoutes = manager.informers.namedObjectCache(for: .httpRoutes)

        let caches = AppReleaseCaches(appReleases: appReleases, replicaSets: replicaSets, pods: pods, services: services, httpRoutes: httpRoutes)
        let reconciler = AppReleaseReconciler(
            api: manager.api, caches: caches, events: manager.eventRecorder(component: component), logger: logger,
            statusBatchPeriod: statusBatchPeriod)
        let controller = manager.addController(name: name, reconciler: reconciler, workers: workers)
        controller.watches(appReleases)
        controller.owns(replicaSets, owner: .appReleases)
        controller.watches(pods, filter: Ownership.podChangeMatters) { pod in
            Ownership.appRelease(ofPod: pod, replicaSets: replicaSets).map { [$0] } ?? []
        }
        controller.watches(services)
        controller.watches(httpRoutes)
        return controller
    }
}

/// The caches a reconcile pass reads. Services and HTTPRoutes are cached only as AppReleases name
/// them (by their keys), never every Service in the cluster.
struct AppReleaseCaches: Sendable {
    let appReleases: Informer
    let replicaSets: Informer
    let pods: Informer
    let services: NamedObjectCache
    let httpRoutes: NamedObjectCache

    func appRelease(_ key: ObjectKey) -> JSONValue? { appReleases.get(key) }

    /// Watches what the AppRelease `owner` names (in its namespace), and stops watching what it
    /// no longer names.
    func want(_ names: TrafficNames, owner: ObjectKey) {
        guard let namespace = owner.namespace else { return release(owner: owner) }
        services.want(owner: owner, namespace: namespace, names: names.services)
        httpRoutes.want(owner: owner, namespace: namespace, names: names.httpRoutes)
    }

    /// The AppRelease `owner` is gone (or going): nothing is watched for it any more.
    func release(owner: ObjectKey) {
        services.release(owner: owner)
        httpRoutes.release(owner: owner)
    }

    /// ReplicaSets whose controlling owner is the AppRelease with `uid`.
    func replicaSets(ownedBy uid: String) -> [JSONValue] {
        replicaSets.byIndex(IndexFunctions.ownerUIDIndexName, uid)
    }

    /// Pods whose controlling owner is the ReplicaSet with `uid`.
    func pods(ownedBy uid: String) -> [JSONValue] {
        pods.byIndex(IndexFunctions.ownerUIDIndexName, uid)
    }
}

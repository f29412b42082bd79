import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import Logging

/// The AppRelease controller: informers on AppReleases, the ReplicaSets they own and those
/// ReplicaSets' pods, a work queue of AppRelease keys fed by all three, and the reconciler.
public enum AppReleaseController {
    public static let name = "apprelease"
    /// The component name on Events (`kubectl describe` shows it as the source).
    public static let component = "apprelease-controller"

    /// Registers the controller with `manager` (call before `manager.run()`).
    @discardableResult
    public static func register(in manager: ControllerManager, workers: Int = 4, logger: Logger = Logger(label: "apprelease")) -> Controller {
        // ReplicaSets and pods of ours all carry the revision label: caching only those keeps the
        // operator's memory independent of everything else running in the cluster.
        let ownedSelector = AppReleaseAPI.revisionLabel
        let appReleases = manager.informers.informer(for: .appReleases)
        let replicaSets = manager.informers.informer(for: .replicaSets, labelSelector: ownedSelector)
        let pods = manager.informers.informer(for: .pods, labelSelector: ownedSelector)
        replicaSets.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.controllerUID)
        pods.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.controllerUID)

        let reconciler = AppReleaseReconciler(
            api: manager.api, caches: AppReleaseCaches(appReleases: appReleases, replicaSets: replicaSets, pods: pods),
            events: manager.eventRecorder(component: component), logger: logger)
        let controller = manager.addController(name: name, reconciler: reconciler, workers: workers)
        controller.watches(appReleases)
        controller.owns(replicaSets, owner: .appReleases)
        controller.watches(pods) { pod in Ownership.appRelease(ofPod: pod, replicaSets: replicaSets).map { [$0] } ?? [] }
        return controller
    }
}

/// The three caches a reconcile pass reads. No Service is cached: Rolling routes no traffic, and
/// the strategies that do will cache only the Services they name, never every Service in the cluster.
struct AppReleaseCaches: Sendable {
    let appReleases: Informer
    let replicaSets: Informer
    let pods: Informer

    func appRelease(_ key: ObjectKey) -> JSONValue? { appReleases.get(key) }

    /// ReplicaSets whose controlling owner is the AppRelease with `uid`.
    func replicaSets(ownedBy uid: String) -> [JSONValue] {
        replicaSets.byIndex(IndexFunctions.ownerUIDIndexName, uid)
    }

    /// Pods whose controlling owner is the ReplicaSet with `uid`.
    func pods(ownedBy uid: String) -> [JSONValue] {
        pods.byIndex(IndexFunctions.ownerUIDIndexName, uid)
    }
}

import ControllerRuntime
import KubeModels
import RolloutEngine

/// Maps the objects an AppRelease owns back to it, through controller ownerReferences matched by
/// group and kind: a ReplicaSet names its AppRelease; a pod names its ReplicaSet, found in the
/// ReplicaSet cache.
enum Ownership {
    /// The AppRelease controlling a ReplicaSet.
    static func appRelease(ofReplicaSet replicaSet: JSONValue) -> ObjectKey? {
        Controller.controllerOwner(of: replicaSet, owner: .appReleases)
    }

    /// Whether a pod event can change what a reconcile decides: an update only when what the
    /// engine reads of a pod (`ObservedPod`: readiness, restarts, waiting reasons, deletion) or its
    /// controller changed. A pod's IP, node and container IDs arriving wake nobody; a rolling
    /// release of 3 pods sends about twenty pod updates, half of which change nothing read.
    @Sendable static func podChangeMatters(_ kind: InformerEventKind, old: JSONValue?, new: JSONValue?) -> Bool {
        guard kind == .updated, let old, let new else { return true }
        return ObservedPod(json: old) != ObservedPod(json: new) || old.meta.controllerReference != new.meta.controllerReference
    }

    /// Indexes each cached ReplicaSet by the name of its controlling AppRelease, so a pod event
    /// finds its AppRelease without decoding the ReplicaSet.
    static let appReleaseIndexName = "apprelease"
    static let appReleaseIndex: IndexFunction = { replicaSet in
        appRelease(ofReplicaSet: replicaSet).map { [$0.name] } ?? []
    }

    /// The AppRelease controlling the ReplicaSet that controls a pod (both in the pod's namespace).
    static func appRelease(ofPod pod: JSONValue, replicaSets: Informer) -> ObjectKey? {
        guard let owner = Controller.controllerOwner(of: pod, owner: .replicaSets),
            let name = replicaSets.indexValues(appReleaseIndexName, of: owner)?.first
        else { return nil }
        return ObjectKey(namespace: owner.namespace, name: name)
    }
}

import ControllerRuntime
import KubeModels

/// Maps the objects an AppRelease owns back to it, through controller ownerReferences matched by
/// group and kind: a ReplicaSet names its AppRelease; a pod names its ReplicaSet, found in the
/// ReplicaSet cache.
enum Ownership {
    /// The AppRelease controlling a ReplicaSet.
    static func appRelease(ofReplicaSet replicaSet: JSONValue) -> ObjectKey? {
        Controller.controllerOwner(of: replicaSet, owner: .appReleases)
    }

    /// The AppRelease controlling the ReplicaSet that controls a pod.
    static func appRelease(ofPod pod: JSONValue, replicaSets: Informer) -> ObjectKey? {
        guard let owner = Controller.controllerOwner(of: pod, owner: .replicaSets), let replicaSet = replicaSets.get(owner) else {
            return nil
        }
        return appRelease(ofReplicaSet: replicaSet)
    }
}

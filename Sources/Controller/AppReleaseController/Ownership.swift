import ControllerRuntime
import KubeModels

/// Maps the objects an AppRelease owns back to it, through controller ownerReferences: a
/// ReplicaSet names its AppRelease; a pod names its ReplicaSet, found in the ReplicaSet cache.
enum Ownership {
    static let group = "apprelease.dev"
    static let kind = "AppRelease"

    /// The controlling ownerReference of `object` of `kind` (any version of the group).
    static func controller(of object: JSONValue, kind: String, group: String?) -> (name: String, uid: String)? {
        for reference in object[path: "metadata", "ownerReferences"]?.arrayValue ?? [] {
            guard reference["controller"]?.boolValue == true, reference["kind"]?.stringValue == kind,
                let name = reference["name"]?.stringValue
            else { continue }
            if let group {
                let apiVersion = reference["apiVersion"]?.stringValue ?? ""
                let referenceGroup = apiVersion.split(separator: "/").count == 2 ? String(apiVersion.split(separator: "/")[0]) : ""
                guard referenceGroup == group else { continue }
            }
            return (name, reference["uid"]?.stringValue ?? "")
        }
        return nil
    }

    /// The AppRelease controlling a ReplicaSet.
    static func appRelease(ofReplicaSet replicaSet: JSONValue) -> ObjectKey? {
        guard let owner = controller(of: replicaSet, kind: kind, group: group) else { return nil }
        return ObjectKey(namespace: namespace(of: replicaSet), name: owner.name)
    }

    /// The AppRelease controlling the ReplicaSet that controls a pod.
    static func appRelease(ofPod pod: JSONValue, replicaSets: Informer) -> ObjectKey? {
        guard let owner = controller(of: pod, kind: "ReplicaSet", group: "apps"),
            let replicaSet = replicaSets.get(namespace: namespace(of: pod), name: owner.name)
        else { return nil }
        return appRelease(ofReplicaSet: replicaSet)
    }

    static func namespace(of object: JSONValue) -> String? {
        guard let namespace = object[path: "metadata", "namespace"]?.stringValue, !namespace.isEmpty else { return nil }
        return namespace
    }
}

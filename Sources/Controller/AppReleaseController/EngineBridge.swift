import ControllerRuntime
import Foundation
import KubeModels
import RolloutEngine

/// Builds the engine's snapshot from cached objects. Reading only: every decision is the engine's.
enum EngineBridge {
    static func snapshot(appRelease: JSONValue, replicaSets: [JSONValue], caches: AppReleaseCaches, now: Date) -> ReleaseSnapshot {
        let observed = ObservedAppRelease(json: appRelease)
        let pods = replicaSets.flatMap { replicaSet -> [ObservedPod] in
            let uid = replicaSet.meta.uid
            return uid.isEmpty ? [] : caches.pods(ownedBy: uid).map(ObservedPod.init(json:))
        }
        return ReleaseSnapshot(
            appRelease: observed, replicaSets: replicaSets.compactMap(ObservedReplicaSet.init(json:)), pods: pods, now: now)
    }
}

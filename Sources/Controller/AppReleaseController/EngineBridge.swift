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
        let services = serviceNames(in: observed.spec).compactMap { name in
            caches.service(namespace: observed.namespace, name: name).map(ObservedService.init(json:))
        }
        return ReleaseSnapshot(
            appRelease: observed, replicaSets: replicaSets.compactMap(ObservedReplicaSet.init(json:)), pods: pods,
            services: services, now: now)
    }

    /// The Services a strategy routes through, by the spec's field names.
    static func serviceNames(in spec: JSONValue) -> [String] {
        let paths: [[String]] = [
            ["strategy", "blueGreen", "activeService"], ["strategy", "blueGreen", "previewService"],
            ["strategy", "canary", "stableService"], ["strategy", "canary", "canaryService"],
        ]
        var names: [String] = []
        for path in paths {
            var value: JSONValue? = spec
            for key in path { value = value?[key] }
            if let name = value?.stringValue, !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }
}

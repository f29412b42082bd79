import ControllerRuntime
import Foundation
import KubeModels
import RolloutEngine

/// Builds the engine's snapshot from cached objects. Reading only: every decision is the engine's.
enum EngineBridge {
    /// The Services and HTTPRoute an AppRelease names, as the engine observes them.
    struct Traffic: Sendable, Equatable {
        /// The named Services that exist, by name.
        var services: [ObservedService] = []
        /// nil when no route is named.
        var httpRoute: HTTPRouteObservation?
    }

    static func snapshot(
        appRelease: JSONValue, replicaSets: [JSONValue], traffic: Traffic, caches: AppReleaseCaches, now: Date
    ) -> ReleaseSnapshot {
        let observed = ObservedAppRelease(json: appRelease)
        let pods = replicaSets.flatMap { replicaSet -> [ObservedPod] in
            let uid = replicaSet.meta.uid
            return uid.isEmpty ? [] : caches.pods(ownedBy: uid).map(ObservedPod.init(json:))
        }
        return ReleaseSnapshot(
            appRelease: observed, replicaSets: replicaSets.compactMap(ObservedReplicaSet.init(json:)), pods: pods,
            services: traffic.services, httpRoute: traffic.httpRoute, now: now)
    }

    /// Reads what `names` names in `namespace`; nil while a cache it needs has not listed them yet.
    /// The engine takes a Service missing from the list as one that does not exist, so a cache
    /// that does not know yet must not be read as "absent": the caller waits for its sync.
    static func traffic(_ names: TrafficNames, namespace: String, caches: AppReleaseCaches) -> Traffic? {
        var traffic = Traffic()
        for name in names.services.sorted() {
            switch caches.services.lookup(namespace: namespace, name: name) {
            case .found(let object): traffic.services.append(ObservedService(json: object))
            case .absent: continue
            // Services are core: a cluster that does not serve them cannot be planned for at all.
            case .notSynced, .apiUnavailable: return nil
            }
        }
        if let route = names.httpRoute {
            switch caches.httpRoutes.lookup(namespace: namespace, name: route) {
            case .found(let object): traffic.httpRoute = .found(ObservedHTTPRoute(json: object))
            case .absent: traffic.httpRoute = .notFound
            case .apiUnavailable(let message): traffic.httpRoute = .apiUnavailable(message)
            case .notSynced: return nil
            }
        }
        return traffic
    }
}

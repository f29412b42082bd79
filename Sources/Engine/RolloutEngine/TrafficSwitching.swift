import AppReleaseAPI
import KubeModels

/// Moving traffic between revisions, shared by BlueGreen and Canary: Services pinned to a
/// revision through our label, and the weights of an HTTPRoute's backendRefs. Every switch is
/// planned from what is observed, and only toward a revision that has the pods to serve it.
extension Planner {
    func service(_ name: String?) -> ObservedService? {
        guard let name else { return nil }
        return snapshot.services.first { $0.name == name }
    }

    /// Whether one of the named Services selects `revision`: it is pinned to it, or not pinned
    /// at all (then its own keys select every revision's pods).
    func isRouted(_ revision: String, by services: [String]) -> Bool {
        services.contains { name in
            guard let service = service(name) else { return false }
            let pinned = service.pinnedRevision
            return pinned == nil || pinned == revision
        }
    }

    /// Points the Service `name` at `revision` once that revision has `needed` available pods.
    /// Only our selector key is written; a missing Service is the strategy's blocker to report.
    mutating func pointService(_ name: String?, at revision: String, needing needed: Int) {
        guard let service = service(name), service.pinnedRevision != revision,
            (replicaSet(of: revision)?.availableReplicas ?? 0) >= needed
        else { return }
        writes.append(.selectRevision(service: service.name, revision: revision))
        let previous = service.pinnedRevision.map { "revision \($0)" } ?? "every revision"
        event(.normal, "SwitchedService", "Switched Service \(service.name) from \(previous) to revision \(revision)")
    }

    /// The HTTPRoute named by the strategy, when it exists.
    var observedRoute: ObservedHTTPRoute? {
        guard case .found(let route) = snapshot.httpRoute else { return nil }
        return route
    }

    /// The backendRefs to `stable` and `canary` in the rules that name both: the ones whose
    /// weights split traffic between the revisions. Rules naming only one are left alone.
    func splitRefs(_ route: ObservedHTTPRoute, stable: String, canary: String) -> [(ref: ObservedHTTPRoute.BackendRef, isCanary: Bool)] {
        let rules = Set(route.backendRefs.map(\.rule))
        return rules.sorted().flatMap { rule -> [(ref: ObservedHTTPRoute.BackendRef, isCanary: Bool)] in
            let refs = route.backendRefs.filter { $0.rule == rule }
            guard refs.contains(where: { $0.refers(toService: stable) }), refs.contains(where: { $0.refers(toService: canary) })
            else { return [] }
            return refs.compactMap { ref in
                if ref.refers(toService: canary) { return (ref, true) }
                if ref.refers(toService: stable) { return (ref, false) }
                return nil
            }
        }
    }

    /// The canary's weight on the route as observed (the first split rule), nil without one.
    func canaryWeight(stable: String, canary: String) -> Int? {
        guard let route = observedRoute else { return nil }
        return splitRefs(route, stable: stable, canary: canary).first { $0.isCanary }?.ref.effectiveWeight
    }

    /// Whether every split rule sends exactly `weight` percent to the canary and the rest to stable.
    func routeHasWeight(_ weight: Int, stable: String, canary: String) -> Bool {
        guard let route = observedRoute else { return false }
        let refs = splitRefs(route, stable: stable, canary: canary)
        return !refs.isEmpty && refs.allSatisfy { $0.ref.effectiveWeight == ($0.isCanary ? weight : 100 - weight) }
    }

    /// Sets `weight` percent on the canary's backendRefs and the rest on the stable ones, in one
    /// write guarded by the route's resourceVersion; nothing when they already are.
    mutating func setRouteWeight(_ weight: Int, stable: String, canary: String) {
        guard let route = observedRoute else { return }
        let changes = splitRefs(route, stable: stable, canary: canary).compactMap { entry -> RouteWeight? in
            let wanted = entry.isCanary ? weight : 100 - weight
            guard entry.ref.effectiveWeight != wanted else { return nil }
            return RouteWeight(rule: entry.ref.rule, index: entry.ref.index, weight: wanted)
        }
        guard !changes.isEmpty else { return }
        writes.append(.setRouteWeights(route: route.name, resourceVersion: route.resourceVersion, weights: changes))
        event(
            .normal, "TrafficWeightSet",
            "HTTPRoute \(route.name): \(weight)% to Service \(canary) (new revision), \(100 - weight)% to Service \(stable)")
    }

    /// Traffic and pods to one revision, with nothing in flight (converge) or after a failure
    /// (revert): the `primary` Services (active, stable) once it is fully available, the
    /// `secondary` ones (preview, canary) once it has a pod, the route's weights all to stable;
    /// then the other revisions go to 0 as availability allows and once no Service selects them.
    mutating func settle(
        on revision: String, spec: ReleaseSpec, primary: [String], secondary: [String], route: (stable: String, canary: String)?
    ) {
        guard let set = replicaSet(of: revision) else {
            createReplicaSet(spec, revision: revision, size: spec.replicas)
            return
        }
        for name in primary { pointService(name, at: revision, needing: spec.replicas) }
        for name in secondary { pointService(name, at: revision, needing: min(1, spec.replicas)) }
        if let route { setRouteWeight(0, stable: route.stable, canary: route.canary) }
        scaleToward([set.name: spec.replicas], spec: spec, minAvailable: spec.replicas, routedBy: primary + secondary)
    }

    /// The named objects' state for the blocker every traffic strategy reports.
    func missingService(_ name: String?, field: String) -> Blocker? {
        guard let name, service(name) == nil else { return nil }
        return Blocker(
            reason: AppReleaseAPI.ConditionReason.serviceNotFound,
            message: "Service \(name) (\(field)) does not exist in namespace \(appRelease.namespace)")
    }
}

extension ObservedService {
    /// The revision our label pins this Service to; nil when its selector does not name one.
    var pinnedRevision: String? { selector[AppReleaseAPI.revisionLabel] }
}

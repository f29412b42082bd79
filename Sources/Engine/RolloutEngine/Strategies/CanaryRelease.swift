import AppReleaseAPI
import Foundation

/// Canary: traffic moves to the new revision step by step (`setWeight`, timed or open `pause`).
///
/// Without a route the weight is the share of pods: the user's Service reaches both revisions.
/// With `stableService` / `canaryService` each is pinned to its revision; with an HTTPRoute the
/// weights on those two Services' backendRefs are set exactly. The stable revision then keeps all
/// its pods until promotion (the canary's pods are extra), so the traffic that stays on it never
/// loses capacity. After the last step the new revision is scaled to `replicas`, the stable
/// Service is switched to it, the route goes back to 100/0, and the old revision is scaled down
/// `scaleDownDelaySeconds` later. `status.release.stepIndex` is the step being run (`steps.count`
/// once all are done), `stepStartedAt` when it began.
struct CanaryRelease: TrafficStrategy {
    let config: CanaryStrategy
    let steps: [ResolvedCanaryStep]

    var services: [String] { [config.stableService, config.canaryService].compactMap { $0 } }
    var scaleDownDelay: Int { config.scaleDownDelaySeconds ?? ReleaseSpec.defaultScaleDownDelaySeconds }
    /// The two Services whose backendRefs split the route's traffic (validation requires both).
    var routed: (stable: String, canary: String)? {
        guard config.trafficRouting?.httpRoute != nil, let stable = config.stableService, let canary = config.canaryService
        else { return nil }
        return (stable, canary)
    }
    /// Traffic reaches the stable revision through a pinned Service: it keeps every pod.
    var stableKeepsFullSize: Bool { config.stableService != nil }

    /// The weight in force at step `index`: the last `setWeight` up to it (100 once all are done).
    func weight(at index: Int) -> Int {
        guard index < steps.count else { return 100 }
        for step in steps[...index].reversed() {
            if case .setWeight(let weight) = step { return weight }
        }
        return 0
    }

    /// Canary pods for `weight`. As a share of pods the count is rounded to the nearest (10
    /// replicas at 41% → 4, as Argo Rollouts does); as extra pods behind a pinned Service it is
    /// rounded up, so the canary has the capacity for its share of traffic. Never 0 above 0%.
    func canaryReplicas(weight: Int, replicas: Int) -> Int {
        guard weight > 0, replicas > 0 else { return 0 }
        guard weight < 100 else { return replicas }
        let exact = Double(replicas * weight) / 100
        let count = Int(stableKeepsFullSize ? exact.rounded(.up) : exact.rounded(.toNearestOrAwayFromZero))
        return min(max(count, 1), replicas)
    }

    func stableReplicas(weight: Int, replicas: Int) -> Int {
        stableKeepsFullSize ? replicas : replicas - canaryReplicas(weight: weight, replicas: replicas)
    }

    func settle(_ planner: inout Planner, spec: ReleaseSpec, on revision: String) {
        // Weights to stable first, then the canary Service, then pods: no request is sent to a
        // pod that is going away.
        planner.settle(
            on: revision, spec: spec, primary: config.stableService.map { [$0] } ?? [],
            secondary: config.canaryService.map { [$0] } ?? [], route: routed)
    }

    private func stableSet(_ planner: Planner) -> ObservedReplicaSet? {
        planner.status.stableRevision.flatMap { planner.replicaSet(of: $0) }
    }

    func release(_ planner: inout Planner, spec: ReleaseSpec, revision: String) {
        guard blocker(planner) == nil, var release = planner.status.release else { return }
        guard let stable = stableSet(planner) else {
            // A first release has nothing serving to protect: no steps (Argo's "initial deploy").
            if !spec.paused { settle(&planner, spec: spec, on: revision) }
            return
        }
        var index = min(release.stepIndex ?? 0, steps.count)
        guard let target = planner.replicaSet(of: revision) else {
            if !spec.paused {
                // A canary superseded mid-route loses its share at once: it runs an image nobody wants now.
                if let routed { planner.setRouteWeight(0, stable: routed.stable, canary: routed.canary) }
                planner.createReplicaSet(
                    spec, revision: revision, size: canaryReplicas(weight: weight(at: index), replicas: spec.replicas))
            }
            release.stepIndex = index
            planner.status.release = release
            report(&planner, index: index)
            return
        }
        planner.renumberIfReused(target)
        if !spec.paused {
            if planner.promote == .full {
                planner.takePromote("Full promotion of revision \(revision) requested: skipping the remaining steps")
                if index < steps.count {
                    index = steps.count
                    release.stepStartedAt = planner.now
                    release.lastProgressAt = planner.now
                }
            }
            while index < steps.count, isDone(&planner, step: index, release: release, spec: spec, target: target, stable: stable) {
                planner.event(.normal, "StepCompleted", "Canary step \(index + 1)/\(steps.count) (\(describe(steps[index]))) completed")
                index += 1
                release.stepStartedAt = planner.now
                release.lastProgressAt = planner.now
            }
            if planner.promote == .step, index < steps.count {
                planner.promoteIgnoredBecause =
                    "step \(index + 1)/\(steps.count) (\(describe(steps[index]))) is not a pause: it ends when its pods are available"
            }
        }
        release.stepIndex = index
        report(&planner, index: index)
        if index < steps.count {
            moveToward(&planner, weight: weight(at: index), spec: spec, revision: revision, target: target, stable: stable)
        } else {
            promote(&planner, release: &release, spec: spec, revision: revision, target: target, stable: stable)
        }
        planner.status.release = release
    }

    private func report(_ planner: inout Planner, index: Int) {
        planner.status.currentStepIndex = index
        planner.status.canaryWeight = weight(at: index)
    }

    /// Whether step `index` is done: a weight once its pods and traffic are in place; a pause
    /// once its time is up or on `promote` (which it takes).
    private func isDone(
        _ planner: inout Planner, step index: Int, release: ReleaseProgress, spec: ReleaseSpec, target: ObservedReplicaSet,
        stable: ObservedReplicaSet
    ) -> Bool {
        switch steps[index] {
        case .setWeight(let weight):
            return hasWeight(planner, weight: weight, spec: spec, target: target, stable: stable)
        case .pause(let seconds):
            if planner.promote == .step {
                planner.takePromote("Canary step \(index + 1)/\(steps.count) (pause) ended by promotion")
                return true
            }
            guard let seconds else { return false }
            let endsAt = (release.stepStartedAt ?? release.startedAt).addingTimeInterval(Double(seconds))
            if planner.now >= endsAt { return true }
            planner.requeue(after: planner.seconds(until: endsAt))
            return false
        }
    }

    /// Every pod and every byte of traffic where `weight` puts them.
    private func hasWeight(
        _ planner: Planner, weight: Int, spec: ReleaseSpec, target: ObservedReplicaSet, stable: ObservedReplicaSet
    ) -> Bool {
        let canaryPods = canaryReplicas(weight: weight, replicas: spec.replicas)
        let others = planner.liveReplicaSets.filter { $0.name != target.name && $0.name != stable.name }
        guard target.replicas == canaryPods, target.availableReplicas >= canaryPods,
            stable.replicas == stableReplicas(weight: weight, replicas: spec.replicas),
            others.allSatisfy({ $0.replicas == 0 })
        else { return false }
        if let service = planner.service(config.stableService), service.pinnedRevision != stable.revision { return false }
        if canaryPods > 0, let service = planner.service(config.canaryService), service.pinnedRevision != target.revision {
            return false
        }
        if let routed { return planner.routeHasWeight(weight, stable: routed.stable, canary: routed.canary) }
        return true
    }

    private func moveToward(
        _ planner: inout Planner, weight: Int, spec: ReleaseSpec, revision: String, target: ObservedReplicaSet,
        stable: ObservedReplicaSet
    ) {
        let canaryPods = canaryReplicas(weight: weight, replicas: spec.replicas)
        if !spec.paused {
            planner.pointService(config.stableService, at: stable.revision, needing: spec.replicas)
            if canaryPods > 0 { planner.pointService(config.canaryService, at: revision, needing: 1) }
            if let routed {
                // The route sends the canary its share only through a Service seen pinned to the
                // new revision, and raises it only once the step's pods are all available.
                let pinned = planner.service(routed.canary)?.pinnedRevision == revision
                let current = planner.canaryWeight(stable: routed.stable, canary: routed.canary) ?? 0
                let next = !pinned ? 0 : (target.availableReplicas >= canaryPods ? weight : min(current, weight))
                planner.setRouteWeight(next, stable: routed.stable, canary: routed.canary)
            }
        }
        planner.scaleToward(
            [target.name: canaryPods, stable.name: stableReplicas(weight: weight, replicas: spec.replicas)], spec: spec,
            minAvailable: spec.replicas, routedBy: services)
    }

    /// After the last step: the new revision at full size, then the stable Service switched to it
    /// and the route back to 100/0 on that Service, then the old revision scaled down.
    private func promote(
        _ planner: inout Planner, release: inout ReleaseProgress, spec: ReleaseSpec, revision: String,
        target: ObservedReplicaSet, stable: ObservedReplicaSet
    ) {
        var desired = [target.name: spec.replicas]
        guard let stableService = config.stableService else {
            // The weight is the share of pods: the old revision shrinks as the new one's pods
            // become available, like a rolling update.
            if !spec.paused { planner.pointService(config.canaryService, at: revision, needing: 1) }
            planner.scaleToward(desired, spec: spec, minAvailable: spec.replicas, routedBy: services)
            return
        }
        desired[stable.name] = spec.replicas
        let switched = release.switchedAt != nil || planner.service(stableService)?.pinnedRevision == revision
        if !spec.paused {
            planner.pointService(config.canaryService, at: revision, needing: 1)
            if switched {
                let switchedAt = release.switchedAt ?? planner.now
                release.switchedAt = switchedAt
                planner.pointService(stableService, at: revision, needing: spec.replicas)
                if let routed { planner.setRouteWeight(0, stable: routed.stable, canary: routed.canary) }
                let scaleDownAt = switchedAt.addingTimeInterval(Double(scaleDownDelay))
                if planner.now >= scaleDownAt {
                    desired[stable.name] = nil
                } else {
                    planner.requeue(after: planner.seconds(until: scaleDownAt))
                }
            } else if target.replicas == spec.replicas && target.availableReplicas >= spec.replicas {
                planner.pointService(stableService, at: revision, needing: spec.replicas)
                release.switchedAt = planner.now
            }
        }
        planner.scaleToward(desired, spec: spec, minAvailable: spec.replicas, routedBy: services)
    }

    func isComplete(_ planner: Planner, spec: ReleaseSpec, revision: String) -> Bool {
        let allStepsDone = (planner.status.release?.stepIndex ?? 0) >= steps.count || stableSet(planner) == nil
        return allStepsDone && isSettled(planner, spec: spec, on: revision)
    }

    func isSettled(_ planner: Planner, spec: ReleaseSpec, on revision: String) -> Bool {
        guard planner.runsAlone(revision, replicas: spec.replicas) else { return false }
        for name in services {
            if let service = planner.service(name), service.pinnedRevision != revision { return false }
        }
        if let routed { return planner.routeHasWeight(0, stable: routed.stable, canary: routed.canary) }
        return true
    }

    func stepPause(_ planner: Planner, spec: ReleaseSpec) -> StepPause? {
        guard let release = planner.status.release, stableSet(planner) != nil, case let index = release.stepIndex ?? 0,
            index < steps.count, case .pause(let seconds) = steps[index]
        else { return nil }
        guard let seconds else { return StepPause(reason: AppReleaseAPI.ConditionReason.awaitingPromotion, resumesAt: nil) }
        let startedAt = release.stepStartedAt ?? release.startedAt
        return StepPause(
            reason: AppReleaseAPI.ConditionReason.canaryPauseStep, resumesAt: startedAt.addingTimeInterval(Double(seconds)))
    }

    func progressMessage(_ planner: Planner, spec: ReleaseSpec, revision: String) -> String {
        let target = planner.replicaSet(of: revision)
        let available = target?.availableReplicas ?? 0
        guard let release = planner.status.release, let stable = stableSet(planner) else {
            return "Releasing revision \(revision) (first release): \(available) of \(spec.replicas) pods available"
        }
        let index = min(release.stepIndex ?? 0, steps.count)
        guard index < steps.count else {
            guard let stableService = config.stableService,
                release.switchedAt != nil || planner.service(stableService)?.pinnedRevision == revision
            else { return "Promoting revision \(revision): \(available) of \(spec.replicas) pods available" }
            let scaleDownAt = (release.switchedAt ?? planner.now).addingTimeInterval(Double(scaleDownDelay))
            let remaining = planner.seconds(until: scaleDownAt)
            return remaining > 0
                ? "Service \(stableService) switched to revision \(revision); revision \(stable.revision) is scaled down in \(remaining)s"
                : "Service \(stableService) switched to revision \(revision); scaling down revision \(stable.revision)"
        }
        let position = "canary at \(weight(at: index))%, step \(index + 1)/\(steps.count)"
        if let pause = stepPause(planner, spec: spec) {
            guard let resumesAt = pause.resumesAt else { return "\(position), paused until promoted" }
            return "\(position), paused \(planner.seconds(until: resumesAt))s more"
        }
        let wanted = canaryReplicas(weight: weight(at: index), replicas: spec.replicas)
        return "\(position): \(min(available, wanted)) of \(wanted) canary pods available"
    }

    func blocker(_ planner: Planner) -> Blocker? {
        if let missing = planner.missingService(config.stableService, field: "spec.strategy.canary.stableService")
            ?? planner.missingService(config.canaryService, field: "spec.strategy.canary.canaryService")
        {
            return missing
        }
        guard let name = config.trafficRouting?.httpRoute?.name, let routed else { return nil }
        let field = "spec.strategy.canary.trafficRouting.httpRoute"
        typealias Reason = AppReleaseAPI.ConditionReason
        switch planner.snapshot.httpRoute {
        case .found(let route):
            guard planner.splitRefs(route, stable: routed.stable, canary: routed.canary).isEmpty else { return nil }
            return Blocker(
                reason: Reason.backendRefNotFound,
                message: "HTTPRoute \(name) (\(field)) has no rule with backendRefs to both Service \(routed.stable) and Service \(routed.canary)")
        case .notFound, .none:
            return Blocker(
                reason: Reason.httpRouteNotFound,
                message: "HTTPRoute \(name) (\(field)) does not exist in namespace \(planner.appRelease.namespace)")
        case .apiUnavailable(let detail):
            return Blocker(
                reason: Reason.gatewayAPINotInstalled,
                message:
                    "HTTPRoute \(name) (\(field)) cannot be used: the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoutes; install the Gateway API CRDs (\(detail))")
        }
    }

    private func describe(_ step: ResolvedCanaryStep) -> String {
        switch step {
        case .setWeight(let weight): return "setWeight: \(weight)"
        case .pause(let seconds?): return "pause: \(seconds)s"
        case .pause(nil): return "pause until promoted"
        }
    }
}

import AppReleaseAPI
import KubeModels

/// Rolling: the Deployment controller's algorithm. The new revision grows within `maxSurge`
/// while old ones shrink within `maxUnavailable`; no Service is touched.
struct RollingRelease: ReleaseStrategy {
    func scale(_ planner: inout Planner, spec: ReleaseSpec, revision: String, mode: Mode) {
        planner.scaleRolling(spec, revision: revision, mode: mode)
    }

    /// The new revision runs every replica, all available, and no other revision runs any.
    func isComplete(_ planner: Planner, spec: ReleaseSpec, revision: String) -> Bool {
        planner.runsAlone(revision, replicas: spec.replicas)
    }

    func progressMessage(_ planner: Planner, spec: ReleaseSpec, revision: String) -> String {
        let available = planner.replicaSet(of: revision)?.availableReplicas ?? 0
        return "Rolling out revision \(revision): \(available) of \(spec.replicas) new pods available"
    }
}

/// Moving pods one step per reconcile, like the Deployment controller: scale up if possible, else
/// scale down if possible, else clean up history.
extension Planner {
    fileprivate mutating func scaleRolling(_ spec: ReleaseSpec, revision: String, mode: Mode) {
        let targetRevision: String
        switch mode {
        case .hold: return
        case .release, .converge: targetRevision = revision
        case .revert(let stable): targetRevision = stable
        }
        let (surge, unavailable) = spec.fenceposts(replicas: spec.replicas)
        let annotations = scaleAnnotations(spec)
        let sets = liveReplicaSets

        guard let target = replicaSet(of: targetRevision) else {
            // Deployment: a paused rollout does not create its new ReplicaSet.
            if mode == .release && spec.paused { return }
            let name = ReplicaSetBuilder.name(appRelease: appRelease.name, revision: targetRevision)
            let fresh = RollingMath.Member(name: name, replicas: 0, available: 0)
            let size = RollingMath.newReplicas(
                newRS: fresh, all: sets.map(member) + [fresh], desired: spec.replicas, surge: surge)
            createReplicaSet(spec, revision: targetRevision, size: size)
            return
        }
        let others = orderedForScaleDown(sets.filter { $0.name != target.name })
        if mode != .revert(stable: targetRevision) { renumberIfReused(target) }

        let members = ([target] + others)
        let isScalingEvent = members.contains { member in
            member.replicas > 0 && member.desiredReplicasAnnotation.map { $0 != spec.replicas } ?? false
        }
        if isScalingEvent {
            let sizes = RollingMath.proportionalSizes(
                newRS: member(target), members: members.map(member), desired: spec.replicas, surge: surge,
                statusReplicas: appRelease.status.replicas ?? members.reduce(0) { $0 + $1.replicas })
            for set in members {
                guard let size = sizes[set.name] else { continue }
                scaleAction(set, to: size, annotations: annotations, force: true)
            }
            return
        }
        if mode == .release && spec.paused { return }

        // Scale the target up (or down to `replicas`).
        if target.replicas > spec.replicas {
            scaleAction(target, to: spec.replicas, annotations: annotations)
            return
        }
        if target.replicas < spec.replicas {
            // A revert restores the stable revision at once: it ran at this size before the
            // release, and every second it is short of pods is a second of reduced service.
            let size =
                if case .revert = mode { spec.replicas } else {
                    RollingMath.newReplicas(
                        newRS: member(target), all: members.map(member), desired: spec.replicas, surge: surge)
                }
            if size != target.replicas {
                scaleAction(target, to: size, annotations: annotations)
                return
            }
        }
        // Scale the others down within the availability budget.
        let sizes = RollingMath.scaleDownOld(
            newRS: member(target), old: others.map(member), desired: spec.replicas, unavailable: unavailable)
        for set in others {
            guard let size = sizes[set.name], size != set.replicas else { continue }
            scaleAction(set, to: size, annotations: annotations)
        }
    }

}

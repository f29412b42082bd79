import AppReleaseAPI
import KubeModels

/// Moving pods: one step per reconcile, like the Deployment controller (scale up if possible,
/// else scale down if possible, else clean up history). Each step's writes are absolute sizes,
/// so re-planning from a lagging cache repeats a step instead of overshooting.
extension Planner {
    mutating func scale(_ spec: ReleaseSpec, revision: String, mode: Mode) {
        let targetRevision: String
        switch mode {
        case .hold: return
        case .release, .converge: targetRevision = revision
        case .revert(let stable): targetRevision = stable
        }
        let (surge, unavailable) = spec.fenceposts(replicas: spec.replicas)
        let annotations = [
            AppReleaseAPI.desiredReplicasAnnotation: String(spec.replicas),
            AppReleaseAPI.maxReplicasAnnotation: String(spec.replicas + surge),
        ]
        let sets = liveReplicaSets
        let highestNumber = sets.map(\.revisionNumber).max() ?? 0

        guard let target = replicaSet(of: targetRevision) else {
            // Deployment: a paused rollout does not create its new ReplicaSet.
            if mode == .release && spec.paused { return }
            createTarget(spec, revision: targetRevision, number: highestNumber + 1, surge: surge, sets: sets)
            return
        }
        let others = orderedForScaleDown(sets.filter { $0.name != target.name })

        // A reused revision (patched back to an earlier image) becomes the newest again.
        if mode != .revert(stable: targetRevision), let otherHighest = others.map(\.revisionNumber).max(),
            target.revisionNumber <= otherHighest
        {
            writes.append(
                .annotateReplicaSet(
                    name: target.name,
                    annotations: [AppReleaseAPI.revisionNumberAnnotation: String(otherHighest + 1)]))
        }

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
        var scaledDown = false
        for set in others {
            guard let size = sizes[set.name], size != set.replicas else { continue }
            scaleAction(set, to: size, annotations: annotations)
            scaledDown = true
        }
        if scaledDown { return }
        if mode != .release && others.allSatisfy({ $0.replicas == 0 }) {
            cleanUpHistory(spec, keep: [revision, targetRevision, status.stableRevision].compactMap { $0 })
        }
    }

    /// Scale-down order: revisions that are neither stable nor the target go first (oldest
    /// first), the stable revision last: it is the revert target for as long as possible.
    /// (The Deployment controller orders by age only; with an intermediate revision in flight
    /// that would scale the known-good revision down before the superseded one.)
    func orderedForScaleDown(_ sets: [ObservedReplicaSet]) -> [ObservedReplicaSet] {
        let stable = status.stableRevision
        return sets.sorted { lhs, rhs in
            let lhsStable = lhs.revision == stable
            let rhsStable = rhs.revision == stable
            if lhsStable != rhsStable { return !lhsStable }
            if lhs.revisionNumber != rhs.revisionNumber { return lhs.revisionNumber < rhs.revisionNumber }
            return lhs.name < rhs.name
        }
    }

    func member(_ set: ObservedReplicaSet) -> RollingMath.Member {
        RollingMath.Member(
            name: set.name, replicas: set.replicas, available: set.availableReplicas,
            maxReplicasAnnotation: set.maxReplicasAnnotation, revisionNumber: set.revisionNumber)
    }

    mutating func scaleAction(
        _ set: ObservedReplicaSet, to size: Int, annotations: [String: String], force: Bool = false
    ) {
        let annotationsCurrent =
            set.desiredReplicasAnnotation.map(String.init) == annotations[AppReleaseAPI.desiredReplicasAnnotation]
            && set.maxReplicasAnnotation.map(String.init) == annotations[AppReleaseAPI.maxReplicasAnnotation]
        guard size != set.replicas || (force && !annotationsCurrent) else { return }
        writes.append(.scaleReplicaSet(name: set.name, from: set.replicas, to: size, annotations: annotations))
        guard size != set.replicas else { return }
        let direction = size > set.replicas ? "up" : "down"
        event(
            .normal, "ScalingReplicaSet",
            "Scaled \(direction) ReplicaSet \(set.name) (revision \(set.revisionNumber)) from \(set.replicas) to \(size)")
    }

    mutating func createTarget(
        _ spec: ReleaseSpec, revision: String, number: Int, surge: Int, sets: [ObservedReplicaSet]
    ) {
        let name = ReplicaSetBuilder.name(appRelease: appRelease.name, revision: revision)
        let fresh = RollingMath.Member(name: name, replicas: 0, available: 0)
        let size = RollingMath.newReplicas(
            newRS: fresh, all: sets.map(member) + [fresh], desired: spec.replicas, surge: surge)
        let body = ReplicaSetBuilder.replicaSet(
            appRelease: appRelease, spec: spec, revision: revision, revisionNumber: number, replicas: size,
            maxReplicas: spec.replicas + surge)
        writes.append(.createReplicaSet(name: name, body: body))
        event(.normal, "CreatedReplicaSet", "Created ReplicaSet \(name) (revision \(number)) with \(size) replicas")
    }

    /// Deletes the oldest empty revisions beyond `revisionHistoryLimit`.
    mutating func cleanUpHistory(_ spec: ReleaseSpec, keep: [String]) {
        let candidates = liveReplicaSets.filter { set in
            !keep.contains(set.revision) && set.replicas == 0 && set.currentReplicas == 0
        }.sorted { ($0.revisionNumber, $0.name) < ($1.revisionNumber, $1.name) }
        guard candidates.count > spec.revisionHistoryLimit else { return }
        for set in candidates.prefix(candidates.count - spec.revisionHistoryLimit) {
            writes.append(.deleteReplicaSet(name: set.name))
            event(.normal, "DeletedReplicaSet", "Deleted ReplicaSet \(set.name) (revision \(set.revisionNumber)): beyond revisionHistoryLimit \(spec.revisionHistoryLimit)")
        }
    }
}

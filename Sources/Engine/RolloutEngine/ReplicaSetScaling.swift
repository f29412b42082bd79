import AppReleaseAPI
import KubeModels

/// Scaling code every strategy shares (Argo Rollouts keeps it in `sync.go`): scale-down order,
/// the scale and create writes with their events, and the clean-up of old revisions. Writes are
/// absolute sizes, so re-planning from a lagging cache repeats a step instead of overshooting.
extension Planner {
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

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
        // A change of `replicas` (force) is the user's, not the release's step: always announced.
        guard size != set.replicas, force || !quietScaling else { return }
        let direction = size > set.replicas ? "up" : "down"
        event(
            .normal, "ScalingReplicaSet",
            "Scaled \(direction) ReplicaSet \(set.name) (revision \(set.revisionNumber)) from \(set.replicas) to \(size)")
    }

    /// Creates the ReplicaSet of `revision` with `size` pods, numbered after every live one.
    mutating func createReplicaSet(_ spec: ReleaseSpec, revision: String, size: Int) {
        let name = ReplicaSetBuilder.name(appRelease: appRelease.name, revision: revision)
        let number = (liveReplicaSets.map(\.revisionNumber).max() ?? 0) + 1
        let (surge, _) = spec.fenceposts(replicas: spec.replicas)
        let body = ReplicaSetBuilder.replicaSet(
            appRelease: appRelease, spec: spec, revision: revision, revisionNumber: number, replicas: size,
            maxReplicas: spec.replicas + surge)
        writes.append(.createReplicaSet(name: name, body: body))
        let created = "created ReplicaSet \(name) (revision \(number)) with \(size) replicas"
        event(appending: created, to: "ReleaseStarted", orElse: "CreatedReplicaSet", "C" + created.dropFirst())
    }

    /// The annotations every scale write carries (`deployment.kubernetes.io/desired-replicas` and
    /// `max-replicas`): what a later change of `replicas` is detected and shared out against.
    func scaleAnnotations(_ spec: ReleaseSpec) -> [String: String] {
        let (surge, _) = spec.fenceposts(replicas: spec.replicas)
        return [
            AppReleaseAPI.desiredReplicasAnnotation: String(spec.replicas),
            AppReleaseAPI.maxReplicasAnnotation: String(spec.replicas + surge),
        ]
    }

    /// A reused revision (patched back to an earlier image) becomes the newest again.
    mutating func renumberIfReused(_ target: ObservedReplicaSet) {
        guard let otherHighest = liveReplicaSets.filter({ $0.name != target.name }).map(\.revisionNumber).max(),
            target.revisionNumber <= otherHighest
        else { return }
        writes.append(
            .annotateReplicaSet(
                name: target.name, annotations: [AppReleaseAPI.revisionNumberAnnotation: String(otherHighest + 1)]))
    }

    /// Moves every live ReplicaSet toward its size in `desired` (absent: 0), as BlueGreen and
    /// Canary do. Growing is immediate. Shrinking removes unavailable pods first, then available
    /// ones only while at least `minAvailable` pods stay available, intermediate revisions before
    /// the stable one. A revision one of the named `services` still selects keeps all its pods:
    /// it goes away only once that Service is seen pointing elsewhere, so traffic is moved before
    /// the pods behind it (`TrafficSwitching.swift`). True when every size is reached.
    @discardableResult
    mutating func scaleToward(
        _ desired: [String: Int], spec: ReleaseSpec, minAvailable: Int, routedBy services: [String]
    ) -> Bool {
        let annotations = scaleAnnotations(spec)
        var settled = true
        var budget = liveReplicaSets.reduce(0) { $0 + $1.availableReplicas } - minAvailable
        for set in orderedForScaleDown(liveReplicaSets) {
            let target = desired[set.name] ?? 0
            if target >= set.replicas {
                scaleAction(set, to: target, annotations: annotations)
                continue
            }
            let floor = target == 0 && isRouted(set.revision, by: services) ? set.replicas : target
            let unavailable = min(max(set.replicas - set.availableReplicas, 0), set.replicas - floor)
            let available = min(set.replicas - floor - unavailable, max(budget, 0))
            budget -= available
            let size = set.replicas - unavailable - available
            if size != target { settled = false }
            scaleAction(set, to: size, annotations: annotations)
        }
        return settled
    }

    /// Deletes the oldest empty revisions beyond `revisionHistoryLimit`.
    mutating func cleanUpHistory(_ spec: ReleaseSpec, keep: [String]) {
        let candidates = liveReplicaSets.filter { set in
            !keep.contains(set.revision) && set.replicas == 0 && set.currentReplicas == 0
        }.sorted { ($0.revisionNumber, $0.name) < ($1.revisionNumber, $1.name) }
        guard candidates.count > spec.revisionHistoryLimit else { return }
        for set in candidates.prefix(candidates.count - spec.revisionHistoryLimit) {
            writes.append(.deleteReplicaSet(name: set.name))
            let deleted = "deleted ReplicaSet \(set.name) (revision \(set.revisionNumber)): beyond revisionHistoryLimit \(spec.revisionHistoryLimit)"
            event(appending: deleted, to: "ReleaseSucceeded", orElse: "DeletedReplicaSet", "D" + deleted.dropFirst())
        }
    }
}

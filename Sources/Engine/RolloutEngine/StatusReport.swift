import AppReleaseAPI
import KubeModels

/// Phase, message and conditions from the state reached in this reconcile.
extension Planner {
    mutating func report(_ spec: ReleaseSpec, revision: String, mode: Mode, strategy: any ReleaseStrategy) {
        typealias C = AppReleaseAPI.ConditionType
        updateCounts(revision: revision)
        let desired = spec.replicas
        let (_, unavailable) = spec.fenceposts(replicas: desired)
        let available = status.availableReplicas ?? 0
        let minAvailable = desired - unavailable
        let target = replicaSet(of: revision)
        let targetAvailable = target?.availableReplicas ?? 0
        let others = liveReplicaSets.filter { $0.revision != revision }

        setCondition(C.invalidSpec, .false, "SpecValid")
        if available >= minAvailable {
            setCondition(C.available, .true, "MinimumReplicasAvailable", "\(available) of \(desired) pods available (minimum \(minAvailable))")
        } else {
            setCondition(C.available, .false, "MinimumReplicasUnavailable", "\(available) of \(desired) pods available (minimum \(minAvailable))")
        }
        if spec.paused {
            setCondition(C.paused, .true, "SpecPaused", "spec.paused is true")
        } else {
            setCondition(C.paused, .false, "NotPaused")
        }

        switch mode {
        case .release:
            let progress = "\(targetAvailable) of \(desired) new pods available"
            setCondition(C.degraded, .false, "AsExpected")
            setCondition(C.stalled, .false, "AsExpected")
            if spec.paused {
                status.phase = .paused
                status.message = "Release of revision \(revision) paused: \(progress)"
                setCondition(C.ready, .false, "ReleasePaused", status.message ?? "")
                setCondition(C.progressing, .unknown, "ReleasePaused", status.message ?? "")
                setCondition(C.reconciling, .true, "ReleasePaused", status.message ?? "")
            } else {
                status.phase = .progressing
                status.message = strategy.progressMessage(self, spec: spec, revision: revision)
                setCondition(C.ready, .false, "ReleaseInProgress", status.message ?? "")
                setCondition(C.progressing, .true, "ReleaseInProgress", status.message ?? "")
                setCondition(C.reconciling, .true, "ReleaseInProgress", status.message ?? "")
            }
        case .converge:
            setCondition(C.degraded, .false, "AsExpected")
            setCondition(C.stalled, .false, "AsExpected")
            let settled =
                (target?.replicas == desired) && targetAvailable >= desired && others.allSatisfy { $0.replicas == 0 }
            if settled {
                status.phase = .healthy
                status.message = "Revision \(revision) is available: \(targetAvailable) of \(desired) pods"
                setCondition(C.ready, .true, "ReleaseComplete", status.message ?? "")
                setCondition(C.progressing, .true, "ReleaseComplete", status.message ?? "")
                setCondition(C.reconciling, .false, "ReleaseComplete")
            } else {
                status.phase = .progressing
                status.message = "Scaling revision \(revision): \(targetAvailable) of \(desired) pods available"
                setCondition(C.ready, .false, "ScalingReplicaSet", status.message ?? "")
                setCondition(C.progressing, .true, "ReplicaSetUpdated", status.message ?? "")
                setCondition(C.reconciling, .true, "ScalingReplicaSet", status.message ?? "")
            }
        case .revert(let stable):
            let failure = status.failure
            let reason = failure?.reason ?? "ReleaseFailed"
            let what = "Release of \(failure?.image ?? spec.image) failed (\(reason): \(failure?.message ?? ""))"
            let stableRS = replicaSet(of: stable)
            let restored =
                (stableRS?.replicas == desired) && (stableRS?.availableReplicas ?? 0) >= desired
                && liveReplicaSets.filter { $0.revision != stable }.allSatisfy { $0.replicas == 0 }
            status.phase = .rolledBack
            if restored {
                status.message = "\(what); rolled back to revision \(stable) (\(status.stableImage ?? "?"))"
                setCondition(C.reconciling, .false, "RolledBack", status.message ?? "")
            } else {
                status.message =
                    "\(what); rolling back to revision \(stable): \(stableRS?.availableReplicas ?? 0) of \(desired) pods available"
                setCondition(C.reconciling, .true, "RollingBack", status.message ?? "")
            }
            setCondition(C.ready, .false, reason, status.message ?? "")
            setCondition(C.progressing, .false, reason, failure?.message ?? "")
            setCondition(C.degraded, .true, reason, status.message ?? "")
            setCondition(
                C.stalled, .true, reason,
                "revision \(revision) is not retried until the spec changes or \(AppReleaseAPI.retryAnnotation) is set")
        case .hold:
            let failure = status.failure
            let reason = failure?.reason ?? "ReleaseFailed"
            status.phase = .degraded
            status.message =
                "Release of \(failure?.image ?? spec.image) failed (\(reason): \(failure?.message ?? "")); no earlier revision to roll back to"
            setCondition(C.ready, .false, reason, status.message ?? "")
            setCondition(C.progressing, .false, reason, failure?.message ?? "")
            setCondition(C.degraded, .true, reason, status.message ?? "")
            setCondition(C.reconciling, .false, reason)
            setCondition(
                C.stalled, .true, reason,
                "revision \(revision) is not retried until the spec changes or \(AppReleaseAPI.retryAnnotation) is set")
        }
    }
}

import AppReleaseAPI
import KubeModels

private typealias Reason = AppReleaseAPI.ConditionReason

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

        let availability = "\(available) of \(desired) pods available (minimum \(minAvailable))"

        setCondition(C.invalidSpec, .false, Reason.specValid)
        if available >= minAvailable {
            setCondition(C.available, .true, Reason.minimumReplicasAvailable, availability)
        } else {
            setCondition(C.available, .false, Reason.minimumReplicasUnavailable, availability)
        }
        let stepPause = mode == .release ? strategy.stepPause(self, spec: spec) : nil
        if spec.paused {
            setCondition(C.paused, .true, Reason.specPaused, "spec.paused is true")
        } else if let stepPause {
            let until = stepPause.resumesAt.map { "until \(KubeTime.format($0))" } ?? "until promoted"
            setCondition(C.paused, .true, stepPause.reason, "the release waits \(until)")
        } else {
            setCondition(C.paused, .false, Reason.notPaused)
        }

        switch mode {
        case .release:
            let progress = "\(targetAvailable) of \(desired) new pods available"
            setCondition(C.degraded, .false, Reason.asExpected)
            setCondition(C.stalled, .false, Reason.asExpected)
            if spec.paused {
                status.phase = .paused
                status.message = "Release of revision \(revision) paused: \(progress)"
                setCondition(C.ready, .false, Reason.releasePaused, status.message ?? "")
                setCondition(C.progressing, .unknown, Reason.releasePaused, status.message ?? "")
                setCondition(C.reconciling, .true, Reason.releasePaused, status.message ?? "")
            } else {
                // A pause step is part of the plan: the release progresses, and waits.
                let reason = stepPause?.reason ?? Reason.releaseInProgress
                status.phase = stepPause == nil ? .progressing : .paused
                status.message = strategy.progressMessage(self, spec: spec, revision: revision)
                setCondition(C.ready, .false, reason, status.message ?? "")
                setCondition(C.progressing, .true, reason, status.message ?? "")
                setCondition(C.reconciling, .true, reason, status.message ?? "")
            }
        case .converge:
            setCondition(C.degraded, .false, Reason.asExpected)
            setCondition(C.stalled, .false, Reason.asExpected)
            if strategy.isSettled(self, spec: spec, on: revision) {
                status.phase = .healthy
                status.message = "Revision \(revision) is available: \(targetAvailable) of \(desired) pods"
                setCondition(C.ready, .true, Reason.releaseComplete, status.message ?? "")
                setCondition(C.progressing, .true, Reason.releaseComplete, status.message ?? "")
                setCondition(C.reconciling, .false, Reason.releaseComplete)
            } else if let target, hasLostPods(target, desired: desired) {
                // Nothing to scale and no release to revert: pods of the released revision are
                // gone or not ready (a node went NotReady). Not a rollout; the image is not at fault.
                let state = available == 0 ? "is down" : available < minAvailable ? "is below its minimum" : "is short of pods"
                status.phase = .unavailable
                status.message = "Revision \(revision) \(state): \(availability); no release in progress"
                setCondition(C.ready, .false, Reason.podsUnavailable, status.message ?? "")
                setCondition(C.progressing, .true, Reason.releaseComplete, "Revision \(revision) was released; no release in progress")
                setCondition(C.reconciling, .true, Reason.podsUnavailable, "Waiting for pods of revision \(revision) to become available")
            } else {
                status.phase = .progressing
                status.message = "Scaling revision \(revision): \(targetAvailable) of \(desired) pods available"
                setCondition(C.ready, .false, Reason.scalingReplicaSet, status.message ?? "")
                setCondition(C.progressing, .true, Reason.replicaSetUpdated, status.message ?? "")
                setCondition(C.reconciling, .true, Reason.scalingReplicaSet, status.message ?? "")
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
                setCondition(C.reconciling, .false, Reason.rolledBack, status.message ?? "")
            } else {
                status.message =
                    "\(what); rolling back to revision \(stable): \(stableRS?.availableReplicas ?? 0) of \(desired) pods available"
                setCondition(C.reconciling, .true, Reason.rollingBack, status.message ?? "")
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
        if let blocker = strategy.blocker(self) {
            // The strategy cannot move traffic without the object: say so first, in every phase.
            status.message = "\(blocker.message); \(status.message ?? "")"
            setCondition(C.ready, .false, blocker.reason, blocker.message)
            setCondition(C.stalled, .true, blocker.reason, blocker.message)
        }
    }

    /// The released revision has every pod it should and nothing else runs, yet some pods are not
    /// available: the app lost pods, it is not "scaling". False while pods are still to be created
    /// or removed (a scale, a settling strategy).
    func hasLostPods(_ target: ObservedReplicaSet, desired: Int) -> Bool {
        target.replicas == desired && target.availableReplicas < desired
            && liveReplicaSets.allSatisfy { $0.revision == target.revision || $0.replicas == 0 }
    }
}

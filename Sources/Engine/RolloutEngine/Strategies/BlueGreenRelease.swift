import AppReleaseAPI
import Foundation

/// BlueGreen: the new revision runs next to the stable one at full size (or
/// `previewReplicaCount`) while the active Service keeps selecting the stable revision. Once the
/// new revision is fully available it waits for `promote` (or `autoPromotionSeconds`); promotion
/// switches the active Service in one write, and the old revision keeps running
/// `scaleDownDelaySeconds` while endpoints settle. `status.release.stepIndex` is 1 once promoted,
/// `stepStartedAt` when the new revision became ready, `switchedAt` when the Service switched.
struct BlueGreenRelease: TrafficStrategy {
    let config: BlueGreenStrategy

    var active: String { config.activeService ?? "" }
    var services: [String] { [active] + (config.previewService.map { [$0] } ?? []) }
    var scaleDownDelay: Int { config.scaleDownDelaySeconds ?? ReleaseSpec.defaultScaleDownDelaySeconds }

    func previewSize(_ spec: ReleaseSpec) -> Int { min(config.previewReplicaCount ?? spec.replicas, spec.replicas) }

    func settle(_ planner: inout Planner, spec: ReleaseSpec, on revision: String) {
        planner.settle(
            on: revision, spec: spec, primary: [active], secondary: config.previewService.map { [$0] } ?? [], route: nil)
    }

    /// The stable revision's ReplicaSet, when there is one to protect.
    private func stableSet(_ planner: Planner) -> ObservedReplicaSet? {
        planner.status.stableRevision.flatMap { planner.replicaSet(of: $0) }
    }

    private func isReady(_ target: ObservedReplicaSet?, size: Int) -> Bool {
        guard let target else { return false }
        return target.replicas == size && target.availableReplicas >= size
    }

    private func isSwitched(_ planner: Planner, release: ReleaseProgress) -> Bool {
        release.switchedAt != nil || planner.service(active)?.pinnedRevision == release.revision
    }

    func release(_ planner: inout Planner, spec: ReleaseSpec, revision: String) {
        guard blocker(planner) == nil, var release = planner.status.release else { return }
        guard let stable = stableSet(planner) else {
            // A first release has nothing serving to protect: it runs at full size and the
            // Services follow it once it is available (Argo Rollouts' "initial deploy").
            if !spec.paused { settle(&planner, spec: spec, on: revision) }
            return
        }
        guard let target = planner.replicaSet(of: revision) else {
            if !spec.paused { planner.createReplicaSet(spec, revision: revision, size: previewSize(spec)) }
            return
        }
        planner.renumberIfReused(target)
        var desired = [stable.name: spec.replicas, target.name: spec.replicas]
        if isSwitched(planner, release: release) {
            let switchedAt = release.switchedAt ?? planner.now
            release.switchedAt = switchedAt
            // Re-asserted every pass: a selector edited by hand is put back while the release runs.
            planner.pointService(active, at: revision, needing: spec.replicas)
            planner.pointService(config.previewService, at: revision, needing: 1)
            let scaleDownAt = switchedAt.addingTimeInterval(Double(scaleDownDelay))
            if planner.now >= scaleDownAt && !spec.paused {
                desired[stable.name] = nil
            } else if !spec.paused {
                planner.requeue(after: planner.seconds(until: scaleDownAt))
            }
        } else if (release.stepIndex ?? 0) >= 1 {
            // Promoted: the switch waits until every pod of the new revision is available.
            if isReady(target, size: spec.replicas) && !spec.paused {
                planner.pointService(active, at: revision, needing: spec.replicas)
                release.switchedAt = planner.now
                planner.requeue(after: scaleDownDelay)
            }
        } else {
            let size = previewSize(spec)
            desired[target.name] = size
            planner.pointService(active, at: stable.revision, needing: spec.replicas)
            // Never at an empty ReplicaSet (argo-rollouts#2641): the preview follows its first pod.
            planner.pointService(config.previewService, at: revision, needing: 1)
            if isReady(target, size: size) && !spec.paused {
                let readyAt = release.stepStartedAt ?? planner.now
                release.stepStartedAt = readyAt
                if shouldPromote(&planner, revision: revision, readyAt: readyAt) {
                    release.stepIndex = 1
                    release.lastProgressAt = planner.now
                    desired[target.name] = spec.replicas
                    if isReady(target, size: spec.replicas) {
                        planner.pointService(active, at: revision, needing: spec.replicas)
                        release.switchedAt = planner.now
                        planner.requeue(after: scaleDownDelay)
                    }
                }
            } else if planner.promote != nil {
                planner.promoteIgnoredBecause =
                    "revision \(revision) is not ready yet (\(target.availableReplicas) of \(size) pods available)"
            }
        }
        planner.status.release = release
        planner.scaleToward(desired, spec: spec, minAvailable: spec.replicas, routedBy: services)
    }

    /// Takes a pending `promote`, or promotes once `autoPromotionSeconds` have passed.
    private func shouldPromote(_ planner: inout Planner, revision: String, readyAt: Date) -> Bool {
        if planner.promote != nil {
            planner.takePromote("Revision \(revision) promoted on request: switching Service \(active)")
            return true
        }
        guard let seconds = config.autoPromotionSeconds else { return false }
        let promoteAt = readyAt.addingTimeInterval(Double(seconds))
        guard planner.now >= promoteAt else {
            planner.requeue(after: planner.seconds(until: promoteAt))
            return false
        }
        planner.event(
            .normal, "Promoted", "Revision \(revision) promoted automatically after \(seconds)s: switching Service \(active)")
        return true
    }

    func isComplete(_ planner: Planner, spec: ReleaseSpec, revision: String) -> Bool {
        isSettled(planner, spec: spec, on: revision)
    }

    func isSettled(_ planner: Planner, spec: ReleaseSpec, on revision: String) -> Bool {
        planner.runsAlone(revision, replicas: spec.replicas) && planner.service(active)?.pinnedRevision == revision
            && (config.previewService.flatMap { planner.service($0) }.map { $0.pinnedRevision == revision } ?? true)
    }

    func stepPause(_ planner: Planner, spec: ReleaseSpec) -> StepPause? {
        guard let release = planner.status.release, (release.stepIndex ?? 0) == 0, stableSet(planner) != nil,
            isReady(planner.replicaSet(of: release.revision), size: previewSize(spec))
        else { return nil }
        let readyAt = release.stepStartedAt ?? planner.now
        return StepPause(
            reason: AppReleaseAPI.ConditionReason.awaitingPromotion,
            resumesAt: config.autoPromotionSeconds.map { readyAt.addingTimeInterval(Double($0)) })
    }

    func progressMessage(_ planner: Planner, spec: ReleaseSpec, revision: String) -> String {
        let target = planner.replicaSet(of: revision)
        let available = target?.availableReplicas ?? 0
        guard let release = planner.status.release, let stable = stableSet(planner) else {
            return "Releasing revision \(revision) (first release): \(available) of \(spec.replicas) pods available"
        }
        if isSwitched(planner, release: release) {
            let scaleDownAt = (release.switchedAt ?? planner.now).addingTimeInterval(Double(scaleDownDelay))
            let remaining = planner.seconds(until: scaleDownAt)
            return remaining > 0
                ? "Service \(active) switched to revision \(revision); revision \(stable.revision) is scaled down in \(remaining)s"
                : "Service \(active) switched to revision \(revision); scaling down revision \(stable.revision)"
        }
        if (release.stepIndex ?? 0) >= 1 {
            return "Promoting revision \(revision): \(available) of \(spec.replicas) pods available before Service \(active) is switched"
        }
        let size = previewSize(spec)
        let onStable = "Service \(active) stays on revision \(stable.revision)"
        guard let pause = stepPause(planner, spec: spec) else {
            return "Starting revision \(revision) next to revision \(stable.revision): \(available) of \(size) pods available; \(onStable)"
        }
        if let resumesAt = pause.resumesAt {
            return "Revision \(revision) is ready (\(available) of \(size) pods); promoting in \(planner.seconds(until: resumesAt))s; \(onStable)"
        }
        return "Revision \(revision) is ready (\(available) of \(size) pods) and waits for promotion; \(onStable)"
    }

    func blocker(_ planner: Planner) -> Blocker? {
        planner.missingService(config.activeService, field: "spec.strategy.blueGreen.activeService")
            ?? planner.missingService(config.previewService, field: "spec.strategy.blueGreen.previewService")
    }
}

import AppReleaseAPI
import KubeModels
import RolloutEngine

/// The one line `status` prints per change, for CI logs:
/// `web: revision 5d6d7bdfdf 2/3 available (canary 25%, step 2/5)`.
enum ProgressLine {
    static func make(_ appRelease: ObservedAppRelease, verdict: ReleaseVerdict) -> String {
        let status = appRelease.status
        let prefix = "\(appRelease.name): "
        if verdict.reason == ReleaseVerdict.notObserved { return prefix + verdict.message }
        // An invalid spec has no revision of its own (the status still names the last valid one).
        if verdict.reason == AppReleaseAPI.ConditionReason.invalidSpec { return prefix + "invalid spec: \(verdict.message)" }
        let revision = status.currentRevision.map { "revision \($0) " } ?? ""
        let desired = Self.desiredReplicas(appRelease.spec)
        switch verdict.outcome {
        case .ready:
            return prefix + "\(revision)is ready: \(status.availableReplicas ?? 0)/\(desired) available"
        case .failed:
            return prefix + "\(revision)failed (\(verdict.reason)): \(verdict.message)"
        case .inProgress:
            var details: [String] = []
            if let weight = status.canaryWeight { details.append("canary \(weight)%") }
            if let step = Self.step(status.currentStepIndex, of: appRelease.spec) { details.append(step) }
            if verdict.isBlocked {
                details.append("blocked, \(verdict.reason): \(verdict.message)")
            } else if let waiting = Self.waiting(verdict.reason) {
                details.append(waiting)
            }
            let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
            return prefix + "\(revision)\(Self.newAvailable(status))/\(desired) available" + suffix
        }
    }

    /// `spec.replicas`, defaulted as the controller defaults it.
    static func desiredReplicas(_ spec: JSONValue) -> Int {
        spec["replicas"]?.intValue.map { Int($0) } ?? 1
    }

    /// Available pods of the new revision while its release runs: the status records their high
    /// water mark (`release.maxAvailable`); otherwise every available pod is the spec's.
    static func newAvailable(_ status: AppReleaseStatus) -> Int {
        if let release = status.release, release.revision == status.currentRevision { return release.maxAvailable }
        return status.availableReplicas ?? 0
    }

    /// `step 2/5` (1-based, as the controller's messages count), or nil outside a canary.
    /// `currentStepIndex` equals the step count once every step is done.
    static func step(_ index: Int?, of spec: JSONValue) -> String? {
        guard let index, let steps = spec[path: "strategy", "canary", "steps"]?.arrayValue, !steps.isEmpty else { return nil }
        return index < steps.count ? "step \(index + 1)/\(steps.count)" : "all \(steps.count) steps done"
    }

    /// Why a release that is not failing waits, in words; nil when it simply moves.
    static func waiting(_ reason: String) -> String? {
        typealias R = AppReleaseAPI.ConditionReason
        switch reason {
        case R.awaitingPromotion: return "awaiting promotion"
        case R.canaryPauseStep: return "paused at a step"
        case R.specPaused, R.releasePaused: return "paused by spec.paused"
        default: return nil
        }
    }
}

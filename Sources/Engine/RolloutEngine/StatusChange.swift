import AppReleaseAPI
import Foundation

/// What a planned status changes, so the controller can tell a write a reader acts on from one
/// that only moves a figure along.
///
/// Progress figures (pod counts, the sentences that quote them, the release's high-water mark)
/// change with every pod that starts, becomes ready or goes; written each time they cost a status
/// write per pod. Everything else (phase, a condition's status or reason, a revision, a release
/// starting, ending or failing, a request acknowledged, history) is what CI pipelines, kstatus and
/// SREs act on, and is always written at once.
public enum StatusChange: Sendable, Hashable {
    case none
    /// Only progress figures differ: the controller may batch it with the next write.
    case progress
    case significant

    init(from observed: AppReleaseStatus, to planned: AppReleaseStatus) {
        if observed == planned {
            self = .none
        } else if Self.withoutProgress(observed) == Self.withoutProgress(planned) {
            self = .progress
        } else {
            self = .significant
        }
    }

    /// The status with its progress figures blanked.
    static func withoutProgress(_ status: AppReleaseStatus) -> AppReleaseStatus {
        var status = status
        status.replicas = nil
        status.updatedReplicas = nil
        status.readyReplicas = nil
        status.availableReplicas = nil
        status.message = nil
        // lastTransitionTime moves only with `status`, so a message alone never changes it.
        status.conditions = status.conditions?.map { condition in
            var condition = condition
            condition.message = ""
            return condition
        }
        if var release = status.release {
            // The high-water mark only pushes the deadline out: written late, the deadline is
            // late by as much, never early.
            release.maxAvailable = 0
            release.lastProgressAt = release.startedAt
            status.release = release
        }
        return status
    }
}

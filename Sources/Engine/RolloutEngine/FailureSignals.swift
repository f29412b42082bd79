import AppReleaseAPI
import Foundation
import KubeModels

/// Why a release failed: a CamelCase reason for conditions and history, and a sentence.
public struct FailureSignal: Sendable, Hashable {
    public var reason: String
    public var message: String
    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }
}

/// Fail-fast detection: signals in the new revision's pods that no amount of waiting fixes.
public enum FailFast {
    static let pullReasons: Set<String> = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]

    /// The first signal found in `pods` of `revision` created at or after `since` (older pods,
    /// e.g. of an earlier attempt at the same revision, do not count against this one), in a
    /// stable order (pods by name, containers in status order).
    public static func signal(
        pods: [ObservedPod], revision: String, since: Date, maxRestarts: Int, imagePullErrors: Bool
    ) -> FailureSignal? {
        let candidates = pods.filter { pod in
            pod.revision == revision && !pod.isDeleting && (pod.createdAt.map { $0 >= since } ?? true)
        }.sorted { $0.name < $1.name }
        for pod in candidates {
            for container in pod.containers {
                let waiting = container.waitingReason ?? ""
                let detail = container.waitingMessage.map { ": \($0)" } ?? ""
                if imagePullErrors && pullReasons.contains(waiting) {
                    return FailureSignal(
                        reason: AppReleaseAPI.ConditionReason.imagePullFailed,
                        message: "pod \(pod.name): container \(container.name) cannot pull its image (\(waiting)\(detail))")
                }
                if waiting == "CreateContainerConfigError" {
                    return FailureSignal(
                        reason: AppReleaseAPI.ConditionReason.containerConfigError,
                        message: "pod \(pod.name): container \(container.name) cannot be created (\(waiting)\(detail))")
                }
                let last = container.lastTerminationReason.map { ", last exit: \($0)" } ?? ""
                if container.restartCount > maxRestarts {
                    return FailureSignal(
                        reason: AppReleaseAPI.ConditionReason.crashLoop,
                        message:
                            "pod \(pod.name): container \(container.name) restarted \(container.restartCount) times (failFast.maxRestarts is \(maxRestarts)\(last))"
                    )
                }
                // The kubelet backs off before the next restart; once the allowed restarts are
                // used up there is nothing to learn from waiting out the back-off.
                if waiting == "CrashLoopBackOff" && container.restartCount >= maxRestarts {
                    return FailureSignal(
                        reason: AppReleaseAPI.ConditionReason.crashLoop,
                        message:
                            "pod \(pod.name): container \(container.name) is in CrashLoopBackOff after \(container.restartCount) restarts (failFast.maxRestarts is \(maxRestarts)\(last))"
                    )
                }
            }
        }
        return nil
    }
}

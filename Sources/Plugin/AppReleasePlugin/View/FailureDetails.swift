import AppReleaseAPI
import KubeClient
import KubeModels
import RolloutEngine

/// Why the pods of a failed revision do not run, for the CI log: each container's waiting
/// reason and message (`CrashLoopBackOff: back-off restarting failed container …`,
/// `ErrImagePull: … not found`), so the log of a failed pipeline says what to fix.
enum FailureDetails {
    /// Pods listed at most; a revision of 50 crashing pods says the same thing 50 times.
    static let podLimit = 5

    /// The failed revision: the one recorded in `status.failure`, else the spec's.
    static func failedRevision(_ appRelease: ObservedAppRelease) -> String? {
        appRelease.status.failure?.revision ?? appRelease.status.currentRevision
    }

    /// Reads the pods and builds the lines. Best effort: the verdict is already known, and
    /// the revert may have removed the pods (the failure message then names the signal).
    static func load(_ api: any KubernetesAPI, namespace: String, appRelease: JSONValue) async -> [String] {
        let observed = ObservedAppRelease(json: appRelease)
        guard let revision = failedRevision(observed) else { return [] }
        let options = ListOptions(labelSelector: ReleaseSelectors.workload(appRelease))
        guard let replicaSets = try? await api.listAll(.replicaSets, namespace: namespace, options: options),
            let pods = try? await api.listAll(.pods, namespace: namespace, options: options)
        else { return [] }
        let objects = ReleaseObjects(appRelease: appRelease, replicaSets: replicaSets.items, pods: pods.items)
        return lines(objects.ownedPods, revision: revision)
    }

    static func lines(_ pods: [JSONValue], revision: String) -> [String] {
        let failing = pods.filter { $0.meta.labels[AppReleaseAPI.revisionLabel] == revision }
            .map { (summary: PodSummary(json: $0), observed: ObservedPod(json: $0)) }
            .filter { !$0.summary.isHealthy }
            .sorted { $0.summary.name < $1.summary.name }
        var lines: [String] = []
        for (summary, observed) in failing.prefix(podLimit) {
            let head = "  pod \(summary.name) (\(summary.status), \(summary.restarts) restarts)"
            let containers = observed.containers.filter { $0.waitingReason != nil || $0.restartCount > 0 }
            if containers.isEmpty { lines.append(head) }
            for container in containers {
                var text = "\(head): container \(container.name)"
                if let reason = container.waitingReason { text += " waiting: \(reason)" }
                if let message = container.waitingMessage, !message.isEmpty { text += ": \(message)" }
                if let last = container.lastTerminationReason { text += " (last exit: \(last))" }
                lines.append(text)
            }
        }
        if failing.count > podLimit { lines.append("  … and \(failing.count - podLimit) more pods of revision \(revision)") }
        return lines
    }
}

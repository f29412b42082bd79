import AppReleaseAPI
import KubeModels
import RolloutEngine

/// One pod as `kubectl get pods` shows it: READY, STATUS (the same rules as kubectl's printer,
/// so `CrashLoopBackOff`, `ErrImagePull`, `Init:0/1`, `Terminating` read the same in both), the
/// restarts, and the first container's waiting or termination message as the detail.
struct PodSummary: Equatable, Sendable {
    var name: String
    var revision: String?
    var readyContainers: Int
    var containers: Int
    var status: String
    var restarts: Int
    /// Why a container is not running (`back-off restarting failed container …`); nil when none says.
    var detail: String?
    /// The `ReplicaSet` controlling the pod.
    var owner: String?

    init(
        name: String, revision: String?, readyContainers: Int, containers: Int, status: String, restarts: Int, detail: String? = nil,
        owner: String? = nil
    ) {
        self.name = name
        self.revision = revision
        self.readyContainers = readyContainers
        self.containers = containers
        self.status = status
        self.restarts = restarts
        self.detail = detail
        self.owner = owner
    }

    init(json pod: JSONValue) {
        // The engine's reading of the pod (readiness, restarts, waiting reasons): one parser of
        // container signals for the controller and the plugin.
        let observed = ObservedPod(json: pod)
        let containerStatuses = pod[path: "status", "containerStatuses"]?.arrayValue ?? []
        let declared = pod[path: "spec", "containers"]?.arrayValue?.count ?? containerStatuses.count
        let readyCount = containerStatuses.count { $0["ready"]?.boolValue == true }
        let detail = observed.containers.lazy.compactMap { $0.waitingMessage }.first
            ?? containerStatuses.lazy.compactMap { $0[path: "state", "terminated", "message"]?.stringValue }.first
        self.init(
            name: observed.name, revision: observed.revision, readyContainers: readyCount, containers: declared,
            status: Self.status(pod), restarts: observed.containers.reduce(0) { $0 + $1.restartCount },
            detail: detail, owner: pod.meta.controllerReference?.name)
    }

    /// `1/1`: ready containers of all containers, as kubectl's READY column.
    var ready: String { "\(readyContainers)/\(containers)" }

    /// Whether the pod runs as it should (shown without a detail, not counted as failing).
    var isHealthy: Bool { status == "Running" && readyContainers == containers }

    /// kubectl's STATUS column (`printPod` in kubernetes/pkg/printers/internalversion).
    static func status(_ pod: JSONValue) -> String {
        var reason = pod[path: "status", "reason"]?.stringValue ?? pod[path: "status", "phase"]?.stringValue ?? "Unknown"
        let initStatuses = pod[path: "status", "initContainerStatuses"]?.arrayValue ?? []
        let initCount = pod[path: "spec", "initContainers"]?.arrayValue?.count ?? initStatuses.count
        var initializing = false
        for (index, container) in initStatuses.enumerated() {
            let terminated = container[path: "state", "terminated"]
            let waitingReason = container[path: "state", "waiting", "reason"]?.stringValue ?? ""
            if let terminated, terminated["exitCode"]?.intValue == 0 { continue }
            initializing = true
            if let terminated {
                reason = "Init:" + (terminated["reason"]?.stringValue ?? "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)")
            } else if !waitingReason.isEmpty && waitingReason != "PodInitializing" {
                reason = "Init:" + waitingReason
            } else {
                reason = "Init:\(index)/\(initCount)"
            }
            break
        }
        if !initializing {
            var hasRunning = false
            for container in (pod[path: "status", "containerStatuses"]?.arrayValue ?? []).reversed() {
                let state = container["state"]
                if let waiting = state?[path: "waiting", "reason"]?.stringValue, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = state?["terminated"] {
                    reason = terminated["reason"]?.stringValue
                        ?? (terminated["signal"]?.intValue).map { "Signal:\($0)" }
                        ?? "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)"
                } else if container["ready"]?.boolValue == true && state?["running"] != nil {
                    hasRunning = true
                }
            }
            if reason == "Completed" && hasRunning {
                let conditions = pod[path: "status", "conditions"]?.arrayValue ?? []
                reason = conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" } ? "Running" : "NotReady"
            }
        }
        if pod.meta.isDeleting {
            reason = pod[path: "status", "reason"]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
        return reason
    }
}

import Foundation
import KubeModels

/// The pod facts controllers decide by, read from a pod's JSON the way `k8s.io/kubernetes/pkg/api/v1/pod` does.
struct PodFacts {
    let pod: JSONValue

    init(_ pod: JSONValue) { self.pod = pod }

    var phase: String { pod[path: "status", "phase"]?.stringValue ?? "" }
    var nodeName: String { pod[path: "spec", "nodeName"]?.stringValue ?? "" }
    var podIP: String { pod[path: "status", "podIP"]?.stringValue ?? "" }
    var isTerminal: Bool { phase == "Succeeded" || phase == "Failed" }

    /// Counted by a ReplicaSet: not terminating and not finished (`controller.FilterActivePods`).
    var isActive: Bool { !ObjectMetadata(pod).isDeleting && !isTerminal }

    private var readyCondition: JSONValue? {
        pod[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
    }

    var isReady: Bool { readyCondition?["status"]?.stringValue == "True" }

    /// When the Ready condition last became True; nil when not ready.
    var readySince: Date? {
        guard isReady, let text = readyCondition?["lastTransitionTime"]?.stringValue else { return nil }
        return KubeTime.parse(text)
    }

    /// Ready for at least `minReadySeconds` (`podutil.IsPodAvailable`).
    func isAvailable(minReadySeconds: Int64, now: Date) -> Bool {
        guard isReady else { return false }
        if minReadySeconds <= 0 { return true }
        guard let since = readySince else { return false }
        return since.addingTimeInterval(Double(minReadySeconds)) < now
    }

    var restartCount: Int64 {
        pod[path: "status", "containerStatuses"]?.arrayValue?.reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) } ?? 0
    }

    /// Pending < Unknown < Running, the order in which a ReplicaSet gives pods up.
    var phaseRank: Int {
        switch phase {
        case "Pending", "": return 0
        case "Unknown": return 1
        case "Running": return 2
        default: return 3
        }
    }
}

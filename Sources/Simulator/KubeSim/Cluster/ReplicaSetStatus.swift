import Foundation
import KubeModels

/// The counts a ReplicaSet reports, computed from its active pods (`calculateStatus` upstream).
struct ReplicaSetStatus: Equatable {
    var replicas: Int64
    var fullyLabeledReplicas: Int64
    var readyReplicas: Int64
    var availableReplicas: Int64
    var observedGeneration: Int64
    /// How long until a ready pod becomes available, if one is waiting out minReadySeconds.
    var nextAvailabilityCheck: TimeInterval?

    init(replicaSet: JSONValue, activePods: [JSONValue], now: Date) {
        let templateLabels = JSONValue.stringMap(replicaSet[path: "spec", "template", "metadata", "labels"])
        let minReadySeconds = replicaSet[path: "spec", "minReadySeconds"]?.intValue ?? 0
        replicas = Int64(activePods.count)
        fullyLabeledReplicas = 0
        readyReplicas = 0
        availableReplicas = 0
        observedGeneration = ObjectMetadata(replicaSet).generation
        for pod in activePods {
            let facts = PodFacts(pod)
            let labels = ObjectMetadata(pod).labels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeledReplicas += 1 }
            guard facts.isReady else { continue }
            readyReplicas += 1
            if facts.isAvailable(minReadySeconds: minReadySeconds, now: now) {
                availableReplicas += 1
            } else if let since = facts.readySince {
                let wait = since.addingTimeInterval(Double(minReadySeconds)).timeIntervalSince(now)
                nextAvailabilityCheck = min(nextAvailabilityCheck ?? wait, wait)
            }
        }
    }

    /// The counts of a written `status`, as `applied(to: [:])` renders them.
    static func counts(of status: JSONValue) -> JSONValue {
        var counts: JSONValue = [:]
        for key in ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"] {
            if let value = status[key] { counts[key] = value }
        }
        return counts
    }

    /// `status` with these counts; zero counts are omitted as the API server's `omitempty`
    /// does, and fields this controller does not own (conditions) are kept.
    func applied(to status: JSONValue?) -> JSONValue {
        var status = status ?? [:]
        if case .object = status {} else { status = [:] }
        func set(_ key: String, _ value: Int64, omitZero: Bool = true) {
            if omitZero && value == 0 {
                status[key] = Optional.none
            } else {
                status[key] = .int(value)
            }
        }
        set("replicas", replicas, omitZero: false)
        set("fullyLabeledReplicas", fullyLabeledReplicas)
        set("readyReplicas", readyReplicas)
        set("availableReplicas", availableReplicas)
        set("observedGeneration", observedGeneration)
        return status
    }
}

import Foundation
import KubeModels

/// The order in which a ReplicaSet gives pods up when scaling down, after the upstream
/// `controller.ActivePods` ranking: unscheduled before scheduled, Pending before Running,
/// not-ready before ready, ready for less time before ready for longer, more restarts before
/// fewer, newer before older.
enum ScaleDownOrder {
    /// `creationSequence` breaks ties between pods created within the same second (timestamps
    /// have second precision): a higher number means created later.
    static func victims(_ pods: [JSONValue], count: Int, creationSequence: (JSONValue) -> UInt64) -> [JSONValue] {
        guard count > 0 else { return [] }
        let ranked = pods.map { pod in (pod: pod, facts: PodFacts(pod), sequence: creationSequence(pod)) }
        let sorted = ranked.sorted { left, right in
            let (a, b) = (left.facts, right.facts)
            if a.nodeName.isEmpty != b.nodeName.isEmpty { return a.nodeName.isEmpty }
            if a.phaseRank != b.phaseRank { return a.phaseRank < b.phaseRank }
            if a.isReady != b.isReady { return !a.isReady }
            if a.isReady, let sinceA = a.readySince, let sinceB = b.readySince, sinceA != sinceB { return sinceA > sinceB }
            if a.restartCount != b.restartCount { return a.restartCount > b.restartCount }
            let createdA = ObjectMetadata(left.pod).creationTimestamp.flatMap(KubeTime.parse) ?? .distantPast
            let createdB = ObjectMetadata(right.pod).creationTimestamp.flatMap(KubeTime.parse) ?? .distantPast
            if createdA != createdB { return createdA > createdB }
            if left.sequence != right.sequence { return left.sequence > right.sequence }
            return ObjectMetadata(left.pod).name > ObjectMetadata(right.pod).name
        }
        return sorted.prefix(count).map(\.pod)
    }
}

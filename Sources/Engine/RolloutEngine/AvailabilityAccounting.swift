import Foundation

/// How many pods of a ReplicaSet the engine may count as available: never more than can still
/// be there.
///
/// A ReplicaSet's `status.availableReplicas` runs ahead of its pods in two ways, and on a busy
/// cluster both are routine (kubernetes `pkg/controller/replicaset`, `syncReplicaSet`):
/// - `calculateStatus` counts the pods seen *before* that sync's `manageReplicas` deleted the
///   surplus, and publishes them with the new `observedGeneration`: right after a scale-down
///   from 3 to 2 the status says 3 available while one pod is already terminating.
/// - A rate-limited controller publishes status seconds late; until `observedGeneration` reaches
///   `metadata.generation` the counts describe an earlier spec (after 3 → 2 → 3 they can say 3
///   while a replacement pod is still starting).
/// Counting such pods let a release scale an old revision down twice for one new pod and drop
/// below `replicas - maxUnavailable` (93 of 100 apps did, on a loaded 1.36 control plane).
/// So a ReplicaSet counts at most `spec.replicas` (the controller is removing the rest), and
/// while its status is behind its spec, also at most the pods the pod cache shows available:
/// ready for `minReadySeconds` and not terminating. Pod events reach the cache directly from the
/// API server, so the second bound does not wait on the lagging controller.
enum AvailabilityAccounting {
    static func counted(_ sets: [ObservedReplicaSet], pods: [ObservedPod], now: Date) -> [ObservedReplicaSet] {
        sets.map { set in
            var counted = set
            var bound = set.replicas
            if set.observedGeneration < set.generation {
                bound = min(bound, availablePods(of: set, in: pods, now: now))
            }
            counted.availableReplicas = min(set.availableReplicas, bound)
            counted.readyReplicas = min(set.readyReplicas, set.replicas)
            return counted
        }
    }

    static func availablePods(of set: ObservedReplicaSet, in pods: [ObservedPod], now: Date) -> Int {
        pods.count { pod in
            guard pod.revision == set.revision, pod.isReady, !pod.isDeleting else { return false }
            guard set.minReadySeconds > 0 else { return true }
            guard let since = pod.readySince else { return false }
            return now.timeIntervalSince(since) >= Double(set.minReadySeconds)
        }
    }
}

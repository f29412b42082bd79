import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

/// A digest-pinned image whose digest is `n` repeated.
func image(_ n: Int, name: String = "ghcr.io/acme/web") -> String {
    let hex = Array("0123456789abcdef")
    return "\(name)@sha256:" + String(repeating: String(hex[n % 16]), count: 64)
}

func specJSON(
    image: String, replicas: Int = 3, maxSurge: JSONValue = 1, maxUnavailable: JSONValue = 0,
    deadline: Int = 600, paused: Bool = false, historyLimit: Int = 10, extra: [String: JSONValue] = [:]
) -> JSONValue {
    var spec: [String: JSONValue] = [
        "image": .string(image),
        "replicas": .int(Int64(replicas)),
        "progressDeadlineSeconds": .int(Int64(deadline)),
        "revisionHistoryLimit": .int(Int64(historyLimit)),
        "paused": .bool(paused),
        "template": [
            "metadata": ["labels": ["app": "web"]],
            "spec": ["containers": [["name": "web", "ports": [["containerPort": 8080]]]]],
        ],
        "strategy": ["type": "Rolling", "rolling": ["maxSurge": maxSurge, "maxUnavailable": maxUnavailable]],
    ]
    for (key, value) in extra { spec[key] = value }
    return .object(spec)
}

/// A tiny simulated cluster: applies plans to ReplicaSets the way the API server and the
/// ReplicaSet controller would, with pods whose health the test decides per revision.
struct World {
    var spec: JSONValue
    var status = AppReleaseStatus()
    var annotations: [String: String] = [:]
    var generation: Int64 = 1
    var sets: [ObservedReplicaSet] = []
    var pods: [ObservedPod] = []
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    /// Revisions whose pods never become available.
    var broken: Set<String> = []
    var plans: [Plan] = []

    init(spec: JSONValue) { self.spec = spec }

    var snapshot: ReleaseSnapshot {
        ReleaseSnapshot(
            appRelease: ObservedAppRelease(
                name: "web", namespace: "shop", uid: "uid-1", generation: generation, annotations: annotations,
                spec: spec, status: status),
            replicaSets: sets, pods: pods, now: now)
    }

    var revision: String {
        guard case .success(let resolved) = RolloutEngine.validate(spec) else { return "" }
        return resolved.revision
    }

    func set(_ revision: String) -> ObservedReplicaSet? { sets.first { $0.revision == revision } }

    var totalAvailable: Int { sets.reduce(0) { $0 + $1.availableReplicas } }
    var totalReplicas: Int { sets.reduce(0) { $0 + $1.replicas } }

    mutating func patch(image newImage: String) {
        spec["image"] = .string(newImage)
        generation += 1
    }

    @discardableResult
    mutating func reconcile() -> Plan {
        let plan: Plan
        do {
            plan = try RolloutEngine.plan(snapshot)
        } catch {
            Issue.record("planning failed: \(error)")
            return Plan(writes: [], events: [], status: status, statusPatch: nil, requeueAfterSeconds: nil)
        }
        for action in plan.writes { apply(action) }
        status = plan.status
        plans.append(plan)
        return plan
    }

    mutating func apply(_ action: PlanAction) {
        switch action {
        case .createReplicaSet(_, let body):
            guard var created = ObservedReplicaSet(json: body) else {
                Issue.record("created ReplicaSet has no revision label")
                return
            }
            created.currentReplicas = 0
            created.readyReplicas = 0
            created.availableReplicas = 0
            created.createdAt = now
            sets.append(created)
        case .scaleReplicaSet(let name, _, let to, let annotations):
            guard let index = sets.firstIndex(where: { $0.name == name }) else { return }
            sets[index].replicas = to
            // The ReplicaSet controller removes not-ready pods first.
            sets[index].availableReplicas = min(sets[index].availableReplicas, to)
            sets[index].readyReplicas = min(sets[index].readyReplicas, to)
            sets[index].currentReplicas = min(sets[index].currentReplicas, to)
            if let desired = annotations[AppReleaseAPI.desiredReplicasAnnotation] {
                sets[index].desiredReplicasAnnotation = Int(desired)
            }
            if let max = annotations[AppReleaseAPI.maxReplicasAnnotation] { sets[index].maxReplicasAnnotation = Int(max) }
        case .annotateReplicaSet(let name, let annotations):
            guard let index = sets.firstIndex(where: { $0.name == name }) else { return }
            if let number = annotations[AppReleaseAPI.revisionNumberAnnotation].flatMap({ Int($0) }) {
                sets[index].revisionNumber = number
            }
        case .deleteReplicaSet(let name):
            sets.removeAll { $0.name == name }
        case .selectRevision, .setRouteWeights:
            break
        }
    }

    /// Pods start: every ReplicaSet gets its pods; healthy revisions become available.
    mutating func podsStart() {
        for index in sets.indices {
            sets[index].currentReplicas = sets[index].replicas
            let healthy = !broken.contains(sets[index].revision)
            sets[index].availableReplicas = healthy ? sets[index].replicas : 0
            sets[index].readyReplicas = sets[index].availableReplicas
        }
    }

    /// Reconciles and lets pods start until nothing is left to do (or `limit` rounds), checking
    /// after every step that availability never fell below `minAvailable` and that the pod count
    /// never exceeded `maxTotal`.
    mutating func settle(minAvailable: Int? = nil, maxTotal: Int? = nil, limit: Int = 40) {
        for _ in 0..<limit {
            let plan = reconcile()
            check(minAvailable: minAvailable, maxTotal: maxTotal)
            let before = sets
            podsStart()
            check(minAvailable: minAvailable, maxTotal: maxTotal)
            now += 1
            if plan.writes.isEmpty && plan.statusPatch == nil && sets == before { return }
        }
        Issue.record("did not settle in \(limit) rounds")
    }

    func check(minAvailable: Int?, maxTotal: Int?) {
        if let minAvailable { #expect(totalAvailable >= minAvailable, "availability fell to \(totalAvailable)") }
        if let maxTotal { #expect(totalReplicas <= maxTotal, "pods rose to \(totalReplicas)") }
    }

    func condition(_ type: String) -> Condition? { status.conditions?.condition(type) }
}

extension Plan {
    var scales: [(name: String, from: Int, to: Int)] {
        writes.compactMap {
            if case .scaleReplicaSet(let name, let from, let to, _) = $0, from != to { return (name, from, to) }
            return nil
        }
    }
    var creates: [String] {
        writes.compactMap { if case .createReplicaSet(let name, _) = $0 { return name } else { return nil } }
    }
    var deletes: [String] {
        writes.compactMap { if case .deleteReplicaSet(let name) = $0 { return name } else { return nil } }
    }
    func hasEvent(_ reason: String) -> Bool { events.contains { $0.reason == reason } }
}

/// A world with one healthy, fully released revision of `image(1)`.
func releasedWorld(replicas: Int = 3, maxSurge: JSONValue = 1, maxUnavailable: JSONValue = 0, deadline: Int = 600)
    -> World
{
    var world = World(
        spec: specJSON(image: image(1), replicas: replicas, maxSurge: maxSurge, maxUnavailable: maxUnavailable, deadline: deadline))
    world.settle()
    return world
}

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
    /// Services by name: their selectors, as the strategy's writes leave them.
    var services: [String: [String: String]] = [:]
    /// The HTTPRoute the canary names, as its writes leave it; `routeObservation` overrides it.
    var route: ObservedHTTPRoute?
    var routeObservation: HTTPRouteObservation?
    /// Every traffic write applied, in order, with the writes before it in the same plan.
    var trafficWrites: [PlanAction] = []

    init(spec: JSONValue) { self.spec = spec }

    var snapshot: ReleaseSnapshot {
        ReleaseSnapshot(
            appRelease: ObservedAppRelease(
                name: "web", namespace: "shop", uid: "uid-1", generation: generation, annotations: annotations,
                spec: spec, status: status),
            replicaSets: sets, pods: pods,
            services: services.map { ObservedService(name: $0.key, selector: $0.value) }.sorted { $0.name < $1.name },
            httpRoute: routeObservation ?? route.map { .found($0) }, now: now)
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
        case .selectRevision(let service, let revision):
            trafficWrites.append(action)
            services[service, default: [:]][AppReleaseAPI.revisionLabel] = revision
        case .unpinService(let service):
            trafficWrites.append(action)
            services[service]?[AppReleaseAPI.revisionLabel] = nil
        case .setRouteWeights(_, let version, let weights):
            trafficWrites.append(action)
            guard var changed = route else { return }
            #expect(version == changed.resourceVersion, "route weights written against a stale resourceVersion")
            for weight in weights {
                guard let index = changed.backendRefs.firstIndex(where: { $0.rule == weight.rule && $0.index == weight.index })
                else {
                    Issue.record("weight for a backendRef that does not exist: \(weight)")
                    continue
                }
                changed.backendRefs[index].weight = weight.weight
            }
            changed.resourceVersion = String((Int(changed.resourceVersion) ?? 0) + 1)
            route = changed
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

// MARK: - Traffic (BlueGreen, Canary)

extension World {
    /// Available pods behind a Service: of the revision it is pinned to, or of every revision.
    func servedBy(_ service: String) -> Int {
        guard let selector = services[service] else { return 0 }
        guard let pinned = selector[AppReleaseAPI.revisionLabel] else { return totalAvailable }
        return set(pinned)?.availableReplicas ?? 0
    }

    func pinned(_ service: String) -> String? { services[service]?[AppReleaseAPI.revisionLabel] }

    /// The weight on the route's backendRef to `service` (first rule naming it).
    func routeWeight(_ service: String) -> Int? {
        route?.backendRefs.first { $0.name == service }?.effectiveWeight
    }

    /// Writes to one Service since the plan at `start`.
    func switches(of service: String, since start: Int = 0) -> [String] {
        plans[start...].flatMap(\.writes).compactMap {
            if case .selectRevision(service, let revision) = $0 { return revision }
            return nil
        }
    }

    /// Reconciles and lets pods start until nothing is left to do, checking after every step
    /// that `service` keeps `minServed` available pods behind it.
    mutating func settle(keeping service: String, minServed: Int, limit: Int = 40) {
        for _ in 0..<limit {
            let plan = reconcile()
            #expect(servedBy(service) >= minServed, "Service \(service) fell to \(servedBy(service)) pods")
            let before = sets
            podsStart()
            now += 1
            if plan.writes.isEmpty && plan.statusPatch == nil && sets == before { return }
        }
        Issue.record("did not settle in \(limit) rounds")
    }

    /// Steps until the release waits (a pause or promotion) or ends.
    mutating func runUntilWaiting(keeping service: String? = nil, minServed: Int = 0, limit: Int = 40) {
        for _ in 0..<limit {
            reconcile()
            if let service { #expect(servedBy(service) >= minServed, "Service \(service) fell to \(servedBy(service)) pods") }
            if condition("Paused")?.status == .true || status.release == nil { return }
            podsStart()
            now += 1
        }
        Issue.record("never paused in \(limit) rounds")
    }
}

func blueGreenSpec(
    image: String, replicas: Int = 3, preview: Bool = true, autoPromotionSeconds: Int? = nil,
    previewReplicaCount: Int? = nil, scaleDownDelay: Int = 30, deadline: Int = 600
) -> JSONValue {
    var section: [String: JSONValue] = ["activeService": "web", "scaleDownDelaySeconds": .int(Int64(scaleDownDelay))]
    if preview { section["previewService"] = "web-preview" }
    if let autoPromotionSeconds { section["autoPromotionSeconds"] = .int(Int64(autoPromotionSeconds)) }
    if let previewReplicaCount { section["previewReplicaCount"] = .int(Int64(previewReplicaCount)) }
    return specJSON(
        image: image, replicas: replicas, deadline: deadline,
        extra: ["strategy": ["type": "BlueGreen", "blueGreen": .object(section)]])
}

func canarySpec(
    image: String, replicas: Int = 4, steps: [JSONValue], services: Bool = false, route: Bool = false,
    scaleDownDelay: Int = 30, deadline: Int = 600
) -> JSONValue {
    var section: [String: JSONValue] = ["steps": .array(steps), "scaleDownDelaySeconds": .int(Int64(scaleDownDelay))]
    if services || route {
        section["stableService"] = "web-stable"
        section["canaryService"] = "web-canary"
    }
    if route { section["trafficRouting"] = ["httpRoute": ["name": "web"]] }
    return specJSON(
        image: image, replicas: replicas, deadline: deadline, extra: ["strategy": ["type": "Canary", "canary": .object(section)]])
}

func weight(_ percent: Int) -> JSONValue { ["setWeight": .int(Int64(percent))] }
func pause(_ duration: String? = nil) -> JSONValue { ["pause": duration.map { ["duration": .string($0)] } ?? [:]] }

/// An HTTPRoute with one rule splitting between web-stable and web-canary, and a second rule
/// (another path) to an unrelated backend.
func splitRoute() -> ObservedHTTPRoute {
    ObservedHTTPRoute(
        name: "web", resourceVersion: "100",
        backendRefs: [
            .init(rule: 0, index: 0, name: "web-stable", weight: 100),
            .init(rule: 0, index: 1, name: "web-canary", weight: 0),
            .init(rule: 1, index: 0, name: "web-legacy", weight: 7),
        ])
}

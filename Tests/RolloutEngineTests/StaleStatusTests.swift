import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine
import Testing

/// A cluster whose ReplicaSet controller reports late, as a rate-limited one on a busy cluster
/// does: the engine sees each ReplicaSet's published status, while the test keeps the pods'
/// truth. Each status is computed like upstream `syncReplicaSet` (from the pods seen before that
/// sync deleted the surplus, stamped with the spec's generation) and published `lag` ticks later.
private struct LaggingWorld {
    struct Pod {
        var name: String
        var revision: String
        var ready: Bool
        var createdAt: Date
    }

    struct Report {
        var due: Int
        var generation: Int64
        var replicas: Int
        var available: Int
    }

    var world: World
    var lag: Int
    var tick = 0
    var pods: [String: [Pod]] = [:]
    var reports: [String: [Report]] = [:]
    var generations: [String: Int64] = [:]
    var podSequence = 0
    /// The lowest count of really available pods seen after any step.
    var lowest = Int.max

    init(world: World, lag: Int) {
        self.world = world
        self.lag = lag
        for set in world.sets {
            generations[set.name] = 1
            pods[set.name] = (0..<set.availableReplicas).map { _ in
                nextPod(revision: set.revision, ready: true)
            }
        }
        publishAll()
    }

    mutating func nextPod(revision: String, ready: Bool) -> Pod {
        podSequence += 1
        return Pod(name: "pod-\(podSequence)", revision: revision, ready: ready, createdAt: world.now)
    }

    /// Pods that serve traffic now (ready, not terminating: terminating pods are removed at once).
    var reallyAvailable: Int { pods.values.joined().filter(\.ready).count }

    /// The engine's view: published counts, the spec's generation, the pod cache.
    mutating func syncEngineView() {
        for index in world.sets.indices {
            let name = world.sets[index].name
            world.sets[index].generation = generations[name] ?? 1
        }
        world.pods = pods.values.joined().map { pod in
            world.broken.contains(pod.revision)
                ? crashingPod(pod.revision, name: pod.name, restarts: 5, at: pod.createdAt)
                : ObservedPod(name: pod.name, revision: pod.revision, createdAt: pod.createdAt, isReady: pod.ready)
        }
    }

    /// One reconcile, then the ReplicaSet controller acts on the new specs.
    mutating func step() {
        syncEngineView()
        let before = world.sets.map { ($0.name, $0.replicas) }
        let plan: Plan
        do {
            plan = try RolloutEngine.plan(world.snapshot)
        } catch {
            Issue.record("planning failed: \(error)")
            return
        }
        for action in plan.writes {
            switch action {
            case .scaleReplicaSet(let name, _, let to, let annotations):
                guard let index = world.sets.firstIndex(where: { $0.name == name }) else { continue }
                world.sets[index].replicas = to
                if let desired = annotations[AppReleaseAPI.desiredReplicasAnnotation] {
                    world.sets[index].desiredReplicasAnnotation = Int(desired)
                }
                if let max = annotations[AppReleaseAPI.maxReplicasAnnotation] {
                    world.sets[index].maxReplicasAnnotation = Int(max)
                }
            case .createReplicaSet(_, let body):
                guard var created = ObservedReplicaSet(json: body) else { continue }
                created.currentReplicas = 0
                created.readyReplicas = 0
                created.availableReplicas = 0
                created.generation = 1
                created.observedGeneration = 0
                world.sets.append(created)
                generations[created.name] = 1
            default:
                world.apply(action)
            }
        }
        world.status = plan.status
        for (name, replicas) in before where world.sets.first(where: { $0.name == name })?.replicas != replicas {
            generations[name, default: 1] += 1
        }
        for set in world.sets where !before.contains(where: { $0.0 == set.name }) { generations[set.name] = 1 }
        replicaSetController()
        lowest = min(lowest, reallyAvailable)
        podsStart()
        tick += 1
        publishDue()
        world.now += 1
    }

    mutating func replicaSetController() {
        for set in world.sets {
            var owned = pods[set.name] ?? []
            let report = Report(
                due: tick + lag, generation: generations[set.name] ?? 1, replicas: owned.count,
                available: owned.filter(\.ready).count)
            if owned.count > set.replicas {
                // Not-ready pods go first, then the newest.
                owned.sort { ($0.ready ? 1 : 0, $1.createdAt) < ($1.ready ? 1 : 0, $0.createdAt) }
                owned.removeFirst(owned.count - set.replicas)
            }
            while owned.count < set.replicas { owned.append(nextPod(revision: set.revision, ready: false)) }
            pods[set.name] = owned
            reports[set.name, default: []].append(report)
        }
    }

    mutating func podsStart() {
        for (name, owned) in pods {
            pods[name] = owned.map { pod in
                var pod = pod
                if !world.broken.contains(pod.revision) { pod.ready = true }
                return pod
            }
        }
    }

    mutating func publishDue() {
        for index in world.sets.indices {
            let name = world.sets[index].name
            var queue = reports[name] ?? []
            while let first = queue.first, first.due <= tick {
                world.sets[index].observedGeneration = first.generation
                world.sets[index].currentReplicas = first.replicas
                world.sets[index].availableReplicas = first.available
                world.sets[index].readyReplicas = first.available
                queue.removeFirst()
            }
            reports[name] = queue
        }
    }

    mutating func publishAll() {
        for index in world.sets.indices {
            let name = world.sets[index].name
            let owned = pods[name] ?? []
            world.sets[index].generation = generations[name] ?? 1
            world.sets[index].observedGeneration = generations[name] ?? 1
            world.sets[index].currentReplicas = owned.count
            world.sets[index].availableReplicas = owned.filter(\.ready).count
            world.sets[index].readyReplicas = owned.filter(\.ready).count
        }
    }

    mutating func run(ticks: Int, until done: (World) -> Bool) {
        for _ in 0..<ticks {
            step()
            if done(world) { return }
        }
        Issue.record("not done after \(ticks) ticks")
    }
}

@Suite("Availability with a lagging ReplicaSet status")
struct StaleStatusTests {
    /// The engine's view of one ReplicaSet, straight from its fields.
    func replicaSet(
        _ revision: String, number: Int, replicas: Int, available: Int, generation: Int64 = 1,
        observedGeneration: Int64? = nil
    ) -> ObservedReplicaSet {
        ObservedReplicaSet(
            name: "web-\(revision)", revision: revision, revisionNumber: number, replicas: replicas,
            currentReplicas: available, availableReplicas: available, desiredReplicasAnnotation: 3, maxReplicasAnnotation: 4,
            generation: generation, observedGeneration: observedGeneration ?? generation)
    }

    /// Pods that serve after the plan, given the pods that really serve before it: a ReplicaSet
    /// scaled below its serving pods loses the difference.
    func servingAfter(_ plan: Plan, serving: [String: Int]) -> Int {
        var after = serving
        for scale in plan.scales { after[scale.name] = min(after[scale.name] ?? 0, scale.to) }
        return after.values.reduce(0, +)
    }

    @Test func availableAboveReplicasAfterAScaleDownIsNotCounted() {
        // Old scaled 3 → 2; its status (observedGeneration current) still counts the deleted pod.
        var world = releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0)
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()
        let revision = world.revision
        world.sets = [
            replicaSet(stable, number: 1, replicas: 2, available: 3, generation: 2),
            replicaSet(revision, number: 2, replicas: 2, available: 2, generation: 2),
        ]
        let plan = world.reconcile()
        let serving = servingAfter(plan, serving: ["web-\(stable)": 2, "web-\(revision)": 2])
        #expect(serving >= 3, "plan \(plan.scales) leaves \(serving) pods serving")
        #expect(plan.scales.contains { $0.name == "web-\(stable)" && $0.to == 1 }, "one old pod may still go: \(plan.scales)")
    }

    @Test func statusBehindItsGenerationIsBoundedByThePods() {
        // Patched back to the stable revision mid-release: stable went 3 → 2 → 3 and its status,
        // published before all that, still says 3; one replacement pod is still starting.
        var world = releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0)
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()
        let superseded = world.revision
        world.patch(image: image(1))
        world.sets = [
            replicaSet(stable, number: 1, replicas: 3, available: 3, generation: 3, observedGeneration: 1),
            replicaSet(superseded, number: 2, replicas: 2, available: 2, generation: 2),
        ]
        world.pods = [
            ObservedPod(name: "s1", revision: stable, isReady: true),
            ObservedPod(name: "s2", revision: stable, isReady: true),
            ObservedPod(name: "s3", revision: stable, isReady: false),
            ObservedPod(name: "n1", revision: superseded, isReady: true),
            ObservedPod(name: "n2", revision: superseded, isReady: true),
        ]
        let plan = world.reconcile()
        let serving = servingAfter(plan, serving: ["web-\(stable)": 2, "web-\(superseded)": 2])
        #expect(serving >= 3, "plan \(plan.scales) leaves \(serving) pods serving")
        #expect(world.status.availableReplicas == 4, "2 stable pods and 2 superseded ones serve")
    }

    @Test func terminatingAndYoungPodsDoNotCountWhileStatusIsBehind() {
        var world = releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0)
        let stable = world.revision
        world.patch(image: image(2))
        world.reconcile()
        let revision = world.revision
        world.spec["minReadySeconds"] = 10
        world.sets = [
            replicaSet(stable, number: 1, replicas: 2, available: 3, generation: 2),
            replicaSet(revision, number: 2, replicas: 2, available: 2, generation: 3, observedGeneration: 2),
        ]
        world.sets[0].minReadySeconds = 10
        world.sets[1].minReadySeconds = 10
        world.pods = [
            ObservedPod(name: "s1", revision: stable, isReady: true),
            ObservedPod(name: "s2", revision: stable, isReady: true),
            ObservedPod(name: "n1", revision: revision, isReady: true, readySince: world.now - 60),
            ObservedPod(name: "n2", revision: revision, isReady: true, readySince: world.now - 3),
            ObservedPod(name: "n3", revision: revision, isReady: true, readySince: world.now - 60, isDeleting: true),
        ]
        let plan = world.reconcile()
        // Really available: 2 old + 1 new (n2 is within minReadySeconds, n3 is terminating).
        #expect(plan.scales.filter { $0.name == "web-\(stable)" && $0.to < 2 }.isEmpty, "\(plan.scales)")
    }

    @Test(arguments: [0, 1, 2, 3])
    func releaseUnderLagNeverDropsBelowTheFloor(lag: Int) {
        var lagging = LaggingWorld(world: releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0), lag: lag)
        lagging.world.patch(image: image(2))
        let revision = lagging.world.revision
        lagging.run(ticks: 80) { world in world.status.stableRevision == revision && world.status.phase == .healthy }
        #expect(lagging.lowest >= 3, "really available pods fell to \(lagging.lowest) with a lag of \(lag)")
    }

    @Test(arguments: [1, 3])
    func releaseWithUnavailabilityBudgetKeepsItsFloor(lag: Int) {
        var lagging = LaggingWorld(world: releasedWorld(replicas: 4, maxSurge: 1, maxUnavailable: 1), lag: lag)
        lagging.world.patch(image: image(2))
        let revision = lagging.world.revision
        lagging.run(ticks: 80) { world in world.status.stableRevision == revision && world.status.phase == .healthy }
        #expect(lagging.lowest >= 3, "really available pods fell to \(lagging.lowest) with a lag of \(lag)")
    }

    @Test(arguments: [1, 3])
    func revertUnderLagKeepsTheStableRevisionServing(lag: Int) {
        var lagging = LaggingWorld(world: releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0), lag: lag)
        let stable = lagging.world.revision
        lagging.world.patch(image: image(2, name: "ghcr.io/acme/crash"))
        lagging.world.broken.insert(lagging.world.revision)
        lagging.run(ticks: 80) { world in
            world.status.phase == .rolledBack && world.sets.allSatisfy { $0.revision == stable || $0.replicas == 0 }
        }
        #expect(lagging.lowest >= 3, "really available pods fell to \(lagging.lowest) with a lag of \(lag)")
    }

    @Test(arguments: [1, 3])
    func patchBackMidReleaseUnderLagKeepsTheFloor(lag: Int) {
        var lagging = LaggingWorld(world: releasedWorld(replicas: 3, maxSurge: 1, maxUnavailable: 0), lag: lag)
        let stable = lagging.world.revision
        lagging.world.patch(image: image(2))
        for _ in 0..<3 { lagging.step() }
        lagging.world.patch(image: image(1))
        lagging.run(ticks: 80) { world in
            world.status.phase == .healthy && world.sets.allSatisfy { $0.revision == stable || $0.replicas == 0 }
        }
        #expect(lagging.lowest >= 3, "really available pods fell to \(lagging.lowest) with a lag of \(lag)")
    }
}

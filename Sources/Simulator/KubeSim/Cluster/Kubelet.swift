import Foundation
import KubeModels
import Synchronization

/// The single simulated node: binds new pods to itself, assigns pod IPs, runs each container
/// according to its image (`PodBehaviour`) and writes pod status at each transition; removes
/// terminating pods after their (capped) grace period.
final class Kubelet: Sendable {
    private struct State {
        var pods: [ObjectKey: SimulatedPod] = [:]
        var ips = PodIPAllocator()
        var terminationDeadlines: [ObjectKey: (uid: String, deadline: ContinuousClock.Instant)] = [:]
    }

    private let store: ObjectStore
    private let pods: StoreInformer
    private let options: ClusterOptions
    let queue = WorkQueue<ObjectKey>()
    private let state = Mutex(State())

    init(store: ObjectStore, pods: StoreInformer, options: ClusterOptions) {
        self.store = store
        self.pods = pods
        self.options = options
        pods.addHandler { [weak self] old, new in
            guard let self else { return }
            guard let pod = new ?? old else { return }
            // The kubelet's own status writes come back as events; only what changes its plan
            // (a new pod, a spec change, a deletion, finalizers released on a terminating pod,
            // which it must then remove) needs a sync.
            if let old, let new, old["spec"] == new["spec"], MetaView(old).isDeleting == MetaView(new).isDeleting,
                MetaView(old).uid == MetaView(new).uid, !MetaView(new).isDeleting || MetaView(old).finalizers == MetaView(new).finalizers
            {
                return
            }
            self.queue.add(MetaView(pod).key)
        }
    }

    func run() async {
        while let key = await queue.next() {
            sync(key)
            // A burst (thousands of pods) must not monopolise the cooperative thread pool that
            // the API server's handlers and an in-process operator share.
            await Task.yield()
        }
    }

    /// Pods currently running on the node (for tests and figures).
    var runningPods: Int { state.withLock { $0.pods.count } }

    private func sync(_ key: ObjectKey) {
        guard let pod = pods.get(key) else {
            forget(key)
            return
        }
        let meta = MetaView(pod)
        let facts = PodFacts(pod)
        if meta.isDeleting {
            terminate(pod, key: key)
            return
        }
        if facts.isTerminal { return }
        let now = ContinuousClock.now
        let simulated = state.withLock { state -> SimulatedPod? in
            let containers = SimulatedPod.containers(of: pod)
            if let existing = state.pods[key], existing.uid == meta.uid,
                existing.containers.map(\.image) == containers.map(\.image)
            {
                return existing
            }
            var ip = state.pods[key].flatMap { $0.uid == meta.uid ? $0.ip : nil }
            if ip == nil, let old = state.pods[key] { state.ips.release(old.ip) }
            var startDate = Date()
            var startInstant = now
            if ip == nil, !facts.podIP.isEmpty {
                // A pod that already ran (the simulation restarted): keep its address and clock.
                state.ips.reserve(facts.podIP)
                ip = facts.podIP
                if let started = pod[path: "status", "startTime"]?.stringValue.flatMap(KubeTime.parse) {
                    startDate = started
                    startInstant = now - .milliseconds(Int64(max(0, Date().timeIntervalSince(started)) * 1000))
                }
            }
            guard let address = ip ?? state.ips.allocate() else { return nil }
            let simulated = SimulatedPod(
                uid: meta.uid, key: key, ip: address, startDate: startDate, startInstant: startInstant, containers: containers)
            state.pods[key] = simulated
            return simulated
        }
        guard let simulated else { return }  // address space exhausted: the pod stays Pending, as on a full node
        if facts.nodeName.isEmpty { bind(key, uid: meta.uid) }
        let rendered = simulated.render(at: now, options: options, hostIP: options.hostIP)
        writeStatus(rendered.status, key: key, uid: meta.uid)
        if let next = rendered.nextTransition {
            queue.add(key, after: next + .milliseconds(1))
        }
    }

    /// Schedules the pod onto the node, as the scheduler's binding would.
    private func bind(_ key: ObjectKey, uid: String) {
        let nodeName = options.nodeName
        _ = try? store.mutate(.pods, namespace: key.namespace, name: key.name) { current throws(StatusError) in
            guard MetaView(current).uid == uid else { throw StatusError.conflict(.pods, name: key.name, detail: "recreated") }
            var updated = current
            if PodFacts(current).nodeName.isEmpty { updated.setValue(.string(nodeName), atPath: ["spec", "nodeName"]) }
            return updated
        }
    }

    private func writeStatus(_ status: JSONValue, key: ObjectKey, uid: String) {
        _ = try? store.mutate(.pods, namespace: key.namespace, name: key.name, subresource: "status") { current throws(StatusError) in
            guard MetaView(current).uid == uid, !MetaView(current).isDeleting else {
                throw StatusError.conflict(.pods, name: key.name, detail: "recreated or terminating")
            }
            var updated = current
            // Status fields the kubelet does not produce (written by others) survive.
            var merged = current["status"]?.objectValue ?? [:]
            for (field, value) in status.objectValue ?? [:] { merged[field] = value }
            updated["status"] = .object(merged)
            return updated
        }
    }

    /// Removes a terminating pod once its grace period (capped to keep simulations fast) ends.
    private func terminate(_ pod: JSONValue, key: ObjectKey) {
        let meta = MetaView(pod)
        let now = ContinuousClock.now
        let graceSeconds = max(0, meta.deletionGracePeriodSeconds ?? 0)
        let grace = min(Duration.seconds(graceSeconds), options.maxGracePeriod)
        let deadline = state.withLock { state in
            if let pending = state.terminationDeadlines[key], pending.uid == meta.uid { return pending.deadline }
            state.terminationDeadlines[key] = (meta.uid, now + grace)
            return now + grace
        }
        if now < deadline {
            queue.add(key, after: deadline - now)
            return
        }
        _ = try? store.delete(
            .pods, namespace: key.namespace, name: key.name, options: StoreDeleteOptions(preconditionUID: meta.uid, gracePeriodSeconds: 0))
        // The deletion event (or the finalizers' removal later) triggers `forget`.
    }

    private func forget(_ key: ObjectKey) {
        state.withLock { state in
            if let pod = state.pods.removeValue(forKey: key) { state.ips.release(pod.ip) }
            state.terminationDeadlines[key] = nil
        }
    }
}

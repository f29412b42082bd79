import Foundation
import KubeModels
import Synchronization

/// The deciding half of a simulated kubelet: which pods run, at which address, what each one's
/// status says at an instant, and when a terminating pod may go. kubesim's in-process node and
/// the standalone `kubesim kubelet` share it and differ only in how they read pods and write
/// back (the store, or the Kubernetes API), so a scenario behaves the same on both.
public final class PodRunner: Sendable {
    /// What the kubelet does next about one pod.
    public enum Step: Sendable, Equatable {
        /// Nothing: the pod is finished, or no address is left (it stays Pending, as on a full node).
        case none
        /// Report `status` (merged over the pod's own, see `status(_:mergedInto:)`) and look again
        /// after `recheckAfter`, when its next simulated transition is due.
        case report(status: JSONValue, recheckAfter: Duration?)
        /// The pod is terminating: delete it (grace 0, UID precondition) once `after` has passed.
        case remove(uid: String, after: Duration)
    }

    private struct State {
        var pods: [ObjectKey: SimulatedPod] = [:]
        var ips = PodIPAllocator()
        var terminationDeadlines: [ObjectKey: (uid: String, deadline: ContinuousClock.Instant)] = [:]
    }

    public let options: ClusterOptions
    private let state = Mutex(State())

    public init(options: ClusterOptions) {
        self.options = options
    }

    /// Pods currently running (for tests and figures).
    public var runningPods: Int { state.withLock { $0.pods.count } }

    /// True when a change from `old` to `new` can alter the plan for the pod. The kubelet's own
    /// status writes come back as events and need no sync; a new pod, a spec change, a deletion, a
    /// scheduling decision or finalizers released on a terminating pod (which must then go) do.
    public static func needsSync(old: JSONValue?, new: JSONValue?) -> Bool {
        guard let old, let new else { return true }
        let (before, after) = (ObjectMetadata(old), ObjectMetadata(new))
        return old["spec"] != new["spec"] || before.isDeleting != after.isDeleting || before.uid != after.uid
            || (after.isDeleting && before.finalizers != after.finalizers)
    }

    /// The next step for `pod` at `now`, on a node whose address is `hostIP`.
    public func step(for pod: JSONValue, hostIP: String, now: ContinuousClock.Instant = .now) -> Step {
        let meta = ObjectMetadata(pod)
        let facts = PodFacts(pod)
        if meta.isDeleting { return removal(of: pod, now: now) }
        if facts.isTerminal { return .none }
        let key = meta.key
        let simulated = state.withLock { state -> SimulatedPod? in
            let containers = SimulatedPod.containers(of: pod)
            if let existing = state.pods[key], existing.uid == meta.uid, existing.containers.map(\.image) == containers.map(\.image) {
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
        guard let simulated else { return .none }
        let rendered = simulated.render(at: now, options: options, hostIP: hostIP)
        return .report(status: rendered.status, recheckAfter: rendered.nextTransition.map { $0 + .milliseconds(1) })
    }

    /// Releases what the runner held for a pod that is gone.
    public func forget(namespace: String, name: String) {
        let key = ObjectKey(namespace: namespace, name: name)
        state.withLock { state in
            if let pod = state.pods.removeValue(forKey: key) { state.ips.release(pod.ip) }
            state.terminationDeadlines[key] = nil
        }
    }

    /// The pod's status with the kubelet's fields replaced by `reported`: fields others write survive.
    public static func status(_ reported: JSONValue, mergedInto pod: JSONValue) -> JSONValue {
        var merged = pod["status"]?.objectValue ?? [:]
        for (field, value) in reported.objectValue ?? [:] { merged[field] = value }
        return .object(merged)
    }

    /// A terminating pod goes after min(its grace period, `maxGracePeriod`), so simulations stay fast.
    private func removal(of pod: JSONValue, now: ContinuousClock.Instant) -> Step {
        let meta = ObjectMetadata(pod)
        let grace = min(Duration.seconds(max(0, meta.deletionGracePeriodSeconds ?? 0)), options.maxGracePeriod)
        let deadline = state.withLock { state in
            if let pending = state.terminationDeadlines[meta.key], pending.uid == meta.uid { return pending.deadline }
            state.terminationDeadlines[meta.key] = (meta.uid, now + grace)
            return now + grace
        }
        return .remove(uid: meta.uid, after: max(.zero, deadline - now))
    }
}

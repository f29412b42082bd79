import Foundation
import KubeModels
import Synchronization

/// Keeps each ReplicaSet's pod count at `spec.replicas` and reports its status, like the
/// upstream ReplicaSet controller: pods are created from the template with a controller owner
/// reference, surplus pods are chosen by `ScaleDownOrder`, orphans matching the selector are
/// adopted and owned pods that stop matching are released.
final class ReplicaSetController: Sendable {
    static let controllerIndex = "controller-uid"
    static let orphanIndex = "orphan-namespace"

    /// Creations and deletions issued but not yet seen in the pod cache. While any are
    /// outstanding the ReplicaSet is not scaled again, so a lagging cache never causes a
    /// double create (upstream `ControllerExpectations`).
    private struct Expectations {
        var creates = 0
        var deletes: Set<String> = []
        var satisfied: Bool { creates <= 0 && deletes.isEmpty }
    }

    /// A status computed at one sync, published once the configured lag has passed.
    private struct PendingReport {
        var due: ContinuousClock.Instant
        var status: ReplicaSetStatus
    }

    private struct State {
        var expectations: [ObjectKey: Expectations] = [:]
        var reports: [ObjectKey: [PendingReport]] = [:]
        var creationSequence: [String: UInt64] = [:]
        var nextSequence: UInt64 = 0
    }

    private let store: ObjectStore
    private let pods: StoreInformer
    private let replicaSets: StoreInformer
    private let faults: FaultInjector
    let queue = WorkQueue<ObjectKey>()
    private let state = Mutex(State())

    init(store: ObjectStore, pods: StoreInformer, replicaSets: StoreInformer, faults: FaultInjector) {
        self.store = store
        self.pods = pods
        self.replicaSets = replicaSets
        self.faults = faults
        pods.addIndex(Self.controllerIndex) { pod in ObjectMetadata(pod).controllerReference.map { [$0.uid] } ?? [] }
        pods.addIndex(Self.orphanIndex) { pod in
            let meta = ObjectMetadata(pod)
            return meta.controllerReference == nil && !meta.isDeleting ? [meta.namespace] : []
        }
        replicaSets.addHandler { [weak self] _, new in
            guard let self else { return }
            if let new { self.queue.add(ObjectMetadata(new).key) }
        }
        replicaSets.addHandler { [weak self] old, new in
            guard let self, new == nil, let old else { return }
            let key = ObjectMetadata(old).key
            self.state.withLock { state in
                state.expectations[key] = nil
                state.reports[key] = nil
            }
        }
        pods.addHandler { [weak self] old, new in self?.podChanged(old: old, new: new) }
    }

    func run() async {
        while let key = await queue.next() {
            sync(key)
            // A burst (thousands of pods) must not monopolise the cooperative thread pool that
            // the API server's handlers and an in-process operator share.
            await Task.yield()
        }
    }

    // MARK: Events

    private func podChanged(old: JSONValue?, new: JSONValue?) {
        let oldRef = old.flatMap { Self.replicaSetRef(ObjectMetadata($0)) }
        let newRef = new.flatMap { Self.replicaSetRef(ObjectMetadata($0)) }
        if let pod = new, let ref = newRef {
            let key = ObjectKey(namespace: ObjectMetadata(pod).namespace, name: ref.name)
            let meta = ObjectMetadata(pod)
            state.withLock { state in
                if old == nil { state.expectations[key]?.creates -= 1 }
                if meta.isDeleting { state.expectations[key]?.deletes.remove(meta.name) }
            }
            queue.add(key)
        }
        if let pod = old, let ref = oldRef, ref.uid != newRef?.uid || new == nil {
            let meta = ObjectMetadata(pod)
            let key = ObjectKey(namespace: meta.namespace, name: ref.name)
            state.withLock { state in
                state.expectations[key]?.deletes.remove(meta.name)
                if new == nil { state.creationSequence[meta.uid] = nil }
            }
            queue.add(key)
        }
        // An orphan (or a released pod) may be adopted by any ReplicaSet whose selector matches;
        // a status change of a pod already known to be an orphan cannot change that.
        let adoptable = old == nil || oldRef != nil || old.map { ObjectMetadata($0).labels } != new.map { ObjectMetadata($0).labels }
        if let pod = new, newRef == nil, !ObjectMetadata(pod).isDeleting, adoptable {
            let meta = ObjectMetadata(pod)
            let labels = meta.labels
            for replicaSet in replicaSets.list(namespace: meta.namespace) {
                if let selector = Selector(labelSelector: replicaSet[path: "spec", "selector"]), !selector.isEmpty,
                    selector.matches(labels)
                {
                    queue.add(ObjectMetadata(replicaSet).key)
                }
            }
        }
    }

    /// What a ReplicaSet writes into the pods it controls.
    private static func controllerReference(to meta: ObjectMetadata) -> OwnerReference {
        .controller(apiVersion: meta.apiVersion.isEmpty ? "apps/v1" : meta.apiVersion, kind: "ReplicaSet", name: meta.name, uid: meta.uid)
    }

    private static func replicaSetRef(_ meta: ObjectMetadata) -> OwnerReference? {
        guard let ref = meta.controllerReference, ref.kind == "ReplicaSet", ref.apiVersion.hasPrefix("apps/") else { return nil }
        return ref
    }

    // MARK: Sync

    private func sync(_ key: ObjectKey) {
        guard let replicaSet = replicaSets.get(key) else {
            state.withLock { _ = $0.expectations.removeValue(forKey: key) }
            return
        }
        let meta = ObjectMetadata(replicaSet)
        // An invalid selector (empty, or an unknown operator) must never claim pods.
        guard let selector = Selector(labelSelector: replicaSet[path: "spec", "selector"]), !selector.isEmpty else { return }

        var owned = pods.byIndex(Self.controllerIndex, meta.uid).filter { Self.replicaSetRef(ObjectMetadata($0)) != nil }
        owned = releaseUnmatched(owned, selector: selector)
        if !meta.isDeleting { owned += adoptOrphans(of: replicaSet, selector: selector) }
        let active = owned.filter { PodFacts($0).isActive }

        let satisfied = state.withLock { $0.expectations[key]?.satisfied ?? true }
        // A ReplicaSet being deleted keeps its pods until the garbage collector removes them.
        if satisfied && !meta.isDeleting {
            let desired = Int(max(0, replicaSet[path: "spec", "replicas"]?.intValue ?? 1))
            if active.count < desired {
                createPods(desired - active.count, for: replicaSet, key: key)
            } else if active.count > desired {
                deletePods(active, surplus: active.count - desired, key: key)
            }
        }
        // Upstream `syncReplicaSet` reports status on every sync, from the pods it saw *before*
        // this sync's creations and deletions: right after a scale-down, `observedGeneration` is
        // current while `availableReplicas` still counts the pods just deleted.
        writeStatus(replicaSet, key: key, active: active)
    }

    private func createPods(_ count: Int, for replicaSet: JSONValue, key: ObjectKey) {
        let meta = ObjectMetadata(replicaSet)
        state.withLock { $0.expectations[key, default: Expectations()].creates += count }
        let template = replicaSet[path: "spec", "template"] ?? [:]
        var metadata: JSONValue = [
            "generateName": .string("\(meta.name)-"),
            "namespace": .string(meta.namespace),
            "ownerReferences": [
                Self.controllerReference(to: meta).json
            ],
        ]
        for field in ["labels", "annotations", "finalizers"] {
            if let value = template[path: "metadata", field] { metadata[field] = value }
        }
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"] ?? [:],
        ]
        for _ in 0..<count {
            do {
                let created = try store.create(.pods, namespace: meta.namespace, object: pod)
                state.withLock { state in
                    state.nextSequence += 1
                    state.creationSequence[ObjectMetadata(created).uid] = state.nextSequence
                }
            } catch {
                // The pod will never be observed: stop waiting for it and retry after a back-off,
                // as no event may come to trigger another sync.
                state.withLock { $0.expectations[key]?.creates -= 1 }
                queue.add(key, after: .seconds(1))
            }
        }
    }

    private func deletePods(_ active: [JSONValue], surplus: Int, key: ObjectKey) {
        let victims = state.withLock { state in
            ScaleDownOrder.victims(active, count: surplus) { state.creationSequence[ObjectMetadata($0).uid] ?? 0 }
        }
        let names = Set(victims.map { ObjectMetadata($0).name })
        state.withLock { $0.expectations[key, default: Expectations()].deletes.formUnion(names) }
        for victim in victims {
            let meta = ObjectMetadata(victim)
            do {
                try store.delete(.pods, namespace: meta.namespace, name: meta.name, options: StoreDeleteOptions(preconditionUID: meta.uid))
            } catch {
                state.withLock { _ = $0.expectations[key]?.deletes.remove(meta.name) }
            }
        }
    }

    /// Owned pods whose labels no longer match the selector lose their owner reference.
    private func releaseUnmatched(_ owned: [JSONValue], selector: Selector) -> [JSONValue] {
        var kept: [JSONValue] = []
        for pod in owned {
            let meta = ObjectMetadata(pod)
            if selector.matches(meta.labels) || meta.isDeleting {
                kept.append(pod)
                continue
            }
            let ownerUID = meta.controllerReference?.uid
            _ = try? store.mutate(.pods, namespace: meta.namespace, name: meta.name) { current throws(StatusError) in
                var updated = current
                let refs = current[path: "metadata", "ownerReferences"]?.arrayValue ?? []
                let remaining = refs.filter { $0["uid"]?.stringValue != ownerUID }
                updated.setValue(.arrayOrAbsent(remaining), atPath: ["metadata", "ownerReferences"])
                return updated
            }
        }
        return kept
    }

    private func adoptOrphans(of replicaSet: JSONValue, selector: Selector) -> [JSONValue] {
        let meta = ObjectMetadata(replicaSet)
        var adopted: [JSONValue] = []
        for pod in pods.byIndex(Self.orphanIndex, meta.namespace) where selector.matches(ObjectMetadata(pod).labels) {
            let podMeta = ObjectMetadata(pod)
            let ref = Self.controllerReference(to: meta)
            let result = try? store.mutate(.pods, namespace: podMeta.namespace, name: podMeta.name) { current throws(StatusError) in
                // Re-checked under the store's lock: another ReplicaSet may have adopted it first.
                guard ObjectMetadata(current).controllerReference == nil, ObjectMetadata(current).uid == podMeta.uid else {
                    throw StatusError.conflict(.pods, name: podMeta.name, detail: "already adopted")
                }
                var updated = current
                let refs = current[path: "metadata", "ownerReferences"]?.arrayValue ?? []
                updated.setValue(.array(refs + [ref.json]), atPath: ["metadata", "ownerReferences"])
                return updated
            }
            if let result { adopted.append(result) }
        }
        return adopted
    }

    private func writeStatus(_ replicaSet: JSONValue, key: ObjectKey, active: [JSONValue]) {
        let computed = ReplicaSetStatus(replicaSet: replicaSet, activePods: active, now: Date())
        if let wait = computed.nextAvailabilityCheck {
            queue.add(key, after: .milliseconds(Int64(max(0, wait) * 1000) + 20))
        }
        guard let due = dueReport(computed, replicaSet: replicaSet, key: key) else { return }
        let status = due.applied(to: replicaSet["status"])
        guard status != replicaSet["status"] else { return }
        publish(due, replicaSet: replicaSet, key: key)
    }

    /// With a status lag, what was computed now is queued and the newest report whose lag has
    /// passed is returned; without one (and nothing queued), `computed` itself.
    private func dueReport(_ computed: ReplicaSetStatus, replicaSet: JSONValue, key: ObjectKey) -> ReplicaSetStatus? {
        let lag = faults.replicaSetStatusLag
        let now = ContinuousClock.now
        let (due, next) = state.withLock { state -> (ReplicaSetStatus?, ContinuousClock.Instant?) in
            var reports = state.reports[key] ?? []
            if reports.isEmpty && lag == .zero { return (computed, nil) }
            let last = reports.last?.status.applied(to: [:]) ?? replicaSet["status"].map { ReplicaSetStatus.counts(of: $0) }
            if computed.applied(to: [:]) != last { reports.append(PendingReport(due: now.advanced(by: lag), status: computed)) }
            var due: ReplicaSetStatus?
            while let first = reports.first, first.due <= now {
                due = first.status
                reports.removeFirst()
            }
            state.reports[key] = reports.isEmpty ? nil : reports
            return (due, reports.first?.due)
        }
        if let next { queue.add(key, after: now.duration(to: next)) }
        return due
    }

    private func publish(_ computed: ReplicaSetStatus, replicaSet: JSONValue, key: ObjectKey) {
        let uid = ObjectMetadata(replicaSet).uid
        _ = try? store.mutate(.replicaSets, namespace: key.namespace, name: key.name, subresource: "status") {
            current throws(StatusError) in
            guard ObjectMetadata(current).uid == uid else { throw StatusError.conflict(.replicaSets, name: key.name, detail: "recreated") }
            var updated = current
            updated["status"] = computed.applied(to: current["status"])
            return updated
        }
    }
}

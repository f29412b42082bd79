import Foundation
import KubeModels

/// kubesim's single in-process node: binds new pods to itself and carries out the `PodRunner`'s
/// steps directly on the store (status writes, removal of terminating pods after their grace).
final class Kubelet: Sendable {
    private let store: ObjectStore
    private let pods: StoreInformer
    private let options: ClusterOptions
    private let runner: PodRunner
    let queue = WorkQueue<ObjectKey>()

    init(store: ObjectStore, pods: StoreInformer, options: ClusterOptions) {
        self.store = store
        self.pods = pods
        self.options = options
        self.runner = PodRunner(options: options)
        pods.addHandler { [weak self] old, new in
            guard let self, let pod = new ?? old, PodRunner.needsSync(old: old, new: new) else { return }
            self.queue.add(ObjectMetadata(pod).key)
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
    var runningPods: Int { runner.runningPods }

    private func sync(_ key: ObjectKey) {
        guard let pod = pods.get(key) else {
            // The deletion event (or the finalizers' removal later) ends the pod here.
            runner.forget(namespace: key.namespace ?? "", name: key.name)
            return
        }
        let uid = ObjectMetadata(pod).uid
        switch runner.step(for: pod, hostIP: options.hostIP) {
        case .none:
            return
        case .report(let status, let recheckAfter):
            if PodFacts(pod).nodeName.isEmpty { bind(key, uid: uid) }
            writeStatus(status, key: key, uid: uid)
            if let recheckAfter { queue.add(key, after: recheckAfter) }
        case .remove(let uid, let after):
            if after > .zero {
                queue.add(key, after: after)
            } else {
                _ = try? store.delete(
                    .pods, namespace: key.namespace, name: key.name,
                    options: StoreDeleteOptions(preconditionUID: uid, gracePeriodSeconds: 0))
            }
        }
    }

    /// Schedules the pod onto the node, as the scheduler's binding would.
    private func bind(_ key: ObjectKey, uid: String) {
        let nodeName = options.nodeName
        _ = try? store.mutate(.pods, namespace: key.namespace, name: key.name) { current throws(StatusError) in
            guard ObjectMetadata(current).uid == uid else { throw StatusError.conflict(.pods, name: key.name, detail: "recreated") }
            var updated = current
            if PodFacts(current).nodeName.isEmpty { updated.setValue(.string(nodeName), atPath: ["spec", "nodeName"]) }
            return updated
        }
    }

    private func writeStatus(_ status: JSONValue, key: ObjectKey, uid: String) {
        _ = try? store.mutate(.pods, namespace: key.namespace, name: key.name, subresource: "status") { current throws(StatusError) in
            guard ObjectMetadata(current).uid == uid, !ObjectMetadata(current).isDeleting else {
                throw StatusError.conflict(.pods, name: key.name, detail: "recreated or terminating")
            }
            var updated = current
            updated["status"] = PodRunner.status(status, mergedInto: current)
            return updated
        }
    }
}

import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import KubeSim
import Logging

/// `kubesim kubelet`: simulated nodes for a real API server, as KWOK provides them. It registers
/// Nodes, renews their Leases, watches the pods the scheduler binds to them and plays each pod's
/// image by the same rules as kubesim's own node (`crash`, `unready`, `slow`, `pullerr`), so a
/// bare control plane runs the operator's end-to-end scenarios without a container runtime.
public final class StandaloneKubelet: Sendable {
    public struct Options: Sendable {
        public var nodes = SimulatedNode.fleet(prefix: "kubesim-node", count: 3)
        public var cluster = ClusterOptions()
        /// The node-lifecycle controller marks a node NotReady when its Lease goes unrenewed for
        /// its grace period (50 s by default); a kubelet renews every 10 s of a 40 s lease.
        public var leaseDuration: Duration = .seconds(40)
        public var renewInterval: Duration = .seconds(10)
        public var workers = 4
        /// How long registration keeps retrying (an API server warming its RBAC caches answers
        /// 403 for a few seconds) before it gives up.
        public var registrationTimeout: Duration = .seconds(60)
        public init() {}
    }

    /// A pod of one of our nodes: `node` says which informer holds it.
    struct PodKey: Hashable, Sendable {
        var node: Int
        var namespace: String
        var name: String
    }

    let api: any KubernetesAPI
    let options: Options
    let logger: Logger
    private let runner: PodRunner
    private let queue = WorkQueue<PodKey>(name: "kubelet")
    private let informers: [Informer]

    public init(api: any KubernetesAPI, options: Options, logger: Logger = Logger(label: "kubesim-kubelet")) {
        self.api = api
        self.options = options
        self.logger = logger
        self.runner = PodRunner(options: options.cluster)
        // One pod watch per node, exactly as kubelets watch `spec.nodeName=<their name>`.
        self.informers = options.nodes.map { node in
            Informer(api: api, resource: .pods, fieldSelector: "spec.nodeName=\(node.name)", logger: logger)
        }
        for (index, informer) in informers.enumerated() {
            informer.onEvent { [queue] _, old, new in
                guard let pod = new ?? old, PodRunner.needsSync(old: old, new: new) else { return }
                let meta = pod["metadata"]
                queue.add(
                    PodKey(node: index, namespace: meta?["namespace"]?.stringValue ?? "", name: meta?["name"]?.stringValue ?? ""))
            }
        }
    }

    /// Registers the nodes, then keeps them alive and runs their pods until the task is cancelled.
    public func run() async throws {
        let registrar = NodeRegistrar(api: api, options: options, logger: logger)
        let uids = try await registrar.register()
        logger.info("nodes registered", metadata: ["nodes": "\(options.nodes.map(\.name))"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await registrar.renewLeases(nodeUIDs: uids) }
            for informer in informers { group.addTask { await informer.run() } }
            for _ in 0..<max(1, options.workers) { group.addTask { await self.work() } }
            await group.next()
            group.cancelAll()
        }
        queue.shutDown()
    }

    /// Pods running on the simulated nodes (for tests and figures).
    public var runningPods: Int { runner.runningPods }

    private func work() async {
        while let key = await queue.get() {
            do {
                try await sync(key)
                queue.forget(key)
            } catch let error as KubernetesError where error.isNotFound {
                runner.forget(namespace: key.namespace, name: key.name)
                queue.forget(key)
            } catch {
                if Task.isCancelled { break }
                logger.warning(
                    "pod sync failed; retrying", metadata: ["pod": "\(key.namespace)/\(key.name)", "error": "\(error)"])
                queue.addRateLimited(key)
            }
            queue.done(key)
        }
    }

    private func sync(_ key: PodKey) async throws {
        guard let pod = informers[key.node].get(namespace: key.namespace, name: key.name) else {
            runner.forget(namespace: key.namespace, name: key.name)
            return
        }
        switch runner.step(for: pod, hostIP: options.nodes[key.node].hostIP) {
        case .none:
            return
        case .report(let status, let recheckAfter):
            // Only a change is written: the kubelet's own write comes back as a watch event, and a
            // resync must cost the API server nothing.
            if PodRunner.status(status, mergedInto: pod) != pod["status"] {
                let uid = pod[path: "metadata", "uid"] ?? .null
                try await api.patch(
                    .pods, namespace: key.namespace, name: key.name,
                    patch: .merge(["metadata": ["uid": uid], "status": status]), subresource: "status")
            }
            if let recheckAfter { queue.addAfter(key, recheckAfter) }
        case .remove(let uid, let after):
            if after > .zero {
                queue.addAfter(key, after)
            } else {
                try await api.delete(
                    .pods, namespace: key.namespace, name: key.name,
                    options: DeleteOptions(preconditionUID: uid, gracePeriodSeconds: 0))
            }
        }
    }
}

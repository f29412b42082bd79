import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import Logging

/// Registers the simulated Nodes and keeps their Leases renewed. Registration is retried: an API
/// server that has just started answers 403 for a few seconds while its RBAC caches warm.
struct NodeRegistrar: Sendable {
    let api: any KubernetesAPI
    let options: StandaloneKubelet.Options
    let logger: Logger

    /// Creates (or refreshes) every Node and its Lease; returns the Nodes' UIDs by name.
    func register() async throws -> [String: String] {
        var uids: [String: String] = [:]
        for node in options.nodes {
            uids[node.name] = try await retrying("register node \(node.name)") { try await registerNode(node) }
            try await retrying("create lease of \(node.name)") {
                try await renew(node, uid: uids[node.name] ?? "")
            }
        }
        return uids
    }

    /// Renews every Lease each `renewInterval` until cancelled; a failed renewal is logged and tried
    /// again next round (the lease outlives several missed renewals).
    func renewLeases(nodeUIDs: [String: String]) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.renewInterval)
            if Task.isCancelled { return }
            for node in options.nodes {
                do {
                    try await renew(node, uid: nodeUIDs[node.name] ?? "")
                } catch {
                    logger.warning("lease renewal failed", metadata: ["node": "\(node.name)", "error": "\(error)"])
                }
            }
        }
    }

    private func registerNode(_ node: SimulatedNode) async throws -> String {
        let now = Date()
        let stored: JSONValue
        do {
            stored = try await api.create(.nodes, namespace: nil, object: node.object(now: now))
        } catch let error as KubernetesError where error.isAlreadyExists {
            stored = try await api.get(.nodes, namespace: nil, name: node.name)
        }
        // A node registered earlier (or a create that dropped status) reports afresh: Ready now.
        try await api.patch(.nodes, namespace: nil, name: node.name, patch: .merge(["status": node.status(now: now)]), subresource: "status")
        return stored[path: "metadata", "uid"]?.stringValue ?? ""
    }

    private func renew(_ node: SimulatedNode, uid: String) async throws {
        let now = Date()
        do {
            try await api.patch(
                .leases, namespace: SimulatedNode.leaseNamespace, name: node.name,
                patch: .merge(["spec": ["holderIdentity": .string(node.name), "renewTime": .string(KubeTime.formatMicro(now))]]))
        } catch let error as KubernetesError where error.isNotFound {
            try await api.create(
                .leases, namespace: SimulatedNode.leaseNamespace, object: node.lease(nodeUID: uid, duration: options.leaseDuration, now: now))
        }
    }

    /// Retries `body` with backoff for up to `registrationTimeout`, then gives up with its last error:
    /// a kubeconfig without the rights to register nodes must fail, not hang.
    private func retrying<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        let backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        let deadline = ContinuousClock.now + options.registrationTimeout
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch {
                try Task.checkCancellation()
                let delay = backoff.delay(attempt: attempt)
                guard ContinuousClock.now + delay < deadline else { throw error }
                attempt += 1
                logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}

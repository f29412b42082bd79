import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import Logging
import RolloutEngine

/// Applies a plan's actions in order through the client. Each action is idempotent and the next
/// pass re-plans from what it observes, so an answer that says "the world is not what the cache
/// said" (409, NotFound, AlreadyExists) stops the plan and asks for another look; it never fails
/// the release.
struct PlanExecutor {
    enum Outcome: Sendable, Equatable {
        case done
        case retryLater(String)
    }

    let api: any KubernetesAPI
    let appRelease: JSONValue
    let events: EventRecorder
    let expectations: WriteExpectations
    let logger: Logger
    /// uid by name of the cached ReplicaSets the plan was computed from.
    let replicaSetUIDs: [String: String]

    private var namespace: String? { appRelease.meta.key.namespace }
    private var uid: String { appRelease.meta.uid }

    func apply(_ actions: [PlanAction]) async throws -> Outcome {
        for action in actions {
            let outcome = try await apply(action)
            if outcome != .done { return outcome }
        }
        return .done
    }

    private func apply(_ action: PlanAction) async throws -> Outcome {
        switch action {
        case .createReplicaSet(let name, let body):
            return try await createReplicaSet(name: name, body: body)
        case .scaleReplicaSet(let name, _, _, _), .annotateReplicaSet(let name, _):
            return try await patch(.replicaSets, name: name, body: action.mergePatch.map { .merge($0) })
        case .selectRevision(let service, _), .unpinService(let service):
            return try await patch(.services, name: service, body: action.mergePatch.map { .merge($0) })
        case .setRouteWeights(let route, _, _):
            // 422 is the failed `test`: the route changed since it was read; look again.
            return try await patch(.httpRoutes, name: route, body: action.jsonPatch.map { .json($0) }, retryOnInvalid: true)
        case .deleteReplicaSet(let name):
            // The uid precondition: delete the ReplicaSet the plan was about, never a namesake.
            let replicaSetUID = replicaSetUIDs[name]
            do {
                try await api.delete(
                    .replicaSets, namespace: namespace, name: name,
                    options: DeleteOptions(propagationPolicy: .background, preconditionUID: replicaSetUID))
                if let replicaSetUID { expectations.deleted("replicasets", name: name, uid: replicaSetUID, owner: uid) }
                return .done
            } catch let error as KubernetesError where error.isNotFound {
                return .done
            } catch let error as KubernetesError where error.isConflict {
                return .retryLater("delete of ReplicaSet \(name): \(error)")
            }
        }
    }

    private func patch(
        _ resource: GroupVersionResource, name: String, body: Patch?, retryOnInvalid: Bool = false
    ) async throws -> Outcome {
        guard let body else { return .done }
        do {
            let written = try await api.patch(resource, namespace: namespace, name: name, patch: body)
            expectations.wrote(resource.resource, object: written, owner: uid)
            return .done
        } catch let error as KubernetesError
            where error.isConflict || error.isNotFound || (retryOnInvalid && error.isInvalid)
        {
            return .retryLater("patch of \(resource.resource) \(name): \(error)")
        }
    }

    private func createReplicaSet(name: String, body: JSONValue) async throws -> Outcome {
        do {
            let created = try await api.create(.replicaSets, namespace: namespace, object: body)
            expectations.wrote("replicasets", object: created, owner: uid)
            return .done
        } catch let error as KubernetesError where error.isAlreadyExists {
            return try await adopt(name: name)
        }
    }

    /// A ReplicaSet of that name exists though our cache did not show it as ours: either the cache
    /// lags (ours already: look again), it is an orphan of ours (left by an orphaning delete:
    /// take it back), or it belongs to something else (never touch it; say so).
    private func adopt(name: String) async throws -> Outcome {
        let existing: JSONValue
        do {
            existing = try await api.get(.replicaSets, namespace: namespace, name: name)
        } catch let error as KubernetesError where error.isNotFound {
            return .retryLater("ReplicaSet \(name) vanished after AlreadyExists")
        }
        if let controller = existing.meta.controllerReference {
            if controller.uid == uid {
                expectations.wrote("replicasets", object: existing, owner: uid)
                return .retryLater("ReplicaSet \(name) exists and is ours; the cache lagged")
            }
            let owner = "\(controller.kind)/\(controller.name)"
            events.record(
                object: appRelease, type: .warning, reason: "ReplicaSetConflict",
                message: "ReplicaSet \(name) already exists and is controlled by \(owner); not touching it. \(Self.resolution)")
            // Retrying cannot help until someone removes the clash; the retry annotation (a change
            // to the AppRelease) queues it again.
            throw TerminalError(AdoptionError(message: "ReplicaSet \(name) is controlled by \(owner)"))
        }
        guard existing.meta.labels[AppReleaseAPI.revisionLabel] != nil else {
            events.record(
                object: appRelease, type: .warning, reason: "ReplicaSetConflict",
                message: "ReplicaSet \(name) already exists and was not created by an AppRelease; not touching it. \(Self.resolution)")
            throw TerminalError(AdoptionError(message: "ReplicaSet \(name) exists without our revision label"))
        }
        let ownerReference = AppReleaseAPI.controllerReference(name: appRelease.meta.name, uid: uid).json
        // A merge patch replaces the whole list; resourceVersion makes it a compare-and-swap so
        // a concurrent adopter cannot be overwritten.
        let patch: JSONValue = [
            "metadata": [
                // The other references as stored, so no field of theirs is dropped.
                "ownerReferences": .array((existing[path: "metadata", "ownerReferences"]?.arrayValue ?? []) + [ownerReference]),
                "resourceVersion": existing[path: "metadata", "resourceVersion"] ?? .null,
            ]
        ]
        do {
            let adopted = try await api.patch(.replicaSets, namespace: namespace, name: name, patch: .merge(patch))
            expectations.wrote("replicasets", object: adopted, owner: uid)
            logger.info("adopted orphaned ReplicaSet", metadata: ["replicaSet": "\(name)"])
            return .retryLater("adopted ReplicaSet \(name)")
        } catch let error as KubernetesError where error.isConflict || error.isNotFound {
            return .retryLater("adopting ReplicaSet \(name): \(error)")
        }
    }
}

extension PlanExecutor {
    static let resolution = "Delete or rename it, then set the \(AppReleaseAPI.retryAnnotation) annotation to retry."
}

struct AdoptionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

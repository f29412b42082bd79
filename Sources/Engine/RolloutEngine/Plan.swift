import AppReleaseAPI
import KubeModels

/// What the controller should do for one AppRelease: apply `writes` in order (stopping at the
/// first failure and requeueing: each is idempotent and the next reconcile re-plans from what it
/// observes), then write `statusPatch` if there is one, then record `events`, then look again
/// after `requeueAfterSeconds` if set (a deadline or a timed step; watch events on owned objects
/// requeue sooner).
public struct Plan: Sendable, Equatable {
    /// Object writes, in order.
    public var writes: [PlanAction]
    /// Events to record on the AppRelease, in order, once the state they announce is written.
    public var events: [PlannedEvent]
    /// The complete status the AppRelease should have.
    public var status: AppReleaseStatus
    /// A JSON merge patch `{"status": {...}}` from the observed to the planned status (removed
    /// fields are `null`), for the status subresource; nil when the status is unchanged.
    public var statusPatch: JSONValue?
    /// Seconds until the engine must look again even if nothing changes (progress deadline,
    /// pause step, promotion delay), padded so it is never early; nil: only when something changes.
    public var requeueAfterSeconds: Int?
    /// What `statusPatch` changes: nothing, only progress figures, or something a reader acts on.
    public var statusChange: StatusChange

    public init(
        writes: [PlanAction], events: [PlannedEvent], status: AppReleaseStatus, statusPatch: JSONValue?, requeueAfterSeconds: Int?,
        statusChange: StatusChange? = nil
    ) {
        self.writes = writes
        self.events = events
        self.status = status
        self.statusPatch = statusPatch
        self.requeueAfterSeconds = requeueAfterSeconds
        self.statusChange = statusChange ?? (statusPatch == nil ? .none : .significant)
    }
}

/// The planned status could not be encoded: a bug, reported as an error rather than written as
/// an empty status.
public struct StatusEncodingError: Error, CustomStringConvertible {
    public var underlying: any Error
    public var description: String { "cannot encode the planned AppRelease status: \(underlying)" }
}

/// One step of a plan.
public enum PlanAction: Sendable, Equatable {
    /// Create a ReplicaSet (the complete object: labels, selector, template, ownerReference).
    /// An `AlreadyExists` answer means the cache lagged: requeue.
    case createReplicaSet(name: String, body: JSONValue)
    /// Merge-patch a ReplicaSet's `spec.replicas` and our annotations (see `mergePatch`).
    case scaleReplicaSet(name: String, from: Int, to: Int, annotations: [String: String])
    /// Merge-patch only annotations of a ReplicaSet (e.g. a reused revision's new number).
    case annotateReplicaSet(name: String, annotations: [String: String])
    /// Delete an old ReplicaSet beyond `revisionHistoryLimit` (propagation: background).
    case deleteReplicaSet(name: String)
    /// Point a Service at one revision: a merge patch that sets only the `apprelease.dev/revision`
    /// key of `spec.selector`, so the user's own keys and every other field stay as they are.
    case selectRevision(service: String, revision: String)
    /// Remove our `apprelease.dev/revision` key from a Service's selector (a merge patch setting it
    /// to null): a Service the strategy no longer names goes back to selecting by the user's keys.
    case unpinService(service: String)
    /// Set the weights of some backendRefs of an HTTPRoute, and nothing else: a JSON patch that
    /// first tests the resourceVersion the positions were read at (see `jsonPatch`).
    case setRouteWeights(route: String, resourceVersion: String, weights: [RouteWeight])

    /// The JSON merge patch body for ReplicaSet and Service actions; nil for the others.
    public var mergePatch: JSONValue? {
        switch self {
        case .scaleReplicaSet(_, _, let replicas, let annotations):
            var patch: [String: JSONValue] = ["spec": ["replicas": .int(Int64(replicas))]]
            if !annotations.isEmpty {
                patch["metadata"] = ["annotations": .object(annotations.mapValues { .string($0) })]
            }
            return .object(patch)
        case .annotateReplicaSet(_, let annotations):
            return ["metadata": ["annotations": .object(annotations.mapValues { .string($0) })]]
        case .selectRevision(_, let revision):
            return ["spec": ["selector": [AppReleaseAPI.revisionLabel: .string(revision)]]]
        case .unpinService:
            return ["spec": ["selector": [AppReleaseAPI.revisionLabel: .null]]]
        case .createReplicaSet, .deleteReplicaSet, .setRouteWeights:
            return Optional<JSONValue>.none
        }
    }

    /// The JSON patch (RFC 6902) body for `setRouteWeights`: a `test` of the resourceVersion, so
    /// a route edited since it was read (rules moved, refs reordered) answers 422 Invalid instead of
    /// getting a weight at the wrong position, then one `add` per weight (`add` also replaces an
    /// existing member, and `weight` is optional in the Gateway API). Nil for the other actions.
    public var jsonPatch: JSONValue? {
        guard case .setRouteWeights(_, let resourceVersion, let weights) = self else { return Optional<JSONValue>.none }
        var operations: [JSONValue] = [["op": "test", "path": "/metadata/resourceVersion", "value": .string(resourceVersion)]]
        for weight in weights {
            operations.append([
                "op": "add", "path": .string("/spec/rules/\(weight.rule)/backendRefs/\(weight.index)/weight"),
                "value": .int(Int64(weight.weight)),
            ])
        }
        return .array(operations)
    }
}

/// The weight for `spec.rules[rule].backendRefs[index]` of an HTTPRoute.
public struct RouteWeight: Sendable, Hashable {
    public var rule: Int
    public var index: Int
    public var weight: Int
    public init(rule: Int, index: Int, weight: Int) {
        self.rule = rule
        self.index = index
        self.weight = weight
    }
}

/// An Event to record on the AppRelease.
public struct PlannedEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public var type: Kind
    /// CamelCase, e.g. `ScalingReplicaSet`, `ReleaseStarted`, `ReleaseFailed`.
    public var reason: String
    public var message: String

    public init(type: Kind, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}

/// RFC 7386 JSON merge patch between two documents: what to send so `old` becomes `new`.
enum JSONMergePatch {
    // `JSONValue` is `ExpressibleByNilLiteral` (a JSON null), so a bare `nil` here would
    // silently mean "set to null": absence is spelled `.none` throughout.
    static func diff(from old: JSONValue, to new: JSONValue) -> JSONValue? {
        guard case .object(let oldFields) = old, case .object(let newFields) = new else {
            return old == new ? Optional<JSONValue>.none : .some(new)
        }
        var patch: [String: JSONValue] = [:]
        for (key, value) in newFields {
            if let previous = oldFields[key] {
                if let change = diff(from: previous, to: value) { patch[key] = change }
            } else {
                patch[key] = value
            }
        }
        for key in oldFields.keys where newFields.index(forKey: key) == nil {
            patch[key] = JSONValue.null
        }
        return patch.isEmpty ? Optional<JSONValue>.none : .some(.object(patch))
    }
}

import AppReleaseAPI
import Foundation
import KubeModels

/// Everything the engine looks at for one AppRelease, as observed (from informer caches) at `now`.
///
/// The engine is level-triggered: it decides only from this snapshot, so the same snapshot always
/// gives the same plan, and a restarted controller resumes any release from the object's status.
public struct ReleaseSnapshot: Sendable {
    public var appRelease: ObservedAppRelease
    /// ReplicaSets controlled by this AppRelease (ownerReference controller=true with its uid).
    /// ReplicaSets without the revision label are ignored.
    public var replicaSets: [ObservedReplicaSet]
    /// Pods of those ReplicaSets (fail-fast signals are read from the target revision's pods).
    public var pods: [ObservedPod]
    /// The Services the BlueGreen / Canary strategy names that exist (unused by Rolling). A named
    /// Service absent from this list does not exist: the caller only plans from synced caches.
    public var services: [ObservedService]
    /// The HTTPRoute named by `strategy.canary.trafficRouting.httpRoute`; nil when none is named.
    public var httpRoute: HTTPRouteObservation?
    /// The clock (the engine truncates it to whole seconds).
    public var now: Date

    public init(
        appRelease: ObservedAppRelease, replicaSets: [ObservedReplicaSet], pods: [ObservedPod] = [],
        services: [ObservedService] = [], httpRoute: HTTPRouteObservation? = nil, now: Date
    ) {
        self.appRelease = appRelease
        self.replicaSets = replicaSets
        self.pods = pods
        self.services = services
        self.httpRoute = httpRoute
        self.now = now
    }
}

/// The AppRelease itself: identity, the raw spec (decoded and validated by the engine, so a bad
/// spec becomes `InvalidSpec` rather than an error) and the decoded status.
public struct ObservedAppRelease: Sendable {
    public var name: String
    public var namespace: String
    public var uid: String
    public var generation: Int64
    public var annotations: [String: String]
    public var spec: JSONValue
    public var status: AppReleaseStatus
    /// `metadata.deletionTimestamp` is set: the engine plans nothing (garbage collection removes
    /// the owned ReplicaSets).
    public var isDeleting: Bool

    public init(
        name: String, namespace: String, uid: String, generation: Int64, annotations: [String: String] = [:],
        spec: JSONValue, status: AppReleaseStatus = AppReleaseStatus(), isDeleting: Bool = false
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.generation = generation
        self.annotations = annotations
        self.spec = spec
        self.status = status
        self.isDeleting = isDeleting
    }

    /// Reads an AppRelease object as served by the API. A status that does not decode (hand
    /// edited, or from an incompatible version) reads as empty: the engine rebuilds it.
    public init(json object: JSONValue) {
        let meta = object.meta
        name = meta.name
        namespace = meta.namespace
        uid = meta.uid
        generation = meta.generation
        annotations = meta.annotations
        spec = object["spec"] ?? .null
        status = (try? (object["status"] ?? .object([:])).decode(AppReleaseStatus.self)) ?? AppReleaseStatus()
        isDeleting = meta.isDeleting
    }
}

/// One owned ReplicaSet, reduced to what the engine needs.
public struct ObservedReplicaSet: Sendable, Hashable {
    public var name: String
    /// `apprelease.dev/revision` label: the template hash.
    public var revision: String
    /// `apprelease.dev/revision-number` annotation (0 when absent).
    public var revisionNumber: Int
    /// `apprelease.dev/image` annotation.
    public var image: String?
    /// `spec.replicas`.
    public var replicas: Int
    /// `status.replicas`, `status.readyReplicas`, `status.availableReplicas`, as the ReplicaSet
    /// controller last published them (they can run ahead of the pods: `AvailabilityAccounting`).
    public var currentReplicas: Int
    public var readyReplicas: Int
    public var availableReplicas: Int
    /// `apprelease.dev/desired-replicas` and `apprelease.dev/max-replicas` annotations.
    public var desiredReplicasAnnotation: Int?
    public var maxReplicasAnnotation: Int?
    public var createdAt: Date?
    public var isDeleting: Bool
    /// `metadata.generation` and `status.observedGeneration`: the status describes the current
    /// spec only once they are equal.
    public var generation: Int64
    public var observedGeneration: Int64
    /// `spec.minReadySeconds`.
    public var minReadySeconds: Int

    public init(
        name: String, revision: String, revisionNumber: Int, image: String? = nil, replicas: Int,
        currentReplicas: Int? = nil, readyReplicas: Int? = nil, availableReplicas: Int? = nil,
        desiredReplicasAnnotation: Int? = nil, maxReplicasAnnotation: Int? = nil, createdAt: Date? = nil,
        isDeleting: Bool = false, generation: Int64 = 1, observedGeneration: Int64? = nil, minReadySeconds: Int = 0
    ) {
        self.name = name
        self.revision = revision
        self.revisionNumber = revisionNumber
        self.image = image
        self.replicas = replicas
        self.currentReplicas = currentReplicas ?? replicas
        self.readyReplicas = readyReplicas ?? (availableReplicas ?? 0)
        self.availableReplicas = availableReplicas ?? 0
        self.desiredReplicasAnnotation = desiredReplicasAnnotation
        self.maxReplicasAnnotation = maxReplicasAnnotation
        self.createdAt = createdAt
        self.isDeleting = isDeleting
        self.generation = generation
        self.observedGeneration = observedGeneration ?? generation
        self.minReadySeconds = minReadySeconds
    }

    /// Reads a ReplicaSet object; nil when it has no revision label (not one of ours).
    public init?(json object: JSONValue) {
        let meta = object.meta
        guard let revision = meta.labels[AppReleaseAPI.revisionLabel], !meta.name.isEmpty else { return nil }
        let annotations = meta.annotations
        self.init(
            name: meta.name, revision: revision,
            revisionNumber: annotations[AppReleaseAPI.revisionNumberAnnotation].flatMap { Int($0) } ?? 0,
            image: annotations[AppReleaseAPI.imageAnnotation],
            replicas: Int(object[path: "spec", "replicas"]?.intValue ?? 1),
            currentReplicas: Int(object[path: "status", "replicas"]?.intValue ?? 0),
            readyReplicas: Int(object[path: "status", "readyReplicas"]?.intValue ?? 0),
            availableReplicas: Int(object[path: "status", "availableReplicas"]?.intValue ?? 0),
            desiredReplicasAnnotation: annotations[AppReleaseAPI.desiredReplicasAnnotation].flatMap { Int($0) },
            maxReplicasAnnotation: annotations[AppReleaseAPI.maxReplicasAnnotation].flatMap { Int($0) },
            createdAt: meta.creationTimestamp.flatMap(KubeTime.parse),
            isDeleting: meta.isDeleting,
            generation: meta.generation,
            observedGeneration: object[path: "status", "observedGeneration"]?.intValue ?? 0,
            minReadySeconds: Int(object[path: "spec", "minReadySeconds"]?.intValue ?? 0))
    }
}

/// One pod of an owned ReplicaSet, reduced to the signals that fail a release early.
public struct ObservedPod: Sendable, Hashable {
    public var name: String
    /// `apprelease.dev/revision` label.
    public var revision: String?
    public var createdAt: Date?
    public var isReady: Bool
    /// `lastTransitionTime` of the Ready condition while it is True.
    public var readySince: Date?
    public var isDeleting: Bool
    /// Init containers and containers.
    public var containers: [ContainerSignal]

    public init(
        name: String, revision: String?, createdAt: Date? = nil, isReady: Bool = false, readySince: Date? = nil,
        isDeleting: Bool = false, containers: [ContainerSignal] = []
    ) {
        self.name = name
        self.revision = revision
        self.createdAt = createdAt
        self.isReady = isReady
        self.readySince = readySince
        self.isDeleting = isDeleting
        self.containers = containers
    }

    public init(json object: JSONValue) {
        let meta = object.meta
        let conditions = object[path: "status", "conditions"]?.arrayValue ?? []
        let ready = conditions.first { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
        var containers: [ContainerSignal] = []
        for key in ["initContainerStatuses", "containerStatuses"] {
            for status in object[path: "status", key]?.arrayValue ?? [] {
                containers.append(
                    ContainerSignal(
                        name: status["name"]?.stringValue ?? "",
                        restartCount: Int(status["restartCount"]?.intValue ?? 0),
                        waitingReason: status[path: "state", "waiting", "reason"]?.stringValue,
                        waitingMessage: status[path: "state", "waiting", "message"]?.stringValue,
                        lastTerminationReason: status[path: "lastState", "terminated", "reason"]?.stringValue))
            }
        }
        self.init(
            name: meta.name, revision: meta.labels[AppReleaseAPI.revisionLabel],
            createdAt: meta.creationTimestamp.flatMap(KubeTime.parse),
            isReady: ready != nil, readySince: ready?["lastTransitionTime"]?.stringValue.flatMap(KubeTime.parse),
            isDeleting: meta.isDeleting, containers: containers)
    }
}

/// A container's state as far as fail-fast cares.
public struct ContainerSignal: Sendable, Hashable {
    public var name: String
    public var restartCount: Int
    /// `state.waiting.reason`, e.g. `CrashLoopBackOff`, `ImagePullBackOff`.
    public var waitingReason: String?
    public var waitingMessage: String?
    /// `lastState.terminated.reason`, e.g. `OOMKilled`, `Error`.
    public var lastTerminationReason: String?

    public init(
        name: String, restartCount: Int = 0, waitingReason: String? = nil, waitingMessage: String? = nil,
        lastTerminationReason: String? = nil
    ) {
        self.name = name
        self.restartCount = restartCount
        self.waitingReason = waitingReason
        self.waitingMessage = waitingMessage
        self.lastTerminationReason = lastTerminationReason
    }
}

/// A Service the strategy routes through (BlueGreen / Canary).
public struct ObservedService: Sendable, Hashable {
    public var name: String
    public var selector: [String: String]

    public init(name: String, selector: [String: String]) {
        self.name = name
        self.selector = selector
    }

    public init(json object: JSONValue) {
        name = object.meta.name
        selector = JSONValue.stringMap(object[path: "spec", "selector"])
    }
}

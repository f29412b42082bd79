/// `v1` Pod: typed status, spec kept as JSON.
public struct Pod: KubernetesResource, Hashable {
    public static let resource = GroupVersionResource.pods

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: JSONValue?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: JSONValue? = nil, status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The `Ready` condition is `True`.
    public var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }
}

public struct PodStatus: Codable, Sendable, Hashable {
    /// Pending, Running, Succeeded, Failed, Unknown.
    public var phase: String?
    public var conditions: [PodCondition]?
    public var containerStatuses: [ContainerStatus]?
    public var initContainerStatuses: [ContainerStatus]?
    public var podIP: String?
    public var hostIP: String?
    public var startTime: String?
    public var reason: String?
    public var message: String?

    public init(
        phase: String? = nil, conditions: [PodCondition]? = nil, containerStatuses: [ContainerStatus]? = nil,
        initContainerStatuses: [ContainerStatus]? = nil, podIP: String? = nil, hostIP: String? = nil,
        startTime: String? = nil, reason: String? = nil, message: String? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
        self.podIP = podIP
        self.hostIP = hostIP
        self.startTime = startTime
        self.reason = reason
        self.message = message
    }
}

public struct PodCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var lastProbeTime: String?
    public var lastTransitionTime: String?
    public var reason: String?
    public var message: String?

    public init(
        type: String, status: String, lastProbeTime: String? = nil, lastTransitionTime: String? = nil,
        reason: String? = nil, message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.lastProbeTime = lastProbeTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var imageID: String?
    public var containerID: String?
    public var ready: Bool
    public var started: Bool?
    public var restartCount: Int32
    public var state: ContainerState?
    public var lastState: ContainerState?

    public init(
        name: String, image: String? = nil, imageID: String? = nil, containerID: String? = nil, ready: Bool = false,
        started: Bool? = nil, restartCount: Int32 = 0, state: ContainerState? = nil, lastState: ContainerState? = nil
    ) {
        self.name = name
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.state = state
        self.lastState = lastState
    }
}

/// At most one of the three is set.
public struct ContainerState: Codable, Sendable, Hashable {
    public struct Waiting: Codable, Sendable, Hashable {
        public var reason: String?
        public var message: String?
        public init(reason: String? = nil, message: String? = nil) {
            self.reason = reason
            self.message = message
        }
    }

    public struct Running: Codable, Sendable, Hashable {
        public var startedAt: String?
        public init(startedAt: String? = nil) { self.startedAt = startedAt }
    }

    public struct Terminated: Codable, Sendable, Hashable {
        public var exitCode: Int32
        public var signal: Int32?
        public var reason: String?
        public var message: String?
        public var startedAt: String?
        public var finishedAt: String?
        public init(
            exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
            startedAt: String? = nil, finishedAt: String? = nil
        ) {
            self.exitCode = exitCode
            self.signal = signal
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }
    }

    public var waiting: Waiting?
    public var running: Running?
    public var terminated: Terminated?

    public init(waiting: Waiting? = nil, running: Running? = nil, terminated: Terminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// `apps/v1` ReplicaSet. The pod template travels as JSON so no field of it is lost.
public struct ReplicaSet: KubernetesResource, Hashable {
    public static let resource = GroupVersionResource.replicaSets

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ReplicaSetSpec?
    public var status: ReplicaSetStatus?

    public init(metadata: ObjectMeta, spec: ReplicaSetSpec? = nil, status: ReplicaSetStatus? = nil) {
        self.apiVersion = "apps/v1"
        self.kind = "ReplicaSet"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ReplicaSetSpec: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var minReadySeconds: Int32?
    public var selector: LabelSelector
    public var template: PodTemplateSpec?

    public init(replicas: Int32? = nil, minReadySeconds: Int32? = nil, selector: LabelSelector, template: PodTemplateSpec? = nil) {
        self.replicas = replicas
        self.minReadySeconds = minReadySeconds
        self.selector = selector
        self.template = template
    }
}

public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta?
    /// The whole `PodSpec`, kept as JSON.
    public var spec: JSONValue?

    public init(metadata: ObjectMeta? = nil, spec: JSONValue? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct ReplicaSetStatus: Codable, Sendable, Hashable {
    public var replicas: Int32?
    public var fullyLabeledReplicas: Int32?
    public var readyReplicas: Int32?
    public var availableReplicas: Int32?
    public var observedGeneration: Int64?
    public var conditions: [ReplicaSetCondition]?

    public init(
        replicas: Int32? = nil, fullyLabeledReplicas: Int32? = nil, readyReplicas: Int32? = nil,
        availableReplicas: Int32? = nil, observedGeneration: Int64? = nil, conditions: [ReplicaSetCondition]? = nil
    ) {
        self.replicas = replicas
        self.fullyLabeledReplicas = fullyLabeledReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }
}

/// `apps/v1` ReplicaSetCondition (not `metav1.Condition`: no observedGeneration).
public struct ReplicaSetCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var lastTransitionTime: String?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastTransitionTime: String? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

import KubeModels

/// `spec` of an `apprelease.dev/v1alpha1` AppRelease: the desired release (template + image).
///
/// Decoding is lenient on purpose: every field may be absent so that a spec the API server let
/// through (or one written against an older schema) still decodes, and the engine's validation
/// reports the field path and rule instead of a generic decoding error. Defaults are documented on
/// each field and applied by the engine, never written back into the spec.
public struct AppReleaseSpec: Sendable, Hashable, Codable {
    /// The image released into `container`, pinned by digest: `name@sha256:<64 hex>`.
    public var image: String
    /// The container of the template that receives `image`; default: the first container.
    public var container: String?
    /// Desired pods; default 1. Also written through the scale subresource.
    public var replicas: Int?
    /// A `metav1.LabelSelector` (`matchLabels`, `matchExpressions`); default: the template's labels.
    /// Immutable after creation.
    public var selector: JSONValue?
    /// A full `PodTemplateSpec`, kept as JSON so that no field is ever dropped.
    public var template: JSONValue
    /// Seconds a new pod must be ready before it counts as available; default 0.
    public var minReadySeconds: Int?
    /// Seconds a release may go without progress before it is failed and reverted; default 600.
    public var progressDeadlineSeconds: Int?
    /// Old ReplicaSets kept at 0 replicas for instant undo; default 10.
    public var revisionHistoryLimit: Int?
    /// Stops a release where it is (scaling still follows `replicas`); default false.
    public var paused: Bool?
    /// Signals that fail a release before its deadline.
    public var failFast: FailFastSpec?
    /// How a release moves; default `Rolling` with maxSurge 25%, maxUnavailable 0.
    public var strategy: StrategySpec?

    public init(
        image: String, container: String? = nil, replicas: Int? = nil, selector: JSONValue? = .none,
        template: JSONValue, minReadySeconds: Int? = nil, progressDeadlineSeconds: Int? = nil,
        revisionHistoryLimit: Int? = nil, paused: Bool? = nil, failFast: FailFastSpec? = nil,
        strategy: StrategySpec? = nil
    ) {
        self.image = image
        self.container = container
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.minReadySeconds = minReadySeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.paused = paused
        self.failFast = failFast
        self.strategy = strategy
    }

    enum CodingKeys: String, CodingKey {
        case image, container, replicas, selector, template, minReadySeconds, progressDeadlineSeconds
        case revisionHistoryLimit, paused, failFast, strategy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        container = try c.decodeIfPresent(String.self, forKey: .container)
        replicas = try c.decodeIfPresent(Int.self, forKey: .replicas)
        selector = try c.decodeIfPresent(JSONValue.self, forKey: .selector)
        template = try c.decodeIfPresent(JSONValue.self, forKey: .template) ?? .null
        minReadySeconds = try c.decodeIfPresent(Int.self, forKey: .minReadySeconds)
        progressDeadlineSeconds = try c.decodeIfPresent(Int.self, forKey: .progressDeadlineSeconds)
        revisionHistoryLimit = try c.decodeIfPresent(Int.self, forKey: .revisionHistoryLimit)
        paused = try c.decodeIfPresent(Bool.self, forKey: .paused)
        failFast = try c.decodeIfPresent(FailFastSpec.self, forKey: .failFast)
        strategy = try c.decodeIfPresent(StrategySpec.self, forKey: .strategy)
    }
}

/// `spec.failFast`: fail a release early when its pods clearly cannot run.
public struct FailFastSpec: Sendable, Hashable, Codable {
    /// Container restarts of a new pod tolerated before the release fails; default 3.
    public var maxRestarts: Int?
    /// Fail on ErrImagePull / ImagePullBackOff / InvalidImageName; default true.
    public var imagePullErrors: Bool?

    public init(maxRestarts: Int? = nil, imagePullErrors: Bool? = nil) {
        self.maxRestarts = maxRestarts
        self.imagePullErrors = imagePullErrors
    }
}

/// `spec.strategy.type`. A string wrapper (not a closed enum) so an unknown value decodes and is
/// reported by validation with its field path.
public struct StrategyType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let rolling = StrategyType(rawValue: "Rolling")
    public static let blueGreen = StrategyType(rawValue: "BlueGreen")
    public static let canary = StrategyType(rawValue: "Canary")
    public static let all: [StrategyType] = [.rolling, .blueGreen, .canary]
}

/// `spec.strategy`: the type and the section for that type.
public struct StrategySpec: Sendable, Hashable, Codable {
    /// `Rolling` (default), `BlueGreen` or `Canary`.
    public var type: StrategyType?
    public var rolling: RollingStrategy?
    public var blueGreen: BlueGreenStrategy?
    public var canary: CanaryStrategy?

    public init(
        type: StrategyType? = nil, rolling: RollingStrategy? = nil, blueGreen: BlueGreenStrategy? = nil,
        canary: CanaryStrategy? = nil
    ) {
        self.type = type
        self.rolling = rolling
        self.blueGreen = blueGreen
        self.canary = canary
    }
}

/// `spec.strategy.rolling`: the Deployment controller's rolling update.
public struct RollingStrategy: Sendable, Hashable, Codable {
    /// Pods above `replicas` during a release (absolute or percent, rounded up); default 25%.
    public var maxSurge: IntOrString?
    /// Pods below `replicas` that may be unavailable (absolute or percent, rounded down); default 0.
    public var maxUnavailable: IntOrString?

    public init(maxSurge: IntOrString? = nil, maxUnavailable: IntOrString? = nil) {
        self.maxSurge = maxSurge
        self.maxUnavailable = maxUnavailable
    }
}

/// `spec.strategy.blueGreen`: a full new revision next to the old, then a Service switch.
public struct BlueGreenStrategy: Sendable, Hashable, Codable {
    /// The Service whose selector is switched to the new revision on promotion.
    public var activeService: String?
    /// Optional Service pointed at the new revision (once it has available pods) before promotion.
    public var previewService: String?
    /// Pods of the new revision before promotion; default: `replicas`. It is scaled to
    /// `replicas`, and fully available, before the active Service is switched.
    public var previewReplicaCount: Int?
    /// Promote automatically this long after the new revision is fully available; absent: wait
    /// for `promote`.
    public var autoPromotionSeconds: Int?
    /// Seconds the old revision keeps running after the switch while endpoints settle; default 30.
    public var scaleDownDelaySeconds: Int?

    public init(
        activeService: String? = nil, previewService: String? = nil, previewReplicaCount: Int? = nil,
        autoPromotionSeconds: Int? = nil, scaleDownDelaySeconds: Int? = nil
    ) {
        self.activeService = activeService
        self.previewService = previewService
        self.previewReplicaCount = previewReplicaCount
        self.autoPromotionSeconds = autoPromotionSeconds
        self.scaleDownDelaySeconds = scaleDownDelaySeconds
    }
}

/// `spec.strategy.canary`: a traffic share moved to the new revision step by step.
public struct CanaryStrategy: Sendable, Hashable, Codable {
    /// Optional Service pinned to the stable revision.
    public var stableService: String?
    /// Optional Service pinned to the new revision.
    public var canaryService: String?
    /// Optional exact traffic split; absent: the share follows the replica ratio.
    public var trafficRouting: TrafficRouting?
    /// The steps, run in order; after the last the new revision takes all traffic.
    public var steps: [CanaryStep]?
    /// With a `stableService`: seconds the old stable revision keeps running after that Service
    /// is switched to the new revision at promotion, while endpoints settle; default 30.
    public var scaleDownDelaySeconds: Int?

    public init(
        stableService: String? = nil, canaryService: String? = nil, trafficRouting: TrafficRouting? = nil,
        steps: [CanaryStep]? = nil, scaleDownDelaySeconds: Int? = nil
    ) {
        self.stableService = stableService
        self.canaryService = canaryService
        self.trafficRouting = trafficRouting
        self.steps = steps
        self.scaleDownDelaySeconds = scaleDownDelaySeconds
    }
}

/// `spec.strategy.canary.trafficRouting`.
public struct TrafficRouting: Sendable, Hashable, Codable {
    /// A Gateway API HTTPRoute whose backendRefs weights are set exactly.
    public var httpRoute: HTTPRouteReference?
    public init(httpRoute: HTTPRouteReference? = nil) { self.httpRoute = httpRoute }
}

/// A reference to an HTTPRoute in the AppRelease's namespace.
public struct HTTPRouteReference: Sendable, Hashable, Codable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// One canary step: exactly one of `setWeight` or `pause`.
public struct CanaryStep: Sendable, Hashable, Codable {
    /// Percent of traffic (0...100) sent to the new revision.
    public var setWeight: Int?
    /// Wait: for `duration`, or until `promote` when no duration is given.
    public var pause: PauseStep?

    public init(setWeight: Int? = nil, pause: PauseStep? = nil) {
        self.setWeight = setWeight
        self.pause = pause
    }
}

/// `pause: {duration: 60s}`, or `pause: {}` to wait for `promote`.
public struct PauseStep: Sendable, Hashable, Codable {
    /// A duration such as `30s`, `5m`, `1h30m`; absent: indefinite.
    public var duration: String?
    public init(duration: String? = nil) { self.duration = duration }

    /// The duration in seconds; nil when indefinite.
    public func durationSeconds() throws(DurationParseError) -> Int? {
        guard let duration else { return nil }
        return try DurationParser.seconds(duration)
    }
}

import AppReleaseAPI
import KubeModels

/// A validated spec with every default applied: what the engine acts on.
public struct ReleaseSpec: Sendable, Hashable {
    public static let defaultReplicas = 1
    public static let defaultProgressDeadlineSeconds = 600
    public static let defaultRevisionHistoryLimit = 10
    public static let defaultMaxRestarts = 3
    public static let defaultMaxSurge: IntOrString = "25%"
    public static let defaultMaxUnavailable: IntOrString = 0
    public static let defaultScaleDownDelaySeconds = 30

    public var image: String
    /// Index in `template.spec.containers` of the container that receives `image`.
    public var containerIndex: Int
    public var containerName: String
    public var replicas: Int
    /// `spec.selector`, or the template's labels when absent.
    public var selector: LabelSelector
    /// The pod template as written (without the image applied).
    public var template: JSONValue
    public var minReadySeconds: Int
    public var progressDeadlineSeconds: Int
    public var revisionHistoryLimit: Int
    public var paused: Bool
    public var maxRestarts: Int
    public var failOnImagePullErrors: Bool
    public var strategy: Strategy

    /// The strategy with its section resolved.
    public enum Strategy: Sendable, Hashable {
        case rolling(maxSurge: IntOrString, maxUnavailable: IntOrString)
        case blueGreen(BlueGreenStrategy)
        case canary(CanaryStrategy, steps: [ResolvedCanaryStep])

        public var type: StrategyType {
            switch self {
            case .rolling: return .rolling
            case .blueGreen: return .blueGreen
            case .canary: return .canary
            }
        }
    }

    /// The pod template with `image` set on the target container: the revision's template.
    public var templateWithImage: JSONValue {
        var result = template
        guard var spec = result["spec"], var containers = spec["containers"]?.arrayValue,
            containers.indices.contains(containerIndex)
        else { return result }
        containers[containerIndex]["image"] = .string(image)
        spec["containers"] = .array(containers)
        result["spec"] = spec
        return result
    }

    /// Surge and unavailability in pods for `replicas`, with the Deployment controller's rounding.
    /// Rolling uses its section; BlueGreen and Canary keep availability (surge: the full new set).
    public func fenceposts(replicas: Int) -> (surge: Int, unavailable: Int) {
        switch strategy {
        case .rolling(let maxSurge, let maxUnavailable):
            // Validation guarantees both values resolve; fall back to the safest reading if not.
            let resolved =
                (try? IntOrString.resolveFenceposts(maxSurge: maxSurge, maxUnavailable: maxUnavailable, desired: replicas))
                ?? (surge: 1, unavailable: 0)
            return (resolved.surge, replicas == 0 ? 0 : min(resolved.unavailable, replicas))
        case .blueGreen, .canary:
            return (replicas, 0)
        }
    }
}

/// A canary step after validation.
public enum ResolvedCanaryStep: Sendable, Hashable {
    case setWeight(Int)
    /// nil: until promoted.
    case pause(seconds: Int?)
}

import AppReleaseAPI
import Foundation
import KubeModels

/// One broken rule: the field path and the rule, e.g.
/// `spec.image: must be pinned by digest (name@sha256:<64 hex>)`.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}

/// Every issue found in a spec (validation does not stop at the first).
public struct ValidationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "; ") }
}

extension RolloutEngine {
    /// Decodes and validates a raw `spec` (as the API server stored it) and applies defaults.
    /// The same rules as the CRD schema, so a cluster with an older or missing schema is still
    /// protected: the engine reports `InvalidSpec` instead of acting.
    public static func validate(_ raw: JSONValue) -> Result<ReleaseSpec, ValidationErrors> {
        guard case .object = raw else {
            return .failure(ValidationErrors([ValidationIssue(field: "spec", message: "Required value: must be an object")]))
        }
        let spec: AppReleaseSpec
        do {
            spec = try raw.decode(AppReleaseSpec.self)
        } catch let error as DecodingError {
            return .failure(ValidationErrors([issue(for: error)]))
        } catch {
            return .failure(ValidationErrors([ValidationIssue(field: "spec", message: "\(error)")]))
        }
        var validator = SpecValidator(spec: spec)
        let resolved = validator.run()
        if validator.issues.isEmpty, let resolved { return .success(resolved) }
        return .failure(ValidationErrors(validator.issues))
    }

    private static func issue(for error: DecodingError) -> ValidationIssue {
        func path(_ keys: [any CodingKey]) -> String {
            var text = "spec"
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += ".\(key.stringValue)" }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ValidationIssue(field: path(context.codingPath), message: "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return ValidationIssue(field: path(context.codingPath), message: "must be \(typeName(type)), not null")
        case .keyNotFound(let key, let context):
            return ValidationIssue(field: path(context.codingPath + [key]), message: "Required value")
        case .dataCorrupted(let context):
            return ValidationIssue(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return ValidationIssue(field: "spec", message: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Bool.Type: return "a boolean"
        case is String.Type: return "a string"
        case is IntOrString.Type: return "an integer or a percentage string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}

/// The field rules; one method per section so each message carries its path.
struct SpecValidator {
    let spec: AppReleaseSpec
    var issues: [ValidationIssue] = []

    init(spec: AppReleaseSpec) { self.spec = spec }

    mutating func fail(_ field: String, _ message: String) {
        issues.append(ValidationIssue(field: field, message: message))
    }

    mutating func run() -> ReleaseSpec? {
        checkImage()
        let container = checkTemplate()
        let selector = checkSelector()
        let replicas = spec.replicas ?? ReleaseSpec.defaultReplicas
        if replicas < 0 { fail("spec.replicas", "must be greater than or equal to 0") }
        let minReady = spec.minReadySeconds ?? 0
        if minReady < 0 { fail("spec.minReadySeconds", "must be greater than or equal to 0") }
        let deadline = spec.progressDeadlineSeconds ?? ReleaseSpec.defaultProgressDeadlineSeconds
        if deadline <= 0 {
            fail("spec.progressDeadlineSeconds", "must be greater than 0")
        } else if deadline <= minReady {
            fail("spec.progressDeadlineSeconds", "must be greater than spec.minReadySeconds (\(minReady))")
        }
        let historyLimit = spec.revisionHistoryLimit ?? ReleaseSpec.defaultRevisionHistoryLimit
        if historyLimit < 0 { fail("spec.revisionHistoryLimit", "must be greater than or equal to 0") }
        let maxRestarts = spec.failFast?.maxRestarts ?? ReleaseSpec.defaultMaxRestarts
        if maxRestarts < 0 { fail("spec.failFast.maxRestarts", "must be greater than or equal to 0") }
        let strategy = checkStrategy()
        guard issues.isEmpty, let container, let selector, let strategy else { return nil }
        return ReleaseSpec(
            image: spec.image, containerIndex: container.index, containerName: container.name, replicas: replicas,
            selector: selector, template: spec.template, minReadySeconds: minReady,
            progressDeadlineSeconds: deadline, revisionHistoryLimit: historyLimit, paused: spec.paused ?? false,
            maxRestarts: maxRestarts, failOnImagePullErrors: spec.failFast?.imagePullErrors ?? true,
            strategy: strategy)
    }

    mutating func checkImage() {
        if spec.image.isEmpty {
            fail("spec.image", "Required value: an image pinned by digest (name@sha256:<64 hex>)")
        } else if !ImageReference.isDigestPinned(spec.image) {  // the rule the CRD and the plugin share
            fail("spec.image", "must be pinned by digest (name@sha256:<64 hex>), got \"\(spec.image)\"")
        }
    }

    mutating func checkTemplate() -> (index: Int, name: String)? {
        guard case .object = spec.template else {
            fail("spec.template", "Required value: a pod template (metadata.labels, spec.containers)")
            return nil
        }
        if let labels = spec.template[path: "metadata", "labels"], labels.objectValue == nil {
            fail("spec.template.metadata.labels", "must be an object of strings")
        }
        if templateLabels[AppReleaseAPI.revisionLabel] != nil {
            fail(
                "spec.template.metadata.labels[\(AppReleaseAPI.revisionLabel)]",
                "is reserved: the controller sets it on every revision")
        }
        guard let containers = spec.template[path: "spec", "containers"]?.arrayValue, !containers.isEmpty else {
            fail("spec.template.spec.containers", "Required value: at least one container")
            return nil
        }
        var names: [String] = []
        for (index, container) in containers.enumerated() {
            guard let name = container["name"]?.stringValue, !name.isEmpty else {
                fail("spec.template.spec.containers[\(index)].name", "Required value")
                continue
            }
            names.append(name)
        }
        guard let wanted = spec.container else {
            guard let name = containers[0]["name"]?.stringValue else { return nil }
            return (0, name)
        }
        guard let index = containers.firstIndex(where: { $0["name"]?.stringValue == wanted }) else {
            fail(
                "spec.container",
                "no container named \"\(wanted)\" in spec.template.spec.containers (have: \(names.joined(separator: ", ")))")
            return nil
        }
        for (other, container) in containers.enumerated() where other != index {
            if (container["image"]?.stringValue ?? "").isEmpty {
                fail("spec.template.spec.containers[\(other)].image", "Required value (only \"\(wanted)\" receives spec.image)")
            }
        }
        return (index, wanted)
    }

    var templateLabels: [String: String] { JSONValue.stringMap(spec.template[path: "metadata", "labels"]) }

    mutating func checkSelector() -> LabelSelector? {
        let labels = templateLabels
        guard let raw = spec.selector, !raw.isNull else {
            if labels.isEmpty {
                fail("spec.template.metadata.labels", "Required value: needed as the default selector")
                return nil
            }
            return LabelSelector(matchLabels: labels)
        }
        let selector: LabelSelector
        do {
            selector = try raw.decode(LabelSelector.self)
        } catch {
            fail("spec.selector", "must be a label selector (matchLabels, matchExpressions)")
            return nil
        }
        do {
            try selector.validate(fieldPath: "spec.selector")
        } catch {
            fail(error.selector, error.message)
            return nil
        }
        if selector.isEmpty {
            fail("spec.selector", "must not be empty: it would select every pod in the namespace")
            return nil
        }
        let usesRevision =
            selector.matchLabels?[AppReleaseAPI.revisionLabel] != nil
            || (selector.matchExpressions ?? []).contains { $0.key == AppReleaseAPI.revisionLabel }
        if usesRevision {
            fail("spec.selector", "must not use the reserved label \(AppReleaseAPI.revisionLabel)")
        }
        if !selector.matches(labels) {
            fail("spec.selector", "does not match spec.template.metadata.labels")
        }
        return selector
    }

    mutating func checkStrategy() -> ReleaseSpec.Strategy? {
        let section = spec.strategy ?? StrategySpec()
        let type = section.type ?? .rolling
        switch type {
        case .rolling:
            let rolling = section.rolling ?? RollingStrategy()
            let surge = rolling.maxSurge ?? ReleaseSpec.defaultMaxSurge
            let unavailable = rolling.maxUnavailable ?? ReleaseSpec.defaultMaxUnavailable
            let surgeOK = checkIntOrPercent(surge, field: "spec.strategy.rolling.maxSurge")
            let unavailableOK = checkIntOrPercent(unavailable, field: "spec.strategy.rolling.maxUnavailable")
            guard surgeOK, unavailableOK else { return nil }
            if isZero(surge) && isZero(unavailable) {
                fail("spec.strategy.rolling", "maxSurge and maxUnavailable may not both be 0: the release could never move")
                return nil
            }
            return .rolling(maxSurge: surge, maxUnavailable: unavailable)
        case .blueGreen:
            guard let blueGreen = section.blueGreen else {
                fail("spec.strategy.blueGreen", "Required value: strategy type BlueGreen needs its section")
                return nil
            }
            let start = issues.count
            if (blueGreen.activeService ?? "").isEmpty {
                fail("spec.strategy.blueGreen.activeService", "Required value")
            }
            checkServiceName(blueGreen.activeService, field: "spec.strategy.blueGreen.activeService")
            checkServiceName(blueGreen.previewService, field: "spec.strategy.blueGreen.previewService")
            if let preview = blueGreen.previewService, preview == blueGreen.activeService {
                fail("spec.strategy.blueGreen.previewService", "must differ from activeService")
            }
            if let count = blueGreen.previewReplicaCount, count < 1 {
                fail("spec.strategy.blueGreen.previewReplicaCount", "must be greater than or equal to 1")
            }
            if let seconds = blueGreen.autoPromotionSeconds, seconds < 0 {
                fail("spec.strategy.blueGreen.autoPromotionSeconds", "must be greater than or equal to 0")
            }
            if let seconds = blueGreen.scaleDownDelaySeconds, seconds < 0 {
                fail("spec.strategy.blueGreen.scaleDownDelaySeconds", "must be greater than or equal to 0")
            }
            return issues.count == start ? .blueGreen(blueGreen) : nil
        case .canary:
            guard let canary = section.canary else {
                fail("spec.strategy.canary", "Required value: strategy type Canary needs its section")
                return nil
            }
            let start = issues.count
            var steps: [ResolvedCanaryStep] = []
            for (index, step) in (canary.steps ?? []).enumerated() {
                let field = "spec.strategy.canary.steps[\(index)]"
                switch (step.setWeight, step.pause) {
                case (let weight?, nil):
                    if !(0...100).contains(weight) { fail("\(field).setWeight", "must be between 0 and 100") }
                    steps.append(.setWeight(weight))
                case (nil, let pause?):
                    do {
                        steps.append(.pause(seconds: try pause.durationSeconds()))
                    } catch {
                        fail("\(field).pause.duration", error.description)
                    }
                default:
                    fail(field, "must set exactly one of setWeight or pause")
                }
            }
            checkServiceName(canary.stableService, field: "spec.strategy.canary.stableService")
            checkServiceName(canary.canaryService, field: "spec.strategy.canary.canaryService")
            if let preview = canary.canaryService, preview == canary.stableService {
                fail("spec.strategy.canary.canaryService", "must differ from stableService")
            }
            if let seconds = canary.scaleDownDelaySeconds, seconds < 0 {
                fail("spec.strategy.canary.scaleDownDelaySeconds", "must be greater than or equal to 0")
            }
            if let route = canary.trafficRouting?.httpRoute {
                if route.name.isEmpty { fail("spec.strategy.canary.trafficRouting.httpRoute.name", "Required value") }
                if canary.stableService == nil || canary.canaryService == nil {
                    fail(
                        "spec.strategy.canary.trafficRouting.httpRoute",
                        "needs stableService and canaryService: the Services its backendRefs name, whose weights are set")
                }
            }
            return issues.count == start ? .canary(canary, steps: steps) : nil
        default:
            fail("spec.strategy.type", "Unsupported value \"\(type.rawValue)\": supported values: \"Rolling\", \"BlueGreen\", \"Canary\"")
            return nil
        }
    }

    /// A Service name is a DNS-1035 label: lowercase alphanumerics and '-', starting with a
    /// letter, at most 63 characters.
    mutating func checkServiceName(_ name: String?, field: String) {
        guard let name, !name.isEmpty else { return }
        let valid =
            name.count <= 63 && name.first.map({ ("a"..."z").contains($0) }) == true
            && name.last.map({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) == true
            && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !valid {
            fail(field, "must be a Service name (a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, at most 63 characters), got \"\(name)\"")
        }
    }

    mutating func checkIntOrPercent(_ value: IntOrString, field: String) -> Bool {
        switch value {
        case .int(let number):
            if number < 0 {
                fail(field, "must be greater than or equal to 0")
                return false
            }
        case .string(let text):
            guard let percent = value.percent else {
                fail(field, "must be an integer or a percentage like \"25%\", got \"\(text)\"")
                return false
            }
            if percent > 100 {
                fail(field, "must not be greater than 100%")
                return false
            }
        }
        return true
    }

    func isZero(_ value: IntOrString) -> Bool {
        switch value {
        case .int(let number): return number == 0
        case .string: return value.percent == 0
        }
    }
}

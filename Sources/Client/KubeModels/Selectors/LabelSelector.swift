/// `metav1.LabelSelector`: the structured selector found in ReplicaSet, Service-like and AppRelease
/// specs. An empty selector matches everything (a nil selector, handled by callers, matches nothing).
public struct LabelSelector: Codable, Sendable, Hashable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    public var isEmpty: Bool { (matchLabels ?? [:]).isEmpty && (matchExpressions ?? []).isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
        for expression in matchExpressions ?? [] where !expression.matches(labels) { return false }
        return true
    }

    /// The equivalent parsed requirements, the same form `LabelSelector.parse` produces.
    public var requirements: LabelSelectorRequirementSet {
        var result: [LabelRequirement] = []
        for (key, value) in matchLabels ?? [:] {
            result.append(LabelRequirement(key: key, operator: .equals, values: [value]))
        }
        for expression in matchExpressions ?? [] {
            let values = expression.values ?? []
            switch expression.operator {
            case .in: result.append(LabelRequirement(key: expression.key, operator: .in, values: values))
            case .notIn: result.append(LabelRequirement(key: expression.key, operator: .notIn, values: values))
            case .exists: result.append(LabelRequirement(key: expression.key, operator: .exists, values: []))
            case .doesNotExist: result.append(LabelRequirement(key: expression.key, operator: .doesNotExist, values: []))
            }
        }
        return LabelSelectorRequirementSet(result)
    }

    /// The `?labelSelector=` form, rendered like Kubernetes does: requirements sorted by key,
    /// set values sorted, e.g. `app=web,tier in (a,b),!legacy`.
    public var selectorString: String { requirements.description }

    /// Checks the rules the API server enforces (keys and values well-formed, `In`/`NotIn` with
    /// values, `Exists`/`DoesNotExist` without). The message names the offending field.
    public func validate(fieldPath: String = "selector") throws(SelectorParseError) {
        for (key, value) in (matchLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let problem = LabelSyntax.keyProblem(key) {
                throw SelectorParseError(selector: "\(fieldPath).matchLabels", position: nil, message: "key \"\(key)\": \(problem)")
            }
            if let problem = LabelSyntax.valueProblem(value) {
                throw SelectorParseError(selector: "\(fieldPath).matchLabels[\(key)]", position: nil, message: "value \"\(value)\": \(problem)")
            }
        }
        for (index, expression) in (matchExpressions ?? []).enumerated() {
            let path = "\(fieldPath).matchExpressions[\(index)]"
            if let problem = LabelSyntax.keyProblem(expression.key) {
                throw SelectorParseError(selector: "\(path).key", position: nil, message: "key \"\(expression.key)\": \(problem)")
            }
            let values = expression.values ?? []
            switch expression.operator {
            case .in, .notIn:
                if values.isEmpty {
                    throw SelectorParseError(selector: "\(path).values", position: nil, message: "must be non-empty when operator is \(expression.operator.rawValue)")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    throw SelectorParseError(selector: "\(path).values", position: nil, message: "must be empty when operator is \(expression.operator.rawValue)")
                }
            }
            for value in values {
                if let problem = LabelSyntax.valueProblem(value) {
                    throw SelectorParseError(selector: "\(path).values", position: nil, message: "value \"\(value)\": \(problem)")
                }
            }
        }
    }

    /// Parses a selector string (`a=b,c in (x,y),!d`) as the API server does for `?labelSelector=`.
    public static func parse(_ text: String) throws(SelectorParseError) -> LabelSelectorRequirementSet {
        var parser = LabelSelectorParser(text)
        return try parser.parse()
    }
}

public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    public enum Operator: String, Codable, Sendable, Hashable {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"
    }

    public var key: String
    public var `operator`: Operator
    public var values: [String]?

    public init(key: String, operator: Operator, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch self.operator {
        case .in: return value.map { (values ?? []).contains($0) } ?? false
        case .notIn: return value.map { !(values ?? []).contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        }
    }
}

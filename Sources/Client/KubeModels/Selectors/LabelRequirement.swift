/// One parsed term of a label selector string.
public struct LabelRequirement: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: Sendable, Hashable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist, greaterThan, lessThan
    }

    public var key: String
    public var `operator`: Operator
    public var values: [String]

    public init(key: String, operator: Operator, values: [String]) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    public func matches(_ labels: [String: String]) -> Bool {
        let value = labels[key]
        switch self.operator {
        case .equals, .in: return value.map { values.contains($0) } ?? false
        case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        case .greaterThan, .lessThan:
            guard let value, let actual = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
            return self.operator == .greaterThan ? actual > bound : actual < bound
        }
    }

    public var description: String {
        switch self.operator {
        case .equals: return "\(key)=\(values.first ?? "")"
        case .notEquals: return "\(key)!=\(values.first ?? "")"
        case .in: return "\(key) in (\(values.sorted().joined(separator: ",")))"
        case .notIn: return "\(key) notin (\(values.sorted().joined(separator: ",")))"
        case .exists: return key
        case .doesNotExist: return "!\(key)"
        case .greaterThan: return "\(key)>\(values.first ?? "")"
        case .lessThan: return "\(key)<\(values.first ?? "")"
        }
    }
}

/// A parsed label selector: all requirements must hold (an empty set matches everything).
public struct LabelSelectorRequirementSet: Sendable, Hashable, CustomStringConvertible {
    /// Sorted by key, the order Kubernetes renders them in.
    public private(set) var requirements: [LabelRequirement]

    public init(_ requirements: [LabelRequirement]) {
        self.requirements = requirements.enumerated()
            .sorted { $0.element.key == $1.element.key ? $0.offset < $1.offset : $0.element.key < $1.element.key }
            .map(\.element)
    }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    public var description: String { requirements.map(\.description).joined(separator: ",") }
}

/// A selector that failed to parse or validate; `selector` is the text (or field path) at fault.
public struct SelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var selector: String
    public var position: Int?
    public var message: String

    public init(selector: String, position: Int?, message: String) {
        self.selector = selector
        self.position = position
        self.message = message
    }

    public var description: String {
        if let position { return "invalid selector \"\(selector)\" at character \(position): \(message)" }
        return "invalid selector \(selector): \(message)"
    }
}

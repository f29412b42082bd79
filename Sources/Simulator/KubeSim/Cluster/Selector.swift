import KubeModels

/// A `metav1.LabelSelector` (`matchLabels` + `matchExpressions`) as the ReplicaSet controller
/// and the endpoints controller evaluate it. A Service's plain map selector is `matchLabels` only.
struct Selector: Hashable, Sendable {
    struct Requirement: Hashable, Sendable {
        enum Operator: String, Sendable { case `in` = "In", notIn = "NotIn", exists = "Exists", doesNotExist = "DoesNotExist" }
        var key: String
        var op: Operator
        var values: Set<String>
    }

    var matchLabels: [String: String]
    var requirements: [Requirement]

    /// Nothing to match on. Kubernetes treats an empty ReplicaSet selector as invalid and an
    /// empty Service selector as "no endpoints managed", so callers check this first.
    var isEmpty: Bool { matchLabels.isEmpty && requirements.isEmpty }

    init(matchLabels: [String: String], requirements: [Requirement] = []) {
        self.matchLabels = matchLabels
        self.requirements = requirements
    }

    /// Parses `spec.selector` of a ReplicaSet; unknown operators make the selector match nothing,
    /// which is the safe reading (a controller must never adopt or count pods it cannot judge).
    init?(labelSelector json: JSONValue?) {
        guard let json, case .object = json else { return nil }
        matchLabels = JSONValue.stringMap(json["matchLabels"])
        var requirements: [Requirement] = []
        for expression in json["matchExpressions"]?.arrayValue ?? [] {
            guard let key = expression["key"]?.stringValue,
                let opText = expression["operator"]?.stringValue,
                let op = Requirement.Operator(rawValue: opText)
            else { return nil }
            let values = Set(expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            requirements.append(Requirement(key: key, op: op, values: values))
        }
        self.requirements = requirements
    }

    func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        for requirement in requirements {
            let value = labels[requirement.key]
            switch requirement.op {
            case .in: guard let value, requirement.values.contains(value) else { return false }
            case .notIn: if let value, requirement.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            }
        }
        return true
    }
}

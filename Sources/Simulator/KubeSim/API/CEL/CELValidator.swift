import Foundation
import KubeModels

/// The `x-kubernetes-validations` of a CRD version's schema, compiled when the CRD is stored and
/// evaluated on every write of its objects as the API server evaluates them: each rule with
/// `self` bound to the value at its node, only when that value is present; transition rules
/// (`oldSelf`) only on an update with an old value at the same path; and a rule failing on a value
/// the update left unchanged is not an error (CRD validation ratcheting).
final class CELValidator: Sendable {
    let rules: [CELRule]
    /// The node's schema, for converting its values and quoting its type.
    let schema: JSONValue
    let properties: [String: CELValidator]
    let additionalProperties: CELValidator?
    let items: CELValidator?
    let allOf: [CELValidator]

    private init(
        rules: [CELRule], schema: JSONValue, properties: [String: CELValidator], additionalProperties: CELValidator?,
        items: CELValidator?, allOf: [CELValidator]
    ) {
        self.rules = rules
        self.schema = schema
        self.properties = properties
        self.additionalProperties = additionalProperties
        self.items = items
        self.allOf = allOf
    }

    /// The validator of a version's `openAPIV3Schema` (nil when it declares no rules), and what
    /// refuses the CRD, with fields named from `path` (the schema's place in the CRD).
    static func compile(_ schema: JSONValue, path: String) -> (validator: CELValidator?, problems: [StatusError.Cause]) {
        var problems: [StatusError.Cause] = []
        let validator = compile(
            rulesFrom: schema, node: schema, path: path, isRoot: true, uncorrelatable: nil, problems: &problems)
        return (validator, problems)
    }

    /// Rules come from `source`, values from `node`: the two differ under `allOf`, whose rules
    /// apply to the node the `allOf` is on.
    private static func compile(
        rulesFrom source: JSONValue, node: JSONValue, path: String, isRoot: Bool, uncorrelatable: String?,
        problems: inout [StatusError.Cause]
    ) -> CELValidator? {
        let isResource = isRoot || node["x-kubernetes-embedded-resource"]?.boolValue == true
        var rules: [CELRule] = []
        for (index, entry) in (source["x-kubernetes-validations"]?.arrayValue ?? []).enumerated() {
            rules.append(
                CELRule.compile(
                    entry, schema: node, isResource: isResource, path: "\(path).x-kubernetes-validations[\(index)]",
                    uncorrelatable: uncorrelatable, problems: &problems))
        }
        var properties: [String: CELValidator] = [:]
        let nodeProperties = node["properties"]?.objectValue ?? [:]
        for (name, property) in (source["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let nodeProperty = nodeProperties[name] else { continue }
            properties[name] = compile(
                rulesFrom: property, node: nodeProperty, path: "\(path).properties[\(name)]", isRoot: false,
                uncorrelatable: uncorrelatable, problems: &problems)
        }
        var additionalProperties: CELValidator?
        if let sourceValues = source["additionalProperties"], case .object = sourceValues, let nodeValues = node["additionalProperties"],
            case .object = nodeValues
        {
            additionalProperties = compile(
                rulesFrom: sourceValues, node: nodeValues, path: "\(path).additionalProperties", isRoot: false,
                uncorrelatable: uncorrelatable, problems: &problems)
        }
        var items: CELValidator?
        if let sourceItems = source["items"], case .object = sourceItems, let nodeItems = node["items"] {
            // Only a list whose items have keys (list-type map) pairs new items with old ones.
            let correlatable = node["x-kubernetes-list-type"]?.stringValue == "map"
            items = compile(
                rulesFrom: sourceItems, node: nodeItems, path: "\(path).items", isRoot: false,
                uncorrelatable: correlatable ? uncorrelatable : uncorrelatable ?? "\(path).items", problems: &problems)
        }
        var allOf: [CELValidator] = []
        for (index, branch) in (source["allOf"]?.arrayValue ?? []).enumerated() {
            if let validator = compile(
                rulesFrom: branch, node: node, path: "\(path).allOf[\(index)]", isRoot: isRoot,
                uncorrelatable: uncorrelatable, problems: &problems)
            {
                allOf.append(validator)
            }
        }
        guard !rules.isEmpty || !properties.isEmpty || additionalProperties != nil || items != nil || !allOf.isEmpty else {
            return nil
        }
        return CELValidator(
            rules: rules, schema: node, properties: properties, additionalProperties: additionalProperties, items: items,
            allOf: allOf)
    }

    // MARK: Evaluation

    /// Every rule the object fails; `old` is the stored object on an update.
    func validate(_ object: JSONValue, old: JSONValue?) -> [StatusError.Cause] {
        var causes: [StatusError.Cause] = []
        validate(object, old: old, path: "", unchanged: old == object, parentUnchanged: false, into: &causes)
        return causes
    }

    /// `unchanged`: the value equals its old value, or (where there is no old value to pair it
    /// with) the nearest ancestor that has one is unchanged; failures of its non-transition rules
    /// are then ratcheted.
    private func validate(
        _ value: JSONValue, old: JSONValue?, path: String, unchanged: Bool, parentUnchanged: Bool,
        into causes: inout [StatusError.Cause]
    ) {
        guard value != .null else { return }
        if !rules.isEmpty { evaluateRules(value, old: old, path: path, unchanged: unchanged, into: &causes) }
        for branch in allOf {
            branch.validate(value, old: old, path: path, unchanged: parentUnchanged, parentUnchanged: parentUnchanged, into: &causes)
        }
        switch value {
        case .object(let fields):
            for (key, child) in fields.sorted(by: { $0.key < $1.key }) {
                let childPath: String
                let validator: CELValidator
                if let property = properties[key] {
                    validator = property
                    childPath = path.isEmpty ? key : "\(path).\(key)"
                } else if let additionalProperties {
                    validator = additionalProperties
                    childPath = "\(path)[\(key)]"
                } else {
                    continue
                }
                let oldChild = old?[key]
                validator.validate(
                    child, old: oldChild, path: childPath, unchanged: oldChild.map { $0 == child } ?? unchanged,
                    parentUnchanged: unchanged, into: &causes)
            }
        case .array(let elements):
            guard let items else { return }
            for (index, element) in elements.enumerated() {
                let oldElement = correlated(element, in: old)
                items.validate(
                    element, old: oldElement, path: "\(path)[\(index)]", unchanged: oldElement.map { $0 == element } ?? unchanged,
                    parentUnchanged: unchanged, into: &causes)
            }
        default: return
        }
    }

    /// The old item of a list-type map list with the same keys as `element`; other lists' items
    /// have no old counterpart.
    private func correlated(_ element: JSONValue, in old: JSONValue?) -> JSONValue? {
        guard schema["x-kubernetes-list-type"]?.stringValue == "map",
            let keys = schema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue), !keys.isEmpty
        else { return nil }
        return old?.arrayValue?.first { candidate in keys.allSatisfy { candidate[$0] == element[$0] } }
    }

    private func evaluateRules(_ value: JSONValue, old: JSONValue?, path: String, unchanged: Bool, into causes: inout [StatusError.Cause]) {
        // The API server quotes the node's schema type as the invalid value ("object"; "" for int-or-string).
        let type = CELRule.quoted(schema["type"]?.stringValue ?? "")
        let field = path.isEmpty ? "<nil>" : path
        func invalid(_ detail: String, at field: String) -> StatusError.Cause {
            StatusError.Cause(reason: "FieldValueInvalid", message: "Invalid value: \(type): \(detail)", field: field)
        }
        let current = CELValue(value, schema: schema)
        let previous = old.map { CELValue($0, schema: schema) }
        for rule in rules {
            guard let program = rule.program else {
                causes.append(invalid("rule compile error: \(rule.compileError ?? "")", at: field))
                continue
            }
            if program.usesOldSelf && previous == nil { continue }
            let result: CELValue
            do {
                result = try program.evaluate(self: current, oldSelf: previous)
            } catch {
                causes.append(invalid("\(error.message) evaluating rule: \(rule.errorString)", at: field))
                continue
            }
            if case .bool(true) = result { continue }
            if unchanged && !program.usesOldSelf { continue }
            let detail = message(for: rule, current, previous)
            let at = rule.fieldPath.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? field
            switch rule.reason {
            case "FieldValueForbidden": causes.append(.init(reason: rule.reason, message: "Forbidden: \(detail)", field: at))
            case "FieldValueRequired": causes.append(.init(reason: rule.reason, message: "Required value: \(detail)", field: at))
            case "FieldValueDuplicate": causes.append(.init(reason: rule.reason, message: "Duplicate value: \(type)", field: at))
            default: causes.append(invalid(detail, at: at))
            }
        }
    }

    /// The message expression's text when it yields a one-line string; otherwise the message, or
    /// "failed rule: <rule>".
    private func message(for rule: CELRule, _ current: CELValue, _ previous: CELValue?) -> String {
        if let expression = rule.messageExpression,
            case .string(let text)? = try? expression.evaluate(self: current, oldSelf: previous)
        {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, !trimmed.contains("\n") { return trimmed }
        }
        return rule.message.isEmpty ? "failed rule: \(rule.errorString)" : rule.message
    }
}

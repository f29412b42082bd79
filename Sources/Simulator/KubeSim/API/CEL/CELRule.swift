import Foundation
import KubeModels

/// One entry of a schema node's `x-kubernetes-validations`, compiled when its CRD is stored.
struct CELRule: Sendable {
    static let reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]

    var rule: String
    /// Trimmed; empty when the rule has none.
    var message: String
    var messageExpression: CELProgram?
    var reason: String
    /// `fieldPath` as the API server appends it to the node's path: `.a['b.c']` → `a[b.c]`.
    var fieldPath: String?
    /// nil when the rule (or its message expression) does not compile; `compileError` says why.
    var program: CELProgram?
    var compileError: String?

    /// What the API server says about a failing rule: its message, or the rule itself.
    var errorString: String { message.isEmpty ? rule.trimmingCharacters(in: .whitespacesAndNewlines) : message }

    /// Compiles `entry`, declared at `path` on `schema`. Every problem is a cause the CRD is
    /// refused with; `uncorrelatable` names the list below which `oldSelf` can never be bound.
    static func compile(
        _ entry: JSONValue, schema: JSONValue, isResource: Bool, path: String, uncorrelatable: String?,
        problems: inout [StatusError.Cause]
    ) -> CELRule {
        let source = entry["rule"]?.stringValue ?? ""
        var rule = CELRule(
            rule: source, message: (entry["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            reason: entry["reason"]?.stringValue ?? "FieldValueInvalid")
        func problem(_ field: String, _ reason: String, _ message: String) {
            problems.append(StatusError.Cause(reason: reason, message: message, field: "\(path).\(field)"))
        }
        if source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problem("rule", "FieldValueRequired", "Required value: rule is not specified")
            rule.compileError = "rule is not specified"
            return rule
        }
        do {
            rule.program = try CELProgram(source, schema: schema, isResource: isResource)
        } catch {
            problem("rule", "FieldValueInvalid", "Invalid value: \(quoted(source)): \(error.message)")
            rule.compileError = error.message
        }
        if let expression = entry["messageExpression"]?.stringValue {
            do {
                rule.messageExpression = try CELProgram(expression, schema: schema, isResource: isResource)
            } catch {
                problem("messageExpression", "FieldValueInvalid", "Invalid value: \(quoted(expression)): \(error.message)")
                rule.compileError = rule.compileError ?? error.message
                rule.program = nil
            }
        }
        if !reasons.contains(rule.reason) {
            let supported = reasons.map(quoted).joined(separator: ", ")
            problem("reason", "FieldValueNotSupported", "Unsupported value: \(quoted(rule.reason)): supported values: \(supported)")
        }
        if let fieldPath = entry["fieldPath"]?.stringValue, !fieldPath.isEmpty {
            rule.fieldPath = normalized(fieldPath, in: schema)
            if rule.fieldPath == nil {
                problem("fieldPath", "FieldValueInvalid", "Invalid value: \(quoted(fieldPath)): fieldPath must be a valid path")
            }
        }
        if entry["optionalOldSelf"]?.boolValue == true {
            let unsupported = CELCompileError.unsupported("optionalOldSelf", "optionalOldSelf: true")
            problem("optionalOldSelf", "FieldValueInvalid", "Invalid value: true: \(unsupported.message)")
            rule.compileError = rule.compileError ?? unsupported.message
            rule.program = nil
        }
        if let uncorrelatable, rule.program?.usesOldSelf == true {
            problem(
                "rule", "FieldValueInvalid",
                "Invalid value: \(quoted(source)): oldSelf cannot be used on the uncorrelatable portion of the schema within \(uncorrelatable)")
        }
        return rule
    }

    /// `fieldPath` resolved against the schema (`.a.b`, `['a.b']`, a map's `.key` or `['key']`),
    /// rendered as the API server renders it below the rule's path; nil when it names no field.
    static func normalized(_ fieldPath: String, in schema: JSONValue) -> String? {
        var rest = Substring(fieldPath)
        var node = schema
        var rendered = ""
        while !rest.isEmpty {
            let name: String
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let segment = rest.prefix { $0 != "." && $0 != "[" }
                guard !segment.isEmpty else { return nil }
                name = String(segment)
                rest = rest.dropFirst(segment.count)
            } else if rest.hasPrefix("['") {
                rest = rest.dropFirst(2)
                guard let close = rest.range(of: "']") else { return nil }
                name = String(rest[..<close.lowerBound])
                rest = rest[close.upperBound...]
            } else {
                return nil
            }
            if let properties = node["properties"]?.objectValue {
                guard let property = properties[name] else { return nil }
                rendered += rendered.isEmpty ? name : ".\(name)"
                node = property
            } else if let additional = node["additionalProperties"], case .object = additional {
                rendered += "[\(name)]"
                node = additional
            } else {
                return nil
            }
        }
        return rendered.isEmpty ? nil : rendered
    }

    /// Go's `%q` for the plain strings these messages quote.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

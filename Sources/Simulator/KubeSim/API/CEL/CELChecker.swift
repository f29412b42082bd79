import Foundation
import KubeModels

/// The compile-time checks a rule gets when its CRD is stored: the functions and macros kubesim
/// evaluates (anything else refuses the CRD, saying so), declared variables, fields the schema
/// declares, and literal regexes and durations, as the API server's type-checker does. Types are
/// known only as far as the schema says: a value the schema leaves open (int-or-string,
/// preserve-unknown-fields without properties) is checked at run time instead.
struct CELChecker {
    /// What is known about an expression's value: the schema it comes from, if any.
    struct Known {
        var schema: JSONValue?
        /// The resource's root, or an embedded resource: apiVersion, kind and metadata are always there.
        var isResource = false

        static let unknown = Known(schema: nil)
    }

    /// A supported function: called on a receiver (`s.matches(re)`) or globally (`size(x)`).
    private struct Signature: Hashable {
        var name: String
        var receiver: Bool
        var arguments: Int
    }

    private static let signatures: Set<Signature> = [
        Signature(name: "size", receiver: false, arguments: 1), Signature(name: "size", receiver: true, arguments: 0),
        Signature(name: "string", receiver: false, arguments: 1), Signature(name: "type", receiver: false, arguments: 1),
        Signature(name: "duration", receiver: false, arguments: 1),
        Signature(name: "matches", receiver: true, arguments: 1), Signature(name: "contains", receiver: true, arguments: 1),
        Signature(name: "startsWith", receiver: true, arguments: 1), Signature(name: "endsWith", receiver: true, arguments: 1),
    ]

    /// Macros kubesim does not expand, or not in the form written (the two-variable `all`);
    /// the refusal names them as macros.
    private static let otherMacros: Set<String> = [
        "map", "all", "exists", "exists_one", "filter", "transformList", "transformMap", "transformMapEntry",
    ]

    private let source: [Unicode.Scalar]

    /// Checks `expression`, whose `self` (and `oldSelf`) is a value of `schema`.
    static func check(_ expression: CELExpression, source: String, schema: JSONValue, isResource: Bool) throws(CELCompileError) {
        let checker = CELChecker(source: Array(source.unicodeScalars))
        let own = Known(schema: schema, isResource: isResource)
        try checker.rejectTimeFormats(schema, "self")
        _ = try checker.check(expression, scope: ["self": own, "oldSelf": own])
    }

    private func error(_ detail: String, at offset: Int) -> CELCompileError {
        .error(detail, at: offset, in: source)
    }

    private func check(_ expression: CELExpression, scope: [String: Known]) throws(CELCompileError) -> Known {
        switch expression.node {
        case .literal: return .unknown
        case .identifier(let name):
            if let known = scope[name] { return known }
            if CELType(rawValue: name) != nil { return .unknown }
            throw error("undeclared reference to '\(name)' (in container '')", at: expression.offset)
        case .select(let target, let field):
            return try select(field, of: try check(target, scope: scope), at: expression.offset)
        case .presence(let target, let field):
            _ = try select(field, of: try check(target, scope: scope), at: expression.offset)
            return .unknown
        case .index(let target, let index):
            let container = try check(target, scope: scope)
            _ = try check(index, scope: scope)
            let element = container.schema?["items"] ?? container.schema?["additionalProperties"]
            try rejectTimeFormats(element, "an indexed value")
            return Known(schema: element)
        case .call(let name, let target, let arguments):
            guard Self.signatures.contains(where: { $0.name == name }) else {
                let kind = Self.otherMacros.contains(name) ? "the macro" : "the function"
                throw .unsupported(kind, target == nil ? "\(name)()" : ".\(name)()")
            }
            guard Self.signatures.contains(Signature(name: name, receiver: target != nil, arguments: arguments.count)) else {
                throw error("found no matching overload for '\(name)' applied to \(arguments.count) argument(s)", at: expression.offset)
            }
            if let target { _ = try check(target, scope: scope) }
            for argument in arguments { _ = try check(argument, scope: scope) }
            try checkLiteral(name, arguments)
            return .unknown
        case .comprehension(_, let range, let variable, let body):
            let collection = try check(range, scope: scope)
            var inner = scope
            // A list's elements are its items; a map's are its keys, which are strings.
            switch collection.schema?["type"]?.stringValue {
            case "array": inner[variable] = Known(schema: collection.schema?["items"])
            case "object": inner[variable] = Known(schema: ["type": "string"])
            default: inner[variable] = .unknown
            }
            _ = try check(body, scope: inner)
            return .unknown
        case .not, .negate, .binary, .conditional, .list:
            for child in CELExpression.children(of: expression.node) { _ = try check(child, scope: scope) }
            return .unknown
        }
    }

    /// The field of an object the schema declares, or the value of a map's entry.
    private func select(_ field: String, of container: Known, at offset: Int) throws(CELCompileError) -> Known {
        guard let schema = container.schema else { return .unknown }
        let isResource = container.isResource || schema["x-kubernetes-embedded-resource"]?.boolValue == true
        let child: JSONValue?
        if let property = schema["properties"]?[field] {
            child = property
        } else if isResource, ["apiVersion", "kind", "metadata"].contains(field) {
            child = nil
        } else if case .object? = schema["additionalProperties"] {
            child = schema["additionalProperties"]
        } else if schema["properties"] != nil {
            // Fields the schema does not declare are not visible to CEL, preserved or not.
            throw error("undefined field '\(field)'", at: offset)
        } else if let type = schema["type"]?.stringValue, let celType = Self.scalarTypes[type] {
            throw error("type '\(celType)' does not support field selection", at: offset)
        } else {
            return .unknown
        }
        try rejectTimeFormats(child, field)
        return Known(schema: child)
    }

    private static let scalarTypes = ["string": "string", "integer": "int", "number": "double", "boolean": "bool", "array": "list"]

    /// Strings of format date, date-time and duration are timestamps and durations in the API
    /// server's CEL; kubesim has no timestamps, so a rule reading one is refused rather than
    /// evaluated on a string.
    private func rejectTimeFormats(_ schema: JSONValue?, _ name: String) throws(CELCompileError) {
        guard schema?["type"]?.stringValue == "string", let format = schema?["format"]?.stringValue,
            ["date", "date-time", "duration"].contains(format)
        else { return }
        throw .unsupported("fields of format \(format)", name)
    }

    /// Literal regexes and durations are checked when the rule compiles, as the API server does.
    private func checkLiteral(_ function: String, _ arguments: [CELExpression]) throws(CELCompileError) {
        guard let argument = arguments.first, case .literal(.string(let text)) = argument.node else { return }
        switch function {
        case "matches" where (try? NSRegularExpression(pattern: text)) == nil:
            throw error("invalid regular expression: \(text)", at: argument.offset)
        case "duration" where CELDuration.parse(text) == nil:
            throw error("invalid duration argument: \(text)", at: argument.offset)
        default: return
        }
    }
}

import Foundation
import KubeModels

/// Structural OpenAPI v3 schema validation of custom resources, as the API server does for a
/// CRD's served version: types, required, enum, pattern, bounds, lengths, item counts,
/// `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-embedded-resource`,
/// defaults (applied) and pruning of unknown fields (reported, for `fieldValidation=Strict`).
/// CEL rules (`x-kubernetes-validations`) are `CELValidator`'s: `Admission` runs them next, on the
/// object as defaulted here.
enum SchemaValidator {
    struct Outcome {
        var object: JSONValue
        var causes: [StatusError.Cause]
        var unknownFields: [String]
    }

    static func validate(_ object: JSONValue, schema: JSONValue, subresources: ResourceInfo) -> Outcome {
        var walker = Walker()
        var root = object
        walker.walkRoot(&root, schema)
        return Outcome(object: root, causes: walker.causes, unknownFields: walker.unknown)
    }

    fileprivate struct Walker {
        var causes: [StatusError.Cause] = []
        var unknown: [String] = []

        mutating func walkRoot(_ value: inout JSONValue, _ schema: JSONValue) {
            guard case .object(var fields) = value else { return }
            let properties = schema["properties"]?.objectValue ?? [:]
            // apiVersion, kind and metadata are the API machinery's, whatever the schema says.
            applyDefaults(&fields, properties)
            for key in fields.keys.sorted() where !["apiVersion", "kind", "metadata"].contains(key) {
                guard var child = fields[key] else { continue }
                if let childSchema = properties[key] {
                    if child == .null, childSchema["nullable"]?.boolValue != true {
                        fields[key] = nil
                        continue
                    }
                    walk(&child, childSchema, path: key)
                    fields[key] = child
                } else if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue != true {
                    unknown.append(key)
                    fields[key] = nil
                }
            }
            checkRequired(fields, schema, path: "")
            value = .object(fields)
        }

        mutating func walk(_ value: inout JSONValue, _ schema: JSONValue, path: String) {
            if schema["x-kubernetes-int-or-string"]?.boolValue == true {
                switch value {
                case .int, .string: break
                case .double(let number) where number.rounded() == number: value = .int(Int64(number))
                default: typeError(value, path: path, expected: "integer or string")
                }
                checkScalar(value, schema, path: path)
                return
            }
            if let type = schema["type"]?.stringValue, !matches(&value, type: type) {
                typeError(value, path: path, expected: type)
                return
            }
            switch value {
            case .object(var fields): walkObject(&fields, schema, path: path); value = .object(fields)
            case .array(var items): walkArray(&items, schema, path: path); value = .array(items)
            default: checkScalar(value, schema, path: path)
            }
            for sub in schema["allOf"]?.arrayValue ?? [] { walk(&value, sub.removingFields(["default"]), path: path) }
        }

        mutating func walkObject(_ fields: inout [String: JSONValue], _ schema: JSONValue, path: String) {
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            let embedded = schema["x-kubernetes-embedded-resource"]?.boolValue == true
            applyDefaults(&fields, properties ?? [:])
            for key in fields.keys.sorted() {
                guard var child = fields[key] else { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let childSchema = properties?[key] {
                    if child == .null, childSchema["nullable"]?.boolValue != true {
                        fields[key] = nil
                        continue
                    }
                    walk(&child, childSchema, path: childPath)
                    fields[key] = child
                } else if case .object(let additionalSchema)? = additional {
                    walk(&child, .object(additionalSchema), path: childPath)
                    fields[key] = child
                } else if additional?.boolValue == true || preserve || (embedded && ["apiVersion", "kind", "metadata"].contains(key)) {
                    continue
                } else if properties != nil || additional?.boolValue == false {
                    unknown.append(childPath)
                    fields[key] = nil
                } else if !preserve {
                    // An object schema with neither properties nor additionalProperties prunes everything.
                    unknown.append(childPath)
                    fields[key] = nil
                }
            }
            checkRequired(fields, schema, path: path)
            if let maxProperties = schema["maxProperties"]?.intValue, fields.count > maxProperties {
                add("FieldValueTooMany", "Too many: \(fields.count): must have at most \(maxProperties) items", path)
            }
            if let minProperties = schema["minProperties"]?.intValue, fields.count < minProperties {
                add("FieldValueInvalid", "Invalid value: \(fields.count): \(path) in body should have at least \(minProperties) properties", path)
            }
        }

        mutating func walkArray(_ items: inout [JSONValue], _ schema: JSONValue, path: String) {
            if let itemSchema = schema["items"], case .object = itemSchema {
                for index in items.indices {
                    walk(&items[index], itemSchema, path: "\(path)[\(index)]")
                }
            }
            if let maxItems = schema["maxItems"]?.intValue, items.count > maxItems {
                add("FieldValueTooMany", "Too many: \(items.count): must have at most \(maxItems) items", path)
            }
            if let minItems = schema["minItems"]?.intValue, items.count < minItems {
                add("FieldValueInvalid", "Invalid value: \(items.count): \(path) in body should have at least \(minItems) items", path)
            }
            if schema["x-kubernetes-list-type"]?.stringValue == "set", Set(items).count != items.count {
                add("FieldValueDuplicate", "Duplicate value: \(render(items.first ?? .null))", path)
            }
        }

        mutating func checkScalar(_ value: JSONValue, _ schema: JSONValue, path: String) {
            if let options = schema["enum"]?.arrayValue, !options.contains(value) {
                let supported = options.map(render).joined(separator: ", ")
                add("FieldValueNotSupported", "Unsupported value: \(render(value)): supported values: \(supported)", path)
            }
            if case .string(let string) = value {
                if let maxLength = schema["maxLength"]?.intValue, string.count > maxLength {
                    add("FieldValueTooLong", "Too long: may not be more than \(maxLength) bytes", path)
                }
                if let minLength = schema["minLength"]?.intValue, string.count < minLength {
                    add("FieldValueInvalid", "Invalid value: \(render(value)): \(path) in body should be at least \(minLength) chars long", path)
                }
                if let pattern = schema["pattern"]?.stringValue, !Self.matchesPattern(string, pattern) {
                    add("FieldValueInvalid", "Invalid value: \(render(value)): \(path) in body should match '\(pattern)'", path)
                }
            }
            if let number = Self.number(value) {
                if let minimum = schema["minimum"].flatMap(Self.number) {
                    let exclusive = schema["exclusiveMinimum"]?.boolValue == true
                    if exclusive ? number <= minimum : number < minimum {
                        add(
                            "FieldValueInvalid",
                            "Invalid value: \(render(value)): \(path) in body should be greater than \(exclusive ? "" : "or equal to ")\(render(schema["minimum"] ?? .null))",
                            path)
                    }
                }
                if let maximum = schema["maximum"].flatMap(Self.number) {
                    let exclusive = schema["exclusiveMaximum"]?.boolValue == true
                    if exclusive ? number >= maximum : number > maximum {
                        add(
                            "FieldValueInvalid",
                            "Invalid value: \(render(value)): \(path) in body should be less than \(exclusive ? "" : "or equal to ")\(render(schema["maximum"] ?? .null))",
                            path)
                    }
                }
            }
        }

        mutating func checkRequired(_ fields: [String: JSONValue], _ schema: JSONValue, path: String) {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where fields[name] == nil {
                add("FieldValueRequired", "Required value", path.isEmpty ? name : "\(path).\(name)")
            }
        }

        /// Missing properties with a `default` get it (defaults inside are then applied by the walk).
        func applyDefaults(_ fields: inout [String: JSONValue], _ properties: [String: JSONValue]) {
            for (name, propertySchema) in properties {
                guard let defaultValue = propertySchema["default"] else { continue }
                if fields[name] == nil || (fields[name] == .null && propertySchema["nullable"]?.boolValue != true) {
                    fields[name] = defaultValue
                }
            }
        }

        func matches(_ value: inout JSONValue, type: String) -> Bool {
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int): return true
            case ("number", .int), ("number", .double): return true
            case ("integer", .double(let number)) where number.rounded() == number && abs(number) < 9.0e18:
                value = .int(Int64(number))
                return true
            default: return false
            }
        }

        mutating func typeError(_ value: JSONValue, path: String, expected: String) {
            let actual: String
            switch value {
            case .null: actual = "null"
            case .bool: actual = "boolean"
            case .int: actual = "integer"
            case .double: actual = "number"
            case .string: actual = "string"
            case .array: actual = "array"
            case .object: actual = "object"
            }
            add("FieldValueTypeInvalid", "Invalid value: \"\(actual)\": \(path) in body must be of type \(expected): \"\(actual)\"", path)
        }

        mutating func add(_ reason: String, _ message: String, _ path: String) {
            causes.append(StatusError.Cause(reason: reason, message: message, field: path))
        }

        func render(_ value: JSONValue) -> String {
            switch value {
            case .string(let string): return "\"\(string)\""
            default: return value.jsonString()
            }
        }

        static func number(_ value: JSONValue) -> Double? {
            switch value {
            case .int(let number): return Double(number)
            case .double(let number): return number
            default: return nil
            }
        }

        static func matchesPattern(_ string: String, _ pattern: String) -> Bool {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
            let range = NSRange(string.startIndex..., in: string)
            return regex.firstMatch(in: string, range: range) != nil
        }
    }
}

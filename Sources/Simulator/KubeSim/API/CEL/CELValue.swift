import KubeModels

/// A CEL value. Schema objects and `additionalProperties` maps are both `map`: the two differ
/// only in what the checker lets a rule select, which it decides from the schema.
enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// Nanoseconds, as Go's `time.Duration` that cel-go's `duration()` parses into.
    case duration(Int64)
    case list([CELValue])
    case map([String: CELValue])
    case type(CELType)

    /// The value a custom resource's JSON has in CEL: `type: number` fields are doubles even
    /// when written as integers.
    init(_ json: JSONValue, schema: JSONValue?) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = schema?["type"]?.stringValue == "number" ? .double(Double(value)) : .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let items): self = .list(items.map { CELValue($0, schema: schema?["items"]) })
        case .object(let fields):
            var entries: [String: CELValue] = [:]
            for (key, value) in fields {
                entries[key] = CELValue(value, schema: schema?["properties"]?[key] ?? schema?["additionalProperties"])
            }
            self = .map(entries)
        }
    }

    var type: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .duration: return .duration
        case .list: return .list
        case .map: return .map
        case .type: return .type
        }
    }

    var typeName: String { type.rawValue }
}

/// The types `type()` returns and a rule may name (`type(self) == int`).
enum CELType: String, Sendable, CaseIterable {
    case null = "null_type", bool, int, uint, double, string, bytes, list, map, type
    case duration = "google.protobuf.Duration"
}

extension CELValue {
    /// CEL equality: numbers compare across int and double, other kinds never equal each other,
    /// strings compare by code points (not Swift's canonical equivalence), lists and maps deeply.
    static func equal(_ left: CELValue, _ right: CELValue) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.duration(let a), .duration(let b)): return a == b
        case (.type(let a), .type(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: return false
        }
    }

    /// CEL ordering (`<` and friends) for the kinds that have one; anything else is "no such overload".
    static func compare(_ left: CELValue, _ right: CELValue, _ symbol: String) throws(CELRuntimeError) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (left, right) {
        case (.int(let a), .int(let b)): return order(a, b)
        case (.double(let a), .double(let b)): return order(a, b)
        case (.int(let a), .double(let b)): return order(Double(a), b)
        case (.double(let a), .int(let b)): return order(a, Double(b))
        case (.bool(let a), .bool(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        case (.duration(let a), .duration(let b)): return order(a, b)
        case (.string(let a), .string(let b)):
            // Go compares strings byte by byte; UTF-8 bytes order as code points do.
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        default: throw .noSuchOverload(symbol, left, right)
        }
    }
}

import KubeModels

/// The JSONPath subset CRD printer columns use: `.a.b`, `.a[0].b`, `.a['x.y']`, `.a[*].b`,
/// `.a[?(@.type=="Ready")].status`, optionally wrapped in `{...}`.
struct JSONPath: Sendable {
    enum Step: Sendable, Equatable {
        case field(String)
        case index(Int)
        case all
        case filter(path: [String], value: String, equal: Bool)
    }

    let steps: [Step]

    init?(_ text: String) {
        var source = Substring(text.trimmingCharacters(in: .whitespaces))
        if source.hasPrefix("{"), source.hasSuffix("}") { source = source.dropFirst().dropLast() }
        if source.hasPrefix("$") { source = source.dropFirst() }
        var steps: [Step] = []
        while !source.isEmpty {
            if source.hasPrefix(".") {
                source = source.dropFirst()
                let name = source.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.field(String(name)))
                source = source.dropFirst(name.count)
            } else if source.hasPrefix("[") {
                guard let close = Self.closingBracket(source) else { return nil }
                let inner = source[source.index(after: source.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                source = source[source.index(after: close)...]
                if inner == "*" {
                    steps.append(.all)
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else if inner.hasPrefix("'") || inner.hasPrefix("\"") {
                    steps.append(.field(String(inner.dropFirst().dropLast()).replacingOccurrences(of: "\\.", with: ".")))
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")") {
                    let expression = inner.dropFirst(4).dropLast()
                    let equal = !expression.contains("!=")
                    let parts = expression.components(separatedBy: equal ? "==" : "!=")
                    guard parts.count == 2 else { return nil }
                    let path = parts[0].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
                    var value = parts[1].trimmingCharacters(in: .whitespaces)
                    if value.count >= 2, value.first == "\"" || value.first == "'" { value = String(value.dropFirst().dropLast()) }
                    steps.append(.filter(path: path, value: value, equal: equal))
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    private static func closingBracket(_ source: Substring) -> Substring.Index? {
        var quote: Character?
        var index = source.index(after: source.startIndex)
        while index < source.endIndex {
            let character = source[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "]" {
                return index
            }
            index = source.index(after: index)
        }
        return nil
    }

    /// Every value the path selects, in document order.
    func evaluate(_ root: JSONValue) -> [JSONValue] {
        var current: [JSONValue] = [root]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch step {
                case .field(let name): if let child = value[name] { next.append(child) }
                case .index(let index):
                    if let items = value.arrayValue {
                        let resolved = index < 0 ? items.count + index : index
                        if items.indices.contains(resolved) { next.append(items[resolved]) }
                    }
                case .all:
                    if let items = value.arrayValue { next += items } else if let fields = value.objectValue { next += fields.values }
                case .filter(let path, let expected, let equal):
                    for item in value.arrayValue ?? [] {
                        let actual = item.value(at: path).map(Self.text) ?? nil
                        if (actual == expected) == equal { next.append(item) }
                    }
                }
            }
            current = next
        }
        return current
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): return string
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .null: return nil
        default: return value.jsonString()
        }
    }
}

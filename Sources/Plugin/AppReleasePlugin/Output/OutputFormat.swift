import ArgumentParser
import KubeModels

/// `-o json|yaml` on `get`, `history` and `list`, as kubectl spells it; absent: the readable view.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case json
    case yaml

    /// `value` in this format, ending with a newline. JSON is pretty-printed with sorted keys,
    /// like `kubectl get -o json`; YAML is block style with sorted keys, like `-o yaml`.
    func render(_ value: JSONValue) -> String {
        switch self {
        case .json: return JSONPretty.render(value) + "\n"
        case .yaml: return YAMLWriter.render(value)
        }
    }
}

/// Indented JSON with sorted keys (two spaces, as kubectl prints it).
enum JSONPretty {
    static func render(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "    "
        switch value {
        case .object(let fields) where !fields.isEmpty:
            let lines = fields.keys.sorted().map { key in
                "\(inner)\(JSONValue.string(key).jsonString()): \(render(fields[key] ?? .null, indent: inner))"
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        default:
            return value.jsonString()
        }
    }
}

/// Block-style YAML for a JSON value. Scalars that YAML would read as something else (numbers in
/// strings, `true`, `null`, leading special characters, `: `) are written as JSON strings, which
/// are valid YAML double-quoted scalars, so every document reads back as the same JSON.
enum YAMLWriter {
    static func render(_ value: JSONValue) -> String {
        var lines: [String] = []
        write(value, indent: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func write(_ value: JSONValue, indent: String, into lines: inout [String]) {
        switch value {
        case .object(let fields) where !fields.isEmpty:
            for key in fields.keys.sorted() {
                let child = fields[key] ?? .null
                let name = scalar(.string(key))
                if isBlock(child) {
                    lines.append("\(indent)\(name):")
                    // Sequences under a key sit at the key's indentation, as kubectl prints them.
                    write(child, indent: child.arrayValue != nil ? indent : indent + "  ", into: &lines)
                } else {
                    lines.append("\(indent)\(name): \(scalar(child))")
                }
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                if isBlock(item) {
                    var nested: [String] = []
                    write(item, indent: indent + "  ", into: &nested)
                    guard let first = nested.first else { continue }
                    lines.append(indent + "- " + first.dropFirst(indent.count + 2))
                    lines.append(contentsOf: nested.dropFirst())
                } else {
                    lines.append("\(indent)- \(scalar(item))")
                }
            }
        default:
            lines.append(indent + scalar(value))
        }
    }

    private static func isBlock(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let fields): return !fields.isEmpty
        case .array(let items): return !items.isEmpty
        default: return false
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .object: return "{}"
        case .array: return "[]"
        case .string(let text): return isPlain(text) ? text : value.jsonString()
        default: return value.jsonString()
        }
    }

    /// Whether a string can be written unquoted and read back as the same string.
    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " " else { return false }
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"]
        if reserved.contains(text.lowercased()) || Double(text) != nil || Int(text) != nil { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("\n") || text.contains("\t") { return false }
        return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f }
    }
}

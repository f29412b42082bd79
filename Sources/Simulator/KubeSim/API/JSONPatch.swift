import KubeModels

/// RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
/// Public so test doubles apply JSON patches exactly as kubesim does.
public enum JSONPatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) throws(StatusError) -> JSONValue {
        guard let operations = patch.arrayValue else { throw .badRequest("a JSON patch must be an array of operations") }
        var document = target
        for (index, operation) in operations.enumerated() {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw .badRequest("JSON patch operation \(index) needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw .badRequest("JSON patch operation \(index) (add) needs \"value\"") }
                try document.insert(value, at: pointer[...], replacing: false)
            case "replace":
                guard let value = operation["value"] else { throw .badRequest("JSON patch operation \(index) (replace) needs \"value\"") }
                _ = try document.remove(at: pointer[...])
                try document.insert(value, at: pointer[...], replacing: false)
            case "remove":
                _ = try document.remove(at: pointer[...])
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else { throw .badRequest("JSON patch operation \(index) (\(op)) needs \"from\"") }
                let source = try parsePointer(from)
                let value = op == "move" ? try document.remove(at: source[...]) : try document.value(at: source[...])
                try document.insert(value, at: pointer[...], replacing: false)
            case "test":
                let actual = try document.value(at: pointer[...])
                if actual != operation["value"] {
                    throw StatusError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: test operation failed at \(path)")
                }
            default:
                throw .badRequest("Unexpected kind: \(op)")
            }
        }
        return document
    }

    static func parsePointer(_ path: String) throws(StatusError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw .badRequest("JSON pointer must start with '/': \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}

extension JSONValue {
    fileprivate static func missing(_ path: ArraySlice<String>) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: missing path /\(path.joined(separator: "/"))")
    }

    fileprivate func value(at path: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let head = path.first else { return self }
        switch self {
        case .object(let fields):
            guard let child = fields[head] else { throw Self.missing(path) }
            return try child.value(at: path.dropFirst())
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index) else { throw Self.missing(path) }
            return try items[index].value(at: path.dropFirst())
        default: throw Self.missing(path)
        }
    }

    fileprivate mutating func insert(_ value: JSONValue, at path: ArraySlice<String>, replacing: Bool) throws(StatusError) {
        guard let head = path.first else {
            self = value
            return
        }
        let rest = path.dropFirst()
        switch self {
        case .object(var fields):
            if rest.isEmpty {
                fields[head] = value
            } else {
                guard var child = fields[head] else { throw Self.missing(path) }
                try child.insert(value, at: rest, replacing: replacing)
                fields[head] = child
            }
            self = .object(fields)
        case .array(var items):
            if rest.isEmpty {
                if head == "-" {
                    items.append(value)
                } else if let index = Int(head), index >= 0, index <= items.count {
                    items.insert(value, at: index)
                } else {
                    throw Self.missing(path)
                }
            } else {
                guard let index = Int(head), items.indices.contains(index) else { throw Self.missing(path) }
                try items[index].insert(value, at: rest, replacing: replacing)
            }
            self = .array(items)
        default: throw Self.missing(path)
        }
    }

    fileprivate mutating func remove(at path: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let head = path.first else { throw Self.missing(path) }
        let rest = path.dropFirst()
        switch self {
        case .object(var fields):
            guard var child = fields[head] else { throw Self.missing(path) }
            let removed: JSONValue
            if rest.isEmpty {
                removed = child
                fields[head] = nil
            } else {
                removed = try child.remove(at: rest)
                fields[head] = child
            }
            self = .object(fields)
            return removed
        case .array(var items):
            guard let index = Int(head), items.indices.contains(index) else { throw Self.missing(path) }
            let removed: JSONValue
            if rest.isEmpty {
                removed = items.remove(at: index)
            } else {
                removed = try items[index].remove(at: rest)
            }
            self = .array(items)
            return removed
        default: throw Self.missing(path)
        }
    }
}

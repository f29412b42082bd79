import KubeModels

/// RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
///
/// Errors are the API server's: a body that is not an array of operation objects is a 400 (the
/// patch does not decode); an operation that does not apply (a failed `test`, a missing path, an
/// unknown op) is the fixed 422 of `StatusError.jsonPatchNotApplicable()`, whatever went wrong.
///
/// Public so test doubles apply JSON patches exactly as kubesim does.
public enum JSONPatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) throws(StatusError) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw .badRequest("json: cannot unmarshal \(goKind(patch)) into Go value of type jsonpatch.Patch")
        }
        if let notObject = operations.first(where: { $0.objectValue == nil }) {
            throw .badRequest("json: cannot unmarshal \(goKind(notObject)) into Go value of type jsonpatch.Operation")
        }
        var document = target
        for operation in operations {
            try apply(operation, to: &document)
        }
        return document
    }

    private static func apply(_ operation: JSONValue, to document: inout JSONValue) throws(StatusError) {
        guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
            throw .jsonPatchNotApplicable()
        }
        let pointer = try parsePointer(path)
        switch op {
        case "add":
            guard let value = operation["value"] else { throw .jsonPatchNotApplicable() }
            try document.insert(value, at: pointer[...])
        case "replace":
            guard let value = operation["value"] else { throw .jsonPatchNotApplicable() }
            guard !pointer.isEmpty else {
                document = value
                return
            }
            _ = try document.remove(at: pointer[...])
            try document.insert(value, at: pointer[...])
        case "remove":
            _ = try document.remove(at: pointer[...])
        case "move", "copy":
            guard let from = operation["from"]?.stringValue else { throw .jsonPatchNotApplicable() }
            let source = try parsePointer(from)
            let value = op == "move" ? try document.remove(at: source[...]) : try document.value(at: source[...])
            try document.insert(value, at: pointer[...])
        case "test":
            try test(operation["value"], at: pointer, in: document)
        default:
            throw .jsonPatchNotApplicable()
        }
    }

    /// As the API server's patch library (evanphx/json-patch v4) tests: the parent must exist; a
    /// missing member passes only against a null (or absent) value; numbers compare by value.
    private static func test(_ expected: JSONValue?, at pointer: [String], in document: JSONValue) throws(StatusError) {
        guard let member = pointer.last else {
            guard let expected, equivalent(document, expected) else { throw .jsonPatchNotApplicable() }
            return
        }
        let parent = try document.value(at: pointer.dropLast())
        let actual: JSONValue?
        switch parent {
        case .object(let fields): actual = fields[member]
        case .array(let items):
            guard let index = Int(member), items.indices.contains(index) else { throw .jsonPatchNotApplicable() }
            actual = items[index]
        default: throw .jsonPatchNotApplicable()
        }
        switch (actual, expected) {
        case (nil, nil), (nil, .null?): return
        case (let actual?, let expected?) where equivalent(actual, expected): return
        default: throw .jsonPatchNotApplicable()
        }
    }

    /// JSON equality as decoded values: `25` and `25.0` are the same number.
    static func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)): return Double(left) == right
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equivalent($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { equivalent(value, $0) } ?? false }
        default: return lhs == rhs
        }
    }

    static func parsePointer(_ path: String) throws(StatusError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw .jsonPatchNotApplicable() }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// Go's name for a JSON value's kind in `json.Unmarshal` type errors.
    private static func goKind(_ value: JSONValue) -> String {
        switch value {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .null: return "null"
        }
    }
}

extension JSONValue {
    fileprivate func value(at path: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let head = path.first else { return self }
        switch self {
        case .object(let fields):
            guard let child = fields[head] else { throw .jsonPatchNotApplicable() }
            return try child.value(at: path.dropFirst())
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index) else { throw .jsonPatchNotApplicable() }
            return try items[index].value(at: path.dropFirst())
        default: throw .jsonPatchNotApplicable()
        }
    }

    fileprivate mutating func insert(_ value: JSONValue, at path: ArraySlice<String>) throws(StatusError) {
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
                guard var child = fields[head] else { throw .jsonPatchNotApplicable() }
                try child.insert(value, at: rest)
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
                    throw .jsonPatchNotApplicable()
                }
            } else {
                guard let index = Int(head), items.indices.contains(index) else { throw .jsonPatchNotApplicable() }
                try items[index].insert(value, at: rest)
            }
            self = .array(items)
        default: throw .jsonPatchNotApplicable()
        }
    }

    fileprivate mutating func remove(at path: ArraySlice<String>) throws(StatusError) -> JSONValue {
        guard let head = path.first else { throw .jsonPatchNotApplicable() }
        let rest = path.dropFirst()
        switch self {
        case .object(var fields):
            guard var child = fields[head] else { throw .jsonPatchNotApplicable() }
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
            guard let index = Int(head), items.indices.contains(index) else { throw .jsonPatchNotApplicable() }
            let removed: JSONValue
            if rest.isEmpty {
                removed = items.remove(at: index)
            } else {
                removed = try items[index].remove(at: rest)
            }
            self = .array(items)
            return removed
        default: throw .jsonPatchNotApplicable()
        }
    }
}

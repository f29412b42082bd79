import KubeModels

/// RFC 7386 JSON merge patch (`application/merge-patch+json`).
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var fields = target.objectValue ?? [:]
        for (key, value) in changes {
            if value == .null {
                fields[key] = nil
            } else {
                fields[key] = apply(value, to: fields[key] ?? .null)
            }
        }
        return .object(fields)
    }
}

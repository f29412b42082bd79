import KubeModels

/// RFC 7386 JSON merge patches computed from two versions of a document, so a write carries only
/// what changed: fields another writer owns are never part of our patch, and a field we dropped
/// is sent as `null` (a merge patch cannot delete a key any other way).
enum MergePatch {
    /// The patch that turns `old` into `new`, or nil when they are equal.
    static func diff(from old: JSONValue?, to new: JSONValue) -> JSONValue? {
        guard let old else { return new }
        if old == new { return nil }
        guard case .object(let oldFields) = old, case .object(let newFields) = new else {
            // Arrays and scalars are replaced whole, as RFC 7386 prescribes.
            return new
        }
        var patch: [String: JSONValue] = [:]
        for (key, value) in newFields {
            if let change = diff(from: oldFields[key], to: value) {
                // A nested `null` in `new` means "absent"; sending it deletes the key, which is what we want.
                patch[key] = change
            }
        }
        for key in oldFields.keys where newFields[key] == nil {
            patch[key] = .null
        }
        return patch.isEmpty ? nil : .object(patch)
    }
}

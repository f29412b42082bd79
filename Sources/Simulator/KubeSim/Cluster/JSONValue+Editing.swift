import KubeModels

extension JSONValue {
    /// `.array(items)`, or nil (the field left out) when empty. Beware `condition ? nil : value`
    /// with `JSONValue`: its `nil` literal becomes JSON `null` there, not an absent field.
    static func arrayOrAbsent(_ items: [JSONValue]) -> JSONValue? {
        if items.isEmpty { return Optional.none }
        return .some(.array(items))
    }

    /// Sets `value` at a path of object keys, creating intermediate objects as needed.
    mutating func setValue(_ value: JSONValue?, atPath keys: [String]) {
        guard let first = keys.first else { return }
        if keys.count == 1 {
            self[first] = value
            return
        }
        if case .object = self {} else { self = .object([:]) }
        var child = self[first] ?? .object([:])
        if case .object = child {} else { child = .object([:]) }
        child.setValue(value, atPath: Array(keys.dropFirst()))
        self[first] = child
    }
}

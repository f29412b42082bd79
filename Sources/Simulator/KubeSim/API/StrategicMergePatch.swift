import KubeModels

/// Kubernetes strategic merge patch for built-in types: like a merge patch, but lists with a
/// merge key (containers by name, ports by containerPort/port, env by name, volumes by name,
/// volumeMounts by mountPath, conditions by type, ...) are merged element by element, and the
/// `$patch` / `$deleteFromPrimitiveList` / `$setElementOrder` / `$retainKeys` directives are honoured.
enum StrategicMergePatch {
    enum ListStrategy: Equatable {
        case replace
        case mergeByKey(String)
        case mergePrimitives
    }

    /// How a list field merges, from its name and its elements.
    typealias Strategy = @Sendable (_ path: [String], _ field: String, _ items: [JSONValue]) -> ListStrategy

    static let builtinStrategy: Strategy = { _, field, items in
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets", "resourceClaims":
            return .mergeByKey("name")
        case "readinessGates": return .mergeByKey("conditionType")
        case "volumeMounts", "volumeDevices": return .mergeByKey(field == "volumeMounts" ? "mountPath" : "devicePath")
        case "ports":
            return items.contains(where: { $0["containerPort"] != nil }) ? .mergeByKey("containerPort") : .mergeByKey("port")
        case "conditions": return .mergeByKey("type")
        case "ownerReferences": return .mergeByKey("uid")
        case "hostAliases": return .mergeByKey("ip")
        case "topologySpreadConstraints": return .mergeByKey("topologyKey")
        case "finalizers": return .mergePrimitives
        default: return .replace
        }
    }

    static func apply(_ patch: JSONValue, to target: JSONValue, strategy: Strategy = builtinStrategy) -> JSONValue {
        merge(target, patch, path: [], strategy: strategy) ?? .null
    }

    /// nil means "delete this value".
    private static func merge(_ target: JSONValue?, _ patch: JSONValue, path: [String], strategy: Strategy) -> JSONValue? {
        guard case .object(var changes) = patch else { return patch }
        if changes["$patch"]?.stringValue == "delete" { return nil }
        if changes["$patch"]?.stringValue == "replace" {
            changes["$patch"] = nil
            return .object(changes.filter { !$0.key.hasPrefix("$") })
        }
        var fields = target?.objectValue ?? [:]
        if let retain = changes["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            fields = fields.filter { retain.contains($0.key) }
        }
        for (key, value) in changes where key.hasPrefix("$deleteFromPrimitiveList/") {
            let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
            let removals = value.arrayValue ?? []
            if let items = fields[field]?.arrayValue { fields[field] = .array(items.filter { !removals.contains($0) }) }
        }
        for (key, value) in changes where !key.hasPrefix("$") {
            if value == .null {
                fields[key] = nil
                continue
            }
            if case .array(let patchItems) = value {
                let existing = fields[key]?.arrayValue ?? []
                fields[key] = .array(mergeList(existing, patchItems, path: path + [key], strategy: strategy))
                continue
            }
            fields[key] = merge(fields[key], value, path: path + [key], strategy: strategy)
        }
        return .object(fields)
    }

    private static func mergeList(_ existing: [JSONValue], _ patch: [JSONValue], path: [String], strategy: Strategy) -> [JSONValue] {
        let field = path.last ?? ""
        switch strategy(path, field, existing + patch) {
        case .replace:
            return patch.filter { $0["$patch"] == nil }
        case .mergePrimitives:
            var result = existing
            for item in patch where !result.contains(item) { result.append(item) }
            return result
        case .mergeByKey(let mergeKey):
            if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
                return patch.filter { $0["$patch"] == nil }
            }
            var result = existing
            for item in patch {
                guard let keyValue = item[mergeKey] else {
                    result.append(item)
                    continue
                }
                if let index = result.firstIndex(where: { $0[mergeKey] == keyValue }) {
                    if let merged = merge(result[index], item, path: path, strategy: strategy) {
                        result[index] = merged
                    } else {
                        result.remove(at: index)
                    }
                } else if item["$patch"]?.stringValue != "delete" {
                    result.append(item)
                }
            }
            return result
        }
    }
}

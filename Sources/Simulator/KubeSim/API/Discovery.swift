import KubeModels

/// Legacy (non-aggregated) discovery documents; kubectl falls back to them when the
/// aggregated form is not offered.
enum Discovery {
    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-kubesim", "gitCommit": "kubesim", "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64",
    ]

    static func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(registry.groups().map { groupDocument($0.name, $0.versions) })]
    }

    static func group(_ name: String, _ registry: ResourceRegistry) -> JSONValue? {
        guard let entry = registry.groups().first(where: { $0.name == name }) else { return nil }
        var document = groupDocument(entry.name, entry.versions)
        document["kind"] = "APIGroup"
        document["apiVersion"] = "v1"
        return document
    }

    private static func groupDocument(_ name: String, _ versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["name": .string(name), "versions": .array(entries), "preferredVersion": entries.first ?? .null]
    }

    static let allVerbs: JSONValue = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    static let subresourceVerbs: JSONValue = ["get", "patch", "update"]

    static func resourceList(group: String, version: String, _ registry: ResourceRegistry) -> JSONValue? {
        if group.isEmpty, version != "v1" { return nil }
        let resources = registry.resources(group: group, version: version)
        if resources.isEmpty, !group.isEmpty { return nil }
        var entries: [JSONValue] = []
        for resource in resources {
            let info = resource.info
            var entry: [String: JSONValue] = [
                "name": .string(info.gvr.resource), "singularName": .string(info.singular), "namespaced": .bool(info.gvr.namespaced),
                "kind": .string(info.gvr.kind), "verbs": allVerbs,
            ]
            if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map { .string($0) }) }
            if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map { .string($0) }) }
            entries.append(.object(entry))
            if info.hasStatus {
                entries.append([
                    "name": .string("\(info.gvr.resource)/status"), "singularName": "", "namespaced": .bool(info.gvr.namespaced),
                    "kind": .string(info.gvr.kind), "verbs": subresourceVerbs,
                ])
            }
            if info.hasScale {
                entries.append([
                    "name": .string("\(info.gvr.resource)/scale"), "singularName": "", "namespaced": .bool(info.gvr.namespaced),
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": subresourceVerbs,
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(entries),
        ]
    }
}

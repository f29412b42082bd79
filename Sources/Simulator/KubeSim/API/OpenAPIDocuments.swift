import KubeModels

/// OpenAPI v3 documents per group/version: enough for `kubectl explain` (the CRD schema, found
/// by `x-kubernetes-group-version-kind`) and for kubectl to see that PATCH accepts
/// `fieldValidation` (so it validates server-side). Built-in schemas are permissive placeholders.
enum OpenAPIDocuments {
    static func v2(_ registry: ResourceRegistry) -> JSONValue {
        ["swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.0-kubesim"], "paths": [:], "definitions": [:]]
    }

    static func v3Index(_ registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var groupVersions: Set<String> = []
        for resource in registry.all { groupVersions.insert(resource.gvr.apiVersion) }
        for groupVersion in groupVersions {
            let prefix = groupVersion.contains("/") ? "apis/\(groupVersion)" : "api/\(groupVersion)"
            let hash = String(hashOf(groupVersion, registry), radix: 16)
            paths[prefix] = ["serverRelativeURL": .string("/openapi/v3/\(prefix)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    private static func hashOf(_ groupVersion: String, _ registry: ResourceRegistry) -> UInt64 {
        // FNV-1a over the schemas served at this group/version: changes when a CRD changes.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let resources = registry.all.filter { $0.gvr.apiVersion == groupVersion }.sorted { $0.gvr.resource < $1.gvr.resource }
        for resource in resources {
            let bytes = Array(resource.gvr.description.utf8) + (resource.crdVersion?.schema?.serialized(sortedKeys: true) ?? [])
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }

    static func v3(group: String, version: String, _ registry: ResourceRegistry) -> JSONValue? {
        let resources = registry.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": objectMetaSchema]
        for resource in resources {
            let gvk: JSONValue = [
                "group": .string(group), "version": .string(version), "kind": .string(resource.gvr.kind),
            ]
            let name = schemaName(resource)
            schemas[name] = schema(for: resource, gvk: gvk)
            let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let collection = resource.gvr.namespaced
                ? "\(base)/namespaces/{namespace}/\(resource.gvr.resource)" : "\(base)/\(resource.gvr.resource)"
            let reference: JSONValue = ["$ref": .string("#/components/schemas/\(name)")]
            paths[collection] = [
                "get": operation("list", gvk, reference, patch: false),
                "post": operation("create", gvk, reference, patch: false),
            ]
            paths["\(collection)/{name}"] = [
                "get": operation("read", gvk, reference, patch: false),
                "put": operation("replace", gvk, reference, patch: false),
                "patch": operation("patch", gvk, reference, patch: true),
                "delete": operation("delete", gvk, reference, patch: false),
            ]
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0-kubesim"], "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    static func schemaName(_ resource: ServedResource) -> String {
        if resource.crd == nil {
            let group = resource.gvr.group.isEmpty ? "core" : resource.gvr.group.split(separator: ".").first.map(String.init) ?? ""
            return "io.k8s.api.\(group).\(resource.gvr.version).\(resource.gvr.kind)"
        }
        let reversed = resource.gvr.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(reversed).\(resource.gvr.version).\(resource.gvr.kind)"
    }

    private static func schema(for resource: ServedResource, gvk: JSONValue) -> JSONValue {
        var schema = resource.crdVersion?.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = [
            "type": "string",
            "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        ]
        properties["kind"] = [
            "type": "string",
            "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to.",
        ]
        properties["metadata"] = [
            "allOf": [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]],
            "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        ]
        schema["properties"] = .object(properties)
        schema["x-kubernetes-group-version-kind"] = [gvk]
        return schema
    }

    private static func operation(_ action: String, _ gvk: JSONValue, _ reference: JSONValue, patch: Bool) -> JSONValue {
        var operation: [String: JSONValue] = [
            "x-kubernetes-action": .string(action == "read" ? "get" : action),
            "x-kubernetes-group-version-kind": gvk,
            "parameters": [
                ["name": "dryRun", "in": "query", "schema": ["type": "string"]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
            ],
            "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": reference]]]],
        ]
        if patch {
            // No strategic-merge-patch here: kubectl then computes apply patches from its
            // compiled-in types (built-ins) or as JSON merge patches (custom resources).
            operation["requestBody"] = [
                "content": [
                    "application/json-patch+json": ["schema": ["type": "object"]],
                    "application/merge-patch+json": ["schema": ["type": "object"]],
                    "application/apply-patch+yaml": ["schema": ["type": "object"]],
                ]
            ]
        } else if action == "create" || action == "replace" {
            operation["requestBody"] = ["content": ["application/json": ["schema": reference]]]
        }
        return .object(operation)
    }

    private static let objectMetaSchema: JSONValue = [
        "type": "object",
        "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        "properties": [
            "name": ["type": "string", "description": "Name must be unique within a namespace."],
            "namespace": ["type": "string", "description": "Namespace defines the space within which each name must be unique."],
            "labels": [
                "type": "object", "additionalProperties": ["type": "string"],
                "description": "Map of string keys and values that can be used to organize and categorize (scope and select) objects.",
            ],
            "annotations": [
                "type": "object", "additionalProperties": ["type": "string"],
                "description": "Annotations is an unstructured key value map stored with a resource.",
            ],
            "uid": ["type": "string", "description": "UID is the unique in time and space value for this object."],
            "resourceVersion": ["type": "string", "description": "An opaque value that represents the internal version of this object."],
            "generation": ["type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state."],
            "creationTimestamp": ["type": "string", "format": "date-time", "description": "CreationTimestamp is a timestamp representing the server time when this object was created."],
            "deletionTimestamp": ["type": "string", "format": "date-time", "description": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."],
            "finalizers": ["type": "array", "items": ["type": "string"], "description": "Must be empty before the object is deleted from the registry."],
            "ownerReferences": ["type": "array", "items": ["type": "object"], "description": "List of objects depended by this object."],
        ],
    ]
}

import Hummingbird
import KubeModels

extension APIHandler {
    /// PATCH in the four content types kubectl and clients use. Server-side apply creates the
    /// object when it does not exist and otherwise merges the applied configuration.
    func patch(_ request: APIRequest, _ served: ServedResource, namespace: String?, name: String, subresource: String?)
        throws(StatusError) -> Response
    {
        let patch = try request.jsonBody()
        let kind = try PatchKind(contentType: request.contentType, served: served)
        let admission = Admission(served: served, strict: request.query["fieldValidation"] == "Strict", isCreate: false)
        if case .apply = kind {
            let exists = (try? store.get(served.gvr, namespace: namespace, name: name)) != nil
            if !exists {
                guard subresource == nil else { throw .notFound(served.gvr, name: name) }
                var object = patch
                try Self.checkKind(object, served)
                object.setMeta("name", .string(name))
                if let namespace { try requireNamespace(namespace) }
                if served.info.hasStatus { object["status"] = nil }
                let createAdmission = Admission(served: served, strict: admission.strict, isCreate: true)
                let created = try store.create(served.gvr, namespace: namespace, object: object, admit: createAdmission.admit)
                return Responses.json(present(created, served), status: .created)
            }
        }
        if request.isDryRun {
            let current = present(try store.get(served.gvr, namespace: namespace, name: name), served)
            return Responses.json(present(try admission.admit(try kind.apply(patch, to: current, served: served), old: current), served))
        }
        let updated = try store.mutate(served.gvr, namespace: namespace, name: name, subresource: subresource, admit: admission.admit) {
            old throws(StatusError) in
            let current = present(old, served)
            var patched = try kind.apply(patch, to: current, served: served)
            // A resourceVersion the patch sets (a merge patch's, a JSON patch's `replace`) is a
            // precondition, as on a real server: the patched object must still carry the current one.
            if let expected = patched.meta("resourceVersion"), !expected.isEmpty, expected != old.meta("resourceVersion") {
                throw .staleResourceVersion(served.gvr, name: name)
            }
            patched.setMeta("resourceVersion", old["metadata"]?["resourceVersion"])
            patched["apiVersion"] = old["apiVersion"]
            return patched
        }
        return Responses.json(present(updated, served))
    }
}

enum PatchKind {
    case json, merge, strategic, apply

    init(contentType: String, served: ServedResource) throws(StatusError) {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch type {
        case "application/json-patch+json": self = .json
        case "application/merge-patch+json": self = .merge
        case "application/strategic-merge-patch+json":
            guard served.crd == nil else {
                throw StatusError(
                    code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            self = .strategic
        case "application/apply-patch+yaml", "application/apply-patch+json": self = .apply
        default:
            throw StatusError(
                code: 415, reason: "UnsupportedMediaType",
                message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
        }
    }

    func apply(_ patch: JSONValue, to current: JSONValue, served: ServedResource) throws(StatusError) -> JSONValue {
        switch self {
        case .json: return try JSONPatch.apply(patch, to: current)
        case .merge: return MergePatch.apply(patch, to: current)
        case .strategic: return StrategicMergePatch.apply(patch, to: current)
        case .apply:
            // Server-side apply without field ownership: the applied configuration is merged in,
            // lists by their merge keys (built-ins) or x-kubernetes-list-map-keys (custom resources).
            var applied = patch
            applied["apiVersion"] = nil
            applied["kind"] = nil
            if served.crd == nil { return StrategicMergePatch.apply(applied, to: current) }
            let schema = served.crdVersion?.schema
            return StrategicMergePatch.apply(applied, to: current) { path, _, _ in
                guard let keys = SchemaLookup.schema(at: path, in: schema)?["x-kubernetes-list-map-keys"]?.arrayValue,
                    let key = keys.first?.stringValue
                else { return .replace }
                return .mergeByKey(key)
            }
        }
    }
}

enum SchemaLookup {
    /// The schema of the field at an object-key path (array items are looked through).
    static func schema(at path: [String], in root: JSONValue?) -> JSONValue? {
        var current = root
        for key in path {
            if current?["type"]?.stringValue == "array" { current = current?["items"] }
            current = current?["properties"]?[key] ?? current?["additionalProperties"]
        }
        return current
    }
}

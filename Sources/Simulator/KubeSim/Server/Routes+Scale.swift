import Hummingbird
import KubeModels

extension APIHandler {
    /// The `scale` subresource as `autoscaling/v1` Scale: reads and writes the replica count at
    /// the paths the resource declares (`.spec.replicas` / `.status.replicas` for built-ins).
    func handleScale(_ request: APIRequest, _ path: RequestTarget.ResourcePath, _ served: ServedResource) throws(StatusError)
        -> Response
    {
        guard let name = path.name else { throw Self.notFoundPath(request.path) }
        let namespace = served.gvr.namespaced ? path.namespace : nil
        let paths = ScalePaths(served)
        switch request.method {
        case .get:
            return Responses.json(paths.scale(of: try store.get(served.gvr, namespace: namespace, name: name)))
        case .put, .patch:
            let body = try request.jsonBody()
            let admission = Admission(served: served, strict: false, isCreate: false)
            let updated = try store.mutate(served.gvr, namespace: namespace, name: name, admit: admission.admit) { old throws(StatusError) in
                let current = paths.scale(of: old)
                let desired: JSONValue
                if request.method == .put {
                    if let expected = body.meta("resourceVersion"), !expected.isEmpty, expected != old.meta("resourceVersion") {
                        throw .staleResourceVersion(served.gvr, name: name)
                    }
                    desired = body
                } else {
                    desired = try PatchKind(contentType: request.contentType, served: ServedResource(info: served.info))
                        .apply(body, to: current, served: ServedResource(info: served.info))
                }
                guard let replicas = desired["spec"]?["replicas"]?.intValue else {
                    throw .invalid(
                        kind: "Scale", group: "autoscaling", name: name,
                        causes: [.init(reason: "FieldValueRequired", message: "Required value", field: "spec.replicas")])
                }
                if replicas < 0 {
                    throw .invalid(
                        kind: "Scale", group: "autoscaling", name: name,
                        causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \(replicas): must be greater than or equal to 0", field: "spec.replicas")])
                }
                var object = old
                object.set(path: paths.specReplicas, to: .int(replicas))
                return object
            }
            return Responses.json(paths.scale(of: updated))
        default:
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }
}

struct ScalePaths {
    var specReplicas: [String]
    var statusReplicas: [String]
    var labelSelector: [String]?

    init(_ served: ServedResource) {
        if let scale = served.crdVersion?.scale {
            specReplicas = Self.split(scale.specReplicasPath)
            statusReplicas = Self.split(scale.statusReplicasPath)
            labelSelector = scale.labelSelectorPath.map(Self.split)
        } else {
            specReplicas = ["spec", "replicas"]
            statusReplicas = ["status", "replicas"]
            labelSelector = ["spec", "selector"]
        }
    }

    static func split(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }

    func scale(of object: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            metadata[field] = object["metadata"]?[field]
        }
        var status: [String: JSONValue] = ["replicas": object.value(at: statusReplicas) ?? 0]
        if let labelSelector, let selector = object.value(at: labelSelector) {
            switch selector {
            case .string: status["selector"] = selector
            default:
                if let decoded = try? selector.decode(LabelSelector.self) { status["selector"] = .string(decoded.selectorString) }
            }
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": object.value(at: specReplicas) ?? 0], "status": .object(status),
        ]
    }
}

extension JSONValue {
    func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    mutating func set(path: [String], to value: JSONValue) {
        guard let head = path.first else {
            self = value
            return
        }
        var child = self[head] ?? .object([:])
        child.set(path: Array(path.dropFirst()), to: value)
        if case .object = self {
            self[head] = child
        } else {
            self = .object([head: child])
        }
    }
}

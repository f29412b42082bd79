import Hummingbird
import KubeModels

/// Serves the Kubernetes API from the store: routes a parsed request to discovery, OpenAPI,
/// object CRUD, watches and the kubesim control endpoints.
struct APIHandler: Sendable {
    let store: ObjectStore
    let registry: ResourceRegistry
    let faults: FaultInjector
    let metrics: ServerMetrics
    /// `host:port` clients reach us at, for discovery's serverAddressByClientCIDRs.
    let serverAddress: @Sendable () -> String

    func handle(_ request: APIRequest) async throws(StatusError) -> Response {
        switch RequestTarget(path: request.path) {
        case .version: return Responses.json(Discovery.version)
        case .health: return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        case .coreVersions: return Responses.json(Discovery.coreVersions(serverAddress: serverAddress()))
        case .groupList: return Responses.json(Discovery.groupList(registry))
        case .group(let group):
            guard let document = Discovery.group(group, registry) else { throw Self.notFoundPath(request.path) }
            return Responses.json(document)
        case .resourceList(let group, let version):
            guard let document = Discovery.resourceList(group: group, version: version, registry) else {
                throw Self.notFoundPath(request.path)
            }
            return Responses.json(document)
        case .openAPIV2: return Responses.json(OpenAPIDocuments.v2(registry))
        case .openAPIV3Index: return Responses.json(OpenAPIDocuments.v3Index(registry))
        case .openAPIV3(let group, let version):
            guard let document = OpenAPIDocuments.v3(group: group, version: version, registry) else {
                throw Self.notFoundPath(request.path)
            }
            return Responses.json(document)
        case .faults: return try handleFaults(request)
        case .requests: return try handleRequests(request)
        case .resource(let path): return try await handleResource(request, path)
        case .unknown: throw Self.notFoundPath(request.path)
        }
    }

    static func notFoundPath(_ path: String) -> StatusError { .pathNotFound() }

    /// Resolves the resource and dispatches on method and subresource.
    func handleResource(_ request: APIRequest, _ path: RequestTarget.ResourcePath) async throws(StatusError) -> Response {
        guard let served = registry.resolve(group: path.group, version: path.version, resource: path.resource) else {
            throw Self.notFoundPath(request.path)
        }
        if !served.info.gvr.namespaced, path.namespace != nil { throw Self.notFoundPath(request.path) }
        switch path.subresource {
        case nil: break
        case "status" where served.info.hasStatus: break
        case "scale" where served.info.hasScale: return try handleScale(request, path, served)
        default:
            // A custom resource's handler claims the path and answers a Status naming the object;
            // for built-ins no route matches.
            if served.crd != nil { throw .notFound(served.gvr, name: path.name ?? "") }
            throw Self.notFoundPath(request.path)
        }
        let namespace = served.info.gvr.namespaced ? path.namespace : nil
        switch (request.method, path.name) {
        case (.get, nil):
            if path.watchPrefix || request.flag("watch") {
                return try watch(request, served, namespace: namespace, name: nil)
            }
            return try list(request, served, namespace: namespace)
        case (.get, let name?):
            if path.watchPrefix || request.flag("watch") { return try watch(request, served, namespace: namespace, name: name) }
            return try get(request, served, namespace: namespace, name: name)
        case (.post, nil): return try create(request, served, namespace: namespace)
        case (.put, let name?): return try update(request, served, namespace: namespace, name: name, subresource: path.subresource)
        case (.patch, let name?): return try patch(request, served, namespace: namespace, name: name, subresource: path.subresource)
        case (.delete, let name?): return try delete(request, served, namespace: namespace, name: name)
        case (.delete, nil): return try deleteCollection(request, served, namespace: namespace)
        default:
            throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// The object as seen through the served version.
    func present(_ object: JSONValue, _ served: ServedResource) -> JSONValue {
        var object = object
        object["apiVersion"] = .string(served.gvr.apiVersion)
        return object
    }
}

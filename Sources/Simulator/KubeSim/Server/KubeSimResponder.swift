import Hummingbird
import KubeModels
import NIOCore
import NIOSSL

/// The request pipeline: count the connection, authenticate (TLS mode), inject faults, count
/// the request, serve it, and turn every failure into a Status body.
struct KubeSimResponder: HTTPResponder {
    typealias Context = SimRequestContext

    /// kube-apiserver's `--max-request-body-bytes` default (3 MiB).
    static let maximumRequestBytes = 3 * 1024 * 1024

    let handler: APIHandler
    let metrics: ServerMetrics
    let authenticator: Authenticator?

    func respond(to request: Request, context: SimRequestContext) async throws -> Response {
        metrics.noteConnection(context.connection)
        let path = request.uri.path
        if let authenticator, await !authenticator.authenticate(request, connection: context.connection) {
            return Responses.status(.unauthorized())
        }
        let isControl = path.hasPrefix("/kubesim/")
        let client = isControl ? nil : Self.clientRequest(request)
        if !isControl {
            let settings = handler.faults.current
            if settings.latency > .zero { try? await Task.sleep(for: settings.latency) }
            if case .fail(let error) = handler.faults.decide() {
                metrics.noteRequest(verb: Self.verb(request), resource: Self.resourceName(path), client: client)
                return Responses.status(error)
            }
            metrics.noteRequest(verb: Self.verb(request), resource: Self.resourceName(path), client: client)
        }
        do {
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maximumRequestBytes)
            } catch is NIOTooManyBytesError {
                throw StatusError.requestEntityTooLarge(limit: Self.maximumRequestBytes)
            }
            let apiRequest = APIRequest(
                method: request.method, path: path, query: APIRequest.parseQuery(request.uri.query),
                accept: request.headers[.accept] ?? "", contentType: request.headers[.contentType] ?? "",
                body: Array(buffer: body))
            let response = try await handler.handle(apiRequest)
            if response.status == .conflict { metrics.noteConflict(client: client) }
            return response
        } catch let error as StatusError {
            if error.code == 409 { metrics.noteConflict(client: client) }
            return Responses.status(error)
        } catch {
            return Responses.status(.badRequest("could not read the request: \(error)"))
        }
    }

    /// `GET` for single objects, `LIST` / `WATCH` for collections, the HTTP method otherwise.
    static func verb(_ request: Request) -> String {
        guard request.method == .get else { return request.method.rawValue }
        let query = APIRequest.parseQuery(request.uri.query)
        if query["watch"] == "true" || query["watch"] == "1" || request.uri.path.contains("/watch/") { return "WATCH" }
        if case .resource(let path) = RequestTarget(path: request.uri.path), path.name == nil { return "LIST" }
        return "GET"
    }

    /// The request as RBAC would authorize it, tagged with the client's user agent; nil for
    /// non-resource requests (discovery, OpenAPI, /version).
    static func clientRequest(_ request: Request) -> ClientRequest? {
        guard case .resource(let target) = RequestTarget(path: request.uri.path) else { return nil }
        let isWatch = verb(request) == "WATCH"
        guard let rbacVerb = ClientRequest.rbacVerb(method: request.method.rawValue, target: target, isWatch: isWatch) else {
            return nil
        }
        return ClientRequest(
            userAgent: request.headers[.userAgent] ?? "", verb: rbacVerb, group: target.group,
            resource: resourceName(request.uri.path), namespace: target.namespace)
    }

    /// `pods`, `appreleases/status`, or the path for non-resource requests.
    static func resourceName(_ path: String) -> String {
        guard case .resource(let target) = RequestTarget(path: path) else { return path }
        return target.subresource.map { "\(target.resource)/\($0)" } ?? target.resource
    }
}

import Hummingbird
import KubeModels
import NIOCore

enum Responses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(value.serialized())
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"],
            body: ResponseBody(byteBuffer: buffer))
    }

    static func status(_ error: StatusError) -> Response {
        var response: Response
        if let text = error.plainTextBody {
            response = Response(
                status: HTTPResponse.Status(code: error.code),
                headers: [.contentType: "text/plain; charset=utf-8", .xContentTypeOptions: "nosniff"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        } else {
            response = json(error.status, status: HTTPResponse.Status(code: error.code))
        }
        if let retryAfter = error.retryAfterSeconds {
            response.headers[.retryAfter] = String(retryAfter)
        }
        if error.code == 401 {
            response.headers[.wwwAuthenticate] = "Bearer realm=\"kubesim\""
        }
        return response
    }

    /// The Status a successful delete returns when the object is gone at once.
    static func deletedStatus(_ resource: ServedResource, name: String, uid: String?) -> JSONValue {
        var details: [String: JSONValue] = ["name": .string(name), "group": .string(resource.gvr.group), "kind": .string(resource.gvr.resource)]
        if let uid { details["uid"] = .string(uid) }
        return [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": .object(details),
        ]
    }
}

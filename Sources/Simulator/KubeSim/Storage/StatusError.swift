import KubeModels

/// A failure the API server reports as a `meta.k8s.io/v1` Status. The store throws these so the
/// HTTP layer and in-process controllers see exactly what a real API server would answer.
public struct StatusError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Cause: Sendable, Hashable {
        public var reason: String
        public var message: String
        public var field: String
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]
    public var retryAfterSeconds: Int?
    /// Answered as this `text/plain` body instead of a Status, as the API server does where no
    /// API handler claims the path (Go's `http.NotFound`).
    public var plainTextBody: String?
    /// `details` is sent even when empty, as in the Status `errors.NewGenericServerResponse` builds.
    public var alwaysSendsDetails: Bool

    public init(
        code: Int, reason: String, message: String, name: String? = nil, group: String? = nil, kind: String? = nil,
        causes: [Cause] = [], retryAfterSeconds: Int? = nil, plainTextBody: String? = nil, alwaysSendsDetails: Bool = false
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
        self.plainTextBody = plainTextBody
        self.alwaysSendsDetails = alwaysSendsDetails
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The Status object as a JSON body.
    public var status: JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        var body: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if !details.isEmpty || alwaysSendsDetails { body["details"] = .object(details) }
        return .object(body)
    }
}

extension StatusError {
    static func resourceName(_ gvr: GroupVersionResource) -> String {
        gvr.group.isEmpty ? gvr.resource : "\(gvr.resource).\(gvr.group)"
    }

    public static func notFound(_ gvr: GroupVersionResource, name: String) -> StatusError {
        StatusError(
            code: 404, reason: "NotFound", message: "\(resourceName(gvr)) \"\(name)\" not found", name: name,
            group: gvr.group, kind: gvr.resource)
    }

    public static func alreadyExists(_ gvr: GroupVersionResource, name: String) -> StatusError {
        StatusError(
            code: 409, reason: "AlreadyExists", message: "\(resourceName(gvr)) \"\(name)\" already exists", name: name,
            group: gvr.group, kind: gvr.resource)
    }

    public static func conflict(_ gvr: GroupVersionResource, name: String, detail: String) -> StatusError {
        StatusError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(resourceName(gvr)) \"\(name)\": \(detail)", name: name,
            group: gvr.group, kind: gvr.resource)
    }

    public static func staleResourceVersion(_ gvr: GroupVersionResource, name: String) -> StatusError {
        conflict(gvr, name: name, detail: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// A path no API handler serves: an unknown group, version or resource, a custom resource whose
    /// CRD is not installed (or not established, or not served at that version), a namespaced path
    /// for a cluster-scoped resource. The API server's handler chain ends in Go's `http.NotFound`
    /// there, so the answer is a plain-text 404, not a Status; clients synthesise the Status
    /// (client-go: "the server could not find the requested resource").
    public static func pathNotFound() -> StatusError {
        StatusError(
            code: 404, reason: "NotFound", message: "the server could not find the requested resource",
            plainTextBody: "404 page not found\n")
    }

    /// 422 for a JSON patch (RFC 6902) that does not apply: a failed `test`, a path that is not
    /// there, an unknown op. The API server wraps the patch library's error with
    /// `errors.NewGenericServerResponse(422, …)`, which keeps only a fixed message (the library's
    /// text is dropped) and sends empty details.
    public static func jsonPatchNotApplicable() -> StatusError {
        StatusError(
            code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request",
            alwaysSendsDetails: true)
    }

    public static func gone(_ message: String) -> StatusError {
        StatusError(code: 410, reason: "Expired", message: message)
    }

    /// 413, as kube-apiserver answers a body over its `--max-request-body-bytes`.
    public static func requestEntityTooLarge(limit: Int) -> StatusError {
        StatusError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    public static func badRequest(_ message: String) -> StatusError {
        StatusError(code: 400, reason: "BadRequest", message: message)
    }

    public static func invalid(kind: String, group: String, name: String, causes: [Cause]) -> StatusError {
        let rendered = causes.map { "\($0.field): \($0.message)" }
        let summary = rendered.count == 1 ? rendered[0] : "[\(rendered.joined(separator: ", "))]"
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return StatusError(
            code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)", name: name, group: group,
            kind: kind, causes: causes)
    }

    /// 415: the body's media type (or the kind within it) is one kubesim cannot read.
    public static func unsupportedMediaType(_ message: String) -> StatusError {
        StatusError(code: 415, reason: "UnsupportedMediaType", message: message)
    }

    public static func methodNotAllowed(_ message: String) -> StatusError {
        StatusError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    public static func unauthorized() -> StatusError {
        StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    public static func tooManyRequests(retryAfter: Int) -> StatusError {
        StatusError(
            code: 429, reason: "TooManyRequests", message: "the server has received too many requests and has asked us to try again later",
            retryAfterSeconds: retryAfter)
    }

    public static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }
}

import KubeModels

extension KubernetesError {
    /// The API server's `Status` from a non-2xx answer, or one synthesised from the HTTP code when
    /// the body is not a Status (a proxy's HTML page). `Retry-After` fills `retryAfterSeconds`.
    static func from(_ response: HTTPResponse) -> KubernetesError {
        var status: APIStatus
        if let value = try? JSONValue(parsing: response.body), value["kind"]?.stringValue == "Status",
            let decoded = try? value.decode(APIStatus.self)
        {
            status = decoded
            if status.code == 0 { status.code = response.status }
        } else {
            let text = String(decoding: response.body.prefix(512), as: UTF8.self)
            status = APIStatus(code: response.status, reason: defaultReason(response.status), message: text.isEmpty ? "HTTP \(response.status)" : text)
        }
        if status.details?.retryAfterSeconds == nil, let retryAfter = response.retryAfterSeconds {
            var details = status.details ?? APIStatus.Details()
            details.retryAfterSeconds = retryAfter
            status.details = details
        }
        return .api(status)
    }

    static func defaultReason(_ code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 406: return "NotAcceptable"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }
}

import Foundation

/// One request to the API server, before auth and transport details are added.
struct HTTPRequest: Sendable {
    var method: String
    /// Path and query, already percent-encoded, e.g. `/api/v1/namespaces/default/pods?limit=500`.
    var path: String
    var contentType: String?
    var body: [UInt8]?
    /// A watch streams until the server ends it: no total timeout, body delivered incrementally.
    var isWatch = false

    /// GET (get, list, watch) may be repeated without side effects.
    var isSafe: Bool { method == "GET" || method == "HEAD" }
}

struct HTTPResponse: Sendable {
    var status: Int
    /// Lower-cased names; the last value of a repeated header.
    var headers: [String: String]
    var body: [UInt8]

    var isSuccess: Bool { (200..<300).contains(status) }

    /// `Retry-After` in seconds (the API server only sends the integer form).
    var retryAfterSeconds: Int? {
        headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}

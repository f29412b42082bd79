import Foundation
import Hummingbird
import KubeModels

/// The parts of an HTTP request the API handlers use.
struct APIRequest: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var query: [String: String]
    var accept: String
    var contentType: String
    var body: [UInt8]

    init(method: HTTPRequest.Method, path: String, query: [String: String], accept: String, contentType: String, body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.accept = accept
        self.contentType = contentType
        self.body = body
    }

    /// The request body as JSON; 400 with the parser's message otherwise. Protobuf bodies
    /// (`application/vnd.kubernetes.protobuf`) are converted to the same JSON, or refused with
    /// 415 when they hold something kubesim has no table for.
    func jsonBody() throws(StatusError) -> JSONValue {
        guard !body.isEmpty else { throw .badRequest("the request body is empty") }
        if ProtobufBody.isProtobuf(contentType: contentType) {
            do throws(ProtobufError) {
                return try ProtobufBody.decode(body)
            } catch {
                throw error.statusError
            }
        }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
    }

    func flag(_ name: String) -> Bool {
        guard let value = query[name] else { return false }
        return value == "true" || value == "1" || value.isEmpty
    }

    func int(_ name: String) -> Int? { query[name].flatMap { Int($0) } }

    /// `Accept` asks for a `meta.k8s.io` Table rendering.
    var wantsTable: Bool { accept.contains("as=Table") }

    /// Dry runs are validated but not stored.
    var isDryRun: Bool { query["dryRun"] == "All" }

    static func parseQuery(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            result[key] = value
        }
        return result
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

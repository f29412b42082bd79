import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain GETs of the endpoints outside the Kubernetes API: kubesim's `/kubesim/requests` and the
/// operator's `/metrics` and `/readyz`.
enum LoopbackHTTP {
    static func get(_ url: String) async throws -> (status: Int, body: Data) {
        guard let target = URL(string: url) else { throw BenchError("not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

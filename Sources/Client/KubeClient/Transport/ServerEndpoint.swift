import Foundation

/// The API server URL split into what curl needs: scheme, host, port and an optional path prefix.
struct ServerEndpoint: Sendable, Hashable {
    var scheme: String
    /// Without IPv6 brackets.
    var host: String
    var port: Int
    var pathPrefix: String

    init(_ server: String) throws(ConfigError) {
        guard let components = URLComponents(string: server), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", var host = components.host, !host.isEmpty
        else {
            throw ConfigError(problem: "server \"\(server)\" is not an http(s) URL with a host")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
    }

    var isHTTPS: Bool { scheme == "https" }

    /// `host` as it appears in a URL or a curl host:port pair.
    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    /// The URL for `path`; with `tlsServerName` the URL names that host and curl is told to
    /// connect to the real one (CURLOPT_CONNECT_TO), so SNI and verification use the given name.
    func url(for path: String, tlsServerName: String?) -> String {
        let authority = "\(Self.urlHost(tlsServerName ?? host)):\(port)"
        return "\(scheme)://\(authority)\(pathPrefix)\(path)"
    }

    func connectTo(tlsServerName: String) -> String {
        "\(Self.urlHost(tlsServerName)):\(port):\(Self.urlHost(host)):\(port)"
    }
}

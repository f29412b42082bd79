/// A listen address from a flag: `:8080` (all interfaces), `127.0.0.1:0` (ephemeral port), or
/// `0` to disable the endpoint (controller-runtime's convention).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// nil for "0" (disabled); throws naming the flag for anything unparsable.
    public static func parse(_ text: String, flag: String) throws -> ListenAddress? {
        let trimmed = text.trimmingSpaces
        if trimmed == "0" || trimmed.isEmpty { return nil }
        guard let colon = trimmed.lastIndex(of: ":") else {
            throw ConfigurationError("\(flag): '\(text)' must be HOST:PORT or :PORT (or 0 to disable)")
        }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(trimmed[trimmed.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ConfigurationError("\(flag): port in '\(text)' must be a number from 0 to 65535")
        }
        return ListenAddress(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    public var description: String { "\(host):\(port)" }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}

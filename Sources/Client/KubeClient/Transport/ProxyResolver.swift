/// Which proxy a request goes through, with Go's `httpproxy.FromEnvironment` rules (what kubectl
/// uses): `proxy-url` wins; otherwise HTTPS_PROXY / HTTP_PROXY by scheme (upper or lower case),
/// NO_PROXY exclusions, and loopback hosts never proxied. The result is given to curl explicitly
/// (an empty string disables curl's own environment lookup, whose rules differ).
enum ProxyResolver {
    static func proxy(for endpoint: ServerEndpoint, proxyURL: String?, environment: [String: String]) -> String {
        if let proxyURL, !proxyURL.isEmpty { return proxyURL }
        if isLoopback(endpoint.host) { return "" }
        func variable(_ name: String) -> String? {
            let value = environment[name] ?? environment[name.lowercased()]
            return value?.isEmpty == false ? value : nil
        }
        guard let proxy = endpoint.isHTTPS ? variable("HTTPS_PROXY") : variable("HTTP_PROXY") else { return "" }
        if let noProxy = variable("NO_PROXY"), excluded(endpoint, by: noProxy) { return "" }
        return proxy
    }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered.hasSuffix(".localhost") || lowered.hasPrefix("127.") || lowered == "::1"
    }

    private static func excluded(_ endpoint: ServerEndpoint, by noProxy: String) -> Bool {
        let host = endpoint.host.lowercased()
        for rawEntry in noProxy.split(separator: ",") {
            var entry = rawEntry.trimmingCharactersInSet(" ").lowercased()
            if entry == "*" { return true }
            if entry.isEmpty { continue }
            // An entry may carry a port; it then only matches that port.
            if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":"),
                let port = Int(entry[entry.index(after: colon)...])
            {
                if port != endpoint.port { continue }
                entry = String(entry[..<colon])
            }
            if entry.contains("/"), cidrContains(entry, host) { return true }
            if entry.hasPrefix(".") {
                if host.hasSuffix(entry) || host == entry.dropFirst() { return true }
            } else if entry.hasPrefix("*.") {
                if host.hasSuffix(entry.dropFirst()) { return true }
            } else if host == entry || host.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }

    /// IPv4 CIDR only (`10.0.0.0/8`).
    private static func cidrContains(_ cidr: String, _ host: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
            let network = ipv4(String(parts[0])), let address = ipv4(host)
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return network & mask == address & mask
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}

extension Substring {
    fileprivate func trimmingCharactersInSet(_ character: Character) -> String {
        var slice = self[...]
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}

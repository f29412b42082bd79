/// How many connections curl may hold to the API server (`CURLMOPT_MAX_HOST_CONNECTIONS`).
///
/// `CURLOPT_PIPEWAIT` only holds a transfer back while a connection is still being set up. Once
/// one is up, curl opens a new connection for any transfer it will not put on it: when the server
/// ends a connection with GOAWAY, each transfer in flight is retried on a fresh connection of its
/// own ("Connection died, retrying a fresh connect"), and a connection at its stream limit sends
/// the next transfer elsewhere too. With no cap, 64 concurrent requests became 64 connections
/// after one GOAWAY. A cap turns that into a queue: curl parks the transfer until one finishes.
struct ConnectionPolicy {
    /// RFC 9113 §6.5.2 asks servers to allow at least 100 concurrent streams. One more connection
    /// per 100 transfers means long-lived watches can never fill the only connection and leave
    /// every request queued behind them, whatever limit the server chose.
    static let streamsPerConnection = 100

    /// Whether the server answered over HTTP/2; nil until the first response.
    private(set) var multiplexes: Bool?
    private var appliedCap: Int?

    var knowsServer: Bool { multiplexes != nil }

    mutating func learn(responseVersion: Int) {
        guard responseVersion != 0 else { return }
        multiplexes = responseVersion >= 20
    }

    /// The cap to set when it differs from the one in force; 0 means none.
    mutating func hostConnectionCap(activeTransfers: Int) -> Int? {
        let cap: Int
        if multiplexes == true {
            cap = max(1, (activeTransfers + Self.streamsPerConnection - 1) / Self.streamsPerConnection)
        } else {
            // HTTP/1.1 carries one transfer per connection and a watch keeps its connection for
            // minutes, so any fixed cap would leave requests waiting behind watches indefinitely.
            // Before the first answer PIPEWAIT already holds a burst to the connection being set up.
            cap = 0
        }
        guard cap != appliedCap else { return nil }
        appliedCap = cap
        return cap
    }
}

import Synchronization

/// Running totals for a client, for benchmarks and metrics: HTTP requests sent (each retry
/// counts) and bytes of JSON decoded from responses and watch streams.
public struct ClientStatistics: Sendable, Hashable {
    public var requestsSent: UInt64
    public var bytesDecoded: UInt64
}

final class StatisticsCounters: Sendable {
    let requests = Atomic<UInt64>(0)
    let bytes = Atomic<UInt64>(0)

    func addDecoded(_ count: Int) {
        bytes.add(UInt64(count), ordering: .relaxed)
    }

    var snapshot: ClientStatistics {
        ClientStatistics(requestsSent: requests.load(ordering: .relaxed), bytesDecoded: bytes.load(ordering: .relaxed))
    }
}

import Synchronization

/// Running totals for a client, for benchmarks and metrics: HTTP requests sent (each retry
/// counts), bytes of JSON decoded from responses and watch streams, and how watch consumers kept up.
public struct ClientStatistics: Sendable, Hashable {
    public var requestsSent: UInt64
    public var bytesDecoded: UInt64
    /// Times a watch stopped reading from the server because its consumer fell behind.
    public var watchPauses: UInt64
    /// The most decoded bytes any watch held for its consumer at once.
    public var peakWatchBufferBytes: UInt64
}

final class StatisticsCounters: Sendable {
    let requests = Atomic<UInt64>(0)
    let bytes = Atomic<UInt64>(0)
    let watchPauses = Atomic<UInt64>(0)
    let peakWatchBuffer = Atomic<UInt64>(0)

    func addDecoded(_ count: Int) {
        bytes.add(UInt64(count), ordering: .relaxed)
    }

    func notePeakWatchBuffer(_ count: Int) {
        peakWatchBuffer.max(UInt64(max(count, 0)), ordering: .relaxed)
    }

    var snapshot: ClientStatistics {
        ClientStatistics(
            requestsSent: requests.load(ordering: .relaxed), bytesDecoded: bytes.load(ordering: .relaxed),
            watchPauses: watchPauses.load(ordering: .relaxed), peakWatchBufferBytes: peakWatchBuffer.load(ordering: .relaxed))
    }
}

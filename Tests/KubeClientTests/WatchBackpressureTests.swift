import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization
import Testing
import TestSupport

/// A consumer slower than the server must cost time, not memory: the client stops reading the
/// watch while its buffer is full, and every event still arrives, in order.
@Suite struct WatchBackpressureTests {
    static let bufferBytes = 64 * 1024
    /// curl hands the write callback at most CURLOPT_BUFFERSIZE bytes at once, and the chunk that
    /// crosses the mark is taken whole.
    static let chunkBytes = 256 * 1024
    static let eventCount = 1500

    @Test(arguments: [true, false]) func aSlowConsumerPausesTheWatchAndLosesNothing(tls: Bool) async throws {
        try await withKubeSim({ $0.tls = tls; $0.simulateCluster = false; $0.eventWindow = 10_000 }) { fixture in
            let client = try makeClient(fixture) {
                $0.watchBufferBytes = Self.bufferBytes
                $0.requestTimeout = .seconds(20)
            }
            defer { client.shutdown() }
            let list = try await client.list(.configMaps, namespace: "default")
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: list.resourceVersion))
            try await eventually("the watch is open") { (fixture.sim.requestCounts()["WATCH configmaps"] ?? 0) >= 1 }

            // ~3 MB of events, nearly 50 times the buffer, with nobody reading yet.
            let payload = String(repeating: "p", count: 2048)
            for index in 0..<Self.eventCount {
                _ = try fixture.sim.store.create(.configMaps, namespace: "default", object: configMap("e-\(index)", data: ["payload": payload]))
            }
            try await eventually("the client stopped reading the watch") { client.statistics.watchPauses >= 1 }
            // The same connection still serves other requests while the watch waits.
            #expect(try await client.get(.namespaces, namespace: nil, name: "default")[path: "metadata", "name"] == "default")

            // In a task, so a watch that never reads again fails the wait below instead of hanging.
            let log = NameLog()
            let consumer = Task {
                for try await event in stream where event.type == .added {
                    if log.append(event.object[path: "metadata", "name"]?.stringValue ?? "") == Self.eventCount { break }
                }
            }
            defer { consumer.cancel() }
            try await eventually("every event arrived", timeout: .seconds(60)) { log.names.count == Self.eventCount }
            let names = log.names
            #expect(names == (0..<Self.eventCount).map { "e-\($0)" })
            let statistics = client.statistics
            #expect(statistics.peakWatchBufferBytes <= UInt64(Self.bufferBytes + Self.chunkBytes))
        }
    }
}

final class NameLog: Sendable {
    private let entries = Mutex<[String]>([])

    /// The count after appending.
    func append(_ name: String) -> Int { entries.withLock { $0.append(name); return $0.count } }
    var names: [String] { entries.withLock { $0 } }
}

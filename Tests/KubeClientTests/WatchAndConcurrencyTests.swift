import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization
import Testing
import TestSupport

@Suite struct WatchAndConcurrencyTests {
    @Test func watchDeliversChangesInOrder() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let list = try await client.list(.configMaps, namespace: "default")
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: list.resourceVersion))
            let collector = Task {
                var seen: [String] = []
                // Bookmarks aside: kubesim sends one every 5 s, which a slow machine reaches.
                for try await event in stream where event.type != .bookmark {
                    seen.append("\(event.type.rawValue) \(event.object[path: "metadata", "name"]?.stringValue ?? "")")
                    if seen.count == 3 { break }
                }
                return seen
            }
            _ = try await client.create(.configMaps, namespace: nil, object: configMap("w1"))
            _ = try await client.patch(.configMaps, namespace: nil, name: "w1", patch: .merge(["data": ["x": "y"]]))
            try await client.delete(.configMaps, namespace: nil, name: "w1")
            #expect(try await collector.value == ["ADDED w1", "MODIFIED w1", "DELETED w1"])
        }
    }

    @Test func cancellingTheTaskAbortsRequestsAndWatches() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            _ = try await client.create(.configMaps, namespace: nil, object: configMap("c1"))

            // A watch: consume the initial event, then cancel the consumer.
            let watching = Task {
                var count = 0
                for try await _ in client.watch(.configMaps, namespace: "default", options: WatchOptions()) { count += 1 }
                return count
            }
            try await eventually("the watch is open") { (fixture.sim.requestCounts()["WATCH configmaps"] ?? 0) >= 1 }
            watching.cancel()
            _ = try? await watching.value

            // A slow request: cancelled while the server sits on it.
            fixture.sim.faults.latency = .seconds(60)
            let before = fixture.sim.requestCount
            let slow = Task { try await client.get(.configMaps, namespace: "default", name: "c1") }
            // Not a condition wait: the assertions hold whether the cancel lands before or after the
            // transfer reached the server; the pause only makes the in-flight case the usual one.
            try await Task.sleep(for: .milliseconds(200))
            slow.cancel()
            await #expect(throws: CancellationError.self) { try await slow.value }
            fixture.sim.faults.latency = .zero
            #expect(fixture.sim.requestCount == before, "the aborted request was never served")

            // The client still works afterwards.
            let value = try await client.get(.configMaps, namespace: "default", name: "c1")
            #expect(value[path: "metadata", "name"] == "c1")
        }
    }

    @Test func fiftyWatchesAndRequestsShareOneConnection() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let list = try await client.list(.configMaps, namespace: "default")
            let received = Counter()
            let watches = (0..<50).map { _ in
                Task {
                    for try await event in client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: list.resourceVersion))
                    where event.object[path: "metadata", "name"] == "shared" {
                        received.increment()
                        return
                    }
                }
            }
            defer { for watch in watches { watch.cancel() } }
            try await eventually("50 watches are open") { (fixture.sim.requestCounts()["WATCH configmaps"] ?? 0) >= 50 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask { _ = try await client.get(.namespaces, namespace: nil, name: index % 2 == 0 ? "default" : "kube-system") }
                }
                try await group.waitForAll()
            }
            _ = try await client.create(.configMaps, namespace: nil, object: configMap("shared"))
            try await eventually("every watch saw the new object") { received.value == 50 }
            #expect(fixture.sim.acceptedConnections == 1)
        }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

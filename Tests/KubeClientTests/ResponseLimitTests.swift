import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

/// A runaway answer (a huge list, a watch line that never ends) must fail the call with a clear
/// error, not take the operator past its memory limit. The limits are lowered here so the
/// objects stay small; the defaults are the same code path.
@Suite struct ResponseLimitTests {
    static let limit = 64 * 1024

    static func isTooLarge(_ error: any Error) -> Bool {
        guard case .responseTooLarge(let message)? = error as? KubernetesError else { return false }
        return message.contains("\(limit) bytes")
    }

    @Test func aBodyOverTheLimitIsRefusedAndNotRetried() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let writer = try makeClient(fixture)
            defer { writer.shutdown() }
            _ = try await writer.create(.configMaps, namespace: "default", object: configMap("small", data: ["a": "b"]))
            // The create's answer is the object itself, so it is written with the default limit.
            _ = try await writer.create(
                .configMaps, namespace: "default", object: configMap("big", data: ["a": String(repeating: "x", count: 2 * Self.limit)]))
            let client = try makeClient(fixture) { $0.maximumResponseBytes = Self.limit }
            defer { client.shutdown() }
            // Under the limit: served as usual.
            #expect(try await client.get(.configMaps, namespace: "default", name: "small")[path: "data", "a"] == "b")
            await #expect(performing: { try await client.get(.configMaps, namespace: "default", name: "big") }, throws: Self.isTooLarge)
            #expect(fixture.sim.requestCounts()["GET configmaps"] == 2, "a refused answer is not asked for again")
        }
    }

    @Test func aWatchEventOverTheLimitEndsTheWatchWithThatError() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture) { $0.maximumWatchEventBytes = Self.limit }
            defer { client.shutdown() }
            let list = try await client.list(.configMaps, namespace: "default")
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: list.resourceVersion))
            _ = try await client.create(.configMaps, namespace: "default", object: configMap("small", data: ["a": "b"]))
            _ = try await client.create(
                .configMaps, namespace: "default", object: configMap("big", data: ["a": String(repeating: "x", count: 2 * Self.limit)]))
            var seen: [String] = []
            await #expect(performing: {
                for try await event in stream { seen.append(event.object[path: "metadata", "name"]?.stringValue ?? "") }
            }, throws: Self.isTooLarge)
            #expect(seen == ["small"], "events before the oversized one are delivered")
        }
    }
}

import Foundation
import KubeClient
import KubeModels
import KubeSim
import TestSupport
import Testing

/// Watch, paging and conflict semantics observed through the project's own client, as the
/// controller will see them.
@Suite struct WatchSemanticsTests {
    func withClient(_ configure: (inout KubeSimOptions) -> Void = { _ in }, _ body: (KubeSimFixture, KubernetesClient) async throws -> Void)
        async throws
    {
        try await withKubeSim({
            $0.simulateCluster = false
            configure(&$0)
        }) { fixture in
            let client = try KubernetesClient(kubeconfigPath: fixture.kubeconfigPath)
            defer { client.shutdown() }
            try await body(fixture, client)
        }
    }

    func configMap(_ name: String, _ value: String, labels: [String: String] = [:]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })],
            "data": ["value": .string(value)],
        ]
    }

    struct Seen: Hashable, CustomStringConvertible {
        var type: WatchEvent.EventType
        var name: String
        var resourceVersion: String
        var description: String { "\(type.rawValue) \(name)@\(resourceVersion)" }
    }

    /// Collects `count` non-bookmark events (or fewer if the stream ends).
    func collect(_ stream: WatchStream, count: Int) async throws -> [Seen] {
        var seen: [Seen] = []
        for try await event in stream where event.type != .bookmark {
            seen.append(
                Seen(
                    type: event.type, name: event.object[path: "metadata", "name"]?.stringValue ?? "",
                    resourceVersion: event.object[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
            if seen.count == count { break }
        }
        return seen
    }

    @Test func resumingFromAResourceVersionMissesAndRepeatsNothing() async throws {
        try await withClient { fixture, client in
            let start = try await client.list(.configMaps, namespace: "default").resourceVersion
            var expected: [Seen] = []
            func record(_ type: WatchEvent.EventType, _ object: JSONValue) {
                expected.append(Seen(type: type, name: object[path: "metadata", "name"]?.stringValue ?? "", resourceVersion: object[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
            }
            for index in 0..<3 { record(.added, try await client.create(.configMaps, namespace: "default", object: configMap("c\(index)", "v0"))) }
            let first = try await collect(client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start)), count: 3)
            #expect(first == expected)

            // Changes made while nobody watches are delivered exactly once on resume.
            let resumeFrom = try #require(first.last?.resourceVersion)
            var later: [Seen] = []
            var current = try await client.get(.configMaps, namespace: "default", name: "c1")
            current["data"] = ["value": "v1"]
            let updated = try await client.update(.configMaps, namespace: "default", object: current)
            later.append(Seen(type: .modified, name: "c1", resourceVersion: updated[path: "metadata", "resourceVersion"]?.stringValue ?? ""))
            try await client.delete(.configMaps, namespace: "default", name: "c0")
            let created = try await client.create(.configMaps, namespace: "default", object: configMap("c3", "v0"))
            let resumed = try await collect(client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: resumeFrom)), count: 3)
            #expect(resumed.map(\.type) == [.modified, .deleted, .added])
            #expect(resumed.first == later.first)
            #expect(resumed.last?.resourceVersion == created[path: "metadata", "resourceVersion"]?.stringValue)
            let versions = (first + resumed).compactMap { UInt64($0.resourceVersion) }
            #expect(versions == versions.sorted() && Set(versions).count == versions.count)
        }
    }

    @Test func droppedWatchResumesWithoutGaps() async throws {
        try await withClient { fixture, client in
            let start = try await client.list(.configMaps, namespace: "default").resourceVersion
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start))
            var iterator = stream.makeAsyncIterator()
            try await client.create(.configMaps, namespace: "default", object: configMap("a", "1"))
            let firstEvent = try #require(try await iterator.next())
            let lastSeen = try #require(firstEvent.object[path: "metadata", "resourceVersion"]?.stringValue)
            fixture.sim.faults.dropWatches()
            // The dropped stream ends; changes meanwhile must arrive on the re-watch.
            while try await iterator.next() != nil {}
            try await client.create(.configMaps, namespace: "default", object: configMap("b", "1"))
            try await client.create(.configMaps, namespace: "default", object: configMap("c", "1"))
            let resumed = try await collect(client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: lastSeen)), count: 2)
            #expect(resumed.map(\.name) == ["b", "c"])
        }
    }

    @Test func compactedResourceVersionIsGone() async throws {
        try await withClient { fixture, client in
            let old = try await client.create(.configMaps, namespace: "default", object: configMap("a", "1"))
            try await client.create(.configMaps, namespace: "default", object: configMap("b", "1"))
            fixture.sim.faults.compactEventWindow()
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: old[path: "metadata", "resourceVersion"]?.stringValue))
            var status: JSONValue?
            do {
                for try await event in stream where event.type == .error {
                    status = event.object
                    break
                }
            } catch let error as KubernetesError {
                #expect(error.isGone)
                return
            }
            #expect(status?["code"] == 410)
            #expect(status?["reason"] == "Expired")
        }
    }

    @Test func staleUpdateConflicts() async throws {
        try await withClient { _, client in
            let created = try await client.create(.configMaps, namespace: "default", object: configMap("a", "1"))
            var first = created
            first["data"] = ["value": "2"]
            try await client.update(.configMaps, namespace: "default", object: first)
            var stale = created
            stale["data"] = ["value": "3"]
            do {
                try await client.update(.configMaps, namespace: "default", object: stale)
                Issue.record("a stale update succeeded")
            } catch let error as KubernetesError {
                #expect(error.isConflict)
                #expect(error.status?.message?.contains("the object has been modified") == true)
            }
            let duplicate = await #expect(throws: KubernetesError.self) {
                try await client.create(.configMaps, namespace: "default", object: configMap("a", "1"))
            }
            #expect(duplicate?.isAlreadyExists == true)
        }
    }

    @Test func pagingAndSelectors() async throws {
        try await withClient { _, client in
            for index in 0..<7 {
                try await client.create(
                    .configMaps, namespace: "default", object: configMap("cm-\(index)", "v", labels: ["parity": index % 2 == 0 ? "even" : "odd"]))
            }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await client.list(.configMaps, namespace: "default", options: ListOptions(limit: 3, continueToken: token))
                names += page.items.compactMap { $0[path: "metadata", "name"]?.stringValue }
                token = page.continueToken
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(names == (0..<7).map { "cm-\($0)" })
            let even = try await client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "parity in (even)"))
            #expect(even.items.count == 4)
            let byName = try await client.list(.configMaps, namespace: "default", options: ListOptions(fieldSelector: "metadata.name!=cm-0,metadata.name!=cm-1"))
            #expect(byName.items.count == 5)
        }
    }

    @Test func selectorWatchTurnsLabelChangesIntoAddedAndDeleted() async throws {
        try await withClient { _, client in
            let created = try await client.create(.configMaps, namespace: "default", object: configMap("a", "1", labels: ["team": "x"]))
            let stream = client.watch(
                .configMaps, namespace: "default",
                options: WatchOptions(labelSelector: "team=x", resourceVersion: created[path: "metadata", "resourceVersion"]?.stringValue))
            try await client.patch(.configMaps, namespace: "default", name: "a", patch: .merge(["metadata": ["labels": ["team": "y"]]]))
            try await client.patch(.configMaps, namespace: "default", name: "a", patch: .merge(["metadata": ["labels": ["team": "x"]]]))
            let seen = try await collect(stream, count: 2)
            #expect(seen.map(\.type) == [.deleted, .added])
        }
    }

    @Test func bookmarksCarryProgress() async throws {
        try await withClient { fixture, client in
            let start = try await client.list(.configMaps, namespace: "default").resourceVersion
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start, allowWatchBookmarks: true))
            // Changes elsewhere advance the global resourceVersion without events for this watch.
            let secret = try await client.create(.secrets, namespace: "default", object: ["metadata": ["name": "s"], "data": [:]])
            let target = UInt64(secret[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
            let progress = Task {
                while !Task.isCancelled {
                    fixture.sim.store.notifyWatchProgress()
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { progress.cancel() }
            for try await event in stream where event.type == .bookmark {
                let version = UInt64(event.object[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
                if version >= target { break }
            }
        }
    }

    @Test func injectedFailuresAreStatusErrors() async throws {
        try await withClient({ _ in }) { fixture, client in
            fixture.sim.faults.failRequests(share: 1, code: 500)
            var configuration = client.configuration
            configuration.maxRetries = 0
            let strict = try KubernetesClient(configuration: configuration)
            defer { strict.shutdown() }
            let error = await #expect(throws: KubernetesError.self) { try await strict.get(.namespaces, namespace: nil, name: "default") }
            #expect(error?.isServerError == true)
            fixture.sim.faults.reset()
            let namespace = try await strict.get(.namespaces, namespace: nil, name: "default")
            #expect(namespace[path: "metadata", "name"] == "default")
            #expect(fixture.sim.requestCounts()["GET namespaces", default: 0] >= 2)
        }
    }

    /// The chaos run's mix: shares of different errors at once, each counted by its code.
    @Test func aMixOfInjectedFailures() async throws {
        try await withClient({ _ in }) { fixture, client in
            fixture.sim.faults.failRequests([
                FaultInjector.RequestFailure(share: 0.5, code: 500), FaultInjector.RequestFailure(share: 0.5, code: 429, retryAfterSeconds: 1),
                FaultInjector.RequestFailure(share: 0.5, code: 503),
            ])
            var configuration = client.configuration
            configuration.maxRetries = 0
            let strict = try KubernetesClient(configuration: configuration)
            defer { strict.shutdown() }
            for _ in 0..<40 {
                await #expect(throws: KubernetesError.self) { try await strict.get(.namespaces, namespace: nil, name: "default") }
            }
            // The shares add up to 1 at most: the 503 one was cut to nothing.
            let injected = fixture.sim.faults.injectedFailures
            #expect(injected[500, default: 0] > 0 && injected[429, default: 0] > 0 && injected[503] == nil, "\(injected)")
            #expect(injected.values.reduce(0, +) == 40)
            fixture.sim.faults.reset()
            #expect(try await strict.get(.namespaces, namespace: nil, name: "default")[path: "metadata", "name"] == "default")
        }
    }
}

import KubeClient
import KubeModels
import Synchronization
import TestSupport
import Testing

@testable import ControllerRuntime

/// What the handlers saw, replayed into a shadow copy of the world.
final class HandlerLedger: Sendable {
    struct State {
        var shadow: [String: JSONValue] = [:]
        var versionsSeen: [String: [Int64]] = [:]
        var violations: [String] = []
        var events = 0
    }

    let state = Mutex(State())

    func handle(_ kind: InformerEventKind, _ old: JSONValue?, _ new: JSONValue?) {
        state.withLock { state in
            state.events += 1
            guard let object = new ?? old, let key = ObjectKey(object: object)?.description else {
                state.violations.append("event without a key")
                return
            }
            let rv = Int64(object[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? -1
            switch kind {
            case .added:
                if state.shadow[key] != nil { state.violations.append("add of existing \(key)") }
                state.shadow[key] = new
            case .updated:
                if state.shadow[key] != old { state.violations.append("update of \(key) with stale old") }
                state.shadow[key] = new
            case .deleted:
                if state.shadow[key] == nil { state.violations.append("delete of unknown \(key)") }
                state.shadow[key] = nil
            }
            if kind != .deleted {
                if let last = state.versionsSeen[key]?.last, last >= rv {
                    state.violations.append("\(key): version \(rv) after \(last) (applied twice or out of order)")
                }
                state.versionsSeen[key, default: []].append(rv)
            } else {
                state.versionsSeen[key, default: []].append(-rv)
            }
        }
    }
}

@Suite("Informer")
struct InformerTests {
    let pods = GroupVersionResource.configMaps

    func object(_ name: String, namespace: String = "ns", value: Int) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": ["v": .string(String(value))]]
    }

    func serverState(_ fake: FakeKubernetesAPI) -> [String: JSONValue] {
        fake.objects(pods)
    }

    @Test("lists in pages, syncs, and serves the cache by key, namespace and index")
    func listAndIndexes() async throws {
        let fake = FakeKubernetesAPI()
        for index in 0..<25 {
            var item = object("cm-\(index)", namespace: index % 2 == 0 ? "a" : "b", value: index)
            item["metadata"]?["labels"] = ["tier": .string(index % 3 == 0 ? "web" : "db")]
            item["metadata"]?["ownerReferences"] = [["uid": .string("owner-\(index % 5)"), "controller": true, "kind": "Thing", "name": "t"]]
            _ = try await fake.create(pods, namespace: item[path: "metadata", "namespace"]?.stringValue, object: item)
        }
        var options = InformerOptions()
        options.pageSize = 7
        let informer = Informer(api: fake, resource: pods, options: options)
        informer.addIndex(IndexFunctions.ownerUIDIndexName, IndexFunctions.ownerUID)
        informer.addIndex("tier", IndexFunctions.label("tier"))
        try await withBackground({ await informer.run() }) {
            await informer.waitForSync()
            #expect(informer.hasSynced)
            #expect(informer.count == 25)
            #expect(fake.requestCounts()["LIST configmaps"] == 4)
            #expect(informer.get(namespace: "a", name: "cm-4")?[path: "data", "v"] == "4")
            #expect(informer.list(namespace: "b").count == 12)
            #expect(informer.byIndex(IndexFunctions.ownerUIDIndexName, "owner-0").count == 5)
            #expect(informer.byIndex("tier", "web").count == 9)
            // Indexes follow updates and deletes.
            var moved = try #require(informer.get(namespace: "a", name: "cm-0"))
            moved["metadata"]?["labels"] = ["tier": "db"]
            _ = try await fake.update(pods, namespace: "a", object: moved)
            try await fake.delete(pods, namespace: "a", name: "cm-6")
            await waitUntil("index update") { informer.byIndex("tier", "web").count == 7 }
            #expect(informer.indexValues("tier", of: ObjectKey(namespace: "a", name: "cm-0")) == ["db"])
            #expect(informer.indexValues("tier", of: ObjectKey(namespace: "a", name: "cm-6")) == nil)
            #expect(informer.indexValues("no-such-index", of: ObjectKey(namespace: "a", name: "cm-0")) == nil)
            // An index added to a running cache covers what it holds already.
            informer.addIndex("value", { object in object[path: "data", "v"]?.stringValue.map { [$0] } ?? [] })
            #expect(informer.byIndex("value", "4").count == 1)
            #expect(informer.indexValues("value", of: ObjectKey(namespace: "b", name: "cm-5")) == ["5"])
            #expect(informer.byIndex(IndexFunctions.ownerUIDIndexName, "owner-1").count == 4)
        }
    }

    @Test("a page that fails after the first (an expired continue token) lists again from the start, and nothing is cached from the broken listing")
    func failedPageRelists() async throws {
        let fake = FakeKubernetesAPI()
        for index in 0..<25 { _ = try await fake.create(pods, namespace: "ns", object: object("cm-\(index)", value: index)) }
        fake.inject(.api(APIStatus(code: 410, reason: "Expired", message: "continue token too old")), on: "LIST", pods, after: 1)
        var options = InformerOptions()
        options.pageSize = 7
        options.backoff = Backoff(initial: .milliseconds(1), maximum: .milliseconds(10))
        let informer = Informer(api: fake, resource: pods, options: options)
        // Per add, the LISTs sent before it: a handler told of the broken listing's first page
        // would see fewer than all six.
        let listsBeforeAdds = Mutex<[Int]>([])
        informer.onEvent { kind, _, _ in
            if kind == .added { listsBeforeAdds.withLock { $0.append(fake.requestCounts()["LIST configmaps"] ?? 0) } }
        }
        await withBackground({ await informer.run() }) {
            await informer.waitForSync()
            #expect(informer.count == 25)
            #expect(listsBeforeAdds.withLock { $0 } == Array(repeating: 6, count: 25))
            // Page 1, the failed page 2 (page 3 cannot be asked for without its token), then 4 pages.
            #expect(fake.requestCounts()["LIST configmaps"] == 6)
        }
    }

    @Test("a late handler is replayed the cache as adds")
    func lateHandlerReplay() async throws {
        let fake = FakeKubernetesAPI()
        for index in 0..<3 { _ = try await fake.create(pods, namespace: "ns", object: object("cm-\(index)", value: index)) }
        let informer = Informer(api: fake, resource: pods)
        try await withBackground({ await informer.run() }) {
            await informer.waitForSync()
            let ledger = HandlerLedger()
            informer.onEvent(ledger.handle)
            #expect(ledger.state.withLock { $0.shadow.count } == 3)
            _ = try await fake.create(pods, namespace: "ns", object: object("cm-9", value: 9))
            await waitUntil("new object seen") { ledger.state.withLock { $0.shadow.count } == 4 }
        }
    }

    @Test("managedFields are dropped on list and watch, from the cache and from handlers; everything else reads back as served")
    func managedFieldsAreStripped() async throws {
        let fake = FakeKubernetesAPI()
        func withBookkeeping(_ name: String, value: Int) -> JSONValue {
            var item = object(name, value: value)
            item["metadata"]?["managedFields"] = [["manager": "kubectl", "operation": "Apply", "fieldsV1": ["f:data": ["f:v": [:]]]]]
            // Values a byte-level store must keep exactly: integers stay integers, doubles, unicode, escapes, null.
            item["extra"] = ["count": 3, "ratio": 0.25, "text": "ünïcode \"quoted\"\n", "none": nil, "list": [1, "two", [:], []]]
            return item
        }
        _ = try await fake.create(pods, namespace: "ns", object: withBookkeeping("listed", value: 1))
        let informer = Informer(api: fake, resource: pods)
        var keeping = InformerOptions()
        keeping.stripManagedFields = false
        let keepingInformer = Informer(api: fake, resource: pods, options: keeping)
        let ledger = HandlerLedger()
        informer.onEvent(ledger.handle)
        try await withBackground({
            async let first: Void = informer.run()
            async let second: Void = keepingInformer.run()
            _ = await (first, second)
        }) {
            await informer.waitForSync()
            await keepingInformer.waitForSync()
            _ = try await fake.create(pods, namespace: "ns", object: withBookkeeping("watched", value: 2))
            await waitUntil("watched object cached") { informer.count == 2 && keepingInformer.count == 2 }
            for name in ["listed", "watched"] {
                let served = try #require(fake.objects(pods)["ns/\(name)"])
                var expected = served
                expected["metadata"]?["managedFields"] = nil
                #expect(informer.get(namespace: "ns", name: name) == expected)
                #expect(ledger.state.withLock { $0.shadow["ns/\(name)"] } == expected)
                #expect(keepingInformer.get(namespace: "ns", name: name) == served)
            }
            #expect(Set(informer.keys) == [ObjectKey(namespace: "ns", name: "listed"), ObjectKey(namespace: "ns", name: "watched")])
        }
    }

    @Test("1,000 random changes with watch drops and a compaction: cache equals server, no event lost or doubled")
    func randomChurn() async throws {
        let fake = FakeKubernetesAPI()
        var options = InformerOptions()
        options.pageSize = 50
        options.backoff = Backoff(initial: .milliseconds(5), maximum: .milliseconds(50))
        let metrics = RuntimeMetrics()
        let informer = Informer(api: fake, resource: pods, options: options, metrics: metrics)
        let ledger = HandlerLedger()
        informer.onEvent(ledger.handle)
        var generator = SystemRandomNumberGenerator()
        var history: [String: [Int64]] = [:]

        func randomChange() async throws {
            let name = "cm-\(Int.random(in: 0..<120, using: &generator))"
            let namespace = ["a", "b", "c"].randomElement(using: &generator) ?? "a"
            let key = "\(namespace)/\(name)"
            if let existing = fake.objects(pods)[key] {
                if Bool.random(using: &generator) {
                    var changed = existing
                    changed["data"] = ["v": .string(String(Int.random(in: 0..<1_000_000, using: &generator)))]
                    let written = try await fake.update(pods, namespace: namespace, object: changed)
                    history[key, default: []].append(Int64(written[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0)
                } else {
                    try await fake.delete(pods, namespace: namespace, name: name)
                    history[key, default: []].append(-(Int64(fake.currentResourceVersion) ?? 0))
                }
            } else {
                let written = try await fake.create(pods, namespace: namespace, object: object(name, namespace: namespace, value: 0))
                history[key, default: []].append(Int64(written[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0)
            }
        }

        try await withBackground({ await informer.run() }) {
            await informer.waitForSync()
            // Phase 1: 600 changes with watch drops and bookmarks; every change must reach the handlers.
            for step in 0..<600 {
                try await randomChange()
                if step % 75 == 74 { fake.dropWatches() }
                if step % 40 == 0 { fake.sendBookmarks() }
                if step % 10 == 0 { await Task.yield() }
            }
            await waitUntil("phase 1 converged") { informer.lastSyncResourceVersion == fake.currentResourceVersion }
            let phase1 = ledger.state.withLock { $0 }
            #expect(phase1.violations.isEmpty, "\(phase1.violations.prefix(5))")
            #expect(phase1.versionsSeen == history, "handlers saw exactly the server's history")
            #expect(phase1.shadow == serverState(fake))

            // Phase 2: the watch is down while 150 changes happen and history is compacted → 410,
            // relist, and a diff that must still leave handlers consistent.
            fake.holdNewWatches()
            fake.dropWatches()
            for _ in 0..<150 { try await randomChange() }
            fake.compact()
            fake.releaseWatches()
            await waitUntil("relisted after 410") { metrics.render().contains("informer_relists_total{resource=\"configmaps\"} 1") }
            for step in 0..<250 {
                try await randomChange()
                if step % 60 == 59 { fake.dropWatches() }
            }
            await waitUntil("phase 2 converged") { informer.lastSyncResourceVersion == fake.currentResourceVersion }
        }
        let final = ledger.state.withLock { $0 }
        #expect(final.violations.isEmpty, "\(final.violations.prefix(5))")
        #expect(final.shadow == serverState(fake))
        #expect(Dictionary(uniqueKeysWithValues: informer.list().compactMap { o in ObjectKey(object: o).map { ($0.description, o) } }) == serverState(fake))
        // Versions seen per key are a subsequence of the server's history ending in its final state.
        for (key, seen) in final.versionsSeen {
            let all = history[key] ?? []
            var cursor = all.filter { $0 > 0 }.makeIterator()
            // Deletes found by a relist carry the last cached version, not the server's delete.
            let isSubsequence = seen.filter { $0 > 0 }.allSatisfy { version in
                while let next = cursor.next() { if next == version { return true } }
                return false
            }
            #expect(isSubsequence, "\(key): \(seen) not within \(all)")
        }
        let rendered = metrics.render()
        #expect(rendered.contains("informer_watch_restarts_total{resource=\"configmaps\"}"))
    }

    @Test("list failures back off and recover")
    func listFailureRecovery() async throws {
        let fake = FakeKubernetesAPI()
        _ = try await fake.create(pods, namespace: "ns", object: object("one", value: 1))
        fake.setFailing(true)
        var options = InformerOptions()
        options.backoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        let informer = Informer(api: fake, resource: pods, options: options)
        await withBackground({ await informer.run() }) {
            await waitUntil("a few failed lists") { (fake.requestCounts()["LIST configmaps"] ?? 0) >= 3 }
            #expect(!informer.hasSynced)
            fake.setFailing(false)
            await informer.waitForSync()
            #expect(informer.count == 1)
        }
    }
}

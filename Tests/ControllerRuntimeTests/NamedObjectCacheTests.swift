import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import ControllerRuntime

/// The cache of objects owners name: what it lists and watches, what it keeps, whom it wakes, and
/// what it says when the cluster does not serve the resource.
@Suite("Named object cache")
struct NamedObjectCacheTests {
    static let owner = ObjectKey(namespace: "shop", name: "web")
    static let other = ObjectKey(namespace: "shop", name: "api")

    /// A cache over `fake` with a quick backoff, and the owners it woke, in order.
    static func cache(_ fake: FakeKubernetesAPI, _ resource: GroupVersionResource = .services) -> (NamedObjectCache, Locked<[ObjectKey]>) {
        var options = InformerOptions()
        options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(100))
        let cache = NamedObjectCache(api: fake, resource: resource, options: options)
        let woken = Locked<[ObjectKey]>([])
        cache.onWake { keys in woken.withLock { $0.append(contentsOf: keys) } }
        return (cache, woken)
    }

    static func service(_ name: String, namespace: String = "shop") -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": ["selector": ["app": .string(name)]]]
    }

    static func services(_ fake: FakeKubernetesAPI, _ names: String..., namespace: String = "shop") async throws {
        for name in names { _ = try await fake.create(.services, namespace: namespace, object: service(name, namespace: namespace)) }
    }

    static func requests(_ fake: FakeKubernetesAPI, _ verb: String, _ resource: String = "services") -> [FakeKubernetesAPI.RecordedRequest] {
        fake.requestLog().filter { $0.verb == verb && $0.resource == resource }
    }

    static func names(_ objects: [JSONValue]) -> Set<String> { Set(objects.map(\.meta.name)) }

    @Test("keeps only the named objects of one namespace, and lists no namespace nobody names")
    func onlyNamedObjects() async throws {
        let fake = FakeKubernetesAPI()
        try await Self.services(fake, "web", "web-preview", "db", "cache")
        try await Self.services(fake, "web", namespace: "elsewhere")
        let (cache, _) = Self.cache(fake)
        try await withBackground({ await cache.run() }) {
            #expect(Self.requests(fake, "LIST").isEmpty, "nothing named, nothing listed")
            cache.want(owner: Self.owner, namespace: "shop", names: ["web", "web-preview"])
            await waitUntil("the named Services listed") { cache.lookup(namespace: "shop", name: "web").object != nil }
            #expect(cache.lookup(namespace: "shop", name: "web-preview").object?.meta.name == "web-preview")
            #expect(Self.names(cache.cachedObjects(namespace: "shop")) == ["web", "web-preview"])
            #expect(cache.watchedNamespaces == ["shop"])
            let lists = Self.requests(fake, "LIST")
            #expect(lists.count == 1)
            #expect(lists.allSatisfy { $0.namespace == "shop" }, "listed beyond the named namespace: \(lists)")
            await waitUntil("watching") { !Self.requests(fake, "WATCH").isEmpty }
            #expect(Self.requests(fake, "WATCH").allSatisfy { $0.namespace == "shop" })

            // Changes to objects nobody named are not kept either.
            try await Self.services(fake, "queue")
            _ = try await fake.patch(.services, namespace: "shop", name: "web", patch: .merge(["metadata": ["labels": ["seen": "yes"]]]))
            await waitUntil("the named change") { cache.lookup(namespace: "shop", name: "web").object?.meta.labels["seen"] == "yes" }
            #expect(Self.names(cache.cachedObjects(namespace: "shop")) == ["web", "web-preview"])
        }
    }

    @Test("one name is selected on the server with a metadata.name field selector")
    func singleNameFieldSelector() async throws {
        let fake = FakeKubernetesAPI()
        try await Self.services(fake, "web", "db")
        let (cache, _) = Self.cache(fake)
        await withBackground({ await cache.run() }) {
            cache.want(owner: Self.owner, namespace: "shop", names: ["web"])
            await waitUntil("listed") { cache.lookup(namespace: "shop", name: "web") != .notSynced }
            #expect(Self.requests(fake, "LIST").map(\.fieldSelector) == ["metadata.name=web"])
            // The fake ignores selectors: the client-side filter still keeps only the name.
            #expect(Self.names(cache.cachedObjects(namespace: "shop")) == ["web"])
        }
    }

    @Test("a second owner naming another object relists the namespace; the first is served throughout")
    func growthRelists() async throws {
        let fake = FakeKubernetesAPI()
        try await Self.services(fake, "web", "api", "db")
        let (cache, woken) = Self.cache(fake)
        await withBackground({ await cache.run() }) {
            cache.want(owner: Self.owner, namespace: "shop", names: ["web"])
            await waitUntil("first listing") { cache.lookup(namespace: "shop", name: "web").object != nil }
            await waitUntil("first watch") { fake.openWatches == 1 }

            cache.want(owner: Self.other, namespace: "shop", names: ["api"])
            // No gap for the first owner while the second's listing is under way.
            #expect(cache.lookup(namespace: "shop", name: "web").object != nil)
            await waitUntil("the second owner's Service") { cache.lookup(namespace: "shop", name: "api").object != nil }
            #expect(cache.lookup(namespace: "shop", name: "web").object != nil)
            #expect(Self.names(cache.cachedObjects(namespace: "shop")) == ["web", "api"])
            #expect(Self.requests(fake, "LIST").count == 2, "one relist for the wider set")
            #expect(Self.requests(fake, "LIST").last?.fieldSelector == nil, "two names cannot be one field selector")
            await waitUntil("the replaced watch stopped") { fake.openWatches == 1 }
            // The first owner's object did not change: only the second owner is woken by the relist.
            #expect(woken.withLock { $0 } == [Self.owner, Self.other])

            // The same wants again cost nothing.
            cache.want(owner: Self.other, namespace: "shop", names: ["api"])
            #expect(Self.requests(fake, "LIST").count == 2)
        }
    }

    @Test("owners are woken when their namespace is first listed, when a missing object appears, and when it changes")
    func wakesOwners() async throws {
        let fake = FakeKubernetesAPI()
        try await Self.services(fake, "db")
        let (cache, woken) = Self.cache(fake)
        try await withBackground({ await cache.run() }) {
            cache.want(owner: Self.owner, namespace: "shop", names: ["web", "web-preview"])
            #expect(cache.lookup(namespace: "shop", name: "web") == .notSynced)
            await waitUntil("woken by the first listing") { woken.withLock { $0 } == [Self.owner] }
            #expect(cache.lookup(namespace: "shop", name: "web") == .absent)

            try await Self.services(fake, "web")
            await waitUntil("woken when it appears") { woken.withLock { $0.count } == 2 }
            #expect(cache.lookup(namespace: "shop", name: "web").object?.meta.name == "web")

            // An unnamed change wakes nobody: the named change after it is the only wake-up.
            _ = try await fake.patch(.services, namespace: "shop", name: "db", patch: .merge(["metadata": ["labels": ["x": "1"]]]))
            _ = try await fake.patch(.services, namespace: "shop", name: "web", patch: .merge(["metadata": ["labels": ["x": "1"]]]))
            await waitUntil("woken by the change") { woken.withLock { $0.count } >= 3 }
            try await fake.delete(.services, namespace: "shop", name: "web", options: DeleteOptions())
            await waitUntil("woken by the delete") { woken.withLock { $0.count } >= 4 }
            #expect(woken.withLock { $0 } == Array(repeating: Self.owner, count: 4))
            #expect(cache.lookup(namespace: "shop", name: "web") == .absent)
        }
    }

    @Test("the last owner's release stops the namespace's watch; no names is a release")
    func releaseStopsTheWatch() async throws {
        let fake = FakeKubernetesAPI()
        try await Self.services(fake, "web", "api")
        let (cache, _) = Self.cache(fake)
        await withBackground({ await cache.run() }) {
            cache.want(owner: Self.owner, namespace: "shop", names: ["web"])
            cache.want(owner: Self.other, namespace: "shop", names: ["api"])
            await waitUntil("both listed") { cache.lookup(namespace: "shop", name: "api").object != nil }
            cache.release(owner: Self.owner)
            #expect(cache.watchedNamespaces == ["shop"])
            #expect(cache.lookup(namespace: "shop", name: "api").object != nil)
            cache.want(owner: Self.other, namespace: "shop", names: [])
            #expect(cache.watchedNamespaces.isEmpty)
            #expect(cache.lookup(namespace: "shop", name: "api") == .notSynced)
            await waitUntil("no watch left") { fake.openWatches == 0 }
        }
    }

    @Test("a list answering 404 reports the API unavailable and wakes the owner; serving it later heals without a restart")
    func apiUnavailableThenHealed() async throws {
        let fake = FakeKubernetesAPI()
        fake.setServed(.httpRoutes, false)
        let (cache, woken) = Self.cache(fake, .httpRoutes)
        try await withBackground({ await cache.run() }) {
            cache.want(owner: Self.owner, namespace: "shop", names: ["web"])
            await waitUntil("reported unavailable") {
                if case .apiUnavailable = cache.lookup(namespace: "shop", name: "web") { return true }
                return false
            }
            guard case .apiUnavailable(let message) = cache.lookup(namespace: "shop", name: "web") else { return }
            #expect(message.contains("httproutes.gateway.networking.k8s.io/v1"), "\(message)")
            #expect(message.contains("404"), "\(message)")
            await waitUntil("woken to report it") { woken.withLock { $0 } == [Self.owner] }
            // Retried with backoff; the owner is not woken again while the answer stays the same.
            await waitUntil("retried") { Self.requests(fake, "LIST", "httproutes").count >= 3 }
            #expect(woken.withLock { $0.count } == 1)
            // A second owner in the namespace learns it at once, while the first listing still fails.
            cache.want(owner: Self.other, namespace: "shop", names: ["api"])
            #expect(cache.lookup(namespace: "shop", name: "api") == .apiUnavailable(message))

            // The CRDs are installed and the route created: the retrying list succeeds.
            fake.setServed(.httpRoutes, true)
            let route: JSONValue = [
                "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": ["name": "web", "namespace": "shop"], "spec": ["rules": [["backendRefs": [["name": "web", "weight": 100]]]]],
            ]
            _ = try await fake.create(.httpRoutes, namespace: "shop", object: route)
            await waitUntil("healed") { cache.lookup(namespace: "shop", name: "web").object != nil }
            await waitUntil("the second owner's name listed") { cache.lookup(namespace: "shop", name: "api") == .absent }
            await waitUntil("both woken by the listings") { Set(woken.withLock { $0 }.dropFirst()) == [Self.owner, Self.other] }
        }
    }

    @Test("the factory runs named caches but readiness never waits for them")
    func factoryReadinessIgnoresNamedCaches() async throws {
        let fake = FakeKubernetesAPI()
        fake.setServed(.httpRoutes, false)
        var options = InformerOptions()
        options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(100))
        let factory = InformerFactory(api: fake, options: options)
        let configMaps = factory.informer(for: .configMaps)
        let routes = factory.namedObjectCache(for: .httpRoutes)
        routes.want(owner: Self.owner, namespace: "shop", names: ["web"])
        await withBackground({ await factory.run() }) {
            await factory.waitForSync()
            #expect(factory.hasSynced)
            #expect(configMaps.hasSynced)
            await waitUntil("the route's API reported unavailable") {
                if case .apiUnavailable = routes.lookup(namespace: "shop", name: "web") { return true }
                return false
            }
            #expect(factory.hasSynced, "an unserved named resource made the factory unready")
        }
    }
}

import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import ControllerRuntime

/// The named object cache over the real curl client against kubesim: a real server's field
/// selectors, and its 404 for a resource nobody installed until its CRD is created.
@Suite("Named object cache on kubesim")
struct NamedObjectCacheKubeSimTests {
    static let owner = ObjectKey(namespace: "default", name: "web")
    static let widgets = GroupVersionResource(group: "example.dev", version: "v1", resource: "widgets", kind: "Widget", namespaced: true)

    static var options: InformerOptions {
        var options = InformerOptions()
        options.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(200))
        return options
    }

    static func service(_ name: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["selector": ["app": .string(name)], "ports": [["port": 80]]],
        ]
    }

    static let widgetCRD: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.example.dev"],
        "spec": [
            "group": "example.dev", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget"],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]],
        ],
    ]

    @Test("Services: one name through a field selector, a second name through a relist, nothing else cached")
    func servicesOnKubeSim() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let api = try KubeSimIntegrationTests.client(fixture)
            for name in ["web", "db", "cache"] { _ = try await api.create(.services, namespace: "default", object: Self.service(name)) }
            let cache = NamedObjectCache(api: api, resource: .services, options: Self.options)
            try await withBackground({ await cache.run() }) {
                cache.want(owner: Self.owner, namespace: "default", names: ["web"])
                await waitUntil("web listed") { cache.lookup(namespace: "default", name: "web").object != nil }
                #expect(cache.cachedObjects(namespace: "default").map(\.meta.name) == ["web"])

                cache.want(owner: ObjectKey(namespace: "default", name: "api"), namespace: "default", names: ["api"])
                await waitUntil("api listed") { cache.lookup(namespace: "default", name: "api") == .absent }
                _ = try await api.create(.services, namespace: "default", object: Self.service("api"))
                await waitUntil("api appears") { cache.lookup(namespace: "default", name: "api").object != nil }
                #expect(Set(cache.cachedObjects(namespace: "default").map(\.meta.name)) == ["web", "api"])
            }
        }
    }

    @Test("a resource the server does not serve is apiUnavailable until its CRD is installed")
    func unservedUntilInstalled() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let api = try KubeSimIntegrationTests.client(fixture)
            let cache = NamedObjectCache(api: api, resource: Self.widgets, options: Self.options)
            try await withBackground({ await cache.run() }) {
                cache.want(owner: Self.owner, namespace: "default", names: ["w1"])
                await waitUntil("reported unavailable") {
                    if case .apiUnavailable = cache.lookup(namespace: "default", name: "w1") { return true }
                    return false
                }
                _ = try await api.create(.customResourceDefinitions, namespace: nil, object: Self.widgetCRD)
                let widget: JSONValue = ["apiVersion": "example.dev/v1", "kind": "Widget", "metadata": ["name": "w1", "namespace": "default"]]
                try await eventually("the widget created once the CRD is served") {
                    _ = try await api.create(Self.widgets, namespace: "default", object: widget)
                    return true
                }
                await waitUntil("healed") { cache.lookup(namespace: "default", name: "w1").object != nil }
            }
        }
    }
}

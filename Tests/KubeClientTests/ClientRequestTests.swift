import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

@Suite struct ClientRequestTests {
    @Test func crudOverPlainHTTP() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let created = try await client.create(.configMaps, namespace: nil, object: configMap("a", data: ["k": "v"]))
            #expect(created[path: "metadata", "resourceVersion"]?.stringValue?.isEmpty == false)
            let fetched = try await client.get(.configMaps, namespace: "default", name: "a")
            #expect(fetched[path: "data", "k"] == "v")
            let list = try await client.list(.configMaps, namespace: "default")
            #expect(list.items.contains { $0[path: "metadata", "name"] == "a" })
            #expect(list.items.allSatisfy { $0["kind"] == "ConfigMap" && $0["apiVersion"] == "v1" })
            #expect(!list.resourceVersion.isEmpty)

            var changed = fetched
            changed["data"] = ["k": "w"]
            let updated = try await client.update(.configMaps, namespace: nil, object: changed)
            #expect(updated[path: "data", "k"] == "w")

            let patched = try await client.patch(.configMaps, namespace: nil, name: "a", patch: .merge(["data": ["extra": "1"]]))
            #expect(patched[path: "data", "extra"] == "1")
            #expect(patched[path: "data", "k"] == "w")

            try await client.delete(.configMaps, namespace: nil, name: "a")
            await #expect {
                try await client.get(.configMaps, namespace: nil, name: "a")
            } throws: { error in
                (error as? KubernetesError)?.isNotFound == true
            }
        }
    }

    @Test func staleResourceVersionIsAConflict() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let created = try await client.create(.configMaps, namespace: nil, object: configMap("c"))
            var first = created
            first["data"] = ["v": "1"]
            _ = try await client.update(.configMaps, namespace: nil, object: first)
            var stale = created
            stale["data"] = ["v": "2"]
            await #expect {
                try await client.update(.configMaps, namespace: nil, object: stale)
            } throws: { error in
                guard let error = error as? KubernetesError else { return false }
                return error.isConflict && error.status?.code == 409 && error.status?.reason == "Conflict"
            }
            await #expect {
                try await client.create(.configMaps, namespace: nil, object: configMap("c"))
            } throws: { error in
                (error as? KubernetesError)?.isAlreadyExists == true
            }
        }
    }
}

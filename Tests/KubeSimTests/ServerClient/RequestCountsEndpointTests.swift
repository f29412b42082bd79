import Foundation
import KubeClient
import KubeModels
import KubeSim
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /kubesim/requests`: the per-client request counts another process (the fleet
/// benchmark) reads, the same ones `KubeSim.requestsByClient()` gives in-process.
@Suite struct RequestCountsEndpointTests {
    func fetch(_ sim: KubeSim, method: String = "GET") async throws -> (status: Int, body: JSONValue) {
        let url = try #require(URL(string: sim.baseURL + "/kubesim/requests"))
        var request = URLRequest(url: url)
        request.httpMethod = method
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try JSONValue(parsing: Array(data)))
    }

    func count(
        in body: JSONValue, userAgent: String, verb: String, resource: String, namespace: String?, field: String = "count"
    ) -> Int64? {
        body.arrayValue?.first { entry in
            entry["userAgent"]?.stringValue == userAgent && entry["verb"]?.stringValue == verb
                && entry["resource"]?.stringValue == resource && entry["namespace"]?.stringValue == namespace
        }?[field]?.intValue
    }

    @Test func countsEachClientsRequestsByVerbResourceAndNamespace() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            var configuration = try ClientConfiguration.load(kubeconfigPath: fixture.kubeconfigPath)
            configuration.userAgent = "counting-test/1"
            let client = try KubernetesClient(configuration: configuration)
            defer { client.shutdown() }
            let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "namespace": "default"]]
            try await client.create(.configMaps, namespace: "default", object: configMap)
            _ = try await client.get(.configMaps, namespace: "default", name: "a")
            _ = try await client.get(.configMaps, namespace: "default", name: "a")
            _ = try await client.list(.configMaps, namespace: nil)
            try await client.patch(.configMaps, namespace: "default", name: "a", patch: .merge(["data": ["k": "v"]]))
            // Two conflicts: a second create of the same name, and a patch against a stale resourceVersion.
            await #expect(throws: KubernetesError.self) { try await client.create(.configMaps, namespace: "default", object: configMap) }
            await #expect(throws: KubernetesError.self) {
                try await client.patch(
                    .configMaps, namespace: "default", name: "a", patch: .merge(["metadata": ["resourceVersion": "1"], "data": ["k": "w"]]))
            }

            let (status, body) = try await fetch(fixture.sim)
            #expect(status == 200)
            let agent = "counting-test/1"
            #expect(count(in: body, userAgent: agent, verb: "create", resource: "configmaps", namespace: "default") == 2)
            #expect(count(in: body, userAgent: agent, verb: "get", resource: "configmaps", namespace: "default") == 2)
            #expect(count(in: body, userAgent: agent, verb: "list", resource: "configmaps", namespace: nil) == 1)
            #expect(count(in: body, userAgent: agent, verb: "patch", resource: "configmaps", namespace: "default") == 2)
            for verb in ["create", "patch"] {
                #expect(count(in: body, userAgent: agent, verb: verb, resource: "configmaps", namespace: "default", field: "conflicts") == 1, "\(verb)")
            }
            #expect(count(in: body, userAgent: agent, verb: "get", resource: "configmaps", namespace: "default", field: "conflicts") == 0)
            let entry = try #require(body.arrayValue?.first { $0["userAgent"]?.stringValue == agent })
            #expect(entry["group"]?.stringValue == "")

            // The same as in-process, and reading the counts is not itself counted.
            let again = try await fetch(fixture.sim).body
            #expect(again == body)
            let inProcess = fixture.sim.requestsByClient().filter { $0.key.userAgent == agent }.values.reduce(0, +)
            #expect(inProcess == 7)
        }
    }

    @Test func onlyReads() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let status = try await fetch(fixture.sim, method: "POST").status
            #expect(status == 405)
        }
    }
}

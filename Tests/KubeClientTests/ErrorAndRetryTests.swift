import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

@Suite struct ErrorAndRetryTests {
    @Test func tooManyRequestsHonoursRetryAfterThenSurfaces() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture) { $0.maxRetries = 1 }
            defer { client.shutdown() }
            fixture.sim.faults.failRequests(share: 1, code: 429, retryAfter: 1)
            let started = ContinuousClock.now
            await #expect {
                try await client.get(.configMaps, namespace: "default", name: "x")
            } throws: { error in
                guard let error = error as? KubernetesError else { return false }
                return error.isTooManyRequests && error.status?.details?.retryAfterSeconds == 1
            }
            // One retry after the server's Retry-After of one second.
            #expect(ContinuousClock.now - started >= .milliseconds(950))
            #expect(fixture.sim.requestCounts()["GET configmaps"] == 2)
        }
    }

    @Test func aRetriedRequestSucceedsOnceTheServerRecovers() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            _ = try await client.create(.configMaps, namespace: nil, object: configMap("r"))
            fixture.sim.faults.failRequests(share: 1, code: 429, retryAfter: 1)
            let pending = Task { try await client.get(.configMaps, namespace: "default", name: "r") }
            try await eventually("the first attempt was refused") { (fixture.sim.requestCounts()["GET configmaps"] ?? 0) >= 1 }
            fixture.sim.faults.reset()
            let value = try await pending.value
            #expect(value[path: "metadata", "name"] == "r")
        }
    }

    @Test func serverErrorsAreRetriedForGetsButNotForWrites() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture) { $0.maxRetries = 2 }
            defer { client.shutdown() }
            fixture.sim.faults.failRequests(share: 1, code: 500)
            await #expect {
                try await client.create(.configMaps, namespace: nil, object: configMap("w"))
            } throws: { error in
                (error as? KubernetesError)?.isServerError == true
            }
            #expect(fixture.sim.requestCounts()["POST configmaps"] == 1)
            await #expect(throws: KubernetesError.self) { try await client.list(.configMaps, namespace: nil) }
            #expect(fixture.sim.requestCounts()["LIST configmaps"] == 3)
        }
    }

    @Test func expiredResourceVersionsAreGone() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let created = try await client.create(.configMaps, namespace: nil, object: configMap("g"))
            let version = try #require(created[path: "metadata", "resourceVersion"]?.stringValue)
            _ = try await client.patch(.configMaps, namespace: nil, name: "g", patch: .merge(["data": ["a": "1"]]))
            fixture.sim.faults.compactEventWindow()
            let stream = client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: version))
            let event = try await firstElement(of: stream) { _ in true }
            #expect(event.type == .error)
            #expect(event.object["code"] == 410)
            let error = KubernetesError.api(try event.object.decode(APIStatus.self))
            #expect(error.isGone)
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        var configuration = ClientConfiguration(server: "http://127.0.0.1:1")
        configuration.maxRetries = 1
        let client = try KubernetesClient(configuration: configuration)
        defer { client.shutdown() }
        await #expect {
            try await client.get(.namespaces, namespace: nil, name: "default")
        } throws: { error in
            (error as? KubernetesError)?.isTransport == true
        }
    }
}

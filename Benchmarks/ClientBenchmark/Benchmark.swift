import Foundation
import KubeClient
import KubeModels
import KubeSim

/// Lists and watches of 10,000 pods over loopback against an in-process kubesim, printing
/// measured requests per second and JSON bytes decoded per second. The client's rate limiter is
/// switched off so the transport, not the token bucket, is measured.
@main
struct ClientBenchmark {
    static let podCount = Int(ProcessInfo.processInfo.environment["BENCH_PODS"] ?? "") ?? 10_000

    static func main() async throws {
        let tls = !CommandLine.arguments.contains("--plain")
        var options = KubeSimOptions()
        options.simulateCluster = false
        options.tls = tls
        options.eventWindow = podCount * 3
        let sim = try await KubeSim.start(options)
        var configuration = try ClientConfiguration(kubeconfig: KubeconfigLoader.parse(sim.kubeconfig(), file: "kubesim"))
        configuration.qps = 0
        configuration.requestTimeout = .seconds(300)
        let client = try KubernetesClient(configuration: configuration)
        print("kubesim \(sim.baseURL) (\(tls ? "TLS, HTTP/2" : "plain HTTP/1.1")), \(podCount) pods")

        for index in 0..<podCount {
            _ = try sim.store.create(.pods, namespace: "default", object: pod(index))
        }

        try await measure("list all pods (one request)", client, repeats: 5) {
            let list = try await client.list(.pods, namespace: "default")
            precondition(list.items.count == podCount, "expected \(podCount) pods, got \(list.items.count)")
        }
        try await measure("list all pods (pages of 500)", client, repeats: 3) {
            let list = try await client.listAll(.pods, namespace: "default", pageSize: 500)
            precondition(list.items.count == podCount)
        }
        try await measure("get single pods (64 concurrent)", client, repeats: 1) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<64 {
                    group.addTask {
                        for index in stride(from: worker, to: podCount, by: 64) {
                            _ = try await client.get(.pods, namespace: "default", name: "bench-\(index)")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await measure("watch: initial ADDED events", client, repeats: 3, events: podCount) {
            var seen = 0
            for try await event in client.watch(.pods, namespace: "default", options: WatchOptions()) where event.type == .added {
                seen += 1
                if seen == podCount { break }
            }
        }
        let list = try await client.list(.pods, namespace: "default")
        try await measure("watch: \(podCount) modifications", client, repeats: 1, events: podCount) {
            let stream = client.watch(.pods, namespace: "default", options: WatchOptions(resourceVersion: list.resourceVersion))
            let writer = Task.detached {
                for index in 0..<podCount {
                    _ = try sim.store.mutate(.pods, namespace: "default", name: "bench-\(index)", subresource: "status") { old throws(StatusError) in
                        var changed = old
                        changed["status"] = ["phase": "Running", "podIP": .string("10.0.\(index / 256).\(index % 256)")]
                        return changed
                    }
                }
            }
            var seen = 0
            for try await event in stream where event.type == .modified {
                seen += 1
                if seen == podCount { break }
            }
            try await writer.value
        }
        print("connections accepted by kubesim: \(sim.acceptedConnections)")
        let statistics = client.statistics
        print("watch pauses (consumer behind): \(statistics.watchPauses), most bytes a watch buffered: \(statistics.peakWatchBufferBytes)")
        client.shutdown()
        await sim.shutdown()
    }

    static func measure(
        _ name: String, _ client: KubernetesClient, repeats: Int, events: Int? = nil, _ body: @Sendable () async throws -> Void
    ) async throws {
        let before = client.statistics
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<repeats { try await body() }
        let elapsed = clock.now - started
        let after = client.statistics
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let requests = Double(after.requestsSent - before.requestsSent)
        let bytes = Double(after.bytesDecoded - before.bytesDecoded)
        var line = name.padding(toLength: 38, withPad: " ", startingAt: 0)
        line += String(format: " %8.3f s  %9.1f requests/s  %8.1f MB/s decoded", seconds, requests / seconds, bytes / seconds / 1_000_000)
        if let events { line += String(format: "  %9.0f events/s", Double(events * repeats) / seconds) }
        print(line)
    }

    static func pod(_ index: Int) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string("bench-\(index)"), "namespace": "default",
                "labels": ["app": "bench", "pod-template-hash": "5d8f7c9b6", "index": .string(String(index))],
                "annotations": ["bench.apprelease.dev/note": "a pod for the client benchmark"],
            ],
            "spec": [
                "containers": [[
                    "name": "web", "image": "registry.example/web:1.2.3",
                    "ports": [["containerPort": 8080, "protocol": "TCP"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                    "env": [["name": "MODE", "value": "benchmark"], ["name": "INDEX", "value": .string(String(index))]],
                ]],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            ],
            "status": ["phase": "Pending"],
        ]
    }
}

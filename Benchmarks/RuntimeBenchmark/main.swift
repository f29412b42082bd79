// Idle cost of the controller runtime: with N watched objects synced and reconciled, count every
// request the runtime sends to kubesim over a window. Only lease renewals should appear.
//
//   swift run -c release RuntimeBenchmark [--seconds 60] [--objects 1000]
import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization

struct Arguments {
    var seconds = 60
    var objects = 1000

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next(), let number = Int(value), number > 0 else {
                throw ConfigurationError("\(flag) needs a positive whole number")
            }
            switch flag {
            case "--seconds": seconds = number
            case "--objects": objects = number
            default: throw ConfigurationError("unknown flag \(flag) (known: --seconds N, --objects N)")
            }
        }
    }
}

final class CountingReconciler: Reconciler {
    let count = Mutex(0)
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        count.withLock { $0 += 1 }
        return .done
    }
}

func client(_ sim: KubeSim, qps: Double) throws -> KubernetesClient {
    var configuration = try ClientConfiguration(kubeconfig: try KubeconfigLoader.parse(sim.kubeconfig(), file: "kubesim"))
    configuration.qps = qps
    configuration.burst = Int(qps)
    return try KubernetesClient(configuration: configuration)
}

func waitFor(_ what: String, timeout: Duration = .seconds(120), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ConfigurationError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

func run() async throws {
    let arguments = try Arguments(CommandLine.arguments)
    var options = KubeSimOptions()
    options.simulateCluster = false
    let sim = try await KubeSim.start(options)
    defer { Task { await sim.shutdown() } }

    let seeder = try client(sim, qps: 5000)
    for index in 0..<arguments.objects {
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string("idle-\(index)"), "namespace": "default"], "data": ["index": .string(String(index))],
        ]
        _ = try await seeder.create(.configMaps, namespace: "default", object: object)
    }

    let manager = ControllerManager(
        api: try client(sim, qps: 50),
        options: ManagerOptions(
            leaderElection: LeaderElectionConfig(leaseNamespace: "kube-system", leaseName: "idle-benchmark", identity: "bench"),
            metricsAddress: ListenAddress(host: "127.0.0.1", port: 0), healthProbeAddress: nil))
    let reconciler = CountingReconciler()
    manager.addController(name: "configmaps", reconciler: reconciler, workers: 4)
        .watches(manager.informers.informer(for: .configMaps))
    let running = Task { try await manager.run() }

    try await waitFor("leadership and a synced cache") { manager.isLeader && manager.isReady }
    try await waitFor("every object reconciled") {
        reconciler.count.withLock { $0 } >= arguments.objects && manager.controllers.allSatisfy { $0.queue.count == 0 && $0.queue.processingCount == 0 }
    }

    let before = sim.requestCounts()
    let reconcilesBefore = reconciler.count.withLock { $0 }
    let start = ContinuousClock.now
    try await Task.sleep(for: .seconds(arguments.seconds))
    let elapsed = (ContinuousClock.now - start)
    let after = sim.requestCounts()
    let reconcilesDuring = reconciler.count.withLock { $0 } - reconcilesBefore
    manager.stop()
    try await running.value

    var delta: [String: Int] = [:]
    for (key, value) in after {
        let difference = value - (before[key] ?? 0)
        if difference > 0 { delta[key] = difference }
    }
    let total = delta.values.reduce(0, +)
    let leaseRequests = delta.filter { $0.key.hasSuffix(" leases") }.values.reduce(0, +)
    let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("runtime idle benchmark: \(arguments.objects) ConfigMaps watched and reconciled, window \(String(format: "%.1f", elapsedSeconds)) s")
    for (key, value) in delta.sorted(by: { $0.key < $1.key }) {
        print("  \(key): \(value)")
    }
    print("  total requests: \(total)")
    print("  lease requests: \(leaseRequests) (\(String(format: "%.1f", Double(leaseRequests) / elapsedSeconds * 60)) per minute)")
    print("  other requests: \(total - leaseRequests)")
    print("  reconciles during window: \(reconcilesDuring)")
}

do {
    try await run()
} catch {
    FileHandle.standardError.write(Data("runtime benchmark failed: \(error)\n".utf8))
    exit(1)
}

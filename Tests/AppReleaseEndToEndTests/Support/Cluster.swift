import Foundation
import KubeModels
import KubeSim
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// One end-to-end world, as a user would have it: a cluster, a kubeconfig for it, the CRD
/// installed with `kubectl apply -f crds/`, and the operator binary running against it.
/// `Cluster.with { … }` stops every process on every exit path.
///
/// Two lanes run the same scenarios (`E2ELane`): kubesim, in-process (the default, and CI's);
/// or a real control plane named by `APPRELEASE_E2E_KUBECONFIG` (`make test-real`), where each
/// test gets a namespace of its own and the operator runs as the ServiceAccount from
/// `manifests/` with exactly its ClusterRole.
final class Cluster: Sendable {
    /// The simulated cluster; nil on the real lane.
    let sim: KubeSim?
    let lane: E2ELane
    let directory: String
    /// The kubeconfig the test's own kubectl uses (an administrator's).
    let kubeconfig: String
    /// The kubeconfig the operator runs with.
    let operatorKubeconfig: String
    /// Every namespaced object of the test lives here.
    let namespace: String
    let binaries: String
    private let operatorProcess: Mutex<ChildProcess?>
    /// Other long-running processes of the test (watches), stopped with the cluster.
    private let helpers = Mutex<[ChildProcess]>([])

    private init(
        sim: KubeSim?, lane: E2ELane, directory: String, kubeconfig: String, namespace: String, binaries: String
    ) {
        self.sim = sim
        self.lane = lane
        self.directory = directory
        self.kubeconfig = kubeconfig
        self.operatorKubeconfig = lane.isReal ? directory + "/operator.kubeconfig" : kubeconfig
        self.namespace = namespace
        self.binaries = binaries
        self.operatorProcess = Mutex(nil)
    }

    /// `tls`: on kubesim, HTTPS with a generated CA and bearer-token authentication.
    static func with<T>(podReadyDelay: Duration = .milliseconds(200), tls: Bool = false, _ body: (Cluster) async throws -> T) async throws -> T {
        let binaries = try Binaries.directory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apprelease-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lane = E2ELane.current
        let cluster: Cluster
        switch lane {
        case .kubesim:
            var options = KubeSimOptions()
            options.podReadyDelay = podReadyDelay
            options.tls = tls
            let sim = try await KubeSim.start(options)
            cluster = Cluster(
                sim: sim, lane: lane, directory: directory, kubeconfig: directory + "/kubeconfig", namespace: "default",
                binaries: binaries)
            try sim.writeKubeconfig(to: cluster.kubeconfig)
        case .real(let kubeconfig):
            // Pods become Ready as fast as the lane's kubelet makes them; podReadyDelay is kubesim's.
            cluster = Cluster(
                sim: nil, lane: lane, directory: directory, kubeconfig: kubeconfig,
                namespace: "e2e-" + UUID().uuidString.prefix(8).lowercased(), binaries: binaries)
        }
        do {
            try await cluster.installCRD()
            if lane.isReal { try await cluster.prepareRealNamespace() }
            try cluster.startOperator()
            let result = try await body(cluster)
            await cluster.tearDown(keepLogs: false)
            return result
        } catch {
            await cluster.tearDown(keepLogs: true)
            throw error
        }
    }

    private func tearDown(keepLogs: Bool) async {
        for helper in helpers.withLock({ $0 }) { await helper.stop(grace: .seconds(1)) }
        if let running = operatorProcess.withLock({ $0 }) {
            await running.stop()
            if keepLogs {
                print("--- operator log (\(running.logPath)), last lines:")
                print(running.output().split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n"))
            }
        }
        if let sim {
            await sim.shutdown()
        } else if !keepLogs {
            // The namespace controller removes what the test left; nothing waits for it.
            _ = try? await kubectl("delete", "namespace", namespace, "--wait=false")
        }
        if !keepLogs { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Stops `process` on every exit path of the test, at the latest with the cluster.
    func track(_ process: ChildProcess) {
        helpers.withLock { $0.append(process) }
    }

    // MARK: The operator

    var operatorRunning: ChildProcess? { operatorProcess.withLock { $0 } }

    @discardableResult
    func startOperator(extraArguments: [String] = [], kubeconfig: String? = nil, logLevel: String = "debug") throws -> ChildProcess {
        // On a shared real cluster each test's operator watches only the test's namespace.
        let scope = lane.isReal ? ["--namespace", namespace] : []
        let process = try ChildProcess(
            name: "apprelease-controller", executable: binaries + "/apprelease-controller",
            arguments: [
                "--kubeconfig", kubeconfig ?? operatorKubeconfig, "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address",
                "127.0.0.1:0", "--log-level", logLevel,
            ] + scope + extraArguments, logDirectory: directory)
        operatorProcess.withLock { $0 = process }
        return process
    }

    /// Stops the running operator (SIGTERM, then SIGKILL after a grace period).
    func stopOperator() async {
        await operatorRunning?.stop()
    }

    /// SIGKILL: no shutdown hook runs, exactly like a node failure or an OOM kill.
    func killOperator() async -> ChildProcess.Exit? {
        guard let running = operatorRunning else { return nil }
        running.signal(SIGKILL)
        return await running.waitForExit()
    }

    // MARK: kubectl

    /// Runs the real `kubectl` against this cluster.
    @discardableResult
    func kubectl(_ arguments: String..., input: String? = nil) async throws -> CommandResult {
        try await kubectl(arguments, input: input)
    }

    /// `namespaced: false` leaves out `--namespace`, for manifests that name their own
    /// namespaces (kubectl refuses those that differ from an explicit `--namespace`).
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil, namespaced: Bool = true) async throws -> CommandResult {
        try await kubectl(arguments, inputData: input.map { Data($0.utf8) }, namespaced: namespaced)
    }

    /// `input` as bytes, for input that is not valid UTF-8 on purpose.
    func kubectl(_ arguments: [String], inputData: Data?, namespaced: Bool = true) async throws -> CommandResult {
        var arguments = arguments
        if let inputData {
            let path = directory + "/input-\(UUID().uuidString.prefix(8)).yaml"
            try inputData.write(to: URL(fileURLWithPath: path))
            arguments = arguments.map { $0 == "-" ? path : $0 }
        }
        let process = try ChildProcess(
            name: "kubectl", executable: "kubectl",
            arguments: (namespaced ? kubectlBaseArguments : ["--kubeconfig", kubeconfig]) + arguments,
            environment: ["KUBECONFIG": kubeconfig], logDirectory: directory)
        // kubectl's own waits (`wait --timeout`) end well before this; it only catches a hang.
        let exit = await process.waitForExit(killingAfter: .seconds(600))
        let output = process.output()
        try? FileManager.default.removeItem(atPath: process.logPath)
        return CommandResult(command: "kubectl " + arguments.joined(separator: " "), exit: exit, output: output)
    }

    /// What every kubectl of the test starts with: the kubeconfig and the test's namespace.
    var kubectlBaseArguments: [String] { ["--kubeconfig", kubeconfig, "--namespace", namespace] }

    /// `kubectl` that must succeed; its output.
    @discardableResult
    func kubectlOK(_ arguments: String..., input: String? = nil) async throws -> String {
        let result = try await kubectl(arguments, input: input)
        guard result.succeeded else { throw E2EError("kubectl failed:\n\(result)") }
        return result.output
    }

    func installCRD() async throws {
        try await kubectlOK("apply", "-f", Binaries.repositoryRoot + "/crds/")
        // Discovery of a new CRD is asynchronous on a real API server; wait until kubectl sees it.
        try await waitUntil("the appreleases resource to be served", timeout: .seconds(30)) {
            try await self.kubectl("get", "appreleases").succeeded
        }
    }

    /// Requests other than watches that reached the API server during `window`, in which the
    /// test itself sends none: what an idle operator costs the API server (should be nothing).
    /// Nil on the real lane, whose API server counts requests only in its audit log.
    func requestsWhileIdle(for window: Duration) async throws -> [String: Int]? {
        guard let sim else { return nil }
        let before = sim.requestCounts()
        try await Task.sleep(for: window)
        let after = sim.requestCounts()
        var made: [String: Int] = [:]
        for (key, count) in after where !key.hasPrefix("WATCH ") && count > before[key, default: 0] {
            made[key] = count - before[key, default: 0]
        }
        return made
    }

    /// Ready endpoints of a Service across its EndpointSlices (what traffic is routed to).
    func readyEndpoints(of service: String) async throws -> Int {
        try await kubectlOK(
            "get", "endpointslices", "-l", "kubernetes.io/service-name=\(service)", "-o",
            #"jsonpath={.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}"#
        ).split(separator: " ").count
    }

    /// A JSONPath field of an object, via `kubectl get -o jsonpath`.
    func field(_ resource: String, _ jsonPath: String) async throws -> String {
        try await kubectlOK("get", resource, "-o", "jsonpath={\(jsonPath)}")
    }
}

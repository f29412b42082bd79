import Foundation
import KubeModels
import KubeSim
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One end-to-end world: a simulated cluster served on a loopback port, a kubeconfig for it, the
/// CRD installed with `kubectl`, and the operator binary running against it, as a user would run
/// it. `Cluster.with { … }` stops every process on every exit path.
final class Cluster: Sendable {
    let sim: KubeSim
    let directory: String
    let kubeconfig: String
    let binaries: String
    private let operatorProcess: Mutex<ChildProcess?>
    /// Other long-running processes of the test (watches), stopped with the cluster.
    private let helpers = Mutex<[ChildProcess]>([])

    private init(sim: KubeSim, directory: String, binaries: String) {
        self.sim = sim
        self.directory = directory
        self.kubeconfig = directory + "/kubeconfig"
        self.binaries = binaries
        self.operatorProcess = Mutex(nil)
    }

    static func with<T>(podReadyDelay: Duration = .milliseconds(200), _ body: (Cluster) async throws -> T) async throws -> T {
        let binaries = try Binaries.directory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apprelease-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = KubeSimOptions()
        options.podReadyDelay = podReadyDelay
        let sim = try await KubeSim.start(options)
        let cluster = Cluster(sim: sim, directory: directory, binaries: binaries)
        do {
            try sim.writeKubeconfig(to: cluster.kubeconfig)
            try await cluster.installCRD()
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
        await sim.shutdown()
        if !keepLogs { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Stops `process` on every exit path of the test, at the latest with the cluster.
    func track(_ process: ChildProcess) {
        helpers.withLock { $0.append(process) }
    }

    // MARK: The operator

    var operatorRunning: ChildProcess? { operatorProcess.withLock { $0 } }

    @discardableResult
    func startOperator(extraArguments: [String] = []) throws -> ChildProcess {
        let process = try ChildProcess(
            name: "apprelease-controller", executable: binaries + "/apprelease-controller",
            arguments: [
                "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0",
                "--log-level", "debug",
            ] + extraArguments, logDirectory: directory)
        operatorProcess.withLock { $0 = process }
        return process
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

    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) async throws -> CommandResult {
        var arguments = arguments
        if let input {
            let path = directory + "/input-\(UUID().uuidString.prefix(8)).yaml"
            try input.write(toFile: path, atomically: true, encoding: .utf8)
            arguments = arguments.map { $0 == "-" ? path : $0 }
        }
        let process = try ChildProcess(
            name: "kubectl", executable: "kubectl", arguments: ["--kubeconfig", kubeconfig] + arguments,
            environment: ["KUBECONFIG": kubeconfig], logDirectory: directory)
        let exit = await process.waitForExit()
        let output = process.output()
        try? FileManager.default.removeItem(atPath: process.logPath)
        return CommandResult(command: "kubectl " + arguments.joined(separator: " "), exit: exit, output: output)
    }

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
    func requestsWhileIdle(for window: Duration) async throws -> [String: Int] {
        let before = sim.requestCounts()
        try await Task.sleep(for: window)
        let after = sim.requestCounts()
        var made: [String: Int] = [:]
        for (key, count) in after where !key.hasPrefix("WATCH ") && count > before[key, default: 0] {
            made[key] = count - before[key, default: 0]
        }
        return made
    }

    /// A JSONPath field of an object, via `kubectl get -o jsonpath`.
    func field(_ resource: String, _ jsonPath: String) async throws -> String {
        try await kubectlOK("get", resource, "-o", "jsonpath={\(jsonPath)}")
    }
}

import Foundation
import TestSupport

/// `kubectl apprelease …` as users run it: the real kubectl finds the built `kubectl-apprelease`
/// on the PATH (the binaries' directory first) and passes it the arguments.
extension Cluster {
    /// The PATH kubectl searches for plugins: the built executables first.
    var pluginPath: String {
        binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    }

    /// Runs `kubectl <arguments>` with the plugin on the PATH. kubectl only looks a plugin up
    /// when its name comes first, so the kubeconfig and namespace go last (`namespaced: false`
    /// leaves the namespace out, for `list -A` or the context's own namespace; `kubeconfig`
    /// replaces the cluster's).
    @discardableResult
    func kubectlPlugin(_ arguments: [String], namespaced: Bool = true, kubeconfig: String? = nil) async throws -> CommandResult {
        let process = try startKubectlPlugin(arguments, namespaced: namespaced, kubeconfig: kubeconfig)
        let exit = await process.waitForExit(killingAfter: .seconds(300))
        let output = process.output()
        try? FileManager.default.removeItem(atPath: process.logPath)
        return CommandResult(command: "kubectl " + arguments.joined(separator: " "), exit: exit, output: output)
    }

    /// Starts `kubectl <arguments>` with the plugin on the PATH and leaves it running (`get
    /// --watch`); it is stopped with the cluster.
    func startKubectlPlugin(_ arguments: [String], namespaced: Bool = true, kubeconfig: String? = nil) throws -> ChildProcess {
        let kubeconfig = kubeconfig ?? self.kubeconfig
        let scope = ["--kubeconfig", kubeconfig] + (namespaced ? ["--namespace", namespace] : [])
        let process = try ChildProcess(
            name: "kubectl-plugin", executable: "kubectl", arguments: arguments + scope,
            environment: ["PATH": pluginPath, "KUBECONFIG": kubeconfig], logDirectory: directory)
        track(process)
        return process
    }

    /// `kubectl apprelease <arguments>`.
    @discardableResult
    func apprelease(_ arguments: String..., namespaced: Bool = true) async throws -> CommandResult {
        try await kubectlPlugin(["apprelease"] + arguments, namespaced: namespaced)
    }

    /// The plugin's one-line verdict must hold; returns its output.
    @discardableResult
    func appreleaseOK(_ arguments: String...) async throws -> String {
        let result = try await kubectlPlugin(["apprelease"] + arguments)
        guard result.succeeded else { throw E2EError("kubectl apprelease failed:\n\(result)") }
        return result.output
    }
}

import ArgumentParser
import Foundation
import KubeClient

/// How kubectl finds the cluster: `--kubeconfig`, else `KUBECONFIG` (a colon-separated list,
/// merged), else `~/.kube/config`, else the pod's service account; `--context`, else the
/// current context; `-n/--namespace`, else the context's namespace, else `default`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(name: [.short, .long], help: "The namespace (default: the context's namespace, else 'default').")
    var namespace: String?

    /// The client and the namespace to work in.
    func connect(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PluginContext {
        try PluginContext(options: self, environment: environment)
    }

    /// The client configuration kubectl would use with these flags in `environment`.
    func configuration(environment: [String: String]) throws -> ClientConfiguration {
        // ClientConfiguration.load prefers the pod's service account to ~/.kube/config (as
        // controller-runtime does); kubectl prefers the file, so name it when it exists.
        var path = kubeconfig
        if path?.isEmpty ?? true, environment["KUBECONFIG"]?.isEmpty ?? true, let home = environment["HOME"], !home.isEmpty,
            FileManager.default.fileExists(atPath: home + "/.kube/config")
        {
            path = home + "/.kube/config"
        }
        do {
            var configuration = try ClientConfiguration.load(
                kubeconfigPath: path, context: context, namespace: namespace.flatMap { $0.isEmpty ? nil : $0 },
                environment: environment)
            configuration.userAgent = "kubectl-apprelease"
            return configuration
        } catch {
            throw PluginError.configuration(error.description)
        }
    }
}

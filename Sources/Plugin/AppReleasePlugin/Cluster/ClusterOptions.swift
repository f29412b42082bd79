import ArgumentParser
import KubeClient

/// How kubectl finds the cluster: `--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`;
/// `--context`, else the current context; `-n/--namespace`, else the context's namespace, else
/// `default`.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(name: [.short, .long], help: "The namespace (default: the context's namespace, else 'default').")
    var namespace: String?

    /// The client and the namespace to work in.
    func connect() throws -> PluginContext {
        try PluginContext(options: self)
    }
}

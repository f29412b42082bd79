import ArgumentParser
import CommandLineSupport

/// `kubesim`: a simulated Kubernetes API server and cluster (`serve`, the default), or simulated
/// nodes for a real API server (`kubelet`).
@main
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubesim", abstract: "A simulated Kubernetes API server and cluster for tests and demos.",
        subcommands: [ServeCommand.self, KubeletCommand.self], defaultSubcommand: ServeCommand.self)

    /// Shadows ArgumentParser's entry point: scripts written for Kubernetes tools pass `--tls=true`.
    static func main() async { await mainKubernetesStyle() }
}

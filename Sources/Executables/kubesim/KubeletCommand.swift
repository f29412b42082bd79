import ArgumentParser
import Foundation
import KubeClient
import KubeSim
import KubeSimKubelet
import Logging

/// `kubesim kubelet`: registers simulated nodes on any API server and plays the pods bound to them.
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet",
        abstract: "Register simulated nodes on a real API server and run the pods bound to them by their image names.",
        discussion: """
            Pods follow their image reference as on kubesim: `crash` crash-loops, `unready` never becomes Ready, \
            `slow` takes --slow-ready-delay-ms, `pullerr` fails to pull, anything else is Ready after --pod-ready-delay-ms. \
            Nodes carry the label kubesim.dev/simulated=true and a NoSchedule taint of that key (pods must select \
            and tolerate it), and renew their Leases in kube-node-lease. \
            Needs rights to create Nodes and patch their status, to watch pods, patch their status and delete them, \
            and to write Leases in kube-node-lease: an administrator's kubeconfig will do.
            """)

    @Option(help: "Path to the kubeconfig (else KUBECONFIG, in-cluster, ~/.kube/config).") var kubeconfig: String?
    @Option(help: "The kubeconfig context to use.") var context: String?
    @Option(help: "How many nodes to register.") var nodes = 3
    @Option(name: .customLong("node-name-prefix"), help: "Nodes are named PREFIX-0, PREFIX-1, …") var nodeNamePrefix = "kubesim-node"
    @Option(name: .customLong("pod-ready-delay-ms"), help: "How long ordinary pods take to become Ready.") var podReadyDelayMs = 500
    @Option(name: .customLong("slow-ready-delay-ms"), help: "How long pods of `slow` images take to become Ready.")
    var slowReadyDelayMs = 10_000
    @Option(name: .customLong("max-grace-period-ms"), help: "Terminating pods are removed after min(their grace period, this).")
    var maxGracePeriodMs = 1_000
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func validate() throws {
        if !(1...1000).contains(nodes) { throw ValidationError("--nodes must be between 1 and 1000") }
        if nodeNamePrefix.isEmpty { throw ValidationError("--node-name-prefix must not be empty") }
        for (flag, value) in [
            ("--pod-ready-delay-ms", podReadyDelayMs), ("--slow-ready-delay-ms", slowReadyDelayMs), ("--max-grace-period-ms", maxGracePeriodMs),
        ] where value < 0 {
            throw ValidationError("\(flag) must not be negative")
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        var logger = Logger(label: "kubesim-kubelet")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig, context: context)
        configuration.userAgent = "kubesim-kubelet"
        let client = try KubernetesClient(configuration: configuration, logger: logger)
        var options = StandaloneKubelet.Options()
        options.nodes = SimulatedNode.fleet(prefix: nodeNamePrefix, count: nodes)
        options.cluster.podReadyDelay = .milliseconds(podReadyDelayMs)
        options.cluster.slowReadyDelay = .milliseconds(slowReadyDelayMs)
        options.cluster.maxGracePeriod = .milliseconds(maxGracePeriodMs)
        let kubelet = StandaloneKubelet(api: client, options: options, logger: logger)
        // SIGTERM ends the process: the nodes stay registered and go NotReady once their Leases
        // lapse, as when a real kubelet stops.
        try await kubelet.run()
    }
}

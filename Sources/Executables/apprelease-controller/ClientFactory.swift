import ControllerRuntime
import KubeClient
import Logging

/// Builds the client from flags: kubeconfig lookup as controller-runtime does it (`--kubeconfig`,
/// `KUBECONFIG`, in-cluster, `~/.kube/config`) with the client-side QPS / burst from the flags.
enum ClientFactory {
    /// `identity` (the leader-election identity) ends the user agent, so the API server's audit
    /// log and request metrics tell the replicas apart: only the leader should be writing.
    static func makeClient(
        kubeconfig: String?, context: String?, qps: Double, burst: Int, identity: String, logger: Logger
    ) throws -> any KubernetesAPI {
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig, context: context)
        configuration.qps = qps
        configuration.burst = burst
        configuration.userAgent = "apprelease-controller/\(BuildInfo.version) (\(identity))"
        var clientLogger = logger
        clientLogger[metadataKey: "component"] = "kubeclient"
        return try KubernetesClient(configuration: configuration, logger: clientLogger)
    }
}

import ControllerRuntime
import KubeClient
import Logging

/// The seam between flags and the real client: builds a `KubernetesAPI` from kubeconfig /
/// in-cluster configuration with the given client-side rate limit.
enum ClientFactory {
    static func makeClient(kubeconfig: String?, context: String?, qps: Double, burst: Int, logger: Logger) throws -> any KubernetesAPI {
        // The curl-based client lands separately; until then the operator cannot talk to a cluster.
        _ = (kubeconfig, context, qps, burst, logger)
        throw ConfigurationError("this build has no Kubernetes client yet (KubeClient's KubernetesClient is not on main)")
    }
}

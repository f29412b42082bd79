import AppReleaseAPI
import KubeClient
import KubeModels

/// A connected plugin: the client (user agent `kubectl-apprelease`) and the namespace.
struct PluginContext: Sendable {
    let api: any KubernetesAPI
    let namespace: String

    init(options: ClusterOptions) throws {
        let configuration: ClientConfiguration
        do {
            configuration = try ClientConfiguration.load(
                kubeconfigPath: options.kubeconfig, context: options.context, namespace: options.namespace)
        } catch {
            throw PluginError.configuration("\(error)")
        }
        var named = configuration
        named.userAgent = "kubectl-apprelease"
        api = try KubernetesClient(configuration: named)
        namespace = named.namespace ?? "default"
    }

    init(api: any KubernetesAPI, namespace: String) {
        self.api = api
        self.namespace = namespace
    }

    /// The AppRelease `name`, or an error naming it as kubectl does.
    func appRelease(_ name: String) async throws -> JSONValue {
        do {
            return try await api.get(.appReleases, namespace: namespace, name: name)
        } catch let error as KubernetesError where error.isNotFound {
            throw PluginError.notFound(name: name, namespace: namespace)
        }
    }
}

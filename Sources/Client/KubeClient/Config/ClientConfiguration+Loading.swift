import Foundation

extension ClientConfiguration {
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The pod's own service account: `KUBERNETES_SERVICE_HOST`/`_PORT`, the token (re-read as it
    /// rotates), `ca.crt` and the `namespace` file.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = serviceAccountDirectory
    ) throws(ConfigError) -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw ConfigError(problem: "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
        }
        let tokenPath = directory + "/token"
        guard FileManager.default.fileExists(atPath: tokenPath) else {
            throw ConfigError(file: tokenPath, problem: "in-cluster service account token does not exist")
        }
        let caPath = directory + "/ca.crt"
        var tls = TLSSettings()
        if FileManager.default.fileExists(atPath: caPath) { tls.certificateAuthorityFile = caPath }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var namespace = "default"
        if let text = try? String(contentsOfFile: directory + "/namespace", encoding: .utf8) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { namespace = trimmed }
        }
        var configuration = ClientConfiguration(server: "https://\(hostPart):\(port)", namespace: namespace, tls: tls, authentication: .tokenFile(tokenPath))
        configuration.environment = environment
        return configuration
    }

    /// The order controller-runtime uses: `--kubeconfig`, then `KUBECONFIG`, then in-cluster when
    /// running in a pod, then `~/.kube/config`.
    public static func load(
        kubeconfigPath: String? = nil, context: String? = nil, namespace: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> ClientConfiguration {
        let explicit = kubeconfigPath.flatMap { $0.isEmpty ? nil : $0 }
        let hasEnvironmentList = !(environment["KUBECONFIG"] ?? "").isEmpty
        if explicit == nil && !hasEnvironmentList && environment["KUBERNETES_SERVICE_HOST"] != nil {
            var configuration = try inCluster(environment: environment)
            if let namespace { configuration.namespace = namespace }
            return configuration
        }
        guard let kubeconfig = try KubeconfigLoader.load(explicitPath: explicit, environment: environment) else {
            throw ConfigError(problem: "no configuration found: pass --kubeconfig, set KUBECONFIG, run in a cluster, or create ~/.kube/config")
        }
        var configuration = try ClientConfiguration(kubeconfig: kubeconfig, context: context, namespace: namespace)
        configuration.environment = environment
        return configuration
    }
}

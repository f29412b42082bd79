/// How a `ControllerManager` runs.
public struct ManagerOptions: Sendable {
    /// Scope of the shared informers: nil watches all namespaces.
    public var namespace: String?
    /// nil runs without leader election (every instance reconciles: only for single replicas).
    public var leaderElection: LeaderElectionConfig?
    /// `/metrics`; nil disables it.
    public var metricsAddress: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8080)
    /// `/healthz` and `/readyz`; nil disables them. Equal to `metricsAddress`: one server for all.
    public var healthProbeAddress: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8081)
    /// How long in-flight reconciles may run on after a stop before they are cancelled.
    public var gracefulShutdownTimeout: Duration = .seconds(30)
    public var informerOptions = InformerOptions()
    /// Reported in the build-info metric.
    public var version = "dev"

    public init(
        namespace: String? = nil, leaderElection: LeaderElectionConfig? = nil,
        metricsAddress: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8080),
        healthProbeAddress: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8081),
        gracefulShutdownTimeout: Duration = .seconds(30), informerOptions: InformerOptions = InformerOptions(), version: String = "dev"
    ) {
        self.namespace = namespace
        self.leaderElection = leaderElection
        self.metricsAddress = metricsAddress
        self.healthProbeAddress = healthProbeAddress
        self.gracefulShutdownTimeout = gracefulShutdownTimeout
        self.informerOptions = informerOptions
        self.version = version
    }
}

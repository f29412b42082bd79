/// Lease-based leader election settings (client-go's `LeaderElectionConfig`).
///
/// Safety needs `renewDeadline < leaseDuration`: a leader that cannot renew stops its workers at
/// `renewDeadline` after its last successful renewal, while a standby may only take over
/// `leaseDuration` after it last saw the lease change.
public struct LeaderElectionConfig: Sendable, Hashable {
    public var leaseNamespace: String
    public var leaseName: String
    /// Unique per process (hostname + random suffix by default in the operator).
    public var identity: String
    public var leaseDuration: Duration = .seconds(15)
    public var renewDeadline: Duration = .seconds(10)
    public var retryPeriod: Duration = .seconds(2)
    /// Clear the holder on graceful shutdown so a standby takes over within a retry period.
    public var releaseOnShutdown = true

    public init(
        leaseNamespace: String, leaseName: String, identity: String, leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2), releaseOnShutdown: Bool = true
    ) {
        self.leaseNamespace = leaseNamespace
        self.leaseName = leaseName
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnShutdown = releaseOnShutdown
    }

    /// Rejects settings that would allow two leaders at once, naming the rule broken.
    public func validate() throws {
        if leaseName.isEmpty { throw ConfigurationError("leader election: lease name must not be empty") }
        if leaseNamespace.isEmpty { throw ConfigurationError("leader election: lease namespace must not be empty") }
        if identity.isEmpty { throw ConfigurationError("leader election: identity must not be empty") }
        if !(renewDeadline < leaseDuration) {
            throw ConfigurationError("leader election: renewDeadline (\(renewDeadline)) must be shorter than leaseDuration (\(leaseDuration))")
        }
        if !(retryPeriod < renewDeadline) {
            throw ConfigurationError("leader election: retryPeriod (\(retryPeriod)) must be shorter than renewDeadline (\(renewDeadline))")
        }
        if retryPeriod <= .zero { throw ConfigurationError("leader election: retryPeriod must be positive") }
    }
}

/// Bad runtime configuration, with a message naming the field and the rule.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Timings of the simulated cluster. Defaults keep tests fast while preserving the order of
/// events a real cluster shows (scheduled → running → ready; crash → back-off → restart).
public struct ClusterOptions: Sendable {
    /// Images with no special marker become Ready after this.
    public var podReadyDelay: Duration = .milliseconds(300)
    /// Images containing `slow` become Ready after this.
    public var slowReadyDelay: Duration = .seconds(10)
    /// One crash-loop cycle for images containing `crash`: the container runs briefly, exits,
    /// waits in CrashLoopBackOff and restarts; restartCount climbs by one per cycle.
    public var crashLoopInterval: Duration = .seconds(1)
    /// Images containing `pullerr` show ErrImagePull for this long, then ImagePullBackOff.
    public var imagePullBackOffDelay: Duration = .milliseconds(500)
    /// Terminating pods are removed after min(gracePeriodSeconds, this), so tests stay fast.
    public var maxGracePeriod: Duration = .seconds(1)
    public var nodeName = "kubesim-node"
    public var hostIP = "10.0.0.1"

    public init() {}
}

/// What differs between Rolling, BlueGreen and Canary. The release lifecycle around it
/// (`ReleaseLifecycle.swift`: start, the progress high-water mark, the deadline, fail-fast, and
/// the decision to revert or hold) and the shared scaling code (`ReplicaSetScaling.swift`) are the
/// same for every strategy, as Argo Rollouts keeps `canary.go` and `bluegreen.go` around one
/// `sync.go`. A new strategy is one file in this folder conforming to this protocol, and one case
/// in `ReleaseSpec.Strategy.release`.
protocol ReleaseStrategy {
    /// Moves pods (and traffic) one step toward `mode`'s target revision, appending the planner's writes.
    func scale(_ planner: inout Planner, spec: ReleaseSpec, revision: String, mode: Mode)
    /// True once the release of `revision` has reached its end state: it then becomes stable.
    func isComplete(_ planner: Planner, spec: ReleaseSpec, revision: String) -> Bool
    /// The release in flight in words, for `status.message` and the conditions.
    func progressMessage(_ planner: Planner, spec: ReleaseSpec, revision: String) -> String
}

extension ReleaseSpec.Strategy {
    /// The strategy that carries out a release; nil for strategies this version cannot run yet
    /// (validation reports them as InvalidSpec before the engine gets here).
    var release: (any ReleaseStrategy)? {
        switch self {
        case .rolling: return RollingRelease()
        case .blueGreen, .canary: return nil
        }
    }
}

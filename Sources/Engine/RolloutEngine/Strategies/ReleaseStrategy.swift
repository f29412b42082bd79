import AppReleaseAPI
import Foundation

/// What differs between Rolling, BlueGreen and Canary. The release lifecycle around it
/// (`ReleaseLifecycle.swift`: start, the progress high-water mark, the deadline, fail-fast, and
/// the decision to revert or hold) and the shared scaling and traffic code
/// (`ReplicaSetScaling.swift`, `TrafficSwitching.swift`) are the same for every strategy, as Argo
/// Rollouts keeps `canary.go` and `bluegreen.go` around one `sync.go`. A new strategy is one file in
/// this folder conforming to this protocol, and one case in `ReleaseSpec.Strategy.release`.
protocol ReleaseStrategy {
    /// Moves pods (and traffic) one step toward `mode`'s target revision, appending the planner's
    /// writes; in `.release` it also advances the release's steps (in `status.release`).
    func scale(_ planner: inout Planner, spec: ReleaseSpec, revision: String, mode: Mode)
    /// True once the release of `revision` has reached its end state: it then becomes stable.
    func isComplete(_ planner: Planner, spec: ReleaseSpec, revision: String) -> Bool
    /// True when nothing is in flight and `revision` runs and serves alone (`Ready`).
    func isSettled(_ planner: Planner, spec: ReleaseSpec, on revision: String) -> Bool
    /// The release in flight in words, for `status.message` and the conditions.
    func progressMessage(_ planner: Planner, spec: ReleaseSpec, revision: String) -> String
    /// The wait the release in flight is in (a pause step, or promotion); nil while it moves.
    /// Time spent waiting does not count against the progress deadline.
    func stepPause(_ planner: Planner, spec: ReleaseSpec) -> StepPause?
    /// An object the strategy names that is missing: what it cannot do without it.
    func blocker(_ planner: Planner) -> Blocker?
    /// The Services whose selectors the strategy pins to revisions.
    var services: [String] { get }
}

extension ReleaseStrategy {
    func isSettled(_ planner: Planner, spec: ReleaseSpec, on revision: String) -> Bool {
        planner.runsAlone(revision, replicas: spec.replicas)
    }
    func stepPause(_ planner: Planner, spec: ReleaseSpec) -> StepPause? { nil }
    func blocker(_ planner: Planner) -> Blocker? { nil }
    var services: [String] { [] }
}

/// BlueGreen and Canary: with nothing in flight, or after a failure, traffic and pods settle on
/// one revision (`Planner.settle`); in between, the strategy's own steps run.
protocol TrafficStrategy: ReleaseStrategy {
    /// Traffic first, then pods, to `revision`.
    func settle(_ planner: inout Planner, spec: ReleaseSpec, on revision: String)
    /// The release in flight, one step.
    func release(_ planner: inout Planner, spec: ReleaseSpec, revision: String)
}

extension TrafficStrategy {
    func scale(_ planner: inout Planner, spec: ReleaseSpec, revision: String, mode: Mode) {
        switch mode {
        case .hold: return
        case .converge: settle(&planner, spec: spec, on: revision)
        case .revert(let stable): settle(&planner, spec: spec, on: stable)
        case .release: release(&planner, spec: spec, revision: revision)
        }
    }
}

/// A release waiting at a step: `Paused=True` with `reason`.
struct StepPause: Equatable {
    /// `AwaitingPromotion` or `CanaryPauseStep`.
    var reason: String
    /// When the wait ends by itself; nil: only `promote` ends it.
    var resumesAt: Date?
}

/// Why a strategy cannot route traffic: reason (`ServiceNotFound`, …) and a sentence naming the
/// object and the field that names it.
struct Blocker: Equatable {
    var reason: String
    var message: String
}

/// A `promote` request: the next step, or every remaining one.
enum PromoteRequest: Equatable {
    case step
    case full

    init(annotationValue value: String) {
        self = value.hasPrefix(AppReleaseAPI.fullPromotionPrefix) ? .full : .step
    }
}

extension ReleaseSpec.Strategy {
    /// The strategy that carries out a release.
    var release: any ReleaseStrategy {
        switch self {
        case .rolling: return RollingRelease()
        case .blueGreen(let config): return BlueGreenRelease(config: config)
        case .canary(let config, let steps): return CanaryRelease(config: config, steps: steps)
        }
    }
}

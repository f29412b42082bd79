import AppReleaseAPI
import KubeModels
import RolloutEngine

/// What `status` concludes from one version of an AppRelease, and the exit code that says it.
///
/// The rules, in order (the first that matches decides):
/// 1. `status.observedGeneration < metadata.generation`, or a Ready condition whose own
///    `observedGeneration` is older: the controller has not acted on this spec yet, so nothing
///    the status says (a Ready from the previous release above all) is about it → in progress.
///    Conditions of an older generation are ignored below for the same reason.
/// 2. `InvalidSpec=True` or phase `InvalidSpec` → failed: nothing happens until the spec changes.
/// 3. `Ready=True` → ready.
/// 4. `Degraded=True`, or phase `RolledBack` / `Degraded` → failed: the release failed
///    (deadline, crash loop, pull error, abort), and is not retried until the spec changes or a
///    retry is asked for. This is reported as soon as it is known, while the revert still runs.
/// 5. `Stalled=True` with any other reason than a missing object → failed, as kstatus reads it.
/// 6. `Stalled=True` because a Service, HTTPRoute, backendRef or the Gateway API is missing →
///    still in progress, on purpose: creating the object resumes the release at once, and time
///    blocked does not count against the progress deadline. CI often applies the AppRelease and
///    its Services together, so failing on this would fail pipelines on an ordering race; a
///    Service that never comes ends in a timeout whose message names it.
/// 7. Otherwise (rolling, waiting at a step, awaiting promotion, `spec.paused`) → in progress.
struct ReleaseVerdict: Equatable, Sendable {
    enum Outcome: Equatable, Sendable {
        case inProgress
        case ready
        case failed
    }

    var outcome: Outcome
    /// A CamelCase reason: `ReleaseComplete`, `CrashLoop`, `ServiceNotFound`, `NotObserved`, ….
    var reason: String
    var message: String

    /// The reason of an in-progress verdict while the controller has not seen the spec yet.
    static let notObserved = "NotObserved"

    var isFinal: Bool { outcome != .inProgress }

    /// 0 ready, 1 failed, 2 no verdict yet (without `--wait`, or when `--wait` timed out).
    var exitCode: Int32 {
        switch outcome {
        case .ready: return 0
        case .failed: return 1
        case .inProgress: return 2
        }
    }

    /// Whether the release is blocked on a missing object (rule 6).
    var isBlocked: Bool { outcome == .inProgress && AppReleaseAPI.ConditionReason.blocked.contains(reason) }

    init(outcome: Outcome, reason: String, message: String) {
        self.outcome = outcome
        self.reason = reason
        self.message = message
    }

    init(_ appRelease: ObservedAppRelease) {
        typealias C = AppReleaseAPI.ConditionType
        typealias R = AppReleaseAPI.ConditionReason
        let status = appRelease.status
        let generation = appRelease.generation
        let all = status.conditions ?? []
        let ready = all.condition(C.ready)
        guard let observed = status.observedGeneration, observed >= generation,
            ready.map({ ConditionNorms.isCurrent($0, generation: generation) }) ?? true
        else {
            let seen = status.observedGeneration.map { "the status is for generation \($0)" } ?? "no status yet"
            self.init(
                outcome: .inProgress, reason: Self.notObserved,
                message: "waiting for the controller to observe generation \(generation) (\(seen))")
            return
        }
        let conditions = all.filter { ConditionNorms.isCurrent($0, generation: generation) }
        let message = status.message ?? ""
        if let invalid = conditions.condition(C.invalidSpec), invalid.status == .true {
            self.init(outcome: .failed, reason: R.invalidSpec, message: invalid.message.isEmpty ? message : invalid.message)
        } else if status.phase == .invalidSpec {
            self.init(outcome: .failed, reason: R.invalidSpec, message: message)
        } else if let ready, ready.status == .true {
            self.init(outcome: .ready, reason: ready.reason, message: ready.message.isEmpty ? message : ready.message)
        } else if let degraded = conditions.condition(C.degraded), degraded.status == .true {
            self.init(outcome: .failed, reason: degraded.reason, message: degraded.message.isEmpty ? message : degraded.message)
        } else if status.phase == .rolledBack || status.phase == .degraded {
            self.init(outcome: .failed, reason: status.failure?.reason ?? status.phase?.rawValue ?? "Failed", message: message)
        } else if let stalled = conditions.condition(C.stalled), stalled.status == .true {
            let outcome: Outcome = R.blocked.contains(stalled.reason) ? .inProgress : .failed
            self.init(outcome: outcome, reason: stalled.reason, message: stalled.message.isEmpty ? message : stalled.message)
        } else if let paused = conditions.condition(C.paused), paused.status == .true {
            self.init(outcome: .inProgress, reason: paused.reason, message: message)
        } else {
            self.init(outcome: .inProgress, reason: ready?.reason ?? R.releaseInProgress, message: message)
        }
    }
}

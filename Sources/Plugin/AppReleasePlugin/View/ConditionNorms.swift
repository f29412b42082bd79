import AppReleaseAPI
import KubeModels

/// The state each AppRelease condition is in when nothing needs attention, so `get` can show
/// only the conditions that deviate (a settled AppRelease then shows none).
enum ConditionNorms {
    private typealias C = AppReleaseAPI.ConditionType

    static let normal: [String: ConditionStatus] = [
        C.ready: .true, C.available: .true, C.progressing: .true, C.degraded: .false,
        C.paused: .false, C.invalidSpec: .false, C.reconciling: .false, C.stalled: .false,
    ]

    /// Whether `condition` is not in its normal state. A type we do not know has no normal
    /// state we could judge by, so it is always shown.
    static func isAbnormal(_ condition: Condition) -> Bool {
        guard let expected = normal[condition.type] else { return true }
        return condition.status != expected
    }

    /// Whether `condition` describes `generation` of the spec. A condition without
    /// `observedGeneration` (hand-written, or from an older controller) is taken at its word;
    /// the status-level `observedGeneration` guards it.
    static func isCurrent(_ condition: Condition, generation: Int64) -> Bool {
        (condition.observedGeneration ?? generation) >= generation
    }
}

import Foundation

/// What `get` shows of one AppRelease, reduced from its objects (`ReleaseView(objects)`) and
/// rendered by `ReleaseViewRenderer`. Equatable, and free of the clock, so `get --watch`
/// redraws only when something shown changed, not when a pod's resourceVersion moved.
struct ReleaseView: Equatable, Sendable {
    struct Revision: Equatable, Sendable {
        var revision: String
        /// `apprelease.dev/revision-number` (0 when absent).
        var number: Int
        /// `current`, `stable`, or both.
        var roles: [String]
        /// `web@1a2b3c4d5e6f`.
        var image: String
        var desired: Int
        var ready: Int
        var available: Int
        var pods: [PodSummary]
    }

    struct ConditionRow: Equatable, Sendable {
        var type: String
        var status: String
        var reason: String
        var message: String
        /// Written for an earlier generation of the spec.
        var isStale: Bool
    }

    struct EventRow: Equatable, Sendable {
        var type: String
        var reason: String
        var message: String
        var count: Int
        var lastSeen: Date?
    }

    var name: String
    var namespace: String
    var phase: String
    var message: String
    /// Set while the status describes an earlier generation than the spec's.
    var staleStatus: String?
    /// `Canary: step 2/5, weight 25%`.
    var strategy: String
    /// Where the Services and the HTTPRoute send traffic.
    var traffic: [String]
    var current: String
    var stable: String
    /// `3 desired, 4 current, 1 updated, 4 ready, 4 available`.
    var replicas: String
    /// Newest first; old revisions at 0 with no pod left are only counted.
    var revisions: [Revision]
    var hiddenRevisions: Int
    var conditions: [ConditionRow]
    var events: [EventRow]
}

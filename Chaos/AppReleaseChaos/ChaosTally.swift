import Foundation
import Synchronization

/// The operator's promises the chaos run checks, each from kubesim's own state.
enum Invariant: String, CaseIterable, Sendable {
    case availability = "a Service keeps replicas - maxUnavailable ready endpoints once released"
    case releaseOutcome = "a release ends Ready (good digest) or reverted with Degraded=True (bad)"
    case observedGeneration = "observedGeneration catches up with generation"
    case noOrphans = "no ReplicaSet outlives its AppRelease"
    case historyLimit = "old revisions at 0 replicas stay within revisionHistoryLimit"
    case onlyLeaderWrites = "only the Lease holder writes"
    case rbac = "RBAC: every request sent is granted (ClusterRole), every grant sent"
}

/// What happened during the run: faults, the driver's actions, releases by outcome, and each
/// invariant's checks and violations (the first few verbatim). Shared by the driver, the fault
/// schedule and the checker; nothing awaits inside its lock.
final class ChaosTally: Sendable {
    struct State {
        var checks: [Invariant: Int] = [:]
        var violations: [Invariant: Int] = [:]
        var firstViolations: [String] = []
        var faults: [String: Int] = [:]
        var actions: [String: Int] = [:]
        var releases: [Strategy: [String: Int]] = [:]
        var releaseDurations: [Strategy: [Duration]] = [:]
    }

    static let violationsKept = 20
    private let state = Mutex(State())
    let started = ContinuousClock.now

    func check(_ invariant: Invariant, _ holds: Bool, _ violation: @autoclosure () -> String) {
        let message = holds ? nil : "[\(Self.stamp(ContinuousClock.now - started))] \(invariant): \(violation())"
        state.withLock { state in
            state.checks[invariant, default: 0] += 1
            guard let message else { return }
            state.violations[invariant, default: 0] += 1
            if state.firstViolations.count < Self.violationsKept { state.firstViolations.append(message) }
        }
        if let message { print("VIOLATION \(message)") }
    }

    func fault(_ name: String) {
        state.withLock { $0.faults[name, default: 0] += 1 }
    }

    func action(_ name: String) {
        state.withLock { $0.actions[name, default: 0] += 1 }
    }

    /// A release that ended (`ready`, `rolled back: <reason>`, `lost`) or stopped being tracked
    /// (`superseded`, `deleted`).
    func release(_ strategy: Strategy, _ outcome: String, after duration: Duration? = nil) {
        state.withLock { state in
            state.releases[strategy, default: [:]][outcome, default: 0] += 1
            if let duration { state.releaseDurations[strategy, default: []].append(duration) }
        }
    }

    var snapshot: State { state.withLock { $0 } }

    static func stamp(_ elapsed: Duration) -> String {
        let seconds = Int(elapsed.components.seconds)
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }
}

import AppReleaseAPI
import Foundation
import KubeModels

private typealias Reason = AppReleaseAPI.ConditionReason

/// The pure release engine: `plan(snapshot)` turns what is observed into what to do.
///
/// No I/O, no clock, no randomness: the same snapshot always gives the same plan. Anything that
/// must survive across reconciles (release start, progress high-water mark, the failed revision,
/// acknowledged requests) is kept in the AppRelease status the plan writes.
public enum RolloutEngine {
    /// Entries kept in `status.history`.
    public static let historyLimit = 10

    public static func plan(_ snapshot: ReleaseSnapshot) throws(StatusEncodingError) -> Plan {
        var planner = Planner(snapshot: snapshot)
        planner.run()
        return try planner.finish()
    }

    /// `web@1a2b3c4d5e6f`: the image's last path segment and the first 12 hex digits of its digest.
    public static func shortImage(_ image: String) -> String {
        let parts = image.split(separator: "@", maxSplits: 1).map(String.init)
        let name = parts.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? image
        let nameWithoutTag = name.split(separator: ":").first.map(String.init) ?? name
        guard parts.count == 2 else { return nameWithoutTag }
        let digest = parts[1].hasPrefix("sha256:") ? String(parts[1].dropFirst(7)) : parts[1]
        return "\(nameWithoutTag)@\(digest.prefix(12))"
    }
}

/// How the engine moves pods in this reconcile.
enum Mode: Equatable {
    /// A release of the spec's revision is in flight.
    case release
    /// No release in flight: keep the spec's (stable) revision at `replicas`.
    case converge
    /// The spec's revision failed: bring the stable revision back.
    case revert(stable: String)
    /// The spec's revision failed and there is nothing to go back to: hold.
    case hold
}

struct Planner {
    let snapshot: ReleaseSnapshot
    let appRelease: ObservedAppRelease
    /// The snapshot's ReplicaSets with availability no higher than their pods allow.
    let replicaSets: [ObservedReplicaSet]
    let now: Date
    var status: AppReleaseStatus
    var writes: [PlanAction] = []
    var events: [PlannedEvent] = []
    var requeueAfterSeconds: Int?
    /// A `promote` request not yet acted on: the strategy takes it (sets it to nil) when it
    /// applies; otherwise the lifecycle says why it did not, in `promoteIgnoredBecause`.
    var promote: PromoteRequest?
    var promoteIgnoredBecause: String?
    /// What a strategy that took the `promote` request did with it (for `status.acknowledged.results`).
    var promotedBecause: String?
    /// While a release is in flight its own Events (started, step completed, succeeded, failed)
    /// tell the story; an Event per pod moved would repeat the status message.
    var quietScaling = false

    init(snapshot: ReleaseSnapshot) {
        self.snapshot = snapshot
        appRelease = snapshot.appRelease
        // The one place the clock is truncated: API timestamps have whole seconds, so status written
        // and read back compares equal.
        now = Date(timeIntervalSince1970: snapshot.now.timeIntervalSince1970.rounded(.down))
        replicaSets = AvailabilityAccounting.counted(snapshot.replicaSets, pods: snapshot.pods, now: now)
        status = snapshot.appRelease.status
    }

    mutating func run() {
        guard !appRelease.isDeleting else { return }
        status.observedGeneration = appRelease.generation
        switch RolloutEngine.validate(appRelease.spec) {
        case .failure(let errors): reportInvalid(errors)
        case .success(let spec): reconcile(spec)
        }
        // Follows stableImage in the same status write (also fills it in for a status written
        // before the field existed).
        status.stableImageShort = status.stableImage.map(RolloutEngine.shortImage)
    }

    func finish() throws(StatusEncodingError) -> Plan {
        var patch: JSONValue?
        let change = StatusChange(from: appRelease.status, to: status)
        if change != .none {
            do {
                let diff = JSONMergePatch.diff(from: try JSONValue(encoding: appRelease.status), to: try JSONValue(encoding: status))
                patch = diff.map { JSONValue.object(["status": $0]) }
            } catch {
                throw StatusEncodingError(underlying: error)
            }
        }
        return Plan(
            writes: writes, events: events, status: status, statusPatch: patch, requeueAfterSeconds: requeueAfterSeconds,
            statusChange: change)
    }

    // MARK: - Helpers shared by the steps

    mutating func event(_ type: PlannedEvent.Kind, _ reason: String, _ message: String) {
        events.append(PlannedEvent(type: type, reason: reason, message: message))
    }

    /// Adds `detail` to the `reason` Event this plan already records, or records it as an Event of
    /// its own (`fallbackReason`, `fallbackMessage`): one Event per decision, not one per write.
    mutating func event(appending detail: String, to reason: String, orElse fallbackReason: String, _ fallbackMessage: String) {
        if let index = events.lastIndex(where: { $0.reason == reason }) {
            events[index].message += "; \(detail)"
        } else {
            event(.normal, fallbackReason, fallbackMessage)
        }
    }

    mutating func setCondition(_ type: String, _ value: ConditionStatus, _ reason: String, _ message: String = "") {
        var conditions = status.conditions ?? []
        conditions.set(
            type, status: value, reason: reason, message: message, observedGeneration: appRelease.generation, now: now)
        status.conditions = conditions
    }

    mutating func addHistory(_ entry: ReleaseHistoryEntry) {
        var history = status.history ?? []
        history.insert(entry, at: 0)
        if history.count > RolloutEngine.historyLimit { history.removeLast(history.count - RolloutEngine.historyLimit) }
        status.history = history
    }

    /// ReplicaSets that can be acted on (not being deleted).
    var liveReplicaSets: [ObservedReplicaSet] { replicaSets.filter { !$0.isDeleting } }

    /// The ReplicaSet of `revision`, preferring the one with our canonical name.
    func replicaSet(of revision: String) -> ObservedReplicaSet? {
        let candidates = liveReplicaSets.filter { $0.revision == revision }
        let canonical = ReplicaSetBuilder.name(appRelease: appRelease.name, revision: revision)
        return candidates.first { $0.name == canonical } ?? candidates.first
    }

    /// Acts on the pending `promote` request: the strategy applied it, as `message` says.
    mutating func takePromote(_ message: String) {
        promote = nil
        promotedBecause = message
        event(.normal, "Promoted", message)
    }

    /// Asks to look again after `seconds` (the earliest of all such asks wins).
    mutating func requeue(after seconds: Int) {
        requeueAfterSeconds = min(requeueAfterSeconds ?? .max, max(seconds, 0))
    }

    /// Whole seconds from now until `date`, rounded up (never early), at least 0.
    func seconds(until date: Date) -> Int {
        max(Int(date.timeIntervalSince(now).rounded(.up)), 0)
    }

    /// `revision` runs `replicas` pods, all available, and no other revision runs any.
    func runsAlone(_ revision: String, replicas: Int) -> Bool {
        guard let set = replicaSet(of: revision) else { return false }
        return set.replicas == replicas && set.availableReplicas >= replicas
            && liveReplicaSets.allSatisfy { $0.revision == revision || $0.replicas == 0 }
    }

    mutating func updateCounts(revision: String?) {
        let sets = replicaSets
        status.replicas = sets.reduce(0) { $0 + $1.currentReplicas }
        status.readyReplicas = sets.reduce(0) { $0 + $1.readyReplicas }
        status.availableReplicas = sets.reduce(0) { $0 + $1.availableReplicas }
        status.updatedReplicas = sets.filter { $0.revision == revision }.reduce(0) { $0 + $1.currentReplicas }
    }

    // MARK: - Invalid spec

    mutating func reportInvalid(_ errors: ValidationErrors) {
        let message = errors.description
        let wasReported = appRelease.status.conditions?.condition(AppReleaseAPI.ConditionType.invalidSpec)
        if wasReported?.status != .true || wasReported?.message != message {
            event(.warning, "InvalidSpec", message)
        }
        updateCounts(revision: status.currentRevision)
        status.phase = .invalidSpec
        status.message = "Invalid spec: \(message)"
        typealias C = AppReleaseAPI.ConditionType
        setCondition(C.invalidSpec, .true, Reason.invalidSpec, message)
        setCondition(C.ready, .false, Reason.invalidSpec, "the spec cannot be acted on")
        setCondition(C.reconciling, .false, Reason.invalidSpec, "nothing is done until the spec is fixed")
        setCondition(C.stalled, .true, Reason.invalidSpec, message)
    }
}

import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine

extension ReleaseView {
    /// Events shown: the last few, as `kubectl describe` shows the recent ones.
    static let eventLimit = 6

    init(_ objects: ReleaseObjects) {
        let appRelease = ObservedAppRelease(json: objects.appRelease)
        let status = appRelease.status
        let verdict = ReleaseVerdict(appRelease)
        name = appRelease.name
        namespace = appRelease.namespace
        phase = status.phase?.rawValue ?? "Unknown"
        message = status.message ?? ""
        staleStatus = verdict.reason == ReleaseVerdict.notObserved ? verdict.message : nil
        strategy = Self.strategy(appRelease)
        traffic = Self.traffic(objects)
        current = Self.revisionAndImage(status.currentRevision, status.currentImage)
        stable = Self.revisionAndImage(status.stableRevision, status.stableImage)
        replicas = [
            "\(ProgressLine.desiredReplicas(appRelease.spec)) desired", "\(status.replicas ?? 0) current",
            "\(status.updatedReplicas ?? 0) updated", "\(status.readyReplicas ?? 0) ready", "\(status.availableReplicas ?? 0) available",
        ].joined(separator: ", ")
        let (shown, hidden) = Self.revisions(objects, status: status)
        revisions = shown
        hiddenRevisions = hidden
        conditions = Self.conditions(status.conditions ?? [], generation: appRelease.generation)
        events = Self.events(objects.ownEvents.filter { $0[path: "involvedObject", "name"]?.stringValue == appRelease.name })
    }

    private static func revisionAndImage(_ revision: String?, _ image: String?) -> String {
        guard let revision else { return "<none>" }
        return "revision \(revision)" + (image.map { ", \(RolloutEngine.shortImage($0))" } ?? "")
    }

    private static func strategy(_ appRelease: ObservedAppRelease) -> String {
        let spec = appRelease.spec
        let status = appRelease.status
        let type = spec[path: "strategy", "type"]?.stringValue ?? StrategyType.rolling.rawValue
        var details: [String] = []
        switch type {
        case StrategyType.canary.rawValue:
            let steps = spec[path: "strategy", "canary", "steps"]?.arrayValue?.count ?? 0
            if let step = ProgressLine.step(status.currentStepIndex, of: spec) { details.append(step) } else { details.append("\(steps) steps") }
            if let weight = status.canaryWeight { details.append("weight \(weight)%") }
        case StrategyType.blueGreen.rawValue:
            if let release = status.release, release.revision == status.currentRevision {
                details.append((release.stepIndex ?? 0) >= 1 ? "promoted" : "not promoted yet")
            }
        default:
            let rolling = spec[path: "strategy", "rolling"]
            let surge = rolling?["maxSurge"].map(Self.scalar) ?? "25%"
            let unavailable = rolling?["maxUnavailable"].map(Self.scalar) ?? "0"
            details.append("maxSurge \(surge), maxUnavailable \(unavailable)")
        }
        return details.isEmpty ? type : "\(type): \(details.joined(separator: ", "))"
    }

    private static func scalar(_ value: JSONValue) -> String {
        value.stringValue ?? value.intValue.map(String.init) ?? value.jsonString()
    }

    /// One line per Service the strategy names (the revision its selector is pinned to) and one
    /// for the HTTPRoute (each backendRef's weight), from the objects that could be read.
    private static func traffic(_ objects: ReleaseObjects) -> [String] {
        let spec = objects.appRelease["spec"] ?? .null
        let named: (section: String, fields: [(field: String, role: String)])
        switch spec[path: "strategy", "type"]?.stringValue {
        case StrategyType.blueGreen.rawValue?: named = ("blueGreen", [("activeService", "active"), ("previewService", "preview")])
        case StrategyType.canary.rawValue?: named = ("canary", [("stableService", "stable"), ("canaryService", "canary")])
        default: named = ("", [])
        }
        var lines: [String] = []
        for (field, role) in named.fields {
            guard let name = spec[path: "strategy", named.section, field]?.stringValue else { continue }
            guard let service = objects.services[name] else {
                lines.append("Service \(name) (\(role)): not found")
                continue
            }
            let pinned = ObservedService(json: service).selector[AppReleaseAPI.revisionLabel]
            lines.append("Service \(name) (\(role)) → " + (pinned.map { "revision \($0)" } ?? "every revision (not pinned)"))
        }
        if let route = objects.httpRoute {
            let observed = ObservedHTTPRoute(json: route)
            var seen: Set<String> = []
            let weights = observed.backendRefs.compactMap { ref -> String? in
                guard seen.insert(ref.name).inserted else { return nil }
                return "\(ref.name) \(ref.effectiveWeight)"
            }
            lines.append("HTTPRoute \(observed.name): " + (weights.isEmpty ? "no backendRefs" : "weights " + weights.joined(separator: ", ")))
        }
        return lines
    }

    private static func revisions(_ objects: ReleaseObjects, status: AppReleaseStatus) -> (shown: [Revision], hidden: Int) {
        let pods = objects.ownedPods.map(PodSummary.init(json:))
        var shown: [Revision] = []
        var hidden = 0
        let sets = objects.ownedReplicaSets.compactMap { json in ObservedReplicaSet(json: json).map { (json, $0) } }
            .sorted { ($0.1.revisionNumber, $0.1.name) > ($1.1.revisionNumber, $1.1.name) }
        for (json, set) in sets {
            var roles: [String] = []
            if set.revision == status.currentRevision { roles.append("current") }
            if set.revision == status.stableRevision { roles.append("stable") }
            let own = pods.filter { $0.owner == set.name }.sorted { $0.name < $1.name }
            guard set.replicas > 0 || set.currentReplicas > 0 || !own.isEmpty || !roles.isEmpty else {
                hidden += 1
                continue
            }
            let image = set.image ?? json[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"]?.stringValue
            shown.append(
                Revision(
                    revision: set.revision, number: set.revisionNumber, roles: roles, image: image.map(RolloutEngine.shortImage) ?? "<unknown>",
                    desired: set.replicas, ready: set.readyReplicas, available: set.availableReplicas, pods: own))
        }
        return (shown, hidden)
    }

    private static let conditionOrder: [String] = {
        typealias C = AppReleaseAPI.ConditionType
        return [C.ready, C.available, C.progressing, C.degraded, C.paused, C.invalidSpec, C.reconciling, C.stalled]
    }()

    private static func conditions(_ conditions: [Condition], generation: Int64) -> [ConditionRow] {
        conditions.filter(ConditionNorms.isAbnormal)
            .sorted { (conditionOrder.firstIndex(of: $0.type) ?? .max, $0.type) < (conditionOrder.firstIndex(of: $1.type) ?? .max, $1.type) }
            .map { condition in
                ConditionRow(
                    type: condition.type, status: condition.status.rawValue, reason: condition.reason, message: condition.message,
                    isStale: !ConditionNorms.isCurrent(condition, generation: generation))
            }
    }

    /// The last `eventLimit` Events, oldest first (as `kubectl describe` lists them).
    private static func events(_ events: [JSONValue]) -> [EventRow] {
        let sorted = events.sorted { ($0.meta.name) < ($1.meta.name) }
        let rows = sorted.map { event -> EventRow in
            let time = [event["lastTimestamp"], event["eventTime"], event[path: "metadata", "creationTimestamp"]]
                .lazy.compactMap { $0?.stringValue.flatMap(KubeTime.parse) }.first
            return EventRow(
                type: event["type"]?.stringValue ?? "Normal", reason: event["reason"]?.stringValue ?? "",
                message: event["message"]?.stringValue ?? "", count: Int(event["count"]?.intValue ?? 1), lastSeen: time)
        }
        let ordered = rows.enumerated().sorted { left, right in
            let (l, r) = (left.element.lastSeen ?? .distantPast, right.element.lastSeen ?? .distantPast)
            return l == r ? left.offset < right.offset : l < r
        }.map(\.element)
        return Array(ordered.suffix(eventLimit))
    }
}

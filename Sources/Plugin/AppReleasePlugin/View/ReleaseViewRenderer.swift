import Foundation

/// The text of a `ReleaseView`, laid out like `kubectl describe`: labelled fields, then
/// revisions with their pods, the conditions that need attention, and the recent Events.
/// `now` only ages the Events.
enum ReleaseViewRenderer {
    static func render(_ view: ReleaseView, now: Date) -> String {
        var lines: [String] = []
        var fields = TextTable()
        fields.append(["Name:", view.name])
        fields.append(["Namespace:", view.namespace])
        fields.append(["Phase:", view.phase])
        if !view.message.isEmpty { fields.append(["Message:", view.message]) }
        if let stale = view.staleStatus { fields.append(["Observed:", stale]) }
        fields.append(["Strategy:", view.strategy])
        for (index, line) in view.traffic.enumerated() { fields.append([index == 0 ? "Traffic:" : "", line]) }
        fields.append(["Current:", view.current])
        fields.append(["Stable:", view.stable])
        fields.append(["Replicas:", view.replicas])
        lines += fields.lines()

        lines.append("")
        lines += revisions(view)
        lines.append("")
        lines += conditions(view.conditions)
        lines.append("")
        lines += events(view.events, now: now)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A line per revision, each followed by its pods. Revisions and pods are laid out as two
    /// tables, so the pod columns line up across revisions.
    private static func revisions(_ view: ReleaseView) -> [String] {
        guard !view.revisions.isEmpty else {
            return ["Revisions:  <none>"] + hiddenNote(view.hiddenRevisions)
        }
        var revisionTable = TextTable()
        var podTable = TextTable()
        for revision in view.revisions {
            let roles = revision.roles.isEmpty ? "" : " (\(revision.roles.joined(separator: ", ")))"
            revisionTable.append([
                "#\(revision.number) \(revision.revision)\(roles)", revision.image,
                "\(revision.desired) desired, \(revision.ready) ready, \(revision.available) available",
            ])
            if revision.pods.isEmpty { podTable.append(["<no pods>"]) }
            for pod in revision.pods {
                podTable.append([pod.name, pod.status, "\(pod.ready) ready", "\(pod.restarts) restarts", pod.isHealthy ? "" : pod.detail ?? ""])
            }
        }
        var revisionLines = revisionTable.lines(indent: "  ")[...]
        var podLines = podTable.lines(indent: "    ")[...]
        var lines = ["Revisions:"]
        for revision in view.revisions {
            lines.append(revisionLines.popFirst() ?? "")
            for _ in 0..<max(revision.pods.count, 1) { lines.append(podLines.popFirst() ?? "") }
        }
        return lines + hiddenNote(view.hiddenRevisions)
    }

    private static func hiddenNote(_ hidden: Int) -> [String] {
        hidden == 0 ? [] : ["  (\(hidden) older revision\(hidden == 1 ? "" : "s") scaled to 0)"]
    }

    private static func conditions(_ rows: [ReleaseView.ConditionRow]) -> [String] {
        guard !rows.isEmpty else { return ["Conditions:  all in their normal state"] }
        var table = TextTable([["TYPE", "STATUS", "REASON", "MESSAGE"]])
        for row in rows {
            table.append([row.type, row.status, row.reason, row.isStale ? "(earlier generation) " + row.message : row.message])
        }
        return ["Conditions not in their normal state:"] + table.lines(indent: "  ")
    }

    private static func events(_ rows: [ReleaseView.EventRow], now: Date) -> [String] {
        guard !rows.isEmpty else { return ["Events:  <none>"] }
        var table = TextTable([["LAST SEEN", "TYPE", "REASON", "MESSAGE"]])
        for row in rows {
            let age = row.lastSeen.map { HumanDuration.render(now.timeIntervalSince($0)) } ?? "<unknown>"
            let count = row.count > 1 ? " (x\(row.count))" : ""
            table.append([age, row.type, row.reason, row.message + count])
        }
        return ["Events:"] + table.lines(indent: "  ")
    }
}

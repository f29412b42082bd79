import AppReleaseAPI
import Foundation
import KubeModels
import RolloutEngine

/// One line of `kubectl apprelease history`: a release from `status.history`, or the release in
/// flight, with the number of its revision.
struct HistoryRow: Sendable, Hashable {
    /// The revision's number on its ReplicaSet: what `undo --to-revision` takes. Nil when that
    /// ReplicaSet is gone (beyond `revisionHistoryLimit`).
    var number: Int?
    /// The revision hash (`status.history[].revision`, the ReplicaSet's `apprelease.dev/revision`).
    var revision: String
    var image: String
    /// `Succeeded`, `RolledBack`, `Failed`, `Superseded`, `Aborted`; for the release in flight,
    /// the phase (`Progressing`, `Paused`).
    var outcome: String
    var startedAt: Date?
    var finishedAt: Date?
    var reason: String?
    var message: String?

    /// Oldest first, as `kubectl rollout history` lists revisions: `status.history` (kept newest
    /// first, at most 10 entries), then the release in flight. A revision released again takes
    /// the next number, so every entry of it shows that number: the one undo takes.
    static func rows(status: AppReleaseStatus, records: [RevisionRecord]) -> [HistoryRow] {
        let numbers = records.numbersByRevision
        var rows = (status.history ?? []).reversed().map { entry in
            HistoryRow(
                number: numbers[entry.revision], revision: entry.revision, image: entry.image, outcome: entry.outcome.rawValue,
                startedAt: entry.startedAt, finishedAt: entry.finishedAt, reason: entry.reason, message: entry.message)
        }
        if let release = status.release {
            let phase = status.phase == .paused ? AppReleasePhase.paused : AppReleasePhase.progressing
            rows.append(
                HistoryRow(
                    number: numbers[release.revision], revision: release.revision, image: release.image, outcome: phase.rawValue,
                    startedAt: release.startedAt, finishedAt: nil, reason: nil, message: status.message))
        }
        return rows
    }

    /// The `-o json|yaml` form: full image, RFC 3339 times, absent fields left out.
    var json: JSONValue {
        var fields: [String: JSONValue] = ["revision": .string(revision), "image": .string(image), "outcome": .string(outcome)]
        if let number { fields["revisionNumber"] = .int(Int64(number)) }
        if let startedAt { fields["startedAt"] = .string(KubeTime.format(startedAt)) }
        if let finishedAt { fields["finishedAt"] = .string(KubeTime.format(finishedAt)) }
        if let reason { fields["reason"] = .string(reason) }
        if let message { fields["message"] = .string(message) }
        return .object(fields)
    }
}

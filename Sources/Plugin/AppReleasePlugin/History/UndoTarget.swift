import AppReleaseAPI

/// What `undo` releases again: an image from the AppRelease's history.
struct UndoTarget: Sendable, Hashable {
    var image: String
    var revision: String
    var number: Int?

    enum Choice: Sendable, Hashable {
        case release(UndoTarget)
        /// `--to-revision` names the revision that already runs: nothing to do (kubectl's
        /// "skipped rollback").
        case alreadyCurrent(UndoTarget)
    }

    /// Without `toRevision`: the newest release that Succeeded with an image other than the
    /// current one (a release that failed or was aborted is never a target by default).
    /// With it: the revision of that number (`history`'s REVISION column, the ReplicaSet's
    /// `apprelease.dev/revision-number`), whatever its outcome, since the user named it.
    static func choose(
        currentImage: String, rows: [HistoryRow], records: [RevisionRecord], toRevision: Int?
    ) -> Result<Choice, UndoRefusal> {
        guard let toRevision else {
            guard let row = rows.last(where: { $0.outcome == ReleaseOutcome.succeeded.rawValue && $0.image != currentImage }) else {
                return .failure(.noEarlierSuccess(currentImage: currentImage))
            }
            return .success(.release(UndoTarget(image: row.image, revision: row.revision, number: row.number)))
        }
        // The ReplicaSet carries the number and (normally) the image; history has the image too.
        guard let record = records.first(where: { $0.number == toRevision }),
            let image = record.image ?? rows.last(where: { $0.revision == record.revision })?.image, !image.isEmpty
        else {
            let known = Set(records.map(\.number)).sorted().map(String.init).joined(separator: ", ")
            return .failure(.revisionNotFound(toRevision, known: known))
        }
        let target = UndoTarget(image: image, revision: record.revision, number: toRevision)
        return .success(image == currentImage ? .alreadyCurrent(target) : .release(target))
    }
}

/// Why `undo` has nothing to release.
enum UndoRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case noEarlierSuccess(currentImage: String)
    case revisionNotFound(Int, known: String)

    var description: String {
        switch self {
        case .noEarlierSuccess(let current):
            return "no earlier successful release to undo to: status.history has no Succeeded release of an image "
                + "other than the current one (\(current))"
        case .revisionNotFound(let number, let known):
            return "unable to find revision \(number) in history (revisions: \(known.isEmpty ? "none" : known)); "
                + "see kubectl apprelease history"
        }
    }
}

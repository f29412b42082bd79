import AppReleaseAPI
import Foundation
import KubeModels
import Testing

@testable import AppReleasePlugin

@Suite("Undo's choice")
struct UndoTargetTests {
    static func image(_ tag: Character) -> String { "registry.example/web@sha256:" + String(repeating: tag, count: 64) }
    static let v1 = image("1"), v2 = image("2"), v3 = image("3")

    static func entry(_ revision: String, _ image: String, _ outcome: ReleaseOutcome) -> ReleaseHistoryEntry {
        ReleaseHistoryEntry(revision: revision, image: image, outcome: outcome)
    }

    /// Revisions r1 (v1), r2 (v2), r3 (v3) with ReplicaSets numbered 1, 2, 3.
    static let records = [
        RevisionRecord(number: 1, revision: "r1", image: v1), RevisionRecord(number: 2, revision: "r2", image: v2),
        RevisionRecord(number: 3, revision: "r3", image: v3),
    ]

    static func rows(_ history: [ReleaseHistoryEntry], records: [RevisionRecord] = records) -> [HistoryRow] {
        var status = AppReleaseStatus()
        status.history = history
        return HistoryRow.rows(status: status, records: records)
    }

    @Test func byDefaultThePreviousSuccessfulImage() {
        // Newest first: v3 failed and was rolled back; v2 is the last good one.
        let rows = Self.rows([Self.entry("r3", Self.v3, .rolledBack), Self.entry("r2", Self.v2, .succeeded), Self.entry("r1", Self.v1, .succeeded)])
        let choice = UndoTarget.choose(currentImage: Self.v3, rows: rows, records: Self.records, toRevision: nil)
        #expect(choice == .success(.release(UndoTarget(image: Self.v2, revision: "r2", number: 2))))
    }

    @Test func skipsTheCurrentImageAndReleasesThatDidNotSucceed() {
        let rows = Self.rows([
            Self.entry("r3", Self.v3, .succeeded), Self.entry("r2", Self.v2, .aborted), Self.entry("r2", Self.v2, .superseded),
            Self.entry("r1", Self.v1, .succeeded),
        ])
        let choice = UndoTarget.choose(currentImage: Self.v3, rows: rows, records: Self.records, toRevision: nil)
        #expect(choice == .success(.release(UndoTarget(image: Self.v1, revision: "r1", number: 1))))
    }

    @Test func theTargetNeedsNoReplicaSet() {
        // r1's ReplicaSet was deleted (beyond revisionHistoryLimit): history still has its image.
        let rows = Self.rows([Self.entry("r2", Self.v2, .succeeded), Self.entry("r1", Self.v1, .succeeded)], records: [Self.records[1]])
        let choice = UndoTarget.choose(currentImage: Self.v2, rows: rows, records: [Self.records[1]], toRevision: nil)
        #expect(choice == .success(.release(UndoTarget(image: Self.v1, revision: "r1", number: nil))))
    }

    @Test func refusesWithoutAnEarlierSuccess() {
        let rows = Self.rows([Self.entry("r2", Self.v2, .rolledBack), Self.entry("r1", Self.v1, .succeeded)])
        let choice = UndoTarget.choose(currentImage: Self.v1, rows: rows, records: Self.records, toRevision: nil)
        #expect(choice == .failure(.noEarlierSuccess(currentImage: Self.v1)))
        #expect(UndoRefusal.noEarlierSuccess(currentImage: Self.v1).description.hasPrefix("no earlier successful release to undo to"))
        #expect(UndoTarget.choose(currentImage: Self.v1, rows: [], records: [], toRevision: nil) == .failure(.noEarlierSuccess(currentImage: Self.v1)))
    }

    @Test func toRevisionTakesTheReplicaSetsNumberWhateverItsOutcome() {
        let rows = Self.rows([Self.entry("r3", Self.v3, .succeeded), Self.entry("r2", Self.v2, .rolledBack), Self.entry("r1", Self.v1, .succeeded)])
        #expect(
            UndoTarget.choose(currentImage: Self.v3, rows: rows, records: Self.records, toRevision: 2)
                == .success(.release(UndoTarget(image: Self.v2, revision: "r2", number: 2))))
        #expect(
            UndoTarget.choose(currentImage: Self.v3, rows: rows, records: Self.records, toRevision: 3)
                == .success(.alreadyCurrent(UndoTarget(image: Self.v3, revision: "r3", number: 3))))
        let missing = UndoTarget.choose(currentImage: Self.v3, rows: rows, records: Self.records, toRevision: 7)
        #expect(missing == .failure(.revisionNotFound(7, known: "1, 2, 3")))
        #expect(UndoRefusal.revisionNotFound(7, known: "1, 2, 3").description.hasPrefix("unable to find revision 7 in history (revisions: 1, 2, 3)"))
    }

    @Test func aRevisionReleasedAgainHasItsNewNumberOnEveryRow() {
        // v1 → v2 → v1 again: r1's ReplicaSet was renumbered 3.
        let records = [RevisionRecord(number: 3, revision: "r1", image: Self.v1), RevisionRecord(number: 2, revision: "r2", image: Self.v2)]
        let rows = Self.rows(
            [Self.entry("r1", Self.v1, .succeeded), Self.entry("r2", Self.v2, .succeeded), Self.entry("r1", Self.v1, .succeeded)], records: records)
        #expect(rows.map(\.number) == [3, 2, 3])
        #expect(
            UndoTarget.choose(currentImage: Self.v1, rows: rows, records: records, toRevision: nil)
                == .success(.release(UndoTarget(image: Self.v2, revision: "r2", number: 2))))
        #expect(UndoTarget.choose(currentImage: Self.v1, rows: rows, records: records, toRevision: 1) == .failure(.revisionNotFound(1, known: "2, 3")))
    }

    @Test func recordsComeFromOurReplicaSetAnnotations() {
        let sets: [JSONValue] = [
            ["metadata": ["name": "web-r1", "labels": ["apprelease.dev/revision": "r1"],
                          "annotations": ["apprelease.dev/revision-number": "4", "apprelease.dev/image": .string(Self.v1)]]],
            ["metadata": ["name": "stray", "labels": ["app": "web"]]],
        ]
        #expect(RevisionRecord.records(of: sets) == [RevisionRecord(number: 4, revision: "r1", image: Self.v1)])
    }
}

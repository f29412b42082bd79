import AppReleaseAPI
import Foundation
import KubeModels
import Testing

@testable import AppReleasePlugin

@Suite("history and list tables")
struct HistoryTableTests {
    static let v1 = "registry.example/web@sha256:" + String(repeating: "1", count: 64)
    static let v2 = "registry.example/web@sha256:" + String(repeating: "2", count: 64)
    static let t0 = Date(timeIntervalSince1970: 1_733_570_000)

    @Test func historyIsOldestFirstWithTheReleaseInFlightLast() {
        var status = AppReleaseStatus()
        status.history = [
            ReleaseHistoryEntry(
                revision: "5f6d7c8b9", image: Self.v2, outcome: .rolledBack, startedAt: Self.t0 + 60, finishedAt: Self.t0 + 90, reason: "CrashLoop"),
            ReleaseHistoryEntry(
                revision: "7d9c5b6f4", image: Self.v1, outcome: .succeeded, startedAt: Self.t0, finishedAt: Self.t0 + 30, reason: "ReleaseComplete"),
        ]
        status.release = ReleaseProgress(revision: "8b7c6d5f4", image: Self.v2, startedAt: Self.t0 + 120, lastProgressAt: Self.t0 + 120, maxAvailable: 0)
        status.phase = .paused
        let records = [RevisionRecord(number: 1, revision: "7d9c5b6f4", image: Self.v1), RevisionRecord(number: 3, revision: "8b7c6d5f4", image: Self.v2)]
        let table = HistoryTable.render(HistoryRow.rows(status: status, records: records))
        #expect(
            table == """
                REVISION   HASH        IMAGE              OUTCOME      STARTED                FINISHED               REASON
                1          7d9c5b6f4   web@111111111111   Succeeded    2024-12-07T11:13:20Z   2024-12-07T11:13:50Z   ReleaseComplete
                <none>     5f6d7c8b9   web@222222222222   RolledBack   2024-12-07T11:14:20Z   2024-12-07T11:14:50Z   CrashLoop
                3          8b7c6d5f4   web@222222222222   Paused       2024-12-07T11:15:20Z   <none>                 <none>

                """)
    }

    @Test func historyAsJSONKeepsFullImagesAndNumbers() throws {
        let row = HistoryRow(
            number: 2, revision: "r2", image: Self.v2, outcome: "Succeeded", startedAt: Self.t0, finishedAt: nil, reason: "ReleaseComplete", message: nil)
        let json = try JSONValue(parsing: OutputFormat.json.render(.array([row.json])))
        #expect(json == [["revisionNumber": 2, "revision": "r2", "image": .string(Self.v2), "outcome": "Succeeded", "startedAt": "2024-12-07T11:13:20Z", "reason": "ReleaseComplete"]])
    }

    static func appRelease(_ name: String, namespace: String, image: String = v1, strategy: JSONValue, status: JSONValue) -> AppReleaseObject {
        AppReleaseObject([
            "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": "2024-12-07T11:13:20Z"],
            "spec": ["image": .string(image), "replicas": 4, "template": [:], "strategy": strategy],
            "status": status,
        ])
    }

    @Test func listShowsTheCanaryStepAndTheNamespaceWithAllNamespaces() {
        let canary = Self.appRelease(
            "web", namespace: "shop",
            strategy: ["type": "Canary", "canary": ["steps": [["setWeight": 25], ["pause": [:]], ["setWeight": 50], ["pause": [:]], ["setWeight": 100]]]],
            status: ["phase": "Paused", "currentStepIndex": 1, "availableReplicas": 4])
        let rolling = Self.appRelease(
            "api", namespace: "payments", strategy: ["type": "Rolling"], status: ["phase": "Healthy", "availableReplicas": 4, "stableImage": .string(Self.v1)])
        let table = ListTable.render([rolling, canary], allNamespaces: true, now: Self.t0 + 3 * 3600 + 60)
        #expect(
            table == """
                NAMESPACE   NAME   STRATEGY   PHASE     STEP   READY   SERVING            TARGET             AGE
                payments    api    Rolling    Healthy   -      4/4     web@111111111111   web@111111111111   3h1m
                shop        web    Canary     Paused    2/5    4/4     <none>             web@111111111111   3h1m

                """)
        #expect(ListTable.render([canary], allNamespaces: false, now: Self.t0 + 30).hasPrefix("NAME   STRATEGY"))
    }

    @Test func listShowsTheServingImageAfterARevertAndTheFailedOneAsTarget() {
        let reverted = Self.appRelease(
            "web", namespace: "shop", image: Self.v2, strategy: ["type": "Rolling"],
            status: ["phase": "RolledBack", "availableReplicas": 4, "stableImage": .string(Self.v1), "currentImage": .string(Self.v2)])
        #expect(
            ListTable.render([reverted], allNamespaces: false, now: Self.t0 + 45) == """
                NAME   STRATEGY   PHASE        STEP   READY   SERVING            TARGET             AGE
                web    Rolling    RolledBack   -      4/4     web@111111111111   web@222222222222   45s

                """)
    }

    @Test func canaryStepsCountFromOneAndStopAtTheLast() {
        #expect(ReleaseStep.text(strategy: .canary, steps: 5, currentIndex: 0) == "1/5")
        #expect(ReleaseStep.text(strategy: .canary, steps: 5, currentIndex: 5) == "5/5")
        #expect(ReleaseStep.text(strategy: .canary, steps: 5, currentIndex: nil) == nil)
        #expect(ReleaseStep.text(strategy: .blueGreen, steps: 0, currentIndex: 1) == nil)
    }

    @Test(arguments: [(45, "45s"), (150, "2m30s"), (600, "10m"), (3 * 3600 + 60, "3h1m"), (9 * 3600, "9h"), (50 * 3600, "2d2h"), (40 * 86400, "40d")])
    func agesReadAsKubectlPrintsThem(_ seconds: Int, _ text: String) {
        #expect(HumanDuration.render(TimeInterval(seconds)) == text)
    }
}

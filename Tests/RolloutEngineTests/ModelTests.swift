import AppReleaseAPI
import Foundation
import KubeModels
import Testing

@Suite("IntOrString rounding (Deployment controller semantics)")
struct IntOrStringTests {
    @Test func percentRoundsUpForSurgeAndDownForUnavailable() throws {
        let quarter: IntOrString = "25%"
        #expect(try quarter.scaledValue(total: 10, roundUp: true) == 3)
        #expect(try quarter.scaledValue(total: 10, roundUp: false) == 2)
        #expect(try quarter.scaledValue(total: 4, roundUp: true) == 1)
        #expect(try quarter.scaledValue(total: 4, roundUp: false) == 1)
        #expect(try quarter.scaledValue(total: 3, roundUp: false) == 0)
        #expect(try IntOrString.int(5).scaledValue(total: 100, roundUp: false) == 5)
        // deployment.md: 30% of 10 lets the old ReplicaSet go to 70% at once.
        #expect(try IntOrString("30%").scaledValue(total: 10, roundUp: false) == 3)
    }

    @Test func fencepostsNeverBothZero() throws {
        let both = try IntOrString.resolveFenceposts(maxSurge: "25%", maxUnavailable: "25%", desired: 3)
        #expect(both.surge == 1 && both.unavailable == 0)
        let zero = try IntOrString.resolveFenceposts(maxSurge: 0, maxUnavailable: "10%", desired: 3)
        #expect(zero.surge == 0 && zero.unavailable == 1)
        let absent = try IntOrString.resolveFenceposts(maxSurge: nil, maxUnavailable: nil, desired: 5)
        #expect(absent.surge == 0 && absent.unavailable == 1)
    }

    @Test func rejectsStringsThatAreNotPercentages() {
        #expect(throws: IntOrStringError.self) { try IntOrString("5").scaledValue(total: 10, roundUp: true) }
        #expect(throws: IntOrStringError.self) { try IntOrString("%").scaledValue(total: 10, roundUp: true) }
        #expect(throws: IntOrStringError.self) { try IntOrString("1.5%").scaledValue(total: 10, roundUp: true) }
    }

    @Test func codableRoundTripKeepsTheWireShape() throws {
        let decoded = try JSONDecoder().decode([IntOrString].self, from: Data(#"[3,"25%"]"#.utf8))
        #expect(decoded == [.int(3), .string("25%")])
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"[3,"25%"]"#)
    }
}

@Suite("Durations")
struct TimeTests {
    @Test func durations() throws {
        #expect(try DurationParser.seconds("60s") == 60)
        #expect(try DurationParser.seconds("5m") == 300)
        #expect(try DurationParser.seconds("1h30m") == 5400)
        #expect(try DurationParser.seconds("0s") == 0)
        for bad in ["", "60", "5x", "m5", "1.5m", "-1s"] {
            #expect(throws: DurationParseError.self) { try DurationParser.seconds(bad) }
        }
        do {
            _ = try DurationParser.seconds("5x")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("unknown unit \"x\""))
        }
    }
}

@Suite("Conditions")
struct ConditionTests {
    let t0 = Date(timeIntervalSince1970: 1_000)
    let t1 = Date(timeIntervalSince1970: 2_000)

    @Test func lastTransitionTimeMovesOnlyWhenStatusFlips() {
        var conditions: [Condition] = []
        let added = conditions.set("Ready", status: .false, reason: "ReleaseInProgress", observedGeneration: 1, now: t0)
        let repeated = conditions.set("Ready", status: .false, reason: "ReleaseInProgress", observedGeneration: 1, now: t1)
        let reworded = conditions.set("Ready", status: .false, reason: "Waiting", message: "2/3", observedGeneration: 2, now: t1)
        #expect(added && !repeated && reworded)
        #expect(conditions.condition("Ready")?.lastTransitionTime == t0)
        #expect(conditions.condition("Ready")?.observedGeneration == 2)
        let flipped = conditions.set("Ready", status: .true, reason: "ReleaseComplete", observedGeneration: 2, now: t1)
        #expect(flipped)
        #expect(conditions.condition("Ready")?.lastTransitionTime == t1)
        #expect(conditions.isTrue("Ready"))
        #expect(conditions.count == 1)
    }

    @Test func codableUsesMetav1Shape() throws {
        let condition = Condition(
            type: "Ready", status: .true, reason: "ReleaseComplete", message: "done", observedGeneration: 3,
            lastTransitionTime: t0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(condition), as: UTF8.self)
        #expect(
            text
                == #"{"lastTransitionTime":"1970-01-01T00:16:40Z","message":"done","observedGeneration":3,"reason":"ReleaseComplete","status":"True","type":"Ready"}"#
        )
        #expect(try JSONDecoder().decode(Condition.self, from: Data(text.utf8)) == condition)
    }
}

@Suite("AppRelease models")
struct AppReleaseModelTests {
    @Test func specDecodesLenientlyAndKeepsTheTemplate() throws {
        let json = #"""
            {"image":"r/web@sha256:abc","replicas":4,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","x-unknown":{"a":[1,2.5,null]}}]}},
             "strategy":{"type":"Canary","canary":{"steps":[{"setWeight":10},{"pause":{"duration":"60s"}},{"pause":{}}]}},
             "failFast":{"maxRestarts":2}}
            """#
        let spec = try JSONDecoder().decode(AppReleaseSpec.self, from: Data(json.utf8))
        #expect(spec.replicas == 4)
        #expect(spec.strategy?.type == .canary)
        #expect(spec.strategy?.canary?.steps?.count == 3)
        #expect(try spec.strategy?.canary?.steps?[1].pause?.durationSeconds() == 60)
        #expect(try spec.strategy?.canary?.steps?[2].pause?.durationSeconds() == nil)
        #expect(spec.template[path: "spec", "containers"]?.arrayValue?.first?["x-unknown"] == ["a": [1, 2.5, nil]])
        let empty = try JSONDecoder().decode(AppReleaseSpec.self, from: Data("{}".utf8))
        #expect(empty.image == "" && empty.template == .null)
    }

    @Test func statusRoundTrips() throws {
        var status = AppReleaseStatus()
        status.phase = .rolledBack
        status.release = ReleaseProgress(
            revision: "abc", image: "i", startedAt: Date(timeIntervalSince1970: 10),
            lastProgressAt: Date(timeIntervalSince1970: 20), maxAvailable: 2)
        status.history = [
            ReleaseHistoryEntry(revision: "abc", image: "i", outcome: .superseded, finishedAt: Date(timeIntervalSince1970: 30))
        ]
        status.failure = ReleaseFailure(
            revision: "abc", image: "i", reason: "CrashLoop", message: "m", failedAt: Date(timeIntervalSince1970: 40))
        let data = try JSONEncoder().encode(status)
        #expect(try JSONDecoder().decode(AppReleaseStatus.self, from: data) == status)
    }
}

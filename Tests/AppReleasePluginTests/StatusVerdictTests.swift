import KubeModels
import RolloutEngine
import Testing

@testable import AppReleasePlugin

@Suite("status: the verdict")
struct StatusVerdictTests {
    static func verdict(_ object: JSONValue) -> ReleaseVerdict {
        ReleaseVerdict(ObservedAppRelease(json: object))
    }

    @Test func aReadyLeftFromThePreviousGenerationNeverPasses() {
        let verdict = Self.verdict(StatusFixtures.staleReady)
        #expect(verdict.outcome == .inProgress)
        #expect(verdict.reason == ReleaseVerdict.notObserved)
        #expect(verdict.exitCode == 2)
    }

    @Test func aReadyConditionOlderThanTheStatusDoesNotPassEither() {
        // observedGeneration moved on, but the Ready condition still describes generation 1.
        var object = StatusFixtures.staleReady
        object["status"]?["observedGeneration"] = 2
        #expect(Self.verdict(object).reason == ReleaseVerdict.notObserved)
    }

    @Test func anObjectWithoutStatusIsNotObservedYet() {
        var object = StatusFixtures.ready
        object["status"] = nil
        let verdict = Self.verdict(object)
        #expect(verdict.outcome == .inProgress)
        #expect(verdict.message == "waiting for the controller to observe generation 2 (no status yet)")
    }

    @Test func readyForTheCurrentGenerationExitsZero() {
        let verdict = Self.verdict(StatusFixtures.ready)
        #expect(verdict.outcome == .ready)
        #expect(verdict.reason == "ReleaseComplete")
        #expect(verdict.exitCode == 0)
    }

    @Test func aRollbackFailsAtOnceWhileTheRevertStillRuns() {
        let verdict = Self.verdict(StatusFixtures.rolledBack)
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "CrashLoop")
        #expect(verdict.exitCode == 1)
    }

    @Test func aFailedFirstReleaseFailsByItsPhase() {
        // Phase Degraded with no Degraded condition (an older controller): the phase decides.
        var object = StatusFixtures.rolledBack
        object["status"]?["phase"] = "Degraded"
        object["status"]?["conditions"] = .array([])
        let verdict = Self.verdict(object)
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "CrashLoop")
    }

    @Test func anInvalidSpecFailsAndAStaleDegradedIsNotItsReason() {
        let verdict = Self.verdict(StatusFixtures.invalidAfterFailure)
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "InvalidSpec")
        #expect(verdict.message.hasPrefix("spec.image: must be pinned by digest"))
    }

    @Test func aNewReleaseAfterAFailureIsNotHeldAgainstItsPredecessor() {
        let verdict = Self.verdict(StatusFixtures.releasingAfterFailure)
        #expect(verdict.outcome == .inProgress)
        #expect(verdict.reason == "ReleaseInProgress")
    }

    @Test func aMissingServiceIsWaitedForNotFailed() {
        let verdict = Self.verdict(StatusFixtures.serviceMissing)
        #expect(verdict.outcome == .inProgress)
        #expect(verdict.isBlocked)
        #expect(verdict.reason == "ServiceNotFound")
        #expect(verdict.exitCode == 2)
    }

    @Test func stalledForAnyOtherReasonFails() {
        var object = StatusFixtures.serviceMissing
        object["status"]?["conditions"] = StatusFixtures.parse(
            StatusFixtures.conditions(generation: 2, ["Ready": ("False", "ProgressDeadlineExceeded", ""), "Stalled": ("True", "ProgressDeadlineExceeded", "no progress for 600s")]))
        let verdict = Self.verdict(object)
        #expect(verdict.outcome == .failed)
        #expect(verdict.reason == "ProgressDeadlineExceeded")
        #expect(verdict.message == "no progress for 600s")
    }

    @Test func pausedReleasesAreInProgress() {
        #expect(Self.verdict(StatusFixtures.canaryAtStep2) == ReleaseVerdict(outcome: .inProgress, reason: "CanaryPauseStep", message: "canary at 25%, step 2/5, paused 18s more"))
        #expect(Self.verdict(StatusFixtures.awaitingPromotion).reason == "AwaitingPromotion")
    }
}

@Suite("status: the progress line")
struct StatusProgressLineTests {
    static func line(_ object: JSONValue) -> String {
        let appRelease = ObservedAppRelease(json: object)
        return ProgressLine.make(appRelease, verdict: ReleaseVerdict(appRelease))
    }

    @Test func aCanaryStepReadsAsInTheIssue() {
        #expect(Self.line(StatusFixtures.canaryAtStep2) == "web: revision 5d6d7bdfdf 1/3 available (canary 25%, step 2/5, paused at a step)")
    }

    @Test func anInvalidSpecNamesNoRevision() {
        #expect(
            Self.line(StatusFixtures.invalidAfterFailure)
                == "web: invalid spec: spec.image: must be pinned by digest (name@sha256:<64 hex>), got web:latest")
    }

    @Test func eachVerdictHasItsLine() {
        #expect(Self.line(StatusFixtures.staleReady) == "web: waiting for the controller to observe generation 2 (the status is for generation 1)")
        #expect(Self.line(StatusFixtures.ready) == "web: revision 5d6d7bdfdf is ready: 3/3 available")
        #expect(
            Self.line(StatusFixtures.rolledBack)
                == "web: revision 5d6d7bdfdf failed (CrashLoop): Release of web failed (CrashLoop); rolling back to revision 7c9f8b6d5")
        #expect(Self.line(StatusFixtures.awaitingPromotion) == "web: revision 5d6d7bdfdf 3/3 available (awaiting promotion)")
        #expect(
            Self.line(StatusFixtures.serviceMissing)
                == "web: revision 5d6d7bdfdf 0/3 available (canary 25%, step 1/5, blocked, ServiceNotFound: Service web-canary (spec.strategy.canary.canaryService) not found)")
    }
}

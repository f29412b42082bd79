import AppReleaseAPI
import Foundation
import KubeModels

/// The life of a release, the same for every strategy: start, supersede, progress (the
/// high-water mark), succeed, fail, and then revert or hold. What moves pods is the strategy's.
extension Planner {
    mutating func reconcile(_ spec: ReleaseSpec) {
        let strategy = spec.strategy.release
        let revision = spec.revision
        status.selector = spec.selector.selectorString
        status.currentRevision = revision
        status.currentImage = spec.image
        status.currentImageShort = RolloutEngine.shortImage(spec.image)
        status.canaryWeight = nil
        status.currentStepIndex = nil

        let requests = acknowledgeRequests()
        promote = requests.promote
        if let failure = status.failure, failure.revision != revision {
            status.failure = nil  // the spec moved on: the failed revision no longer matters
        }
        if requests.retry {
            if let failure = status.failure {
                status.failure = nil
                let message = "Retrying revision \(failure.revision) (\(failure.image)) as requested"
                event(.normal, "RetryRequested", message)
                recordResult(\.retry, applied: true, message)
            } else {
                let message = "Nothing failed: nothing to retry"
                event(.normal, "RetryIgnored", message)
                recordResult(\.retry, applied: false, message)
            }
        }
        let stableRevision = status.stableRevision
        supersedeIfNeeded(revision: revision)
        if status.failure == nil, revision != stableRevision, status.release == nil {
            startRelease(spec, revision: revision)
        }
        if revision == stableRevision { status.release = nil }
        if status.release != nil { evaluateRelease(spec, revision: revision, abort: requests.abort, strategy: strategy) }
        if requests.abort {
            if status.release == nil && status.failure?.reason != AppReleaseAPI.ConditionReason.aborted {
                let message = "No release in flight: nothing to abort"
                event(.normal, "AbortIgnored", message)
                recordResult(\.abort, applied: false, message)
            } else {
                recordResult(\.abort, applied: true, "Release of \(status.failure?.image ?? spec.image) aborted; reverting")
            }
        }

        let mode: Mode
        if status.failure != nil {
            if let stable = status.stableRevision, replicaSet(of: stable) != nil {
                mode = .revert(stable: stable)
            } else {
                mode = .hold
            }
        } else {
            mode = status.release != nil ? .release : .converge
        }
        releaseUnnamedServices(strategy.services)
        quietScaling = mode == .release
        strategy.scale(&self, spec: spec, revision: revision, mode: mode)
        // In every mode, not only once a release completes (the Deployment controller's rule):
        // releases superseded one after another, or failing one after another, would otherwise
        // pile up empty revisions without bound. Only empty ones go, never the spec's, the
        // stable or the one in flight.
        cleanUpHistory(spec, keep: [revision, status.stableRevision, status.release?.revision].compactMap { $0 })
        if requests.promote != nil {
            if promote != nil {
                let message = "Promotion not applied: \(promoteIgnoredBecause ?? "no release is waiting for promotion")"
                event(.normal, "PromoteIgnored", message)
                recordResult(\.promote, applied: false, message)
            } else {
                recordResult(\.promote, applied: true, promotedBecause ?? "Promoted")
            }
        }
        report(spec, revision: revision, mode: mode, strategy: strategy)
    }

    /// Keeps `status.pinnedServices` to the Services the strategy names, plus those it no longer
    /// names whose pin is still seen: their pin is removed first, so switching a BlueGreen or
    /// Canary AppRelease to Rolling never leaves a Service on a revision the next release scales away.
    mutating func releaseUnnamedServices(_ named: [String]) {
        var pinned = named
        for name in status.pinnedServices ?? [] where !named.contains(name) {
            guard let service = service(name), service.pinnedRevision != nil else { continue }
            writes.append(.unpinService(service: name))
            event(.normal, "UnpinnedService", "Removed \(AppReleaseAPI.revisionLabel) from the selector of Service \(name): the strategy no longer names it")
            pinned.append(name)
        }
        status.pinnedServices = pinned.isEmpty ? nil : pinned
    }

    /// Records what was done with the request of `kind` just acknowledged (its value is in
    /// `status.acknowledged`).
    mutating func recordResult(_ kind: WritableKeyPath<RequestResults, RequestResult?>, applied: Bool, _ message: String) {
        var acknowledged = status.acknowledged ?? AcknowledgedRequests()
        let value: String?
        switch kind {
        case \RequestResults.retry: value = acknowledged.retry
        case \RequestResults.abort: value = acknowledged.abort
        default: value = acknowledged.promote
        }
        var results = acknowledged.results ?? RequestResults()
        results[keyPath: kind] = RequestResult(value: value ?? "", applied: applied, message: message)
        acknowledged.results = results
        status.acknowledged = acknowledged
    }

    /// Reads the request annotations; a request is a value not acted on before.
    mutating func acknowledgeRequests() -> (retry: Bool, abort: Bool, promote: PromoteRequest?) {
        var acknowledged = status.acknowledged ?? AcknowledgedRequests()
        let retry = appRelease.annotations[AppReleaseAPI.retryAnnotation]
        let abort = appRelease.annotations[AppReleaseAPI.abortAnnotation]
        let promote = appRelease.annotations[AppReleaseAPI.promoteAnnotation]
        let retryRequested = retry != nil && retry != acknowledged.retry
        let abortRequested = abort != nil && abort != acknowledged.abort
        let promoteRequest = promote.flatMap { $0 != acknowledged.promote ? PromoteRequest(annotationValue: $0) : nil }
        if let retry { acknowledged.retry = retry }
        if let abort { acknowledged.abort = abort }
        if let promote { acknowledged.promote = promote }
        status.acknowledged = acknowledged == AcknowledgedRequests() ? nil : acknowledged
        return (retryRequested, abortRequested, promoteRequest)
    }

    mutating func supersedeIfNeeded(revision: String) {
        guard let release = status.release, release.revision != revision else { return }
        addHistory(
            ReleaseHistoryEntry(
                revision: release.revision, image: release.image, outcome: .superseded, startedAt: release.startedAt,
                finishedAt: now, reason: "Superseded", message: "superseded by revision \(revision)"))
        event(.normal, "ReleaseSuperseded", "Release of revision \(release.revision) superseded by revision \(revision)")
        status.release = nil
    }

    mutating func startRelease(_ spec: ReleaseSpec, revision: String) {
        let available = replicaSet(of: revision)?.availableReplicas ?? 0
        status.release = ReleaseProgress(
            revision: revision, image: spec.image, startedAt: now, lastProgressAt: now, maxAvailable: available)
        let replacing = status.stableRevision.map { "replacing revision \($0)" } ?? "first release"
        event(.normal, "ReleaseStarted", "Releasing \(spec.image) as revision \(revision) (\(replacing))")
    }

    /// Progress, success, and failure of the release in flight.
    mutating func evaluateRelease(_ spec: ReleaseSpec, revision: String, abort: Bool, strategy: any ReleaseStrategy) {
        guard var release = status.release else { return }
        let target = replicaSet(of: revision)
        let available = target?.availableReplicas ?? 0
        let observed = appRelease.status.conditions
        let pausedCondition = observed?.condition(AppReleaseAPI.ConditionType.paused)
        let wasSpecPaused = pausedCondition?.status == .true && pausedCondition?.reason == AppReleaseAPI.ConditionReason.specPaused
        let stalled = observed?.condition(AppReleaseAPI.ConditionType.stalled)
        let wasBlocked = stalled?.status == .true && AppReleaseAPI.ConditionReason.blocked.contains(stalled?.reason ?? "")
        let blocked = strategy.blocker(self) != nil
        // Time spent paused does not count against the deadline (Deployment: DeploymentResumed),
        // nor time waiting for a missing Service or route: that is not the image's fault, and
        // reverting it would not help. A pause step restarts the clock when it ends, as every
        // completed step does.
        if (wasSpecPaused && !spec.paused) || (wasBlocked && !blocked) { release.lastProgressAt = now }
        let waiting = spec.paused || blocked || strategy.stepPause(self, spec: spec) != nil
        // Only a new high-water mark is progress: pods flapping in and out of readiness do not
        // keep pushing the deadline out (argo-rollouts#3765).
        if available > release.maxAvailable {
            release.maxAvailable = available
            release.lastProgressAt = now
        }
        status.release = release

        if strategy.isComplete(self, spec: spec, revision: revision) {
            succeed(spec, release: release, available: available)
            return
        }
        let deadline = release.lastProgressAt.addingTimeInterval(Double(spec.progressDeadlineSeconds))
        let signal: FailureSignal?
        if abort {
            signal = FailureSignal(reason: AppReleaseAPI.ConditionReason.aborted, message: "release aborted on request")
        } else if let found = FailFast.signal(
            pods: snapshot.pods, revision: revision, since: release.startedAt, maxRestarts: spec.maxRestarts,
            imagePullErrors: spec.failOnImagePullErrors)
        {
            signal = found
        } else if !waiting && now >= deadline {
            signal = FailureSignal(
                reason: AppReleaseAPI.ConditionReason.progressDeadlineExceeded,
                message:
                    "no progress for \(spec.progressDeadlineSeconds)s: \(release.maxAvailable) of \(spec.replicas) new pods ever became available"
            )
        } else {
            signal = nil
        }
        if let signal {
            fail(spec, release: release, signal: signal)
        } else if !waiting {
            requeue(after: seconds(until: deadline) + 1)
        }
    }

    mutating func succeed(_ spec: ReleaseSpec, release: ReleaseProgress, available: Int) {
        let first = status.stableRevision == nil
        status.stableRevision = release.revision
        status.stableImage = release.image
        status.release = nil
        addHistory(
            ReleaseHistoryEntry(
                revision: release.revision, image: release.image, outcome: .succeeded, startedAt: release.startedAt,
                finishedAt: now, reason: "ReleaseComplete",
                message: "\(available) of \(spec.replicas) pods available" + (first ? " (first release)" : "")))
        event(.normal, "ReleaseSucceeded", "Revision \(release.revision) (\(release.image)) is fully available")
    }

    mutating func fail(_ spec: ReleaseSpec, release: ReleaseProgress, signal: FailureSignal) {
        let stable = status.stableRevision.flatMap { replicaSet(of: $0) != nil ? $0 : nil }
        status.failure = ReleaseFailure(
            revision: release.revision, image: release.image, reason: signal.reason, message: signal.message,
            failedAt: now)
        status.release = nil
        let outcome: ReleaseOutcome =
            signal.reason == AppReleaseAPI.ConditionReason.aborted ? .aborted : (stable != nil ? .rolledBack : .failed)
        addHistory(
            ReleaseHistoryEntry(
                revision: release.revision, image: release.image, outcome: outcome, startedAt: release.startedAt,
                finishedAt: now, reason: signal.reason, message: signal.message))
        let next =
            stable.map { "rolling back to revision \($0) (\(status.stableImage ?? "?"))" }
            ?? "no earlier revision to roll back to"
        event(.warning, "ReleaseFailed", "Release of \(release.image) (revision \(release.revision)) failed: \(signal.message); \(next)")
    }
}

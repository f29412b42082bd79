import Foundation
import KubeModels

/// `status` of an AppRelease, written only by the controller through the status subresource.
///
/// Besides what users read (phase, revisions, counts, conditions, history) it carries the
/// engine's bookkeeping (`release`, `failure`, `acknowledged`), so that everything the engine
/// decides follows from the object itself: a restarted controller resumes any release exactly.
public struct AppReleaseStatus: Sendable, Hashable, Codable {
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int64?
    /// A one-word summary; the conditions are authoritative.
    public var phase: AppReleasePhase?
    /// A human sentence about what is happening now.
    public var message: String?
    /// The label selector as a string (for the scale subresource and the HPA).
    public var selector: String?
    /// Revision (template hash) of the spec's release: template with `spec.image` applied.
    public var currentRevision: String?
    /// `spec.image` as last observed.
    public var currentImage: String?
    /// `spec.image` shortened for the printer column: `web@1a2b3c4d5e6f`.
    public var currentImageShort: String?
    /// The last revision that became fully available: the revert target.
    public var stableRevision: String?
    public var stableImage: String?
    /// `stableImage` shortened like `currentImageShort`: the `SERVING` printer column, so that
    /// `kubectl get ar` shows the image serving after a revert, not only the one that failed.
    public var stableImageShort: String?
    /// Pods of all revisions (non-terminated), as reported by their ReplicaSets.
    public var replicas: Int?
    /// Pods of `currentRevision`.
    public var updatedReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    /// Canary: index of the step being run.
    public var currentStepIndex: Int?
    /// Canary: percent of traffic on the new revision.
    public var canaryWeight: Int?
    public var conditions: [Condition]?
    /// Releases, newest first, bounded.
    public var history: [ReleaseHistoryEntry]?
    /// The release in flight (nil when settled).
    public var release: ReleaseProgress?
    /// The revision that failed and is not retried until the spec changes or a retry is asked.
    public var failure: ReleaseFailure?
    /// Request tokens (annotations) already acted on.
    public var acknowledged: AcknowledgedRequests?
    /// Services whose selector the controller pins to a revision (BlueGreen, Canary). A Service
    /// the strategy no longer names (the type changed to Rolling, a Service was renamed) stays
    /// here until the pin is removed, so no Service is left selecting a revision going away.
    public var pinnedServices: [String]?

    public init() {}
}

/// `status.phase`: `Progressing`, `Paused`, `Healthy`, `Unavailable`, `Degraded`, `RolledBack`, `InvalidSpec`.
public struct AppReleasePhase: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let progressing = AppReleasePhase(rawValue: "Progressing")
    public static let paused = AppReleasePhase(rawValue: "Paused")
    public static let healthy = AppReleasePhase(rawValue: "Healthy")
    /// No release in progress, but pods of the released revision are not available (lost, or on
    /// NotReady nodes); the `Available` condition says whether the minimum is met.
    public static let unavailable = AppReleasePhase(rawValue: "Unavailable")
    public static let degraded = AppReleasePhase(rawValue: "Degraded")
    public static let rolledBack = AppReleasePhase(rawValue: "RolledBack")
    public static let invalidSpec = AppReleasePhase(rawValue: "InvalidSpec")
}

/// How a release ended.
public struct ReleaseOutcome: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Fully available; became the stable revision.
    public static let succeeded = ReleaseOutcome(rawValue: "Succeeded")
    /// Failed; the stable revision was restored.
    public static let rolledBack = ReleaseOutcome(rawValue: "RolledBack")
    /// Failed with no earlier revision to restore.
    public static let failed = ReleaseOutcome(rawValue: "Failed")
    /// Replaced by a newer spec before it finished.
    public static let superseded = ReleaseOutcome(rawValue: "Superseded")
    /// Stopped on request (`abort`); the stable revision was restored.
    public static let aborted = ReleaseOutcome(rawValue: "Aborted")
}

/// One entry of `status.history`.
public struct ReleaseHistoryEntry: Sendable, Hashable, Codable {
    public var revision: String
    public var image: String
    public var outcome: ReleaseOutcome
    public var startedAt: Date?
    public var finishedAt: Date?
    /// CamelCase reason, e.g. `ReleaseComplete`, `ProgressDeadlineExceeded`, `CrashLoop`.
    public var reason: String?
    public var message: String?

    public init(
        revision: String, image: String, outcome: ReleaseOutcome, startedAt: Date? = nil,
        finishedAt: Date? = nil, reason: String? = nil, message: String? = nil
    ) {
        self.revision = revision
        self.image = image
        self.outcome = outcome
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.reason = reason
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case revision, image, outcome, startedAt, finishedAt, reason, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        revision = try c.decode(String.self, forKey: .revision)
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        outcome = try c.decode(ReleaseOutcome.self, forKey: .outcome)
        startedAt = try c.decodeRFC3339IfPresent(forKey: .startedAt)
        finishedAt = try c.decodeRFC3339IfPresent(forKey: .finishedAt)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .revision)
        try c.encode(image, forKey: .image)
        try c.encode(outcome, forKey: .outcome)
        try c.encodeRFC3339IfPresent(startedAt, forKey: .startedAt)
        try c.encodeRFC3339IfPresent(finishedAt, forKey: .finishedAt)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(message, forKey: .message)
    }
}

/// `status.release`: the release in flight, kept in status so a restart resumes it.
public struct ReleaseProgress: Sendable, Hashable, Codable {
    public var revision: String
    public var image: String
    /// When this release started (its spec was first observed).
    public var startedAt: Date
    /// Last time the high-water mark rose (or the release started / resumed): the progress
    /// deadline counts from here.
    public var lastProgressAt: Date
    /// The most new-revision pods ever seen available during this release. Only a rise counts
    /// as progress, so readiness that flaps cannot keep postponing the deadline.
    public var maxAvailable: Int
    /// Canary: the step being run. BlueGreen: 0 before promotion, 1 after.
    public var stepIndex: Int?
    /// When the current step (pause) or the pre-promotion wait started.
    public var stepStartedAt: Date?
    /// BlueGreen: when the active Service was switched (old revision scaled down after the delay).
    public var switchedAt: Date?

    public init(
        revision: String, image: String, startedAt: Date, lastProgressAt: Date, maxAvailable: Int,
        stepIndex: Int? = nil, stepStartedAt: Date? = nil, switchedAt: Date? = nil
    ) {
        self.revision = revision
        self.image = image
        self.startedAt = startedAt
        self.lastProgressAt = lastProgressAt
        self.maxAvailable = maxAvailable
        self.stepIndex = stepIndex
        self.stepStartedAt = stepStartedAt
        self.switchedAt = switchedAt
    }

    enum CodingKeys: String, CodingKey {
        case revision, image, startedAt, lastProgressAt, maxAvailable, stepIndex, stepStartedAt, switchedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        revision = try c.decode(String.self, forKey: .revision)
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        startedAt = try c.decodeRFC3339(forKey: .startedAt)
        lastProgressAt = try c.decodeRFC3339IfPresent(forKey: .lastProgressAt) ?? startedAt
        maxAvailable = try c.decodeIfPresent(Int.self, forKey: .maxAvailable) ?? 0
        stepIndex = try c.decodeIfPresent(Int.self, forKey: .stepIndex)
        stepStartedAt = try c.decodeRFC3339IfPresent(forKey: .stepStartedAt)
        switchedAt = try c.decodeRFC3339IfPresent(forKey: .switchedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .revision)
        try c.encode(image, forKey: .image)
        try c.encodeRFC3339(startedAt, forKey: .startedAt)
        try c.encodeRFC3339(lastProgressAt, forKey: .lastProgressAt)
        try c.encode(maxAvailable, forKey: .maxAvailable)
        try c.encodeIfPresent(stepIndex, forKey: .stepIndex)
        try c.encodeRFC3339IfPresent(stepStartedAt, forKey: .stepStartedAt)
        try c.encodeRFC3339IfPresent(switchedAt, forKey: .switchedAt)
    }
}

/// `status.failure`: the failed revision, kept until the spec's revision changes or a retry
/// is requested, so a failed image is not retried in a loop.
public struct ReleaseFailure: Sendable, Hashable, Codable {
    public var revision: String
    public var image: String
    /// `ProgressDeadlineExceeded`, `CrashLoop`, `ImagePullFailed`, `ContainerConfigError`, `Aborted`.
    public var reason: String
    public var message: String
    public var failedAt: Date

    public init(revision: String, image: String, reason: String, message: String, failedAt: Date) {
        self.revision = revision
        self.image = image
        self.reason = reason
        self.message = message
        self.failedAt = failedAt
    }

    enum CodingKeys: String, CodingKey { case revision, image, reason, message, failedAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        revision = try c.decode(String.self, forKey: .revision)
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? "Failed"
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        failedAt = try c.decodeRFC3339IfPresent(forKey: .failedAt) ?? Date(timeIntervalSince1970: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(revision, forKey: .revision)
        try c.encode(image, forKey: .image)
        try c.encode(reason, forKey: .reason)
        try c.encode(message, forKey: .message)
        try c.encodeRFC3339(failedAt, forKey: .failedAt)
    }
}

/// Values of the request annotations (`apprelease.dev/retry`, `…/abort`, `…/promote`) the
/// controller has already acted on; a request is a new value of its annotation.
public struct AcknowledgedRequests: Sendable, Hashable, Codable {
    public var retry: String?
    public var abort: String?
    public var promote: String?
    /// What was done with the last request of each kind, so a client that set a value can tell
    /// whether it applied (`kubectl apprelease promote` exits non-zero when it did not).
    public var results: RequestResults?

    public init(retry: String? = nil, abort: String? = nil, promote: String? = nil, results: RequestResults? = nil) {
        self.retry = retry
        self.abort = abort
        self.promote = promote
        self.results = results
    }
}

/// `status.acknowledged.results`: the outcome of the last request of each kind.
public struct RequestResults: Sendable, Hashable, Codable {
    public var retry: RequestResult?
    public var abort: RequestResult?
    public var promote: RequestResult?

    public init(retry: RequestResult? = nil, abort: RequestResult? = nil, promote: RequestResult? = nil) {
        self.retry = retry
        self.abort = abort
        self.promote = promote
    }
}

/// What the controller did with one request annotation value.
public struct RequestResult: Sendable, Hashable, Codable {
    /// The annotation value acted on.
    public var value: String
    /// False when there was nothing to act on (no failure to retry, no release to abort or
    /// promote); `message` says why.
    public var applied: Bool
    public var message: String

    public init(value: String, applied: Bool, message: String) {
        self.value = value
        self.applied = applied
        self.message = message
    }
}

import Foundation

/// Every figure of a run, as written to the JSON file (seconds, bytes, counts); `rendered()`
/// prints them as a table.
struct BenchReport: Codable, Sendable {
    struct Setup: Codable, Sendable {
        var releases: Int
        var replicas: Int
        var strategy: String
        var canary: String
        var podReadyDelayMs: Int
        var operatorArguments: [String]
        var scenarios: [String]
    }

    /// The operator's first start, over N AppReleases created before it: every one observed,
    /// then released (3 pods each).
    struct FleetRollout: Codable, Sendable {
        /// The driver's creates of N Services and N AppReleases.
        var createSeconds: Double
        var allObservedSeconds: Double
        var allReadySeconds: Double
        var requestsPerRelease: Double
        var cost: ScenarioCost
        /// That first operator process, from its start to its stop.
        var operatorPeakResidentBytes: Int
        var operatorCPUSeconds: Double
    }

    /// The operator restarted over the settled fleet, timed from the process's start.
    struct Startup: Codable, Sendable {
        var metricsServedSeconds: Double
        var cachesSyncedSeconds: Double
        var leaderSeconds: Double
        var allReconciledSeconds: Double
        /// `controller_runtime_reconcile_total` when every AppRelease had been reconciled.
        var reconciles: Double
        var writesBesidesLease: Int
        var cost: ScenarioCost
    }

    struct Idle: Codable, Sendable {
        var windowSeconds: Double
        var requestsPerMinute: Double
        var requestsPerMinuteByKind: [String: Double]
        var operatorCPUSecondsPerMinute: Double
        var cost: ScenarioCost
    }

    /// Single releases, a mass release, or a revert.
    struct Releases: Codable, Sendable {
        var strategy: String
        var releases: Int
        /// From the first patch sent to the last release done.
        var allDoneSeconds: Double
        var patchToReplicaSet: LatencySummary?
        var patchToReady: LatencySummary?
        /// Reverts: from the patch to the stable revision restored.
        var patchToRestored: LatencySummary?
        var requestsPerRelease: Double
        var requestsPerReleaseByVerb: [String: Double]
        var requestsPerReleaseByKind: [String: Double]
        var statusWritesPerRelease: Double
        /// Requests answered 409 Conflict, per release.
        var conflictsPerRelease: Double
        var operatorCPUSecondsPerRelease: Double
        /// The operator's metrics: reconciles by result, Events by outcome (`events dropped`:
        /// its queue was full).
        var operatorCountersPerRelease: [String: Double]
        /// How many AppReleases own each number of ReplicaSets afterwards (`"2": 1000`).
        var replicaSetsPerAppRelease: [String: Int]
        var cost: ScenarioCost
        /// Reverts: the reverted AppReleases released to a good digest again, until Ready.
        var recoverySeconds: Double?
    }

    struct ProcessTotals: Codable, Sendable {
        /// The operator process that ran the scenarios after the fleet's rollout.
        var operatorPeakResidentBytes: Int
        var operatorCPUSeconds: Double
        var kubesimPeakResidentBytes: Int
        var kubesimCPUSeconds: Double
        var driverPeakResidentBytes: Int
        var driverCPUSeconds: Double
    }

    struct Checks: Codable, Sendable {
        var readyAtEnd: Int
        var replicaSetsPerAppReleaseAtEnd: [String: Int]
    }

    var setup: Setup
    var fleet: FleetRollout
    var startup: Startup?
    var idle: Idle?
    var singleRelease: Releases?
    var massRolling: Releases?
    var massCanary: Releases?
    var revert: Releases?
    var processes: ProcessTotals
    var checks: Checks

    func write(toJSON path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(self).write(to: url)
    }
}

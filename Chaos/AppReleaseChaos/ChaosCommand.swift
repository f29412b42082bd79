import ArgumentParser
import CommandLineSupport
import Foundation
import TestSupport

/// `apprelease-chaos`: kubesim, two operator replicas with leader election, random work across
/// AppReleases of all three strategies, and faults injected meanwhile, with the operator's
/// promises checked continuously from kubesim's own state.
@main
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apprelease-chaos",
        abstract: "Break things on purpose while AppReleases release, and check every promise the operator makes.",
        discussion: """
            Runs kubesim in this process and two apprelease-controller replicas (leader election, a 4 s Lease) \
            as child processes. A driver releases good, crash, pullerr, unready and slow digests, scales, \
            promotes, aborts, retries, deletes and releases new digests mid-release, while faults are injected: \
            the leader SIGKILLed (and replaced), watches dropped, 5 % of requests answered 500 and 2 % 429, \
            latency spikes, and the watch history compacted (410 Gone). Invariants are checked from kubesim's \
            state every 250 ms. Ends with `N passed, N failed`; exits 1 when anything failed.
            """)

    @Option(help: "Minutes of random work and faults (then the faults stop and every release in flight must end).")
    var minutes: Double = 5

    @Option(help: "Seed of the random work and faults (default: a random one, printed, to replay a run).")
    var seed: UInt64?

    @Option(help: "AppReleases in the fleet, spread over Rolling, BlueGreen and Canary.")
    var apps: Int = 12

    @Option(help: "Mean seconds between SIGKILLs of the leader.")
    var leaderKillEvery: Double = 90

    @Option(help: "Mean seconds between the driver's actions.")
    var actionEvery: Double = 1.5

    @Option(help: "The apprelease-controller binary (default: the one next to this binary).")
    var operatorBinary: String?

    @Option(help: "Directory of the CRDs to install.")
    var crds: String = "crds"

    @Option(help: "Directory for the operators' logs and the kubeconfig (default: a new temporary directory).")
    var logDirectory: String?

    static func main() async { await mainKubernetesStyle() }

    func validate() throws {
        guard minutes > 0 else { throw ValidationError("--minutes must be above 0") }
        guard apps >= 3 else { throw ValidationError("--apps must be at least 3 (one per strategy)") }
        guard leaderKillEvery > 0 else { throw ValidationError("--leader-kill-every must be above 0") }
        guard actionEvery > 0 else { throw ValidationError("--action-every must be above 0") }
    }

    func run() async throws {
        if let logDirectory { try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true) }
        let settings = ChaosSettings(
            duration: .milliseconds(Int64(minutes * 60_000)), seed: seed ?? UInt64.random(in: 0...UInt64.max), apps: apps,
            leaderKillEvery: .milliseconds(Int64(leaderKillEvery * 1000)), actionEvery: .milliseconds(Int64(actionEvery * 1000)),
            operatorBinary: try operatorBinary ?? ToolPaths.sibling("apprelease-controller", buildHint: "swift build --product apprelease-controller"),
            crdDirectory: crds, logDirectory: try logDirectory ?? ToolPaths.newRunDirectory(prefix: "apprelease-chaos"))
        // First, so that a run that dies can still be replayed and its logs found.
        print("apprelease-chaos: seed \(settings.seed), \(minutes) minutes, logs in \(settings.logDirectory)")
        let report = try await ChaosRun(settings: settings).execute()
        print(report.rendered())
        if report.failed > 0 { throw ExitCode(1) }
    }
}

struct ChaosSettings: Sendable {
    var duration: Duration
    var seed: UInt64
    var apps: Int
    var leaderKillEvery: Duration
    var actionEvery: Duration
    var operatorBinary: String
    var crdDirectory: String
    var logDirectory: String
    let namespace = "default"
    /// Short, so that a killed leader is replaced in seconds (LeaderFailoverTests uses the same).
    let leaseDuration = 4
    let leaseName = "apprelease-controller-lock"
    /// How long any release may take beyond its progress deadline before it counts as lost:
    /// the slowest legitimate one (a `slow` digest, 10 s per pod, five pods one at a time) plus a
    /// failover and the back-off after it.
    let releaseBound: Duration = .seconds(120)
    /// How long `observedGeneration` may trail `generation`, faults and failovers included.
    let observationBound: Duration = .seconds(30)
    /// How long an orphaned ReplicaSet, or one revision too many, may last before it counts: the
    /// garbage collector and the controller's clean-up each take a reconcile.
    let cleanupBound: Duration = .seconds(20)
}

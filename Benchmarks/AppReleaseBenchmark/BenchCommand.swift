import ArgumentParser
import CommandLineSupport
import Foundation
import TestSupport

/// `apprelease-bench`: what the operator costs the API server and its node at fleet scale, with
/// kubesim and the operator in processes of their own so that each one's CPU and memory can be
/// told apart, and the operator's requests counted by kubesim rather than by the operator.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apprelease-bench",
        abstract: "Measure the operator at fleet scale on kubesim: startup, idle, single and mass releases, reverts.",
        discussion: """
            Starts kubesim and apprelease-controller (at its default flags, with leader election) as child \
            processes, creates N AppReleases of 3 replicas (Rolling, maxSurge 1, maxUnavailable 0) with a \
            Service each, lets the operator roll them out, then runs the selected scenarios: startup (the \
            operator restarted over the settled fleet), idle (requests per minute), single (one release at a \
            time), mass-rolling and mass-canary (all N at once), revert (crash digests). The operator's \
            requests are read from kubesim's per-client counters (GET /kubesim/requests), CPU and memory \
            from /proc. Prints a table and writes the figures as JSON.
            """)

    @Option(help: "AppReleases in the fleet (3 replicas and a Service each).")
    var releases = 1000

    @Option(help: "Scenarios to run, comma-separated: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenarios = ScenarioSelection(Scenario.allCases)

    @Option(help: "Seconds of the idle window.")
    var idleSeconds = 60

    @Option(help: "Single releases measured, one after the other.")
    var samples = 100

    @Option(help: "AppReleases patched to a crash digest in the revert scenario (at most --releases).")
    var reverts = 100

    @Option(help: "How long kubesim's ordinary pods take to become Ready.")
    var podReadyDelayMs = 300

    @Option(help: "The operator's --qps (default: its own default, 50). A fleet of 10,000 needs more to finish in minutes.")
    var operatorQps: Double?

    @Option(help: "The operator's --burst (default: its own default, 100).")
    var operatorBurst: Int?

    @Option(help: "Where to write the figures as JSON (default: .build/apprelease-bench-<releases>.json).")
    var json: String?

    @Option(help: "The kubesim binary (default: the one next to this binary).")
    var kubesimBinary: String?

    @Option(help: "The apprelease-controller binary (default: the one next to this binary).")
    var operatorBinary: String?

    @Option(help: "Directory of the CRDs to install.")
    var crds = "crds"

    @Option(help: "Directory for the processes' logs and the kubeconfig (default: a new temporary directory).")
    var logDirectory: String?

    static func main() async { await mainKubernetesStyle() }

    func validate() throws {
        guard releases >= 1 else { throw ValidationError("--releases must be at least 1") }
        guard idleSeconds >= 1 else { throw ValidationError("--idle-seconds must be at least 1") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        guard reverts >= 1 else { throw ValidationError("--reverts must be at least 1") }
        guard podReadyDelayMs >= 0 else { throw ValidationError("--pod-ready-delay-ms must not be negative") }
        if let operatorQps, !(operatorQps > 0) { throw ValidationError("--operator-qps must be greater than 0") }
        if let operatorBurst, operatorBurst < 1 { throw ValidationError("--operator-burst must be at least 1") }
    }

    func run() async throws {
        if let logDirectory { try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true) }
        let settings = BenchSettings(
            releases: releases, scenarios: scenarios.selected, idleWindow: .seconds(idleSeconds), samples: samples,
            reverts: min(reverts, releases), podReadyDelayMs: podReadyDelayMs, operatorQps: operatorQps, operatorBurst: operatorBurst,
            kubesimBinary: try kubesimBinary ?? ToolPaths.sibling("kubesim", buildHint: "swift build -c release --product kubesim"),
            operatorBinary: try operatorBinary
                ?? ToolPaths.sibling("apprelease-controller", buildHint: "swift build -c release --product apprelease-controller"),
            crdDirectory: crds, logDirectory: try logDirectory ?? ToolPaths.newRunDirectory(prefix: "apprelease-bench"))
        let report = try await BenchRun(settings: settings).execute()
        let path = json ?? ".build/apprelease-bench-\(releases).json"
        try report.write(toJSON: path)
        print(report.rendered())
        print("JSON: \(path)")
        print("logs and kubeconfig: \(settings.logDirectory)")
    }
}

/// What the scenarios measure, in the order they run.
enum Scenario: String, CaseIterable, Sendable, Codable {
    case startup
    case idle
    case single
    case massRolling = "mass-rolling"
    case massCanary = "mass-canary"
    case revert
}

struct ScenarioSelection: ExpressibleByArgument, Sendable {
    let selected: Set<Scenario>

    init(_ scenarios: [Scenario]) { selected = Set(scenarios) }

    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let scenarios = names.compactMap(Scenario.init(rawValue:))
        guard !names.isEmpty, scenarios.count == names.count else { return nil }
        selected = Set(scenarios)
    }

    var defaultValueDescription: String { "all" }
}

struct BenchSettings: Sendable {
    var releases: Int
    var scenarios: Set<Scenario>
    var idleWindow: Duration
    var samples: Int
    var reverts: Int
    var podReadyDelayMs: Int
    var operatorQps: Double?
    var operatorBurst: Int?
    var kubesimBinary: String
    var operatorBinary: String
    var crdDirectory: String
    var logDirectory: String
    let namespace = "default"
    let replicas = 3
    /// A scenario ends once the operator has sent nothing but lease renewals for this long
    /// (they come every 2 s), or after `settleLimit` at most.
    let quiet: Duration = .seconds(3)
    let settleLimit: Duration = .seconds(120)

    /// For a wait over `count` releases at once: the operator's client (50 requests/s) and a few
    /// dozen requests per release set the pace, about a third of a second each.
    func timeout(releasing count: Int) -> Duration { .seconds(120 + count) }

    func runs(_ scenario: Scenario) -> Bool { scenarios.contains(scenario) }
}

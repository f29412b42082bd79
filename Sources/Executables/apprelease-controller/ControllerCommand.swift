import AppReleaseController
import ArgumentParser
import CommandLineSupport
import ControllerRuntime
import Foundation
import KubeClient
import Logging
import ServiceLifecycle

@main
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apprelease-controller",
        abstract: "Runs the AppRelease progressive-delivery controller.")

    @Option(help: "Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(help: "Watch only this namespace (default: all namespaces).")
    var namespace: String?

    @Flag(inversion: .prefixedNo, help: "Elect a leader with a Lease so only one replica reconciles.")
    var leaderElect = false

    @Option(help: "Namespace of the leader-election Lease (default: the in-cluster namespace, else 'default').")
    var leaderElectionNamespace: String?

    @Option(help: "Name of the leader-election Lease.")
    var leaderElectionId = "apprelease-controller-lock"

    @Option(help: "Lease duration in seconds.")
    var leaderElectionLeaseDuration = 15

    @Option(help: "Renew deadline in seconds: a leader that cannot renew for this long stops all work.")
    var leaderElectionRenewDeadline = 10

    @Option(help: "Retry period in seconds for acquiring and renewing the Lease.")
    var leaderElectionRetryPeriod = 2

    @Option(help: "Address for /metrics (HOST:PORT or :PORT; 0 disables).")
    var metricsBindAddress = ":8080"

    @Option(help: "Address for /healthz and /readyz (HOST:PORT or :PORT; 0 disables).")
    var healthProbeBindAddress = ":8081"

    @Option(help: "Concurrent reconciles per controller.")
    var workers = 4

    @Option(
        help: """
            Seconds a status change of pod counts alone waits to be written with the next one (0: write each at once). \
            Phase, conditions and verdicts are always written at once.
            """)
    var statusBatchPeriod = AppReleaseReconciler.defaultStatusBatchPeriod

    @Option(help: "Client-side requests per second to the API server.")
    var qps = RequestRate(perSecond: 50)

    @Option(help: "Client-side burst of requests to the API server.")
    var burst = 100

    @Option(help: "Seconds in-flight reconciles may take to finish after SIGTERM.")
    var gracefulShutdownTimeout = 30

    @Option(help: "Log format: json or text.")
    var logFormat: LogFormat = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: LogLevelOption = .info

    /// Shadows ArgumentParser's entry point: manifests pass `--leader-elect=false`.
    static func main() async { await mainKubernetesStyle() }

    mutating func validate() throws {
        if workers < 1 { throw ValidationError("--workers must be at least 1 (got \(workers))") }
        if !(qps.perSecond > 0) { throw ValidationError("--qps must be greater than 0 (got \(qps.defaultValueDescription))") }
        if !(statusBatchPeriod >= 0 && statusBatchPeriod <= 60) {
            throw ValidationError("--status-batch-period must be between 0 and 60 seconds (got \(statusBatchPeriod))")
        }
        if burst < 1 { throw ValidationError("--burst must be at least 1 (got \(burst))") }
        if gracefulShutdownTimeout < 0 { throw ValidationError("--graceful-shutdown-timeout must not be negative") }
        if namespace?.isEmpty == true { throw ValidationError("--namespace must not be empty (omit it to watch all namespaces)") }
        if leaderElectionId.isEmpty { throw ValidationError("--leader-election-id must not be empty") }
        if !(leaderElectionRenewDeadline < leaderElectionLeaseDuration) {
            throw ValidationError("--leader-election-renew-deadline (\(leaderElectionRenewDeadline)) must be less than --leader-election-lease-duration (\(leaderElectionLeaseDuration))")
        }
        if !(leaderElectionRetryPeriod > 0 && leaderElectionRetryPeriod < leaderElectionRenewDeadline) {
            throw ValidationError("--leader-election-retry-period must be positive and less than --leader-election-renew-deadline")
        }
        do {
            _ = try ListenAddress.parse(metricsBindAddress, flag: "--metrics-bind-address")
            _ = try ListenAddress.parse(healthProbeBindAddress, flag: "--health-probe-bind-address")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let level = logLevel.level
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "apprelease-controller")

        let identity = Self.identity()
        let client: any KubernetesAPI
        do {
            client = try ClientFactory.makeClient(
                kubeconfig: kubeconfig, context: context, qps: qps.perSecond, burst: burst, identity: identity, logger: logger)
        } catch {
            logger.critical("cannot build the Kubernetes client", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }

        var options = ManagerOptions(
            namespace: namespace,
            metricsAddress: try ListenAddress.parse(metricsBindAddress, flag: "--metrics-bind-address"),
            healthProbeAddress: try ListenAddress.parse(healthProbeBindAddress, flag: "--health-probe-bind-address"),
            gracefulShutdownTimeout: .seconds(gracefulShutdownTimeout),
            version: BuildInfo.version)
        if leaderElect {
            options.leaderElection = LeaderElectionConfig(
                leaseNamespace: leaderElectionNamespace ?? Self.inClusterNamespace() ?? "default",
                leaseName: leaderElectionId,
                identity: identity,
                leaseDuration: .seconds(leaderElectionLeaseDuration),
                renewDeadline: .seconds(leaderElectionRenewDeadline),
                retryPeriod: .seconds(leaderElectionRetryPeriod))
        }

        let manager = ControllerManager(api: client, options: options, logger: logger)
        do {
            try registerControllers(with: manager, settings: ControllerSettings(workers: workers, namespace: namespace, statusBatchPeriod: statusBatchPeriod))
        } catch {
            logger.critical("cannot set up controllers", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }

        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: manager)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("controller manager failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }

    /// Unique per process, readable in `kubectl get lease`: hostname plus a random suffix.
    static func identity() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host.isEmpty ? "apprelease-controller" : host)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func inClusterNamespace() -> String? {
        let path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case json, text
}

struct LogLevelOption: ExpressibleByArgument {
    let level: Logger.Level
    static let info = LogLevelOption(level: .info)

    init(level: Logger.Level) { self.level = level }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    /// `--help` shows the default as it is typed, not as the struct prints.
    var defaultValueDescription: String { level.rawValue }
}

/// Requests per second; `--help` prints a whole number as typed (`50`, not `50.0`).
struct RequestRate: ExpressibleByArgument {
    let perSecond: Double

    init(perSecond: Double) { self.perSecond = perSecond }

    init?(argument: String) {
        guard let value = Double(argument) else { return nil }
        perSecond = value
    }

    var defaultValueDescription: String {
        let text = String(perSecond)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

enum BuildInfo {
    static let version = "0.1.0"
}

import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The operator's replicas, as `manifests/` runs them: two, with leader election. A killed one is
/// replaced, as its Deployment would replace it.
final class OperatorReplicas: Sendable {
    let settings: ChaosSettings
    let kubeconfig: String
    private let processes = Mutex<[ChildProcess]>([])
    private let started = Mutex(0)

    init(settings: ChaosSettings, kubeconfig: String) {
        self.settings = settings
        self.kubeconfig = kubeconfig
    }

    var arguments: [String] {
        [
            "--kubeconfig", kubeconfig, "--leader-elect=true", "--leader-election-namespace", settings.namespace,
            "--leader-election-id", settings.leaseName, "--leader-election-lease-duration", "\(settings.leaseDuration)",
            "--leader-election-renew-deadline", "\(settings.leaseDuration - 1)", "--leader-election-retry-period", "1",
            "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0",
            "--log-format", "json", "--log-level", "info",
        ]
    }

    func start() throws {
        let number = started.withLock { count in
            count += 1
            return count
        }
        let process = try ChildProcess(
            name: "operator-\(number)", executable: settings.operatorBinary, arguments: arguments, logDirectory: settings.logDirectory)
        processes.withLock { $0.append(process) }
    }

    /// Starts a replica for each one that exited, until `count` run.
    func replenish(to count: Int = 2) throws {
        let running = processes.withLock { processes in
            processes.removeAll { !$0.isRunning }
            return processes.count
        }
        for _ in running..<max(running, count) { try start() }
    }

    /// SIGKILLs the replica whose leader-election identity is `identity` (read from its log) and
    /// waits until it is gone; false when no running replica has it.
    func kill(identity: String) async -> Bool {
        let victim = processes.withLock { $0 }.first { $0.isRunning && Self.identity(in: $0.output()) == identity }
        guard let victim else { return false }
        victim.signal(SIGKILL)
        _ = await victim.waitForExit()
        return true
    }

    func stopAll() async {
        for process in processes.withLock({ $0 }) { await process.stop(grace: .seconds(10)) }
    }

    var replicasStarted: Int { started.withLock { $0 } }

    /// The `identity` field of the leader elector's JSON log lines ("became leader").
    static func identity(in log: String) -> String? {
        guard let range = log.range(of: #""identity":""#) else { return nil }
        let rest = log[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

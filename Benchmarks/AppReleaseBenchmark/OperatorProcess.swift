import Foundation
import KubeModels
import Synchronization
import TestSupport

/// `apprelease-controller` in a process of its own, as `manifests/` runs it (its default client
/// rate and workers, leader election), with `/metrics` and `/readyz` on one free loopback port.
final class OperatorProcess: Sendable {
    let process: ChildProcess
    /// Taken just before the process was started: startup is timed from here.
    let startedAt: ContinuousClock.Instant
    private let port = Mutex<Int?>(nil)

    private init(process: ChildProcess, startedAt: ContinuousClock.Instant) {
        self.process = process
        self.startedAt = startedAt
    }

    static func start(_ settings: BenchSettings, kubeconfigPath: String, number: Int) throws -> OperatorProcess {
        let startedAt = ContinuousClock.now
        let process = try ChildProcess(
            name: "operator-\(number)", executable: settings.operatorBinary, arguments: ["--kubeconfig", kubeconfigPath] + arguments(settings),
            logDirectory: settings.logDirectory)
        return OperatorProcess(process: process, startedAt: startedAt)
    }

    /// Besides the kubeconfig; everything else is the operator's default unless the bench was
    /// told otherwise.
    static func arguments(_ settings: BenchSettings) -> [String] {
        var arguments = [
            "--leader-elect", "--leader-election-namespace", settings.namespace,
            "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", "--log-format", "json",
        ]
        if let qps = settings.operatorQps { arguments.append("--qps=\(qps)") }
        if let burst = settings.operatorBurst { arguments.append("--burst=\(burst)") }
        return arguments
    }

    /// The port `/metrics` and `/readyz` are served on, once the operator says it listens.
    func metricsPort(timeout: Duration = .seconds(60)) async throws -> Int {
        if let known = port.withLock({ $0 }) { return known }
        let found = try await process.awaitOutput("a metrics port", timeout: timeout) { output in
            output.split(separator: "\n").lazy.filter { $0.contains(#""msg":"serving""#) }.compactMap { line -> Int? in
                guard let address = (try? JSONValue(parsing: String(line)))?["address"]?.stringValue,
                    let colon = address.lastIndex(of: ":")
                else { return nil }
                return Int(address[address.index(after: colon)...])
            }.first
        }
        port.withLock { $0 = found }
        return found
    }

    /// Caches synced: `/readyz` answers 200.
    func isReady(port: Int) async -> Bool {
        (try? await LoopbackHTTP.get("http://127.0.0.1:\(port)/readyz"))?.status == 200
    }

    func metrics(port: Int) async throws -> MetricsText {
        let (status, body) = try await LoopbackHTTP.get("http://127.0.0.1:\(port)/metrics")
        guard status == 200 else { throw BenchError("GET /metrics: \(status)") }
        return MetricsText(String(decoding: body, as: UTF8.self))
    }

    var usage: ProcessUsage? { ProcessUsage.read(pid: process.pid) }

    /// `MetricsText.operatorCounters`, once the metrics port is known and while the process runs.
    func counters() async throws -> [String: Double] {
        guard process.isRunning, let port = port.withLock({ $0 }) else { return [:] }
        return try await metrics(port: port).operatorCounters
    }

    /// SIGTERM (the Lease is released, so a successor need not wait for it to expire); returns
    /// what the process used, read just before.
    func stop() async -> ProcessUsage? {
        let last = usage
        await process.stop(grace: .seconds(40))
        return last
    }
}

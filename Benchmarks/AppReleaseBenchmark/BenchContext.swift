import Foundation
import KubeClient
import KubeModels
import Synchronization

/// What every scenario works with: kubesim, the operator process of the moment, the driver's
/// client and its watch of the fleet.
final class BenchContext: Sendable {
    let settings: BenchSettings
    let kubesim: KubeSimProcess
    let client: KubernetesClient
    let watch: FleetWatch
    let names: [String]
    private let current = Mutex<OperatorProcess?>(nil)
    private let serial = Mutex(0)

    /// The operator's user agent is `apprelease-controller/<version> (<identity>)`.
    static let operatorUserAgent = "apprelease-controller/"
    static let driverUserAgent = "apprelease-bench/driver"
    /// Patches and creates in flight at once: enough that kubesim, not the driver, sets the pace.
    static let concurrentWrites = 32

    init(settings: BenchSettings, kubesim: KubeSimProcess) throws {
        self.settings = settings
        self.kubesim = kubesim
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubesim.kubeconfigPath)
        configuration.userAgent = Self.driverUserAgent
        // Never the bottleneck: the operator's client, at 50 requests/s, is what is measured.
        configuration.qps = 10_000
        configuration.burst = 10_000
        client = try KubernetesClient(configuration: configuration)
        watch = FleetWatch(client: client, namespace: settings.namespace)
        names = (0..<settings.releases).map(FleetManifests.name)
    }

    var operatorProcess: OperatorProcess? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// A digest serial no release has used yet.
    func nextSerial() -> Int {
        serial.withLock { serial in
            serial += 1
            return serial
        }
    }

    func probe() async throws -> Probe {
        let requests = RequestTally(try await kubesim.requests(), userAgentPrefix: Self.operatorUserAgent)
        let operatorProcess = self.operatorProcess
        let counters = try await operatorProcess?.counters() ?? [:]
        return Probe(
            at: .now, operatorRequests: requests, operatorPID: operatorProcess?.process.pid, operatorUsage: operatorProcess?.usage,
            operatorCounters: counters, kubesimUsage: kubesim.usage, driverUsage: .current())
    }

    /// Waits until the operator has sent nothing but lease renewals for `settings.quiet`: what a
    /// scenario leaves queued (Events above all, sent at the client's rate after the last release
    /// is done) is counted in it, not in the next.
    func settle() async throws {
        let start = ContinuousClock.now
        var last = -1
        var quietSince = start
        while ContinuousClock.now - start < settings.settleLimit {
            let sent = RequestTally(try await kubesim.requests(), userAgentPrefix: Self.operatorUserAgent).count { _, resource in resource != "leases" }
            let now = ContinuousClock.now
            if sent != last {
                last = sent
                quietSince = now
            } else if now - quietSince >= settings.quiet {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        Self.say("  the operator was still sending after \(settings.settleLimit); measuring on")
    }

    struct Sent: Sendable {
        var at: ContinuousClock.Instant
        /// `metadata.generation` after the write.
        var generation: Int64
    }

    /// Patches every AppRelease in `names`, `concurrentWrites` at a time; returns when each patch
    /// was sent.
    func patchAll(_ names: [String], _ patch: Patch) async throws -> [String: Sent] {
        try await concurrently(names) { [client, settings] name in
            let at = ContinuousClock.now
            let written = try await client.patch(.appReleases, namespace: settings.namespace, name: name, patch: patch)
            return Sent(at: at, generation: written.meta.generation)
        }
    }

    /// `body` for each name, `concurrentWrites` at a time; its results by name.
    func concurrently<T: Sendable>(_ names: [String], _ body: @escaping @Sendable (String) async throws -> T) async throws -> [String: T] {
        try await withThrowingTaskGroup(of: (String, T).self) { group in
            var results: [String: T] = [:]
            var inFlight = 0
            for name in names {
                if inFlight == Self.concurrentWrites, let (done, result) = try await group.next() {
                    results[done] = result
                    inFlight -= 1
                }
                group.addTask { (name, try await body(name)) }
                inFlight += 1
            }
            for try await (done, result) in group { results[done] = result }
            return results
        }
    }

    /// Polls the watch's view until `isDone` holds for every name, saying how far it got every
    /// 15 s (a mass release of thousands takes minutes).
    func waitForAll(
        _ what: String, _ names: [String], timeout: Duration, every interval: Duration = .milliseconds(50),
        _ isDone: (String) -> Bool
    ) async throws {
        let start = ContinuousClock.now
        var pending = names
        var lastReport = start
        while true {
            pending.removeAll(where: isDone)
            if pending.isEmpty { return }
            let now = ContinuousClock.now
            guard now - start < timeout else {
                throw BenchError("timed out after \(timeout) waiting for \(what): \(pending.count) of \(names.count) not there, e.g. \(pending.prefix(5))")
            }
            if now - lastReport >= .seconds(15) {
                lastReport = now
                Self.say("  \(what): \(names.count - pending.count) of \(names.count) after \(Int((now - start).seconds)) s")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Progress goes to stderr, so that stdout holds the table alone.
    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

import KubeClient
import KubeModels
import Logging
import ServiceLifecycle
import Synchronization

/// Ties the runtime together: shared informers (running on every instance, so a standby's
/// caches are warm), controllers whose workers run only while this instance leads, event
/// recorders, and the probe and metrics endpoints. Run it as a swift-service-lifecycle `Service`:
/// graceful shutdown (SIGTERM/SIGINT) stops the workers, lets in-flight reconciles finish
/// within `gracefulShutdownTimeout`, releases the lease, and returns.
public final class ControllerManager: ServiceLifecycle.Service, Sendable {
    /// The client every part of the runtime uses, instrumented for `/metrics`.
    public let api: any KubernetesAPI
    public let metrics: RuntimeMetrics
    public let informers: InformerFactory
    public let options: ManagerOptions
    private let logger: Logger
    private let stopSignal = OneShotSignal()
    private let metricsBound = PortPromise()
    private let healthBound = PortPromise()
    private let state = Mutex(State())

    private struct State {
        var controllers: [Controller] = []
        var recorders: [String: EventRecorder] = [:]
        var elector: LeaderElector?
        var leadingWithoutElection = false
        var running = false
    }

    public init(api: any KubernetesAPI, options: ManagerOptions = ManagerOptions(), metrics: RuntimeMetrics? = nil, logger: Logger = Logger(label: "manager")) {
        let metrics = metrics ?? RuntimeMetrics(version: options.version)
        self.metrics = metrics
        self.api = InstrumentedKubernetesAPI(api, metrics: metrics)
        self.options = options
        self.logger = logger
        self.informers = InformerFactory(
            api: self.api, defaultNamespace: options.namespace, options: options.informerOptions, metrics: metrics, logger: logger)
    }

    // MARK: Registration (before run)

    /// Adds a controller; wire its event sources with `watches` / `owns` on the returned value.
    @discardableResult
    public func addController(name: String, reconciler: any Reconciler, workers: Int = 2, rateLimiter: RateLimiterConfig = .default) -> Controller {
        let controller = Controller(name: name, reconciler: reconciler, workers: workers, rateLimiter: rateLimiter, metrics: metrics, logger: logger)
        state.withLock { $0.controllers.append(controller) }
        return controller
    }

    public var controllers: [Controller] { state.withLock { $0.controllers } }

    /// The event recorder for `component` (one per component, sent by the manager while running).
    public func eventRecorder(component: String, host: String? = nil) -> EventRecorder {
        state.withLock { state in
            if let existing = state.recorders[component] { return existing }
            let made = EventRecorder(api: api, component: component, host: host, metrics: metrics, logger: logger)
            state.recorders[component] = made
            return made
        }
    }

    // MARK: Status

    /// True while this instance's workers may run (leader, or no election configured).
    public var isLeader: Bool {
        state.withLock { $0.elector?.isLeader ?? $0.leadingWithoutElection }
    }

    /// Caches synced: what `/readyz` reports.
    public var isReady: Bool { informers.hasSynced }

    /// The bound metrics port (useful with port 0), once the server listens.
    public var metricsPort: Int? { metricsBound.port }
    public var healthProbePort: Int? { healthBound.port }

    /// Asks a running manager to stop gracefully, as SIGTERM would.
    public func stop() { stopSignal.fire() }

    // MARK: Running

    public func run() async throws {
        let alreadyRunning = state.withLock { state -> Bool in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRunning else { throw ConfigurationError("ControllerManager.run() called twice") }
        if let election = options.leaderElection { try election.validate() }

        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let stoppers = try await startEndpoints(in: &group)
                group.addTask { await self.informers.run() }
                for recorder in state.withLock({ Array($0.recorders.values) }) {
                    group.addTask { await recorder.run() }
                }
                logger.info("manager started", metadata: ["controllers": "\(controllers.map(\.name))"])
                await runWorkersWhileLeading()
                await flushEvents(within: .seconds(5))
                for stopper in stoppers { await stopper.stop() }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopSignal.fire()
        }
        logger.info("manager stopped")
    }

    private func startEndpoints(in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> [ServerStopper] {
        let healthz: @Sendable () -> Bool = { true }
        let readyz: @Sendable () -> Bool = { [informers] in informers.hasSynced }
        let render: @Sendable () -> String = { [metrics] in metrics.render() }
        var endpoints: [(HTTPEndpoint, PortPromise)] = []
        if let address = options.metricsAddress {
            var routes = HTTPEndpoint.Routes(metrics: render)
            if options.healthProbeAddress == address {
                routes.healthz = healthz
                routes.readyz = readyz
            }
            endpoints.append((HTTPEndpoint(address: address, routes: routes, logger: logger), metricsBound))
        }
        if let address = options.healthProbeAddress {
            if address == options.metricsAddress {
                // Served by the metrics endpoint; report the same port.
                let metricsBound = self.metricsBound
                let healthBound = self.healthBound
                group.addTask { healthBound.resolve(await metricsBound.wait()) }
            } else {
                endpoints.append((HTTPEndpoint(address: address, routes: .init(healthz: healthz, readyz: readyz), logger: logger), healthBound))
            }
        }
        var stoppers: [ServerStopper] = []
        for (endpoint, promise) in endpoints {
            let stopper = ServerStopper()
            stoppers.append(stopper)
            group.addTask { try await endpoint.run(bound: promise, stopper: stopper) }
            switch await promise.wait() {
            case .success(let port): logger.info("serving", metadata: ["address": "\(endpoint.address.host):\(port)"])
            case .failure(let error): throw ConfigurationError("cannot listen on \(endpoint.address): \(error)")
            }
        }
        return stoppers
    }

    private func runWorkersWhileLeading() async {
        guard let election = options.leaderElection else {
            // No Lease, so no leader_election_master_status series (controller-runtime exports
            // none either): its `name` label names a Lease.
            state.withLock { $0.leadingWithoutElection = true }
            await runWorkers()
            state.withLock { $0.leadingWithoutElection = false }
            return
        }
        let elector = LeaderElector(api: api, config: election, metrics: metrics, logger: logger)
        state.withLock { $0.elector = elector }
        await elector.run(stop: stopSignal) { await self.runWorkers() }
    }

    /// Runs every controller's workers until a stop (then drains within the grace period) or
    /// until cancelled (leadership lost: everything stops at once).
    private func runWorkers() async {
        // Workers act on caches; never before they hold a full listing.
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.informers.waitForSync(); return false }
            group.addTask { await self.stopSignal.wait(); return true }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if stopped || Task.isCancelled { return }

        let controllers = self.controllers
        if controllers.isEmpty {
            // Nothing to run: lead until stopped.
            await stopSignal.wait()
            return
        }
        let grace = options.gracefulShutdownTimeout
        let stopSignal = self.stopSignal
        let logger = self.logger
        await withTaskGroup(of: Bool.self) { group in
            for controller in controllers {
                group.addTask {
                    await controller.runWorkers()
                    return true
                }
            }
            group.addTask {
                await stopSignal.wait()
                guard !Task.isCancelled else { return false }
                for controller in controllers { controller.queue.shutDown() }
                try? await Task.sleep(for: grace)
                return false
            }
            var running = controllers.count
            while let isController = await group.next() {
                if isController {
                    running -= 1
                    if running == 0 { group.cancelAll() }
                } else if running > 0 && !Task.isCancelled {
                    logger.warning("graceful shutdown timeout reached; cancelling in-flight reconciles")
                    group.cancelAll()
                }
            }
        }
    }

    private func flushEvents(within timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        let recorders = state.withLock { Array($0.recorders.values) }
        while recorders.contains(where: { $0.pendingCount > 0 }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

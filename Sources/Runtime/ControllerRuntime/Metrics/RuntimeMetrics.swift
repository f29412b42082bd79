import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The runtime's Prometheus metrics, recorded through swift-metrics into a registry of our own
/// (not the process-global `MetricsSystem`, so several managers can live in one test process).
///
/// Every label value here is bounded: controller and queue names, resource types, verbs and
/// status codes, never an object's name or namespace (per-object labels once ran Argo Rollouts
/// out of memory, argo-rollouts PR #3929).
public final class RuntimeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into `registry`; pass it to `MetricsSystem.bootstrap` to
    /// have other libraries' metrics (the client's, say) exported on the same endpoint.
    public let factory: PrometheusMetricsFactory

    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let gauges = Mutex<[String: CoreMetrics.Gauge]>([:])
    private let timers = Mutex<[String: CoreMetrics.Timer]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "dev") {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                                .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        factory.defaultDurationHistogramBuckets = fast
        self.factory = factory
        gauge("controller_runtime_build_info", ["version": version, "runtime": "swift"]).record(1)
        gauge("leader_election_master_status", ["name": "none"]).record(0)
    }

    /// The current state in the Prometheus text exposition format.
    public func render() -> String { registry.emitToString() }

    // MARK: Reconcile

    /// `terminal`: an error that will not be retried, counted apart as controller-runtime does.
    func reconcileFinished(controller: String, result: String, duration: Duration, terminal: Bool = false) {
        counter("controller_runtime_reconcile_total", ["controller": controller, "result": result]).increment()
        if result == "error" {
            counter("controller_runtime_reconcile_errors_total", ["controller": controller]).increment()
        }
        if terminal {
            counter("controller_runtime_terminal_reconcile_errors_total", ["controller": controller]).increment()
        }
        timer("controller_runtime_reconcile_time_seconds", ["controller": controller]).recordNanoseconds(duration.nanoseconds)
    }

    func activeWorkers(controller: String, count: Int) {
        gauge("controller_runtime_active_workers", ["controller": controller]).record(count)
    }

    // MARK: Work queue

    func queueDepth(_ name: String, _ depth: Int) { gauge("workqueue_depth", ["name": name]).record(depth) }
    func queueAdd(_ name: String) { counter("workqueue_adds_total", ["name": name]).increment() }
    func queueRetry(_ name: String) { counter("workqueue_retries_total", ["name": name]).increment() }
    func queueLatency(_ name: String, _ duration: Duration) {
        timer("workqueue_queue_duration_seconds", ["name": name]).recordNanoseconds(duration.nanoseconds)
    }
    func queueWork(_ name: String, _ duration: Duration) {
        timer("workqueue_work_duration_seconds", ["name": name]).recordNanoseconds(duration.nanoseconds)
    }

    // MARK: API client

    /// `duration` nil for watches: their lifetime is not a latency.
    func apiRequest(verb: String, resource: String, code: String, duration: Duration?) {
        counter("rest_client_requests_total", ["verb": verb, "resource": resource, "code": code]).increment()
        guard let duration else { return }
        timer("rest_client_request_duration_seconds", ["verb": verb, "resource": resource]).recordNanoseconds(duration.nanoseconds)
    }

    // MARK: Informers

    func watchRestart(resource: String) { counter("informer_watch_restarts_total", ["resource": resource]).increment() }
    func relist(resource: String) { counter("informer_relists_total", ["resource": resource]).increment() }
    func informerObjects(resource: String, count: Int) { gauge("informer_cached_objects", ["resource": resource]).record(count) }

    // MARK: Leader election and events

    func leaderStatus(lease: String, leading: Bool) {
        gauge("leader_election_master_status", ["name": lease]).record(leading ? 1 : 0)
    }

    func eventEmitted(type: String, outcome: String) {
        counter("controller_runtime_events_total", ["type": type, "outcome": outcome]).increment()
    }

    // MARK: Handles, created once per label set

    private func key(_ name: String, _ labels: [String: String]) -> (String, [(String, String)]) {
        let sorted = labels.sorted { $0.key < $1.key }
        return (name + sorted.map { "|\($0.key)=\($0.value)" }.joined(), sorted.map { ($0.key, $0.value) })
    }

    private func counter(_ name: String, _ labels: [String: String]) -> CoreMetrics.Counter {
        let (id, dimensions) = key(name, labels)
        return counters.withLock { cache in
            if let existing = cache[id] { return existing }
            let made = CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
            cache[id] = made
            return made
        }
    }

    private func gauge(_ name: String, _ labels: [String: String]) -> CoreMetrics.Gauge {
        let (id, dimensions) = key(name, labels)
        return gauges.withLock { cache in
            if let existing = cache[id] { return existing }
            let made = CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory)
            cache[id] = made
            return made
        }
    }

    private func timer(_ name: String, _ labels: [String: String]) -> CoreMetrics.Timer {
        let (id, dimensions) = key(name, labels)
        return timers.withLock { cache in
            if let existing = cache[id] { return existing }
            let made = CoreMetrics.Timer(label: name, dimensions: dimensions, factory: factory)
            cache[id] = made
            return made
        }
    }
}

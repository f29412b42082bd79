import KubeModels
import Prometheus
import Synchronization

/// The runtime's Prometheus metrics (the families of `MetricFamily.all`), kept in a registry of
/// our own rather than the process-global `MetricsSystem`, so several managers can live in one
/// test process.
///
/// Every label value here is bounded: controller and queue names, kinds, methods, status codes
/// and the API server's host, never an object's name or namespace (per-object labels once ran
/// Argo Rollouts out of memory, argo-rollouts PR #3929).
public final class RuntimeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into `registry`; pass it to `MetricsSystem.bootstrap` to
    /// have other libraries' metrics exported on the same endpoint.
    public let factory: PrometheusMetricsFactory

    private struct SeriesKey: Hashable {
        var name: String
        var values: [String]
    }

    private let counters = Mutex<[SeriesKey: Counter]>([:])
    private let gauges = Mutex<[SeriesKey: Gauge]>([:])
    private let histograms = Mutex<[SeriesKey: DurationHistogram]>([:])
    /// Objects per running cache, by kind: several informers (namespaces, selectors, a
    /// NamedObjectCache's generations) may hold one kind, and the gauge reports their sum.
    private let cacheSizes = Mutex<[SeriesKey: [ObjectIdentifier: Int]]>([:])
    /// Gauges computed when scraped (a queue's unfinished work grows by itself); a hook returns
    /// false once its owner is gone, and is then dropped.
    private let scrapeHooks = Mutex<[@Sendable () -> Bool]>([])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "dev") {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
        gauge(.buildInfo, version, "swift").set(to: 1)
    }

    /// The current state in the Prometheus text exposition format.
    public func render() -> String {
        scrapeHooks.withLock { hooks in hooks = hooks.filter { $0() } }
        return registry.emitToString()
    }

    /// Runs `hook` before every scrape while it returns true.
    func onScrape(_ hook: @escaping @Sendable () -> Bool) {
        scrapeHooks.withLock { $0.append(hook) }
    }

    // MARK: Controllers

    /// Every series of a controller exists from its start, at zero, so `rate()` and alerts see
    /// the first failure (controller-runtime does the same).
    func controllerAdded(_ controller: String, workers: Int) {
        for result in ReconcileOutcome.resultLabels { _ = counter(.reconcileTotal, controller, result) }
        _ = counter(.reconcileErrors, controller)
        _ = counter(.terminalReconcileErrors, controller)
        gauge(.maxConcurrentReconciles, controller).set(to: Double(workers))
        gauge(.activeWorkers, controller).set(to: 0)
    }

    func reconcileFinished(controller: String, outcome: ReconcileOutcome, duration: Duration) {
        counter(.reconcileTotal, controller, outcome.resultLabel).increment()
        if outcome == .error || outcome == .terminalError { counter(.reconcileErrors, controller).increment() }
        if outcome == .terminalError { counter(.terminalReconcileErrors, controller).increment() }
        histogram(.reconcileTime, controller).record(duration)
    }

    func activeWorkers(controller: String, count: Int) {
        gauge(.activeWorkers, controller).set(to: Double(count))
    }

    // MARK: Work queues (labelled `name` and `controller`, both the queue's name, as controller-runtime does)

    func queueDepth(_ name: String, _ depth: Int) { gauge(.queueDepth, name, name).set(to: Double(depth)) }
    func queueAdd(_ name: String) { counter(.queueAdds, name, name).increment() }
    func queueRetry(_ name: String) { counter(.queueRetries, name, name).increment() }
    func queueLatency(_ name: String, _ duration: Duration) { histogram(.queueLatency, name, name).record(duration) }
    func queueWork(_ name: String, _ duration: Duration) { histogram(.queueWorkDuration, name, name).record(duration) }

    func queueInFlight(_ name: String, unfinished: Duration, longest: Duration) {
        gauge(.queueUnfinishedWork, name, name).set(to: unfinished.seconds)
        gauge(.queueLongestRunningProcessor, name, name).set(to: longest.seconds)
    }

    // MARK: API client

    /// `duration` nil for watches: their lifetime is not a latency.
    func apiRequest(method: String, code: String, host: String, duration: Duration?) {
        counter(.restClientRequests, code, method, host).increment()
        guard let duration else { return }
        histogram(.restClientRequestDuration, method, host).record(duration)
    }

    // MARK: Caches

    /// What the cache `id` holds of `resource` now; nil when it stops (its objects go with it).
    func cachedObjects(_ resource: GroupVersionResource, cache id: ObjectIdentifier, count: Int?) {
        let key = SeriesKey(name: MetricFamily.cacheResources.name, values: [resource.group, resource.version, resource.kind])
        // Summed and set under one lock: two caches of a kind updating at once cannot leave a
        // stale sum behind.
        cacheSizes.withLock { sizes in
            sizes[key, default: [:]][id] = count
            let total = sizes[key, default: [:]].values.reduce(0, +)
            gauge(.cacheResources, resource.group, resource.version, resource.kind).set(to: Double(total))
        }
    }

    func watchRestart(resource: String) { counter(.informerWatchRestarts, resource).increment() }
    func relist(resource: String) { counter(.informerRelists, resource).increment() }

    // MARK: Leader election and events

    func leaderStatus(lease: String, leading: Bool) {
        gauge(.leaderElectionMasterStatus, lease).set(to: leading ? 1 : 0)
    }

    func eventEmitted(type: String, outcome: String) {
        counter(.events, type, outcome).increment()
    }

    // MARK: Series, created once per label set

    private func labels(_ family: MetricFamily, _ values: [String]) -> [(String, String)] {
        assert(values.count == family.labels.count, "\(family.name) takes \(family.labels), got \(values)")
        return Array(zip(family.labels, values))
    }

    private func descriptor(_ family: MetricFamily) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
    }

    private func counter(_ family: MetricFamily, _ values: String...) -> Counter {
        counters.withLock { cache in
            let key = SeriesKey(name: family.name, values: values)
            if let existing = cache[key] { return existing }
            let made = registry.makeCounter(descriptor: descriptor(family), labels: labels(family, values))
            cache[key] = made
            return made
        }
    }

    private func gauge(_ family: MetricFamily, _ values: String...) -> Gauge {
        gauges.withLock { cache in
            let key = SeriesKey(name: family.name, values: values)
            if let existing = cache[key] { return existing }
            let made = registry.makeGauge(descriptor: descriptor(family), labels: labels(family, values))
            cache[key] = made
            return made
        }
    }

    private func histogram(_ family: MetricFamily, _ values: String...) -> DurationHistogram {
        histograms.withLock { cache in
            let key = SeriesKey(name: family.name, values: values)
            if let existing = cache[key] { return existing }
            let made = registry.makeDurationHistogram(descriptor: descriptor(family), labels: labels(family, values), buckets: family.buckets)
            cache[key] = made
            return made
        }
    }
}

/// The families the runtime exports. Where controller-runtime (or client-go, whose metrics it
/// re-exports) has a metric for the same thing, the name, type and labels are its own, so
/// dashboards and alerts written for controller-runtime operators work unchanged.
/// `docs/metrics.md` lists them in the same words (a test compares the two).
extension MetricFamily {
    public static let all: [MetricFamily] = [
        reconcileTotal, reconcileErrors, terminalReconcileErrors, reconcileTime, maxConcurrentReconciles, activeWorkers,
        queueDepth, queueAdds, queueLatency, queueWorkDuration, queueUnfinishedWork, queueLongestRunningProcessor, queueRetries,
        cacheResources, informerRelists, informerWatchRestarts,
        restClientRequests, restClientRequestDuration,
        leaderElectionMasterStatus, events, buildInfo,
    ]

    // MARK: Controllers (controller-runtime's pkg/internal/controller/metrics)

    static let reconcileTotal = MetricFamily(
        "controller_runtime_reconcile_total", .counter, labels: ["controller", "result"],
        help: "Reconciles by result: success; error (terminal errors included); requeue, asked to be retried with the key's backoff; requeue_after, asked to be looked at again after a delay (a timer, not a retry).")
    static let reconcileErrors = MetricFamily(
        "controller_runtime_reconcile_errors_total", .counter, labels: ["controller"],
        help: "Reconciles that returned an error, terminal or not.")
    static let terminalReconcileErrors = MetricFamily(
        "controller_runtime_terminal_reconcile_errors_total", .counter, labels: ["controller"],
        help: "Reconciles that returned a terminal error; the key is not retried.")
    static let reconcileTime = MetricFamily(
        "controller_runtime_reconcile_time_seconds", .histogram, labels: ["controller"],
        help: "How long reconciles take (controller-runtime's buckets, 5 ms to 60 s).",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0,
                  2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60].map { Duration.seconds($0) })
    static let maxConcurrentReconciles = MetricFamily(
        "controller_runtime_max_concurrent_reconciles", .gauge, labels: ["controller"], help: "Workers of the controller (--workers).")
    static let activeWorkers = MetricFamily(
        "controller_runtime_active_workers", .gauge, labels: ["controller"], help: "Workers reconciling right now.")

    // MARK: Work queues (client-go's workqueue metrics, as controller-runtime labels them)

    /// client-go's buckets: 10 ns to 1000 s, a factor of ten apart.
    private static let queueBuckets: [Duration] = [
        .nanoseconds(10), .nanoseconds(100), .microseconds(1), .microseconds(10), .microseconds(100), .milliseconds(1),
        .milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(100), .seconds(1000),
    ]
    static let queueDepth = MetricFamily(
        "workqueue_depth", .gauge, labels: ["name", "controller"],
        help: "Keys waiting in the queue (not in flight, not waiting for a delay).")
    static let queueAdds = MetricFamily(
        "workqueue_adds_total", .counter, labels: ["name", "controller"], help: "Keys added; adding a key already waiting is not counted.")
    static let queueLatency = MetricFamily(
        "workqueue_queue_duration_seconds", .histogram, labels: ["name", "controller"],
        help: "How long a key waits before a worker takes it.", buckets: queueBuckets)
    static let queueWorkDuration = MetricFamily(
        "workqueue_work_duration_seconds", .histogram, labels: ["name", "controller"], help: "How long a worker holds a key.",
        buckets: queueBuckets)
    static let queueUnfinishedWork = MetricFamily(
        "workqueue_unfinished_work_seconds", .gauge, labels: ["name", "controller"],
        help: "Seconds spent so far on the keys in flight; steady growth means stuck workers.")
    static let queueLongestRunningProcessor = MetricFamily(
        "workqueue_longest_running_processor_seconds", .gauge, labels: ["name", "controller"],
        help: "Seconds the longest key in flight has been held.")
    static let queueRetries = MetricFamily(
        "workqueue_retries_total", .counter, labels: ["name", "controller"],
        help: "Keys queued again after their backoff: requeue results and errors, not requeue_after timers.")

    // MARK: Caches

    static let cacheResources = MetricFamily(
        "controller_runtime_cache_resources", .gauge, labels: ["group", "version", "kind"],
        help: "Objects held in the informer caches, by kind, after every list, add and delete.")
    static let informerRelists = MetricFamily(
        "informer_relists_total", .counter, labels: ["resource"], help: "Full lists after the first (after 410 Gone).")
    static let informerWatchRestarts = MetricFamily(
        "informer_watch_restarts_total", .counter, labels: ["resource"], help: "Watches started again after one ended or failed.")

    // MARK: API client (client-go's rest_client metrics)

    static let restClientRequests = MetricFamily(
        "rest_client_requests_total", .counter, labels: ["code", "method", "host"],
        help: "Requests to the API server by HTTP status (<error> when none came back), method and server.")
    static let restClientRequestDuration = MetricFamily(
        "rest_client_request_duration_seconds", .histogram, labels: ["verb", "host"],
        help: "Latency of requests other than watches, by HTTP method and server.",
        buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0].map { Duration.seconds($0) })

    // MARK: Leader election, events, build

    static let leaderElectionMasterStatus = MetricFamily(
        "leader_election_master_status", .gauge, labels: ["name"],
        help: "1 while this replica holds the Lease the name label names, 0 while it stands by.")
    static let events = MetricFamily(
        "controller_runtime_events_total", .counter, labels: ["type", "outcome"],
        help: "Events recorded, by type and outcome: created, aggregated (an existing Event counted again), rate_limited, dropped (queue full), error.")
    static let buildInfo = MetricFamily(
        "controller_runtime_build_info", .gauge, labels: ["version", "runtime"], help: "Always 1; the labels say which build runs.")
}

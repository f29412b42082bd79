import Foundation
import KubeClient
import KubeModels
import Logging
import Synchronization

/// Records core/v1 Events about the objects a controller acts on.
///
/// `record` never blocks a reconcile: it queues the event for `run()` to send. Repeats of the
/// same (object, type, reason, message) within `aggregationWindow` patch the existing Event's
/// `count` and `lastTimestamp` instead of creating new ones (client-go's EventCorrelator), and
/// each object gets a token bucket so a hot loop cannot flood the API server.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public struct Options: Sendable, Hashable {
        /// Events per object: a burst, then one per `perObjectRefill`.
        public var perObjectBurst = 25
        public var perObjectRefill: Duration = .seconds(300)
        /// How long an Event stays the target for aggregation.
        public var aggregationWindow: Duration = .seconds(600)
        /// Events waiting to be sent beyond this are dropped (oldest kept).
        public var bufferSize = 1000
        public init() {}
    }

    private struct Pending: Sendable {
        var involved: JSONValue
        var namespace: String
        var type: EventType
        var reason: String
        var message: String
        var at: Date
    }

    private struct Aggregate {
        var name: String
        var count: Int64
        var firstTimestamp: String
        var lastSeen: ContinuousClock.Instant
    }

    public let component: String
    public let host: String?
    public let options: Options
    private let api: any KubernetesAPI
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let stream: AsyncStream<Pending>
    private let continuation: AsyncStream<Pending>.Continuation
    private let limiters = Mutex<[String: TokenBucket]>([:])
    private let aggregates = Mutex<[String: Aggregate]>([:])
    private let inFlight = Mutex(0)

    public init(
        api: any KubernetesAPI, component: String, host: String? = nil, options: Options = Options(),
        metrics: RuntimeMetrics? = nil, logger: Logger = Logger(label: "events")
    ) {
        self.api = api
        self.component = component
        self.host = host
        self.options = options
        self.metrics = metrics
        self.logger = logger
        (stream, continuation) = AsyncStream<Pending>.makeStream(bufferingPolicy: .bufferingOldest(options.bufferSize))
    }

    /// events.k8s.io/v1 refuses a note over 1 KiB (core/v1 takes more); an Event is a line in
    /// `kubectl get events`, and the full text stays in the status conditions.
    public static let maximumMessageBytes = 1024

    /// Queues an Event about `object` (any Kubernetes object with metadata); a message over
    /// `maximumMessageBytes` is cut to it.
    public func record(object: JSONValue, type: EventType, reason: String, message: String) {
        guard let name = object[path: "metadata", "name"]?.stringValue else {
            logger.debug("event for an object without a name dropped", metadata: ["reason": "\(reason)"])
            return
        }
        let namespace = object[path: "metadata", "namespace"]?.stringValue ?? "default"
        var involved: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace)]
        for (field, path) in [("kind", ["kind"]), ("apiVersion", ["apiVersion"]), ("uid", ["metadata", "uid"]),
                              ("resourceVersion", ["metadata", "resourceVersion"])] {
            var value: JSONValue? = object
            for key in path { value = value?[key] }
            if let value { involved[field] = value }
        }
        let objectID = "\(involved["uid"]?.stringValue ?? "")/\(namespace)/\(name)"
        let allowed = limiters.withLock { buckets -> Bool in
            // Bounded memory: forgetting every bucket only ever grants extra tokens.
            if buckets.count > 10_000 { buckets.removeAll() }
            var bucket = buckets[objectID]
                ?? TokenBucket(rate: 1 / max(options.perObjectRefill.seconds, 0.001), burst: options.perObjectBurst)
            let taken = bucket.tryTake()
            buckets[objectID] = bucket
            return taken
        }
        guard allowed else {
            metrics?.eventEmitted(type: type.rawValue, outcome: "rate_limited")
            return
        }
        inFlight.withLock { $0 += 1 }
        let pending = Pending(
            involved: .object(involved), namespace: namespace, type: type, reason: reason,
            message: message.truncated(toUTF8Bytes: Self.maximumMessageBytes), at: Date())
        if case .dropped = continuation.yield(pending) {
            inFlight.withLock { $0 -= 1 }
            metrics?.eventEmitted(type: type.rawValue, outcome: "dropped")
        }
    }

    /// Events queued but not yet sent.
    public var pendingCount: Int { inFlight.withLock { $0 } }

    /// Sends queued events until cancelled.
    public func run() async {
        await withTaskCancellationHandler {
            for await pending in stream {
                await send(pending)
                inFlight.withLock { $0 -= 1 }
            }
        } onCancel: {
            continuation.finish()
        }
    }

    private func send(_ pending: Pending) async {
        let aggregateKey = [
            pending.involved["uid"]?.stringValue ?? "", pending.namespace, pending.involved["name"]?.stringValue ?? "",
            pending.type.rawValue, pending.reason, pending.message,
        ].joined(separator: "\u{0}")
        let now = ContinuousClock.now
        let timestamp = KubeTime.format(pending.at)
        let existing = aggregates.withLock { aggregates -> Aggregate? in
            aggregates = aggregates.filter { now - $0.value.lastSeen < options.aggregationWindow }
            return aggregates[aggregateKey]
        }

        if let existing {
            let count = existing.count + 1
            let patch: JSONValue = ["count": .int(count), "lastTimestamp": .string(timestamp)]
            do {
                _ = try await api.patch(.events, namespace: pending.namespace, name: existing.name, patch: .merge(patch))
                aggregates.withLock { $0[aggregateKey] = Aggregate(name: existing.name, count: count, firstTimestamp: existing.firstTimestamp, lastSeen: now) }
                metrics?.eventEmitted(type: pending.type.rawValue, outcome: "aggregated")
                return
            } catch let error as KubernetesError where error.isNotFound {
                // The Event expired server-side (events have a TTL); start a fresh one.
            } catch {
                metrics?.eventEmitted(type: pending.type.rawValue, outcome: "error")
                logger.warning("failed to update event", metadata: ["reason": "\(pending.reason)", "error": "\(error)"])
                return
            }
        }

        let objectName = pending.involved["name"]?.stringValue ?? "object"
        let name = "\(objectName).\(Self.uniqueSuffix())"
        var event: [String: JSONValue] = [
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(pending.namespace)],
            "involvedObject": pending.involved,
            "reason": .string(pending.reason),
            "message": .string(pending.message),
            "type": .string(pending.type.rawValue),
            "count": 1,
            "firstTimestamp": .string(timestamp),
            "lastTimestamp": .string(timestamp),
            "reportingComponent": .string(component),
            "reportingInstance": .string(host ?? component),
        ]
        var source: [String: JSONValue] = ["component": .string(component)]
        if let host { source["host"] = .string(host) }
        event["source"] = .object(source)
        do {
            _ = try await api.create(.events, namespace: pending.namespace, object: .object(event))
            aggregates.withLock { $0[aggregateKey] = Aggregate(name: name, count: 1, firstTimestamp: timestamp, lastSeen: now) }
            metrics?.eventEmitted(type: pending.type.rawValue, outcome: "created")
        } catch {
            metrics?.eventEmitted(type: pending.type.rawValue, outcome: "error")
            logger.warning("failed to create event", metadata: ["reason": "\(pending.reason)", "error": "\(error)"])
        }
    }

    /// client-go names events `<object>.<hex nanoseconds>`; a random part keeps two recorders apart.
    private static func uniqueSuffix() -> String {
        let nanos = UInt64(Date().timeIntervalSince1970 * 1_000_000_000)
        return String(nanos, radix: 16) + String(UInt16.random(in: 0...UInt16.max), radix: 16)
    }
}

import ControllerRuntime
import Foundation
import KubeClient
import KubeModels
import Logging
import RolloutEngine

/// One reconcile pass for one AppRelease: read the caches, ask the engine for a plan, apply it.
///
/// Every decision is the engine's; this type only translates between the cluster and the
/// engine's pure world, and deals with what the cluster answers: a 409 (someone else wrote
/// first) or a stale cache means "look again", never "fail the release".
public struct AppReleaseReconciler: Reconciler {
    let api: any KubernetesAPI
    let caches: AppReleaseCaches
    let events: EventRecorder
    let expectations: WriteExpectations
    let statusBatching: StatusBatching
    let logger: Logger
    let now: @Sendable () -> Date

    init(
        api: any KubernetesAPI, caches: AppReleaseCaches, events: EventRecorder, logger: Logger,
        expectations: WriteExpectations = WriteExpectations(), statusBatchPeriod: TimeInterval = Self.defaultStatusBatchPeriod,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.api = api
        self.caches = caches
        self.events = events
        self.expectations = expectations
        self.statusBatching = StatusBatching(period: statusBatchPeriod)
        self.logger = logger
        self.now = now
    }

    /// How long a status change of progress figures alone waits for the next write
    /// (`StatusBatching`): a pod count is at most this late, a verdict never.
    public static let defaultStatusBatchPeriod: TimeInterval = 1

    /// Delay before looking again when our own writes have not reached the caches yet. The watch
    /// event that brings them enqueues the key anyway (and its pass replaces this timer); this
    /// only bounds an event that never comes, as long as the expectation itself lives.
    static let cacheLagRecheck: Duration = WriteExpectations.defaultLifetime

    /// Delay before looking again while a Service or HTTPRoute the AppRelease names is not listed
    /// yet. The listing wakes the key when it completes; this only bounds a lost wake-up.
    static let cacheSyncRecheck: Duration = .seconds(10)

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let appRelease = caches.appRelease(key), case let uid = appRelease.meta.uid, !uid.isEmpty else {
            // Deleted: the garbage collector removes the ReplicaSets it owned; what it named is
            // no longer watched for it.
            caches.release(owner: key)
            return .done
        }
        if appRelease.meta.isDeleting {
            expectations.forget(owner: uid)
            statusBatching.forget(owner: uid)
            caches.release(owner: key)
            return .done
        }

        // Before anything can wait: a pass that stops early must still start the watches.
        let names = TrafficNames(appRelease: appRelease)
        caches.want(names, owner: key)

        let replicaSets = caches.replicaSets(ownedBy: uid)
        let namespace = key.namespace ?? ""
        let caughtUp = expectations.caughtUp(owner: uid) { target in
            switch target.resource {
            case "appreleases": appRelease
            case "services": caches.services.lookup(namespace: namespace, name: target.name).object
            case "httproutes": caches.httpRoutes.lookup(namespace: namespace, name: target.name).object
            default: replicaSets.first { $0.meta.name == target.name }
            }
        }
        guard caughtUp else {
            logger.debug("cache behind our writes; waiting for it", metadata: ["appRelease": "\(key)"])
            return .requeueAfter(Self.cacheLagRecheck)
        }
        guard let traffic = EngineBridge.traffic(names, namespace: namespace, caches: caches) else {
            logger.debug("waiting for the Services and HTTPRoute it names to be listed", metadata: ["appRelease": "\(key)"])
            return .requeueAfter(Self.cacheSyncRecheck)
        }

        let now = now()
        let snapshot = EngineBridge.snapshot(appRelease: appRelease, replicaSets: replicaSets, traffic: traffic, caches: caches, now: now)
        let plan = try RolloutEngine.plan(snapshot)

        let uids = Dictionary(
            replicaSets.compactMap { rs -> (String, String)? in
                let meta = rs.meta
                return meta.name.isEmpty || meta.uid.isEmpty ? nil : (meta.name, meta.uid)
            }, uniquingKeysWith: { first, _ in first })
        let executor = PlanExecutor(
            api: api, appRelease: appRelease, events: events, expectations: expectations, logger: logger, replicaSetUIDs: uids)
        if case .retryLater(let why) = try await executor.apply(plan.writes) {
            logger.debug("requeue", metadata: ["appRelease": "\(key)", "why": "\(why)"])
            return .requeue
        }
        // The engine already pads its deadlines by a second (late rather than early); padding
        // again here made a 120 s deadline fire at 122 s.
        var lookAgain = plan.requeueAfterSeconds.map { Duration.seconds(max($0, 0)) }
        if let statusPatch = plan.statusPatch {
            if plan.statusChange == .progress, let wait = statusBatching.wait(owner: uid, now: now, backlog: api.requestBacklog) {
                logger.debug("status progress batched", metadata: ["appRelease": "\(key)", "for": "\(wait)"])
                lookAgain = min(lookAgain ?? wait, wait)
            } else {
                if case .retryLater(let why) = try await writeStatus(statusPatch, of: appRelease) {
                    logger.debug("requeue", metadata: ["appRelease": "\(key)", "why": "\(why)"])
                    return .requeue
                }
                statusBatching.wrote(owner: uid, at: now)
            }
        }
        // Events last: a pass that stopped early re-plans them, so they are recorded once the
        // state they announce is written.
        for event in plan.events {
            events.record(object: appRelease, type: event.type == .warning ? .warning : .normal, reason: event.reason, message: event.message)
        }
        return lookAgain.map { .requeueAfter($0) } ?? .done
    }

    /// Writes the engine's status merge patch through the `/status` subresource, guarded by the
    /// resourceVersion the plan was computed from: a status computed from a stale object must not
    /// overwrite a newer one (409 → look again).
    private func writeStatus(_ statusPatch: JSONValue, of appRelease: JSONValue) async throws -> PlanExecutor.Outcome {
        logger.debug("writing status", metadata: ["appRelease": "\(appRelease.meta.name)", "patch": "\(statusPatch)"])
        var patch = statusPatch
        if let version = appRelease[path: "metadata", "resourceVersion"] {
            patch["metadata"] = ["resourceVersion": version]
        }
        let name = appRelease.meta.name
        let namespace = appRelease.meta.key.namespace
        do {
            let written = try await api.patch(.appReleases, namespace: namespace, name: name, patch: .merge(patch), subresource: "status")
            expectations.wrote("appreleases", object: written, owner: appRelease.meta.uid)
            return .done
        } catch let error as KubernetesError where error.isConflict {
            return .retryLater("status conflict: the AppRelease changed since it was read")
        } catch let error as KubernetesError where error.isNotFound {
            return .done
        }
    }
}

import Foundation
import KubeClient
import KubeModels
import Logging
import Synchronization

/// Leader election on a `coordination.k8s.io/v1` Lease, after client-go's `leaderelection`:
///
/// - A candidate retries every `retryPeriod` (with jitter). It may take the lease when nobody
///   holds it, or when the record has not changed for `leaseDuration` as measured on its own
///   clock since it last saw it change (no trust in other machines' clocks).
/// - The leader renews every `retryPeriod`. If it has not renewed successfully within
///   `renewDeadline` of its last success, it cancels the leading work at once and waits for it
///   to finish, before any standby can consider the lease expired (argo-rollouts #2117).
/// - On graceful stop it releases the lease (empty holder, duration 1 s) like client-go's
///   `ReleaseOnCancel`, so a standby takes over within a retry period.
public final class LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    private let api: any KubernetesAPI
    private let metrics: RuntimeMetrics?
    private let logger: Logger
    private let state = Mutex(ElectorState())

    private struct ElectorState {
        var leading = false
        var observedRecord: JSONValue?
        var observedAt: ContinuousClock.Instant?
        var transitions: Int64 = 0
    }

    public init(api: any KubernetesAPI, config: LeaderElectionConfig, metrics: RuntimeMetrics? = nil, logger: Logger = Logger(label: "leader-election")) {
        self.api = api
        self.config = config
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "identity"] = "\(config.identity)"
        logger[metadataKey: "lease"] = "\(config.leaseNamespace)/\(config.leaseName)"
        self.logger = logger
    }

    /// True while this instance holds the lease and its leading work runs.
    public var isLeader: Bool { state.withLock { $0.leading } }

    /// Campaigns until `stop` fires or the task is cancelled. Each time leadership is won,
    /// `whileLeading` runs; it is cancelled when leadership is lost, and when it returns on its
    /// own (graceful stop) the lease is released and `run` returns.
    func run(stop: OneShotSignal, whileLeading: @escaping @Sendable () async -> Void) async {
        // A standby reports 0 from the start, so `sum by (name)` counts replicas, not only leaders.
        metrics?.leaderStatus(lease: config.leaseName, leading: false)
        while !Task.isCancelled && !stop.isFired {
            guard await acquire(stop: stop) else { break }
            setLeading(true)
            logger.info("became leader")
            let outcome = await lead(whileLeading)
            setLeading(false)
            switch outcome {
            case .lost:
                logger.error("lost leadership: renewal failed past the renew deadline; workers stopped")
            case .finished:
                if config.releaseOnShutdown && !Task.isCancelled { await release() }
                logger.info("stopped leading")
                return
            }
        }
    }

    /// Public entry for running the election on its own: campaigns until the task is cancelled.
    public func run(whileLeading: @escaping @Sendable () async -> Void) async {
        await run(stop: OneShotSignal(), whileLeading: whileLeading)
    }

    private func setLeading(_ leading: Bool) {
        state.withLock { $0.leading = leading }
        metrics?.leaderStatus(lease: config.leaseName, leading: leading)
    }

    private enum LeadOutcome: Sendable { case lost, finished }

    private func lead(_ whileLeading: @escaping @Sendable () async -> Void) async -> LeadOutcome {
        await withTaskGroup(of: LeadOutcome.self) { group in
            group.addTask {
                await whileLeading()
                return .finished
            }
            group.addTask { await self.renewUntilLost() }
            let first = await group.next() ?? .finished
            // Lost: cancel the workers and wait for them; finished: stop renewing.
            group.cancelAll()
            await group.waitForAll()
            return first
        }
    }

    /// Renews every retry period; returns `.lost` once `renewDeadline` passes without success.
    /// Returns `.finished` only when cancelled.
    private func renewUntilLost() async -> LeadOutcome {
        var lastRenew = ContinuousClock.now
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: config.retryPeriod)) != nil else { return .finished }
            let attemptStart = ContinuousClock.now
            let deadline = lastRenew + config.renewDeadline
            let renewed = await withDeadline(deadline) { try await self.tryAcquireOrRenew() }
            if Task.isCancelled { return .finished }
            if renewed == true {
                // Measured from before the request: the server's write cannot predate it, so a
                // standby's expiry clock starts no earlier than ours.
                lastRenew = attemptStart
            } else if ContinuousClock.now >= deadline {
                return .lost
            }
        }
        return .finished
    }

    /// Tries until the lease is ours; false when stopped first.
    private func acquire(stop: OneShotSignal) async -> Bool {
        while !Task.isCancelled && !stop.isFired {
            let acquired = await withDeadline(.now + config.renewDeadline) { try await self.tryAcquireOrRenew() }
            if acquired == true { return true }
            let jittered = config.retryPeriod * Double.random(in: 1.0...1.2)
            if await stop.wait(atMost: jittered) { return false }
        }
        return false
    }

    /// Runs `body`, giving up (nil) at `deadline`.
    private func withDeadline(_ deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> Bool) async -> Bool? {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { (try? await body()) ?? false }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    // MARK: The lease record

    private var leaseResource: GroupVersionResource { .leases }

    func tryAcquireOrRenew() async throws -> Bool {
        let now = Date()
        let current: JSONValue
        do {
            current = try await api.get(leaseResource, namespace: config.leaseNamespace, name: config.leaseName)
        } catch let error as KubernetesError where error.isNotFound {
            let lease: JSONValue = [
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": ["name": .string(config.leaseName), "namespace": .string(config.leaseNamespace)],
                "spec": spec(holder: config.identity, acquireTime: now, renewTime: now, transitions: 0, durationSeconds: leaseSeconds),
            ]
            do {
                let created = try await api.create(leaseResource, namespace: config.leaseNamespace, object: lease)
                observe(created)
                return true
            } catch let error as KubernetesError where error.isAlreadyExists || error.isConflict {
                return false
            }
        }

        let spec = current["spec"] ?? [:]
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        let observedAt = observe(current)
        let isMine = holder == config.identity
        if !holder.isEmpty && !isMine {
            let durationSeconds = spec["leaseDurationSeconds"]?.intValue ?? Int64(leaseSeconds)
            if ContinuousClock.now < observedAt + .seconds(durationSeconds) { return false }
        }

        var updated = current
        let transitions = spec["leaseTransitions"]?.intValue ?? 0
        let acquireTime = isMine ? (spec["acquireTime"] ?? .string(KubeTime.formatMicro(now))) : .string(KubeTime.formatMicro(now))
        var newSpec = self.spec(
            holder: config.identity, acquireTime: now, renewTime: now, transitions: isMine ? transitions : transitions + 1,
            durationSeconds: leaseSeconds)
        newSpec["acquireTime"] = acquireTime
        updated["spec"] = newSpec
        do {
            let written = try await api.update(leaseResource, namespace: config.leaseNamespace, object: updated)
            observe(written)
            if !isMine { logger.info("acquired lease", metadata: ["previousHolder": "\(holder)"]) }
            return true
        } catch let error as KubernetesError where error.isConflict {
            return false
        }
    }

    /// Gives the lease up if we still hold it.
    func release() async {
        do {
            let current = try await api.get(leaseResource, namespace: config.leaseNamespace, name: config.leaseName)
            guard current[path: "spec", "holderIdentity"]?.stringValue == config.identity else { return }
            var released = current
            let now = Date()
            released["spec"] = spec(
                holder: "", acquireTime: now, renewTime: now,
                transitions: current[path: "spec", "leaseTransitions"]?.intValue ?? 0, durationSeconds: 1)
            _ = try await api.update(leaseResource, namespace: config.leaseNamespace, object: released)
            logger.info("released lease")
        } catch {
            logger.warning("failed to release lease; a standby takes over when it expires", metadata: ["error": "\(error)"])
        }
    }

    private var leaseSeconds: Int {
        max(1, Int(config.leaseDuration.seconds.rounded(.up)))
    }

    private func spec(holder: String, acquireTime: Date, renewTime: Date, transitions: Int64, durationSeconds: Int) -> JSONValue {
        [
            "holderIdentity": .string(holder),
            "leaseDurationSeconds": .int(Int64(durationSeconds)),
            "acquireTime": .string(KubeTime.formatMicro(acquireTime)),
            "renewTime": .string(KubeTime.formatMicro(renewTime)),
            "leaseTransitions": .int(transitions),
        ]
    }

    /// Records when the lease's spec was last seen to change, on our monotonic clock.
    @discardableResult
    private func observe(_ lease: JSONValue) -> ContinuousClock.Instant {
        let spec = lease["spec"] ?? .null
        return state.withLock { state in
            if state.observedRecord != spec || state.observedAt == nil {
                state.observedRecord = spec
                state.observedAt = .now
            }
            return state.observedAt ?? .now
        }
    }
}

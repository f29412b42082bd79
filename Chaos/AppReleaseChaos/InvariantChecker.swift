import AppReleaseAPI
import AppReleaseController
import KubeModels
import KubeSim

/// Checks the operator's promises every tick from kubesim's state. Owned by one task.
struct InvariantChecker {
    let sim: KubeSim
    let ledger: Ledger
    let tally: ChaosTally
    let settings: ChaosSettings
    /// A state that is allowed for a while: since when it has lasted, and whether it has been
    /// reported as a violation (once).
    struct Lag {
        var since: ContinuousClock.Instant
        var reported = false
    }

    /// Since when each AppRelease's status has trailed its generation (reset once caught up).
    private var observationLag: [String: Lag] = [:]
    /// ReplicaSets (by uid) whose owner is gone, and AppReleases (by uid) with too many old revisions.
    private var orphanedSince: [String: Lag] = [:]
    private var excessSince: [String: Lag] = [:]
    private var writesSeen: [String: Int] = [:]
    private var holderSeen: String?

    init(sim: KubeSim, ledger: Ledger, tally: ChaosTally, settings: ChaosSettings) {
        self.sim = sim
        self.ledger = ledger
        self.tally = tally
        self.settings = settings
    }

    mutating func tick() {
        let now = ContinuousClock.now
        var objects: [String: JSONValue] = [:]
        for object in sim.store.list(.appReleases, namespace: settings.namespace).items where !object.meta.isDeleting {
            objects[object.meta.name] = object
        }
        checkReleases(objects, now: now)
        checkAvailability(objects)
        checkObservedGeneration(objects, now: now)
        checkReplicaSets(objects, now: now)
        checkWriters()
    }

    /// Each release the driver started ends as its digest says, within its progress deadline
    /// plus a bound.
    private func checkReleases(_ objects: [String: JSONValue], now: ContinuousClock.Instant) {
        let bound = Duration.seconds(AppManifests.progressDeadlineSeconds) + settings.releaseBound
        for record in ledger.all where !record.deleted {
            guard let expected = record.expectation, let object = objects[record.name] else { continue }
            let status = object["status"]
            let acknowledged = expected.acknowledgement.map { status?[path: "acknowledged", $0.key]?.stringValue == $0.value } ?? true
            let settled = acknowledged && status?["observedGeneration"]?.intValue == object.meta.generation
            let stable = status?["stableImage"]?.stringValue
            let ready = settled && ChaosState.condition("Ready", of: object)?.status == "True" && stable == expected.image
            let degraded = ChaosState.condition("Degraded", of: object)
            let reverted = settled && degraded?.status == "True" && stable != nil && stable != expected.image
            let met =
                switch expected.outcome {
                case .ready: ready
                case .reverted: reverted
                case .either: ready || reverted
                }
            let elapsed = now - expected.since
            guard met || elapsed > bound else { continue }
            // The driver may have replaced the expectation meanwhile; resolve only this one.
            let resolved = ledger.update(record.name) { current -> Bool in
                guard current.expectation?.since == expected.since else { return false }
                current.expectation = nil
                return true
            }
            guard resolved == true else { continue }
            tally.check(
                .releaseOutcome, met,
                "\(record.name) (\(record.strategy.rawValue)): \(expected.digest) image \(ChaosState.short(expected.image)) not \(expected.outcome.rawValue) after \(elapsed): \(ChaosState.summary(of: object))"
            )
            tally.release(record.strategy, met ? (ready ? "ready" : "rolled back: \(degraded?.reason ?? "")") : "lost", after: elapsed)
        }
    }

    /// The Service users reach never has fewer ready endpoints than `replicas - maxUnavailable`
    /// (BlueGreen's active and Canary's stable Service: all `replicas`) once it first served
    /// them all. A scale-down lowers the floor at once; a scale-up raises it once served.
    private func checkAvailability(_ objects: [String: JSONValue]) {
        for record in ledger.all where !record.deleted {
            guard let object = objects[record.name] else { continue }
            let replicas = Int(object[path: "spec", "replicas"]?.intValue ?? 1)
            let ready = ChaosState.readyEndpoints(of: record.name, in: sim, namespace: settings.namespace)
            let capacity: Int? =
                ledger.update(record.name) { current in
                    if ready >= replicas {
                        current.capacity = replicas
                    } else if let capacity = current.capacity {
                        current.capacity = min(capacity, replicas)
                    }
                    return current.capacity
                } ?? nil
            guard let capacity else { continue }
            let floor = capacity - (record.strategy == .rolling ? record.maxUnavailable : 0)
            tally.check(
                .availability, ready >= floor,
                "\(record.name) (\(record.strategy.rawValue)): Service \(record.name) has \(ready) ready endpoints, floor \(floor) (replicas \(replicas)); \(ChaosState.summary(of: object))"
            )
        }
    }

    private mutating func checkObservedGeneration(_ objects: [String: JSONValue], now: ContinuousClock.Instant) {
        for (name, object) in objects {
            let caughtUp = (object[path: "status", "observedGeneration"]?.intValue ?? 0) >= object.meta.generation
            let lag = caughtUp ? nil : observationLag[name] ?? Lag(since: now)
            observationLag[name] = lag
            record(.observedGeneration, lag: &observationLag[name], now: now, bound: settings.observationBound) { lasted in
                "\(name): status trails its generation for \(lasted): \(ChaosState.summary(of: object))"
            }
        }
        for name in observationLag.keys where objects[name] == nil { observationLag[name] = nil }
    }

    /// One check per tick for a state that may last `bound` at most: passes until then, fails
    /// once when it has lasted longer.
    private func record(
        _ invariant: Invariant, lag: inout Lag?, now: ContinuousClock.Instant, bound: Duration, _ violation: (Duration) -> String
    ) {
        guard var current = lag else {
            tally.check(invariant, true, "")
            return
        }
        guard !current.reported else { return }
        let lasted = now - current.since
        if lasted > bound {
            current.reported = true
            lag = current
        }
        tally.check(invariant, lasted <= bound, violation(lasted))
    }

    /// Every ReplicaSet has an AppRelease as controller (the garbage collector removes those of
    /// a deleted one); no AppRelease keeps more old revisions at 0 replicas than its limit.
    private mutating func checkReplicaSets(_ objects: [String: JSONValue], now: ContinuousClock.Instant) {
        let owners = Set(objects.values.map(\.meta.uid))
        // The spec's revision and the stable one are not old, even at 0 (a reverted release's).
        var current: [String: Set<String>] = [:]
        for object in objects.values {
            current[object.meta.uid] = Set(["currentRevision", "stableRevision"].compactMap { object[path: "status", $0]?.stringValue })
        }
        var old: [String: Int] = [:]
        var seen: Set<String> = []
        for replicaSet in sim.store.list(.replicaSets, namespace: settings.namespace).items {
            let uid = replicaSet.meta.uid
            seen.insert(uid)
            let owner = replicaSet.meta.ownerReferences.first { $0.controller == true && $0.kind == AppReleaseAPI.kind }
            if let owner, owners.contains(owner.uid) {
                let revision = replicaSet.meta.labels[AppReleaseAPI.revisionLabel] ?? ""
                if (replicaSet[path: "spec", "replicas"]?.intValue ?? 0) == 0 && current[owner.uid]?.contains(revision) != true {
                    old[owner.uid, default: 0] += 1
                }
                orphanedSince[uid] = nil
            } else if orphanedSince[uid] == nil {
                // No controller at all is wrong at once; an owner gone, once collection is late.
                orphanedSince[uid] = Lag(since: owner == nil ? now - settings.cleanupBound - .seconds(1) : now)
            }
            let name = replicaSet.meta.name
            record(.noOrphans, lag: &orphanedSince[uid], now: now, bound: settings.cleanupBound) { lasted in
                owner.map { "ReplicaSet \(name) outlived its AppRelease \($0.name) by \(lasted)" } ?? "ReplicaSet \(name) has no AppRelease as its controller"
            }
        }
        for uid in orphanedSince.keys where !seen.contains(uid) { orphanedSince[uid] = nil }
        for object in objects.values {
            let uid = object.meta.uid
            let count = old[uid, default: 0]
            excessSince[uid] = count <= AppManifests.revisionHistoryLimit ? nil : excessSince[uid] ?? Lag(since: now)
            record(.historyLimit, lag: &excessSince[uid], now: now, bound: settings.cleanupBound) { lasted in
                "\(object.meta.name): \(count) old revisions at 0 replicas for \(lasted), limit \(AppManifests.revisionHistoryLimit)"
            }
        }
        for uid in excessSince.keys where !owners.contains(uid) { excessSince[uid] = nil }
    }

    /// Writes (Leases aside: a standby tries to take the Lease) by each replica since the last
    /// tick, from kubesim's request log: only the Lease holder, as of the last tick or this one.
    private mutating func checkWriters() {
        var writes: [String: Int] = [:]
        for (request, count) in sim.requestsByClient()
        where ["create", "update", "patch", "delete"].contains(request.verb) && request.resource != "leases" {
            guard let identity = ChaosState.identity(inUserAgent: request.userAgent) else { continue }
            writes[identity, default: 0] += count
        }
        let holder = ChaosState.leaseHolder(in: sim, settings: settings)
        let allowed = Set([holderSeen, holder].compactMap { $0 })
        for (identity, count) in writes where count > writesSeen[identity, default: 0] {
            tally.check(
                .onlyLeaderWrites, allowed.contains(identity),
                "\(identity) wrote \(count - writesSeen[identity, default: 0]) times while the Lease was held by \(allowed.sorted().joined(separator: ", then "))"
            )
        }
        writesSeen = writes
        holderSeen = holder
    }

    /// RBAC is exactly what is used: every request the operator's replicas sent (their user
    /// agents, in kubesim's request log) is one `OperatorPermissions` grants, which is what
    /// `manifests/` installs; and every permission granted was sent, but for the rare ones
    /// (each explained where it is declared).
    func checkPermissions() {
        var sent: Set<String> = []
        for request in sim.requestsByClient().keys where request.userAgent.hasPrefix("apprelease-controller/") {
            sent.insert("\(request.verb) \(request.group)/\(request.resource)")
            tally.check(
                .rbac, OperatorPermissions.grants(verb: request.verb, group: request.group, resource: request.resource),
                "\(request): not granted by manifests/")
        }
        for rule in OperatorPermissions.workloads + OperatorPermissions.leaderElection {
            for verb in rule.verbs where !rule.rareVerbs.contains(verb) {
                let permission = "\(verb) \(rule.group)/\(rule.resource)"
                tally.check(.rbac, sent.contains(permission), "\(permission): granted by manifests/ but never sent")
            }
        }
    }
}

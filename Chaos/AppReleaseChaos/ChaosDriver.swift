import AppReleaseAPI
import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization

/// Random work, as application teams, pipelines and SREs would do it, through the API server
/// (so admission and the injected faults apply to it too). It reads kubesim's state directly to
/// pick its targets, and records in the ledger what each action must lead to.
final class ChaosDriver: Sendable {
    let client: KubernetesClient
    let sim: KubeSim
    let ledger: Ledger
    let tally: ChaosTally
    let settings: ChaosSettings
    private let random: Mutex<SeededGenerator>
    private let serial = Mutex<UInt64>(0)
    /// When the promoter first saw each app paused, and when it last promoted it.
    private let pauses = Mutex<[String: (seen: ContinuousClock.Instant, promoted: ContinuousClock.Instant?)]>([:])

    init(client: KubernetesClient, sim: KubeSim, ledger: Ledger, tally: ChaosTally, settings: ChaosSettings, seed: UInt64) {
        self.client = client
        self.sim = sim
        self.ledger = ledger
        self.tally = tally
        self.settings = settings
        random = Mutex(SeededGenerator(seed: seed))
    }

    /// The fleet at the start: even shares of the three strategies, Rolling with maxUnavailable
    /// 0 or 1, BlueGreen with and without auto-promotion.
    static func initialFleet(size: Int) -> [AppRecord] {
        (0..<size).map { index in
            let strategy = Strategy.allCases[index % Strategy.allCases.count]
            let round = index / Strategy.allCases.count
            return AppRecord(
                name: "\(strategy.rawValue.lowercased())-\(round)", strategy: strategy,
                maxUnavailable: strategy == .rolling ? round % 2 : 0,
                autoPromotionSeconds: strategy == .blueGreen && round % 2 == 1 ? 2 : nil,
                httpRoute: strategy == .canary && round % 2 == 1,
                image: Digest.good.image(serial: UInt64(index) + 1), digest: .good)
        }
    }

    func createFleet() async throws {
        serial.withLock { $0 = UInt64(ledger.names.count) }
        for record in ledger.all {
            for service in AppManifests.serviceNames(record) {
                try await client.create(.services, namespace: settings.namespace, object: AppManifests.service(service, app: record.name, namespace: settings.namespace))
            }
            if record.httpRoute {
                try await client.create(.httpRoutes, namespace: settings.namespace, object: AppManifests.httpRoute(record, namespace: settings.namespace))
            }
            try await create(record.name)
        }
    }

    // MARK: The random work

    func run(until end: ContinuousClock.Instant) async {
        while ContinuousClock.now < end && !Task.isCancelled {
            let pause = random.withLock { $0.around(settings.actionEvery) }
            try? await Task.sleep(for: pause)
            await act()
        }
    }

    private enum Action: CaseIterable {
        case releaseGood, releaseSlow, releaseBad, releaseMidRelease, scale, abort, retry, promoteFull, delete, recreate
        /// Out of 100.
        var weight: Int {
            switch self {
            case .releaseGood: 28
            case .releaseSlow: 5
            case .releaseBad: 14
            case .releaseMidRelease: 12
            case .scale: 12
            case .abort: 6
            case .retry: 8
            case .promoteFull: 5
            case .delete: 3
            case .recreate: 7
            }
        }
    }

    private func act() async {
        let apps = ledger.all
        let (action, pick, digest) = random.withLock { random in
            var roll = Int.random(in: 0..<Action.allCases.reduce(0) { $0 + $1.weight }, using: &random)
            var action = Action.releaseGood
            for candidate in Action.allCases {
                if roll < candidate.weight {
                    action = candidate
                    break
                }
                roll -= candidate.weight
            }
            return (action, UInt64.random(in: 0...UInt64.max, using: &random), [Digest.crash, .pullerr, .unready].randomElement(using: &random) ?? .crash)
        }
        let live = apps.filter { !$0.deleted }
        let inFlight = live.filter(\.inFlight)
        func choose(_ candidates: [AppRecord]) -> AppRecord? {
            candidates.isEmpty ? nil : candidates[Int(pick % UInt64(candidates.count))]
        }
        switch action {
        case .releaseGood: if let app = choose(live) { await release(app, .good) }
        case .releaseSlow: if let app = choose(live) { await release(app, .slow) }
        case .releaseBad: if let app = choose(live) { await release(app, digest) }
        case .releaseMidRelease:
            if let app = choose(inFlight) { await release(app, pick % 3 == 0 ? digest : .good) }
        case .scale:
            if let app = choose(live) { await scale(app, to: 2 + Int((pick >> 8) % 4)) }
        case .abort: if let app = choose(inFlight) { await request("abort", app) }
        case .retry: if let app = choose(live.filter { !$0.inFlight }) { await request("retry", app) }
        case .promoteFull: if let app = choose(inFlight.filter { $0.strategy == .canary }) { await promote(app.name, full: true) }
        case .delete:
            // Keep most of the fleet: at most a third deleted at once.
            if apps.count - live.count < apps.count / 3, let app = choose(live) { await delete(app) }
        case .recreate:
            // A few seconds after the delete, once the old object is gone (finalizers, GC).
            let gone = apps.filter { app in
                app.deleted && (app.deletedAt.map { ContinuousClock.now - $0 > .seconds(5) } ?? true)
                    && (try? sim.store.get(.appReleases, namespace: settings.namespace, name: app.name)) == nil
            }
            if let app = choose(gone) { await attempt("recreate") { try await self.create(app.name) } }
        }
    }

    private func nextImage(_ digest: Digest) -> String {
        digest.image(serial: serial.withLock { serial in
            serial += 1
            return serial
        })
    }

    private func release(_ app: AppRecord, _ digest: Digest) async {
        let image = nextImage(digest)
        let name = app.inFlight ? "new digest mid-release (\(digest))" : "release \(digest)"
        let patched = await attempt(name) {
            try await self.client.patch(.appReleases, namespace: self.settings.namespace, name: app.name, patch: .merge(["spec": ["image": .string(image)]]))
        }
        guard patched else { return }
        let now = ContinuousClock.now
        let superseded: Expectation? = ledger.update(app.name) { record in
            defer {
                record.image = image
                record.digest = digest
                record.expectation = .release(image, digest, since: now)
            }
            return record.expectation
        } ?? nil
        if let superseded { tally.release(app.strategy, "superseded", after: now - superseded.since) }
    }

    /// Through the scale subresource, as `kubectl scale` and a HorizontalPodAutoscaler do.
    private func scale(_ app: AppRecord, to replicas: Int) async {
        guard replicas != app.replicas else { return }
        let scaled = await attempt("scale \(replicas > app.replicas ? "up" : "down")") {
            _ = try await self.client.patch(
                .appReleases, namespace: self.settings.namespace, name: app.name,
                patch: .merge(["spec": ["replicas": .int(Int64(replicas))]]), subresource: "scale")
        }
        if scaled { ledger.update(app.name) { $0.replicas = replicas } }
    }

    /// `abort` or `retry`, as `kubectl apprelease` sets them: a new value each time.
    private func request(_ annotation: String, _ app: AppRecord) async {
        let value = "chaos-\(serial.withLock { $0 += 1; return $0 })"
        let sent = await attempt(annotation) {
            try await self.annotate(app.name, "apprelease.dev/\(annotation)", value)
        }
        guard sent else { return }
        let now = ContinuousClock.now
        ledger.update(app.name) { record in
            switch annotation {
            case "abort":
                // Raced with the release: aborted and reverted, or finished before the abort.
                record.expectation?.outcome = .either
                record.expectation?.acknowledgement = ("abort", value)
            default:
                // Retried (a failed or aborted release runs again) or ignored (nothing failed):
                // either way the spec's image decides how it ends.
                record.expectation = .release(record.image, record.digest, since: now, acknowledgement: ("retry", value))
            }
        }
    }

    private func promote(_ name: String, full: Bool) async {
        let value = (full ? "full-" : "chaos-") + "\(serial.withLock { $0 += 1; return $0 })"
        _ = await attempt(full ? "promote full" : "promote") {
            try await self.annotate(name, "apprelease.dev/promote", value)
        }
    }

    private func annotate(_ name: String, _ key: String, _ value: String) async throws {
        try await client.patch(
            .appReleases, namespace: settings.namespace, name: name, patch: .merge(["metadata": ["annotations": [key: .string(value)]]]))
    }

    private func delete(_ app: AppRecord) async {
        let deleted = await attempt("delete") {
            try await self.client.delete(.appReleases, namespace: self.settings.namespace, name: app.name)
        }
        guard deleted else { return }
        let now = ContinuousClock.now
        let dropped: Expectation? = ledger.update(app.name) { record in
            defer {
                record.deleted = true
                record.deletedAt = now
                record.expectation = nil
                record.capacity = nil
            }
            return record.expectation
        } ?? nil
        if let dropped { tally.release(app.strategy, "deleted", after: now - dropped.since) }
    }

    /// Creates the AppRelease `name` (again, after a delete, once the old one is gone) with a
    /// new good digest; its first release must become Ready.
    private func create(_ name: String) async throws {
        guard let record = ledger[name] else { return }
        if (try? sim.store.get(.appReleases, namespace: settings.namespace, name: name)) != nil {
            guard record.deleted else { return }
            throw ChaosError("\(name) is still being deleted")
        }
        let image = nextImage(.good)
        var fresh = record
        fresh.image = image
        fresh.digest = .good
        try await client.create(.appReleases, namespace: settings.namespace, object: AppManifests.appRelease(fresh, namespace: settings.namespace))
        let now = ContinuousClock.now
        ledger.update(name) { record in
            record = fresh
            record.deleted = false
            record.deletedAt = nil
            record.capacity = nil
            record.expectation = .release(image, .good, since: now)
        }
    }

    // MARK: Promotions

    /// BlueGreen waiting for promotion and Canary at a `pause: {}` step: an SRE promotes a few
    /// seconds after the pause shows (timed pauses mostly end on their own first). Runs until
    /// cancelled, through the settling phase, so every release can end.
    func promoteWaiting() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let now = ContinuousClock.now
            for record in ledger.all where !record.deleted && record.strategy != .rolling {
                let object = try? sim.store.get(.appReleases, namespace: settings.namespace, name: record.name)
                let paused = object.map { ChaosState.condition("Paused", of: $0)?.status == "True" } ?? false
                let due: Bool = pauses.withLock { pauses in
                    guard paused else {
                        pauses[record.name] = nil
                        return false
                    }
                    var entry = pauses[record.name] ?? (seen: now, promoted: nil)
                    defer { pauses[record.name] = entry }
                    guard now - entry.seen >= .seconds(3), entry.promoted.map({ now - $0 >= .seconds(5) }) ?? true else { return false }
                    entry.promoted = now
                    return true
                }
                if due { await promote(record.name, full: false) }
            }
        }
    }

    // MARK: Requests

    /// The request, retried a few times: the driver suffers the injected faults as any client.
    @discardableResult
    private func attempt(_ action: String, _ body: @Sendable () async throws -> Void) async -> Bool {
        for try_ in 1...5 {
            do {
                try await body()
                tally.action(action)
                return true
            } catch {
                if try_ == 5 {
                    tally.action("\(action): gave up")
                    print("driver: \(action) failed 5 times, last: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        return false
    }
}

struct ChaosError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import KubeSim

/// The faults, at random times drawn from the seed: a steady share of failed requests, and
/// now and then dropped watches, a compacted watch history (410 Gone on re-watch), a latency
/// spike, and the leader SIGKILLed (replaced a few seconds later).
struct FaultSchedule {
    let sim: KubeSim
    let replicas: OperatorReplicas
    let tally: ChaosTally
    let settings: ChaosSettings
    var random: SeededGenerator

    static let failures = [
        FaultInjector.RequestFailure(share: 0.05, code: 500), FaultInjector.RequestFailure(share: 0.02, code: 429, retryAfterSeconds: 1),
    ]

    private enum Fault: CaseIterable {
        case dropWatches, compaction, latencySpike, latencyEnd, killLeader

        var mean: Duration? {
            switch self {
            case .dropWatches: .seconds(20)
            case .compaction: .seconds(60)
            case .latencySpike: .seconds(30)
            case .latencyEnd, .killLeader: nil
            }
        }
    }

    mutating func run(until end: ContinuousClock.Instant) async {
        sim.faults.failRequests(Self.failures)
        let start = ContinuousClock.now
        var due: [Fault: ContinuousClock.Instant] = [:]
        for fault in Fault.allCases {
            if let mean = fault.mean { due[fault] = start + random.around(mean) }
        }
        due[.killLeader] = start + random.around(settings.leaderKillEvery)
        while !Task.isCancelled, let (fault, at) = due.min(by: { $0.value < $1.value }), at < end {
            try? await Task.sleep(until: at, clock: .continuous)
            due[fault] = nil
            switch fault {
            case .dropWatches:
                sim.faults.dropWatches()
                tally.fault("watches dropped")
            case .compaction:
                // Forget the history, then end the watches: every re-watch from an old
                // resourceVersion is answered 410 Gone and must relist.
                sim.faults.compactEventWindow()
                sim.faults.dropWatches()
                tally.fault("watch history compacted (410 Gone)")
            case .latencySpike:
                let latency = Duration.milliseconds(Int.random(in: 100...500, using: &random))
                sim.faults.latency = latency
                tally.fault("latency spikes (100-500 ms, 2-6 s)")
                due[.latencyEnd] = ContinuousClock.now + random.around(.seconds(4))
            case .latencyEnd:
                sim.faults.latency = .zero
            case .killLeader:
                await killLeader()
                due[.killLeader] = ContinuousClock.now + random.around(settings.leaderKillEvery)
            }
            if let mean = fault.mean { due[fault] = ContinuousClock.now + random.around(mean) }
        }
        sim.faults.reset()
    }

    private mutating func killLeader() async {
        guard let holder = ChaosState.leaseHolder(in: sim, settings: settings), await replicas.kill(identity: holder) else {
            tally.fault("leader SIGKILL skipped (no leader)")
            return
        }
        tally.fault("leader SIGKILLed")
        let restart = random.around(.seconds(4))
        let replicas = self.replicas
        let tally = self.tally
        Task {
            try? await Task.sleep(for: restart)
            do {
                try replicas.replenish()
            } catch {
                tally.fault("replica restart failed: \(error)")
            }
        }
    }
}

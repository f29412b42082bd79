extension BenchContext {
    /// A new operator process over the settled fleet, timed from its start until its caches are
    /// synced, it leads, and every AppRelease has been reconciled (its metrics: at least one
    /// reconcile per AppRelease, and no key queued or in a worker). Nothing needs a write.
    func measureStartup(number: Int) async throws -> BenchReport.Startup {
        let before = try await probe()
        let process = try OperatorProcess.start(settings, kubeconfigPath: kubesim.kubeconfigPath, number: number)
        operatorProcess = process
        let port = try await process.metricsPort()
        let metricsServed = ContinuousClock.now
        var synced: ContinuousClock.Instant?
        var leader: ContinuousClock.Instant?
        let deadline = process.startedAt + settings.timeout(releasing: names.count)
        while true {
            if synced == nil, await process.isReady(port: port) { synced = .now }
            let metrics = try await process.metrics(port: port)
            let now = ContinuousClock.now
            if leader == nil, metrics.sum("leader_election_master_status") >= 1 { leader = now }
            let reconciles = metrics.sum("controller_runtime_reconcile_total")
            if let synced, let leader, reconciles >= Double(names.count), metrics.sum("workqueue_depth") == 0,
                metrics.sum("controller_runtime_active_workers") == 0
            {
                let cost = ScenarioCost(from: before, to: try await probe())
                return BenchReport.Startup(
                    metricsServedSeconds: (metricsServed - process.startedAt).seconds, cachesSyncedSeconds: (synced - process.startedAt).seconds,
                    leaderSeconds: (leader - process.startedAt).seconds, allReconciledSeconds: (now - process.startedAt).seconds,
                    reconciles: reconciles, writesBesidesLease: cost.operatorRequests.writesBesidesLease, cost: cost)
            }
            guard now < deadline else {
                throw BenchError("startup: not every AppRelease reconciled in time (\(Int(reconciles)) reconciles of \(names.count) AppReleases)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

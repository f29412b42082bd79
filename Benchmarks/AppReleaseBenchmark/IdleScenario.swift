extension BenchContext {
    /// Everything the operator sends over a window in which nothing changes.
    func measureIdle() async throws -> BenchReport.Idle {
        // What a startup or a release sends last is not idle traffic.
        try await settle()
        let before = try await probe()
        try await Task.sleep(for: settings.idleWindow)
        let cost = ScenarioCost(from: before, to: try await probe())
        let minutes = cost.wallSeconds / 60
        return BenchReport.Idle(
            windowSeconds: cost.wallSeconds, requestsPerMinute: Double(cost.operatorRequests.total) / minutes,
            requestsPerMinuteByKind: cost.operatorRequests.counts.mapValues { Double($0) / minutes },
            operatorCPUSecondsPerMinute: cost.operatorCPUSeconds / minutes, cost: cost)
    }
}

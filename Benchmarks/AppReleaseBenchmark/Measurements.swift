import Foundation

/// What a scenario's cost is computed from, taken at its start and at its end.
struct Probe: Sendable {
    let at: ContinuousClock.Instant
    let operatorRequests: RequestTally
    let operatorPID: Int32?
    let operatorUsage: ProcessUsage?
    let operatorCounters: [String: Double]
    let kubesimUsage: ProcessUsage?
    let driverUsage: ProcessUsage?
}

/// A scenario's wall time, the operator's requests (as kubesim counted them) and each process's
/// CPU over it, and memory at its end.
struct ScenarioCost: Codable, Sendable {
    var wallSeconds: Double
    var operatorRequests: RequestTally
    /// From the operator's metrics: reconciles by result, Events by outcome.
    var operatorCounters: [String: Double]
    var operatorCPUSeconds: Double
    var kubesimCPUSeconds: Double
    var driverCPUSeconds: Double
    /// Of the operator process running at the end: resident then, and its peak since it started.
    var operatorResidentBytes: Int
    var operatorPeakResidentBytes: Int
    var kubesimPeakResidentBytes: Int
    var driverPeakResidentBytes: Int

    init(from start: Probe, to end: Probe) {
        wallSeconds = (end.at - start.at).seconds
        operatorRequests = end.operatorRequests.since(start.operatorRequests)
        // A scenario that starts the operator (startup) counts all the new process used.
        let sameOperator = start.operatorPID == end.operatorPID
        operatorCPUSeconds = (end.operatorUsage?.cpuSeconds ?? 0) - (sameOperator ? start.operatorUsage?.cpuSeconds ?? 0 : 0)
        operatorCounters = end.operatorCounters.reduce(into: [:]) { counters, entry in
            let difference = entry.value - (sameOperator ? start.operatorCounters[entry.key] ?? 0 : 0)
            if difference > 0 { counters[entry.key] = difference }
        }
        kubesimCPUSeconds = (end.kubesimUsage?.cpuSeconds ?? 0) - (start.kubesimUsage?.cpuSeconds ?? 0)
        driverCPUSeconds = (end.driverUsage?.cpuSeconds ?? 0) - (start.driverUsage?.cpuSeconds ?? 0)
        operatorResidentBytes = end.operatorUsage?.residentBytes ?? 0
        operatorPeakResidentBytes = end.operatorUsage?.peakResidentBytes ?? 0
        kubesimPeakResidentBytes = end.kubesimUsage?.peakResidentBytes ?? 0
        driverPeakResidentBytes = end.driverUsage?.peakResidentBytes ?? 0
    }
}

/// Percentiles of a set of latencies (nearest rank), in seconds.
struct LatencySummary: Codable, Sendable {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double

    init?(_ durations: [Duration]) {
        let sorted = durations.map(\.seconds).sorted()
        guard let last = sorted.last else { return nil }
        func rank(_ p: Double) -> Double { sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        count = sorted.count
        p50 = rank(0.50)
        p99 = rank(0.99)
        max = last
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

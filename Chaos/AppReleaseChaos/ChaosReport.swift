import Foundation

/// The summary printed at the end: the faults injected, the releases run, each invariant's
/// checks, and `N passed, N failed`.
struct ChaosReport {
    let settings: ChaosSettings
    let tally: ChaosTally.State
    let workDuration: Duration
    let settleDuration: Duration
    let injectedFailures: [Int: Int]
    let requests: Int
    let replicasStarted: Int
    let fleet: [AppRecord]

    var passed: Int { Invariant.allCases.reduce(0) { $0 + tally.checks[$1, default: 0] - tally.violations[$1, default: 0] } }
    var failed: Int { tally.violations.values.reduce(0, +) }

    func rendered() -> String {
        var lines: [String] = []
        let strategies = Strategy.allCases.map { strategy in "\(fleet.filter { $0.strategy == strategy }.count) \(strategy.rawValue)" }
        lines.append(
            "apprelease-chaos: seed \(settings.seed); \(Self.format(workDuration)) of work and faults, then \(Self.format(settleDuration)) to settle; "
                + "\(fleet.count) AppReleases (\(strategies.joined(separator: ", "))); 2 operator replicas (\(replicasStarted) started in all)")
        lines.append("")
        lines.append("faults injected:")
        var faults = tally.faults
        for (code, count) in injectedFailures { faults["requests answered \(code)"] = count }
        for (name, count) in faults.sorted(by: { $0.key < $1.key }) { lines.append(Self.row(name, count)) }
        lines.append(Self.row("requests served in all", requests))
        lines.append("")
        lines.append("driver actions:")
        for (name, count) in tally.actions.sorted(by: { $0.key < $1.key }) { lines.append(Self.row(name, count)) }
        lines.append("")
        lines.append("releases, by how they ended:")
        for strategy in Strategy.allCases {
            let outcomes = tally.releases[strategy] ?? [:]
            let durations = (tally.releaseDurations[strategy] ?? []).sorted()
            let summary = outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            let timing = durations.isEmpty ? "" : "; p50 \(Self.format(durations[durations.count / 2])), max \(Self.format(durations[durations.count - 1]))"
            lines.append("  \(strategy.rawValue): \(summary.isEmpty ? "none" : summary)\(timing)")
        }
        lines.append("")
        lines.append("invariants (checks, violations):")
        for invariant in Invariant.allCases {
            lines.append(
                "  \(invariant.rawValue.padding(toLength: 76, withPad: " ", startingAt: 0)) \(String(tally.checks[invariant, default: 0]).leftPadded(8)) \(String(tally.violations[invariant, default: 0]).leftPadded(4))"
            )
        }
        if !tally.firstViolations.isEmpty {
            lines.append("")
            lines.append("violations (the first \(ChaosTally.violationsKept)):")
            lines.append(contentsOf: tally.firstViolations.map { "  " + $0 })
        }
        lines.append("")
        lines.append("logs and kubeconfig: \(settings.logDirectory)")
        lines.append("\(passed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }

    static func row(_ name: String, _ count: Int) -> String {
        "  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(count).leftPadded(8))"
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds >= 120 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f s", seconds)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

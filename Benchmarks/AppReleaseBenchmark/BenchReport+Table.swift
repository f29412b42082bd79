import Foundation

extension BenchReport {
    /// The figures as a table: one block per scenario, then each scenario's cost per process.
    func rendered() -> String {
        var lines: [String] = []
        lines.append(
            "apprelease-bench: \(setup.releases) AppReleases × \(setup.replicas) replicas, \(setup.strategy), a Service each; "
                + "kubesim's pods Ready \(setup.podReadyDelayMs) ms after they start")
        lines.append(
            "operator: apprelease-controller --kubeconfig … \(setup.operatorArguments.joined(separator: " ")) "
                + "(otherwise its defaults); its requests as kubesim counted them by user agent")
        if massCanary != nil { lines.append("canary: the new digest and the Canary strategy in one patch, steps \(setup.canary)") }
        lines.append("")
        lines.append(Self.row("scenario", "measure", "value"))
        var table = Table()
        table.block("fleet rollout (\(setup.releases) new, first start)") { block in
            block.add("created by the driver", Self.time(fleet.createSeconds))
            block.add("every AppRelease observed", Self.time(fleet.allObservedSeconds))
            block.add("every AppRelease Ready", Self.time(fleet.allReadySeconds))
            block.add("requests per release", Self.number(fleet.requestsPerRelease))
        }
        if let startup {
            table.block("1 startup (restart, settled fleet)") { block in
                block.add("start → /metrics served", Self.time(startup.metricsServedSeconds))
                block.add("start → caches synced (/readyz)", Self.time(startup.cachesSyncedSeconds))
                block.add("start → leader", Self.time(startup.leaderSeconds))
                block.add("start → every AppRelease reconciled", Self.time(startup.allReconciledSeconds))
                block.add("requests", Self.kinds(startup.cost.operatorRequests.counts.mapValues(Double.init), digits: 0))
                block.add("writes, leases aside", "\(startup.writesBesidesLease)")
            }
        }
        if let idle {
            table.block("2 idle (\(Self.time(idle.windowSeconds)))") { block in
                block.add("requests per minute", Self.number(idle.requestsPerMinute) + Self.parenthesized(Self.kinds(idle.requestsPerMinuteByKind)))
                block.add("operator CPU per minute", Self.time(idle.operatorCPUSecondsPerMinute))
            }
        }
        if let singleRelease { table.releases("3 single release (\(singleRelease.releases), one at a time)", singleRelease, atOnce: false) }
        if let massRolling { table.releases("4 mass release, \(massRolling.strategy) (\(massRolling.releases) at once)", massRolling) }
        if let massCanary { table.releases("4 mass release, Canary (\(massCanary.releases) at once)", massCanary) }
        if let revert { table.releases("5 revert (\(revert.releases) crash digests at once)", revert) }
        lines.append(contentsOf: table.lines)

        lines.append("")
        lines.append(Self.costRow("cost", "wall", "operator CPU", "kubesim CPU", "driver CPU", "operator RSS/peak"))
        var costs: [(String, ScenarioCost)] = [("fleet rollout", fleet.cost)]
        if let startup { costs.append(("1 startup", startup.cost)) }
        if let idle { costs.append(("2 idle", idle.cost)) }
        if let singleRelease { costs.append(("3 single release", singleRelease.cost)) }
        if let massRolling { costs.append(("4 mass release, Rolling", massRolling.cost)) }
        if let massCanary { costs.append(("4 mass release, Canary", massCanary.cost)) }
        if let revert { costs.append(("5 revert", revert.cost)) }
        for (name, cost) in costs {
            lines.append(
                Self.costRow(
                    name, Self.time(cost.wallSeconds), Self.time(cost.operatorCPUSeconds), Self.time(cost.kubesimCPUSeconds),
                    Self.time(cost.driverCPUSeconds), "\(Self.mebibytes(cost.operatorResidentBytes)) / \(Self.mebibytes(cost.operatorPeakResidentBytes))"))
        }
        lines.append("")
        let restarted = startup != nil
        lines.append(
            "peak RSS: operator \(Self.mebibytes(processes.operatorPeakResidentBytes))"
                + (restarted ? " (first process \(Self.mebibytes(fleet.operatorPeakResidentBytes)))" : "")
                + ", kubesim \(Self.mebibytes(processes.kubesimPeakResidentBytes)), driver \(Self.mebibytes(processes.driverPeakResidentBytes))")
        lines.append(
            "CPU in all: operator \(Self.time(processes.operatorCPUSeconds))"
                + (restarted ? " (first process \(Self.time(fleet.operatorCPUSeconds)))" : "")
                + ", kubesim \(Self.time(processes.kubesimCPUSeconds)), driver \(Self.time(processes.driverCPUSeconds))")
        let sets = checks.replicaSetsPerAppReleaseAtEnd.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        lines.append("at the end: \(checks.readyAtEnd) of \(setup.releases) AppReleases Ready; ReplicaSets per AppRelease: \(sets)")
        return lines.joined(separator: "\n")
    }

    private struct Table {
        var lines: [String] = []

        struct Block {
            var rows: [(String, String)] = []
            mutating func add(_ measure: String, _ value: String) { rows.append((measure, value)) }
        }

        mutating func block(_ scenario: String, _ fill: (inout Block) -> Void) {
            var block = Block()
            fill(&block)
            for (index, row) in block.rows.enumerated() { lines.append(BenchReport.row(index == 0 ? scenario : "", row.0, row.1)) }
        }

        mutating func releases(_ scenario: String, _ result: BenchReport.Releases, atOnce: Bool = true) {
            block(scenario) { block in
                if let restored = result.patchToRestored {
                    block.add("patch → stable restored p50 / p99 / max", BenchReport.latencies(restored, max: true))
                    block.add("all restored after", BenchReport.time(result.allDoneSeconds))
                } else if atOnce {
                    block.add("all Ready after", BenchReport.time(result.allDoneSeconds))
                }
                if let created = result.patchToReplicaSet { block.add("patch → new ReplicaSet p50 / p99", BenchReport.latencies(created)) }
                if let ready = result.patchToReady { block.add("patch → Ready p50 / p99", BenchReport.latencies(ready)) }
                let byVerb = BenchReport.kinds(result.requestsPerReleaseByVerb)
                block.add("requests per release", BenchReport.number(result.requestsPerRelease) + BenchReport.parenthesized(byVerb))
                block.add("  by kind", BenchReport.kinds(result.requestsPerReleaseByKind))
                block.add("status writes per release", BenchReport.number(result.statusWritesPerRelease))
                block.add("409 conflicts per release", BenchReport.number(result.conflictsPerRelease))
                block.add("operator CPU per release", BenchReport.time(result.operatorCPUSecondsPerRelease))
                for (counter, title) in [("reconciles", "reconciles per release"), ("events", "Events per release")] {
                    let counts = result.operatorCountersPerRelease.filter { $0.key.hasPrefix(counter + " ") }
                    let total = counts.values.reduce(0, +)
                    let parts = Dictionary(uniqueKeysWithValues: counts.map { (String($0.key.dropFirst(counter.count + 1)), $0.value) })
                    block.add(title, BenchReport.number(total) + BenchReport.parenthesized(BenchReport.kinds(parts)))
                }
                if let recovery = result.recoverySeconds { block.add("released again, Ready after", BenchReport.time(recovery)) }
            }
        }
    }

    static func row(_ scenario: String, _ measure: String, _ value: String) -> String {
        scenario.padded(42) + " " + measure.padded(40) + " " + value
    }

    static func costRow(_ name: String, _ columns: String...) -> String {
        name.padded(26) + columns.map { $0.leftPadded(17) }.joined(separator: " ")
    }

    static func time(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : seconds < 100 ? String(format: "%.2f s", seconds) : String(format: "%.1f s", seconds)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }

    static func latencies(_ summary: LatencySummary, max: Bool = false) -> String {
        "\(time(summary.p50)) / \(time(summary.p99))" + (max ? " / \(time(summary.max))" : "")
    }

    /// `6.2 patch appreleases/status, 6.1 create events, …`, largest first.
    static func kinds(_ counts: [String: Double], digits: Int = 1) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { ($0.value > 0 && $0.value < 0.1 ? String(format: "%.3f", $0.value) : String(format: "%.\(digits)f", $0.value)) + " " + $0.key }
            .joined(separator: ", ")
    }

    static func parenthesized(_ text: String) -> String { text.isEmpty ? "" : " (\(text))" }
}

extension String {
    fileprivate func padded(_ width: Int) -> String { count >= width ? self : padding(toLength: width, withPad: " ", startingAt: 0) }
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

import Foundation
import KubeModels
import TestSupport
import Testing

/// A small run of the fleet benchmark (`apprelease-bench`), the one `make bench` runs at 1,000
/// AppReleases: kubesim and the operator in processes of their own, every scenario. It checks
/// what must hold whatever the machine's speed (every scenario ran, everything ends Ready, the
/// counts agree with each other), never a timing.
@Suite(
    "Fleet benchmark: a small run", .serialized, .timeLimit(.minutes(8)),
    .enabled(if: E2ELane.isKubesim, "starts its own kubesim and reads its request counters"))
struct FleetBenchmarkSmokeTests {
    static let releases = 50
    static let samples = 5
    static let reverts = 10

    @Test("50 AppReleases: every scenario reported, every AppRelease Ready at the end, two ReplicaSets each, the operator's requests counted apart")
    func smallRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apprelease-bench-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let jsonPath = directory + "/bench.json"
        let bench = try ChildProcess(
            name: "apprelease-bench", executable: try Binaries.directory() + "/apprelease-bench",
            arguments: [
                "--releases", "\(Self.releases)", "--idle-seconds", "5", "--samples", "\(Self.samples)", "--reverts", "\(Self.reverts)",
                "--crds", Binaries.repositoryRoot + "/crds", "--json", jsonPath, "--log-directory", directory,
            ], logDirectory: directory)
        let exit = await bench.waitForExit(killingAfter: .seconds(420))
        let output = bench.output()
        try #require(!exit.signalled && exit.status == 0, "\(exit)\n\(output.suffix(6000))")
        for heading in ["fleet rollout", "1 startup", "2 idle", "3 single release", "4 mass release, Rolling", "4 mass release, Canary", "5 revert"] {
            #expect(output.contains(heading), "no \(heading) in the table:\n\(output.suffix(6000))")
        }

        let report = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: jsonPath))))
        for scenario in ["setup", "fleet", "startup", "idle", "singleRelease", "massRolling", "massCanary", "revert", "processes", "checks"] {
            #expect(report[scenario] != nil, "no \(scenario) in the JSON")
        }
        let everyAppTwoReplicaSets: JSONValue = ["2": .int(Int64(Self.releases))]
        #expect(report[path: "checks", "readyAtEnd"]?.intValue == Int64(Self.releases), "\(report["checks"] ?? nil)")
        #expect(report[path: "checks", "replicaSetsPerAppReleaseAtEnd"] == everyAppTwoReplicaSets)

        #expect(number(report[path: "fleet", "requestsPerRelease"]) > 0)
        #expect(number(report[path: "startup", "reconciles"]) >= Double(Self.releases))
        #expect(number(report[path: "idle", "windowSeconds"]) >= 5)

        for (scenario, releases) in [("singleRelease", Self.samples), ("massRolling", Self.releases), ("massCanary", Self.releases), ("revert", Self.reverts)] {
            let result = try #require(report[scenario])
            #expect(result["releases"]?.intValue == Int64(releases), "\(scenario)")
            let done = scenario == "revert" ? "patchToRestored" : "patchToReady"
            #expect(result[path: done, "count"]?.intValue == Int64(releases), "\(scenario): \(result[done] ?? nil)")
            #expect(result[path: "patchToReplicaSet", "count"]?.intValue == Int64(releases), "\(scenario): \(result["patchToReplicaSet"] ?? nil)")
            // Every release writes its status and its ReplicaSets; the figures by verb and by
            // kind are the same requests, so they add up to the total.
            let total = number(result["requestsPerRelease"])
            #expect(total > 0, "\(scenario)")
            #expect(number(result["statusWritesPerRelease"]) > 0, "\(scenario)")
            #expect(abs(sum(result["requestsPerReleaseByVerb"]) - total) < 0.001, "\(scenario)")
            #expect(abs(sum(result["requestsPerReleaseByKind"]) - total) < 0.001, "\(scenario)")
            // The operator's own metrics agree that it worked on them.
            #expect(number(result[path: "operatorCountersPerRelease", "reconciles success"]) > 0, "\(scenario)")
            // The driver patches AppReleases; the operator writes their status only. Seeing no
            // such patch among the operator's requests shows the two are told apart.
            #expect(result[path: "requestsPerReleaseByKind", "patch appreleases"] == nil, "\(scenario): \(result["requestsPerReleaseByKind"] ?? nil)")
        }
        for scenario in ["massRolling", "massCanary"] {
            #expect(report[path: scenario, "replicaSetsPerAppRelease"] == everyAppTwoReplicaSets, "\(scenario)")
        }
        #expect(report[path: "revert", "recoverySeconds"] != nil)
        for field in ["operatorPeakResidentBytes", "kubesimPeakResidentBytes", "driverPeakResidentBytes"] {
            #expect(number(report[path: "processes", field]) > 0, "\(field)")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func number(_ value: JSONValue?) -> Double {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: -1
        }
    }

    private func sum(_ value: JSONValue?) -> Double {
        guard case .object(let fields)? = value else { return -1 }
        return fields.values.reduce(0) { $0 + number($1) }
    }
}

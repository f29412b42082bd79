import Foundation
import TestSupport
import Testing

/// A short seeded run of the chaos executable (`apprelease-chaos`), the same one that runs for
/// 30 minutes before a release: two operator replicas, random work across the three strategies,
/// faults (the leader SIGKILLed, dropped watches, 500s and 429s, latency, 410 Gone) and every
/// invariant checked from kubesim's state. It starts its own kubesim.
@Suite(
    "Chaos: a short seeded run", .serialized, .timeLimit(.minutes(10)),
    .enabled(if: E2ELane.isKubesim, "injects faults into kubesim and reads its state"))
struct ChaosTests {
    @Test("a minute of random work under faults: every invariant holds, and the run did what it says")
    func shortSeededRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apprelease-chaos-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let chaos = try ChildProcess(
            name: "apprelease-chaos", executable: try Binaries.directory() + "/apprelease-chaos",
            arguments: [
                "--minutes", "1", "--seed", "7", "--apps", "6", "--leader-kill-every", "20", "--crds", Binaries.repositoryRoot + "/crds",
                "--log-directory", directory,
            ], logDirectory: directory)
        let exit = await chaos.waitForExit(killingAfter: .seconds(480))
        let output = chaos.output()
        #expect(!exit.signalled && exit.status == 0, "\(exit)\n\(output.suffix(6000))")

        let summary = try #require(output.split(separator: "\n").last.map(String.init))
        let counts = summary.split(separator: " ").compactMap { Int($0) }
        #expect(summary.hasSuffix(" failed") && counts.count == 2, "last line: \(summary)")
        #expect(counts.first ?? 0 > 0 && counts.last == 0, "\(summary)\n\(output.suffix(6000))")
        // The run did break things and did check: faults, releases, every invariant.
        #expect(output.contains("leader SIGKILLed"), "\(output.suffix(4000))")
        #expect(output.contains("requests answered 500"), "\(output.suffix(4000))")
        for invariant in ["ready endpoints", "release ends Ready", "observedGeneration", "outlives", "revisionHistoryLimit", "Lease holder", "RBAC"] {
            let row = output.split(separator: "\n").first { $0.contains(invariant) }.map(String.init) ?? ""
            // The row ends with its checks and its violations.
            let numbers = Array(row.split(separator: " ").compactMap { Int($0) }.suffix(2))
            #expect(numbers.count == 2 && numbers[0] > 0, "invariant \(invariant) was never checked: \(row)")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

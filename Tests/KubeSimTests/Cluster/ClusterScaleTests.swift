import Foundation
import KubeModels
import Synchronization
import TestSupport
import Testing

@testable import KubeSim

/// The size the issue asks kubesim to hold: 3,000 ReplicaSets and 10,000 pods in one process.
/// It reports how long the cluster takes to bring every pod to Ready and the process's memory;
/// it asserts only the outcome, never a timing.
@Suite struct ClusterScaleTests {
    static let replicaSetCount = 3_000
    static let podCount = 10_000

    /// Resident set size of this process, from /proc (nil where unavailable).
    static func residentMegabytes() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func tenThousandPodsAcrossThreeThousandReplicaSets() async throws {
        let rssBefore = Self.residentMegabytes()
        try await withCluster({ $0.podReadyDelay = .milliseconds(300) }) { fixture in
            let events = Counter()
            let stream = fixture.store.allEvents()
            let counting = Task { for await _ in stream { events.value.add(1, ordering: .relaxed) } }
            defer { counting.cancel() }

            // 1,000 ReplicaSets of 4 pods and 2,000 of 3: 10,000 pods.
            let started = ContinuousClock.now
            for index in 0..<Self.replicaSetCount {
                let replicas: Int64 = index < Self.podCount - 3 * Self.replicaSetCount ? 4 : 3
                try fixture.createReplicaSet(String(format: "app-%04d", index), replicas: replicas)
            }
            let created = ContinuousClock.now
            try await eventually("all 10,000 pods are ready", timeout: .seconds(600), interval: .milliseconds(250)) {
                let items = fixture.store.list(.replicaSets, namespace: "default").items
                let ready = items.reduce(Int64(0)) { $0 + ($1[path: "status", "readyReplicas"]?.intValue ?? 0) }
                return ready == Int64(Self.podCount)
            }
            let allReady = ContinuousClock.now
            #expect(fixture.store.count(.pods) == Self.podCount)
            let ips = Set(fixture.store.list(.pods).items.map { PodFacts($0).podIP })
            #expect(ips.count == Self.podCount)
            let rssAfter = Self.residentMegabytes()
            let elapsed = allReady - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let eventCount = events.value.load(ordering: .relaxed)
            print(
                """
                kubesim scale: \(Self.replicaSetCount) ReplicaSets, \(Self.podCount) pods; \
                creating the ReplicaSets took \(created - started), all pods Ready after \(elapsed); \
                \(eventCount) store events (\(Int(Double(eventCount) / max(seconds, 0.001))) events/s); \
                RSS \(rssBefore.map { String(format: "%.0f", $0) } ?? "?") MB before, \
                \(rssAfter.map { String(format: "%.0f", $0) } ?? "?") MB with everything Ready
                """)
        }
    }
}

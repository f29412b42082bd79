import Foundation
import TestSupport

/// One `kubectl get … --watch --output-watch-events` kept running for the length of a scenario,
/// with custom columns: the watchers built on it (EndpointSlices, pods, a Service's selector)
/// replay its events to check a promise at every version the API server sent, not only whenever
/// the test happened to look. With --output-watch-events, kubectl (1.37) evaluates the columns
/// on the event itself: its type, and the object under `.object`.
final class KubectlWatch: Sendable {
    private let process: ChildProcess

    init(cluster: Cluster, name: String, get target: [String], columns: String) throws {
        process = try ChildProcess(
            name: name, executable: "kubectl",
            arguments: cluster.kubectlBaseArguments + ["get"] + target + [
                "--watch", "--output-watch-events", "--no-headers", "-o", "custom-columns=EVENT:.type,\(columns)",
            ],
            logDirectory: cluster.directory)
        cluster.track(process)
    }

    var isWatching: Bool { process.isRunning }
    var rawOutput: String { process.output() }

    /// The events so far, oldest first: the event type, then one field per column (`<none>` when
    /// a column is empty). Lines of another shape (kubectl's warnings) are skipped.
    func events(columns count: Int) -> [[String]] {
        process.output().split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == count + 1, ["ADDED", "MODIFIED", "DELETED"].contains(fields[0]) else { return nil }
            return fields
        }
    }

    func stop() async { await process.stop(grace: .seconds(2)) }
}

import KubeClient
import KubeModels

/// One collection kept current the way informers keep it: a list, then a watch from the
/// list's resourceVersion, re-watched from the last version seen when the server ends it,
/// re-listed when that version is too old (410 Gone), and retried after a growing delay when
/// the connection fails. Nothing is polled: every change arrives from the watch.
struct ResumingWatch: Sendable {
    let api: any KubernetesAPI
    let resource: GroupVersionResource
    let namespace: String
    var labelSelector: String?
    var fieldSelector: String?
    /// Sleeps between retries after a failure (tests pass one that returns at once).
    var clock: any Clock<Duration> = ContinuousClock()
    /// Delays after consecutive failures; the last repeats.
    var retryDelays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)]
    /// Asks the server to end each watch after this long, as client-go does, so a connection
    /// that died without a word is replaced.
    var watchTimeoutSeconds = 300

    /// The collection after a change: every object, by name.
    typealias Items = [String: JSONValue]

    /// Where to start instead of a first list: objects the caller already holds and the version
    /// they were read or written at (so nothing after the caller's own write is missed).
    var startingPoint: (items: Items, version: String)?

    /// Calls `onChange` after the first list and after every change, until it returns false or
    /// the task is cancelled. An error of the first list is thrown (the caller reports it: the
    /// cluster is unreachable, the resource not served, access denied); later errors are
    /// passed to `onInterruption` and retried.
    func run(onChange: (Items) async -> Bool, onInterruption: (any Error) -> Void = { _ in }) async throws {
        var items: Items = startingPoint?.items ?? [:]
        var version: String? = startingPoint?.version
        var failures = 0
        var listedOnce = startingPoint != nil
        while true {
            try Task.checkCancellation()
            do {
                if version == nil {
                    let list = try await api.listAll(
                        resource, namespace: namespace, options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector))
                    items = Dictionary(list.items.map { ($0.meta.name, $0) }, uniquingKeysWith: { _, last in last })
                    version = list.resourceVersion
                    listedOnce = true
                    guard await onChange(items) else { return }
                }
                let options = WatchOptions(
                    labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: version, allowWatchBookmarks: true,
                    timeoutSeconds: watchTimeoutSeconds)
                var delivered = false
                for try await event in api.watch(resource, namespace: namespace, options: options) {
                    delivered = true
                    failures = 0
                    switch event.type {
                    case .added, .modified:
                        items[event.object.meta.name] = event.object
                    case .deleted:
                        items.removeValue(forKey: event.object.meta.name)
                    case .bookmark:
                        version = event.object.meta.resourceVersion
                        continue
                    case .error:
                        throw Self.error(from: event.object)
                    }
                    version = event.object.meta.resourceVersion
                    guard await onChange(items) else { return }
                }
                // The server ended the watch (its timeout): go on from the last version seen. One
                // that ends without a single event (a proxy cutting it at once) waits first, so a
                // misbehaving server is not hammered.
                if !delivered {
                    try await clock.sleep(for: delay(after: failures))
                    failures += 1
                }
            } catch {
                guard listedOnce, !Task.isCancelled, !(error is CancellationError) else { throw error }
                if let failure = error as? KubernetesError, failure.isGone {
                    version = nil  // too old: list again, then watch from the new version
                    continue
                }
                onInterruption(error)
                try await clock.sleep(for: delay(after: failures))
                failures += 1
            }
        }
    }

    private func delay(after failures: Int) -> Duration {
        retryDelays[min(failures, retryDelays.count - 1)]
    }

    /// The `Status` of an `ERROR` event as the error it stands for.
    private static func error(from status: JSONValue) -> KubernetesError {
        if let decoded = try? status.decode(APIStatus.self) { return .api(decoded) }
        return .api(APIStatus(code: 500, reason: "InternalError", message: status.jsonString()))
    }
}

import KubeClient
import KubeModels
import RolloutEngine

/// `status --wait`: follows one AppRelease through a watch (field selector on its name) until
/// the verdict is final or `timeout` passes, reporting each new progress line.
struct StatusWaiter: Sendable {
    enum Result: Sendable {
        /// Ready or failed, with the version of the AppRelease that said so.
        case final(ReleaseVerdict, JSONValue)
        /// `timeout` passed; the last verdict and progress line, if any.
        case timedOut(ReleaseVerdict?, line: String?)
        /// The AppRelease was deleted while waiting.
        case deleted
    }

    let api: any KubernetesAPI
    let namespace: String
    let name: String
    var clock: any Clock<Duration> = ContinuousClock()
    /// Between retries of a failed watch.
    var retryDelays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)]

    /// Waits; `report` receives each progress line that differs from the one before, and each
    /// interruption of the watch. Throws `PluginError.notFound` when there is no such AppRelease.
    func wait(timeout: Duration?, report: @escaping @Sendable (Report) -> Void) async throws -> Result {
        let latest = LockedValue<(verdict: ReleaseVerdict, line: String)?>(nil)
        return try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await self.follow(latest: latest, report: report) }
            if let timeout {
                group.addTask {
                    try await clock.sleep(for: timeout)
                    let last = latest.value
                    return .timedOut(last?.verdict, line: last?.line)
                }
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw CancellationError() }
            return result
        }
    }

    /// What the waiter has to say while it waits.
    enum Report: Sendable, Equatable {
        case line(String)
        case interrupted(String)
    }

    private func follow(
        latest: LockedValue<(verdict: ReleaseVerdict, line: String)?>, report: @Sendable (Report) -> Void
    ) async throws -> Result {
        let watch = ResumingWatch(
            api: api, resource: .appReleases, namespace: namespace, fieldSelector: ReleaseSelectors.appRelease(name), clock: clock,
            retryDelays: retryDelays)
        var result: Result?
        var lastLine: String?
        var seen = false
        try await watch.run(
            onChange: { items in
                guard let object = items[name] else {
                    // The first list found nothing: there is no such AppRelease. Later: it went away.
                    if seen { result = .deleted }
                    return false
                }
                seen = true
                let appRelease = ObservedAppRelease(json: object)
                let verdict = ReleaseVerdict(appRelease)
                let line = ProgressLine.make(appRelease, verdict: verdict)
                latest.set((verdict, line))
                if line != lastLine {
                    lastLine = line
                    report(.line(line))
                }
                guard verdict.isFinal else { return true }
                result = .final(verdict, object)
                return false
            },
            onInterruption: { error in report(.interrupted("\(error)")) })
        guard let result else { throw PluginError.notFound(name: name, namespace: namespace) }
        return result
    }
}

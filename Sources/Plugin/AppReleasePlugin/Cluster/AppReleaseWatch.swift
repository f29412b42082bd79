import AppReleaseAPI
import KubeClient
import KubeModels
import Synchronization

/// Waits for one AppRelease to reach a state, with a watch (fieldSelector `metadata.name`), never
/// by polling: every version the API server sends is judged, from a known one on, so nothing
/// written between the caller's own write and the watch is missed.
struct AppReleaseWatch: Sendable {
    let context: PluginContext
    let name: String

    /// Why a wait ended without an answer: the deadline passed; `lastSeen` is the newest version
    /// of the object the watch saw (to say why, e.g. the controller never observed it).
    struct TimedOut: Error {
        var lastSeen: JSONValue
    }

    /// The first non-nil `decide(object)`, starting with `object` (a version the caller read or
    /// wrote) and then every newer version. Throws `TimedOut` after `timeout`, the
    /// `PluginError.notFound` if the AppRelease is deleted, and what `decide` throws.
    func wait<T: Sendable>(
        from object: JSONValue, timeout: Duration, _ decide: @escaping @Sendable (JSONValue) throws -> T?
    ) async throws -> T {
        if let decided = try decide(object) { return decided }
        let lastSeen = LastSeen(object)
        let outcome: T? = try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await follow(from: object, lastSeen: lastSeen, timeout: timeout, decide) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let outcome else { throw TimedOut(lastSeen: lastSeen.object) }
        return outcome
    }

    /// Watches from `object`'s resourceVersion until `decide` answers, resumed as `ResumingWatch`
    /// resumes any watch (a server timeout, 410 Gone, a dropped connection).
    private func follow<T: Sendable>(
        from object: JSONValue, lastSeen: LastSeen, timeout: Duration,
        _ decide: @Sendable (JSONValue) throws -> T?
    ) async throws -> T? {
        var watch = ResumingWatch(
            api: context.api, resource: .appReleases, namespace: context.namespace, fieldSelector: "metadata.name=\(name)")
        watch.startingPoint = ([name: object], object.meta.resourceVersion)
        // The server ends the watch at about our deadline too, so no connection outlives the wait.
        watch.watchTimeoutSeconds = max(Int(timeout.components.seconds) + 1, 1)
        var outcome: Result<T, any Error>?
        do {
            try await watch.run { items in
                guard let current = items[name] else {
                    outcome = .failure(PluginError.notFound(name: name, namespace: context.namespace))
                    return false
                }
                lastSeen.object = current
                do {
                    guard let decided = try decide(current) else { return true }
                    outcome = .success(decided)
                } catch {
                    outcome = .failure(error)
                }
                return false
            }
        } catch let error as KubernetesError {
            throw PluginError.from(error, name: name, namespace: context.namespace)
        }
        return try outcome?.get()
    }
}

/// The newest version the watch saw, shared between the watching task and the caller that
/// reports a timeout.
private final class LastSeen: Sendable {
    private let state: Mutex<JSONValue>
    init(_ object: JSONValue) { state = Mutex(object) }
    var object: JSONValue {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

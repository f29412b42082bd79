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

    /// Watches from `object`'s resourceVersion until `decide` answers; re-watches when the server
    /// ends a watch (its timeout), and reads the object again when its version is too old (410).
    private func follow<T: Sendable>(
        from object: JSONValue, lastSeen: LastSeen, timeout: Duration,
        _ decide: @Sendable (JSONValue) throws -> T?
    ) async throws -> T? {
        var resourceVersion = object.meta.resourceVersion
        // The server ends the watch at about our deadline too, so no connection outlives the wait.
        let serverTimeout = max(Int(timeout.components.seconds) + 1, 1)
        while !Task.isCancelled {
            let options = WatchOptions(
                fieldSelector: "metadata.name=\(name)", resourceVersion: resourceVersion, allowWatchBookmarks: true,
                timeoutSeconds: serverTimeout)
            do {
                for try await event in context.api.watch(.appReleases, namespace: context.namespace, options: options) {
                    switch event.type {
                    case .added, .modified:
                        resourceVersion = event.object.meta.resourceVersion
                        lastSeen.object = event.object
                        if let decided = try decide(event.object) { return decided }
                    case .bookmark:
                        resourceVersion = event.object.meta.resourceVersion
                    case .deleted:
                        throw PluginError.notFound(name: name, namespace: context.namespace)
                    case .error:
                        let status = try? event.object.decode(APIStatus.self)
                        guard let status, status.code == 410 || status.reason == "Expired" || status.reason == "Gone" else {
                            throw PluginError.server(
                                reason: status?.reason ?? "Unknown", message: status?.message ?? "the watch failed")
                        }
                        // Too old to resume: start again from the object as it is now.
                        let current = try await context.appRelease(name)
                        lastSeen.object = current
                        if let decided = try decide(current) { return decided }
                        resourceVersion = current.meta.resourceVersion
                    }
                }
            } catch let error as KubernetesError where error.isTransport {
                // A dropped connection: read the object again (which fails, mapped, if the cluster
                // is gone), after a pause so a flapping network is not hammered.
                try await Task.sleep(for: .seconds(1))
                let current = try await context.appRelease(name)
                lastSeen.object = current
                if let decided = try decide(current) { return decided }
                resourceVersion = current.meta.resourceVersion
            } catch let error as KubernetesError {
                throw PluginError.from(error, name: name, namespace: context.namespace)
            }
        }
        return nil
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
